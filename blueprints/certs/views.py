"""The certs blueprint; its pages live in one module per job, imported at the end."""
from flask import Blueprint

bp = Blueprint("certs", __name__, template_folder="templates")

from blueprints.certs import certificates  # noqa: E402,F401  (routes on bp)
from blueprints.certs import programs  # noqa: E402,F401  (routes on bp)
from blueprints.certs import qualifications  # noqa: E402,F401  (routes on bp)
from blueprints.certs import verify  # noqa: E402,F401  (routes on bp)
