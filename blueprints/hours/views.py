"""The hours blueprint; its pages live in one module per job, imported at the end."""
from flask import Blueprint

bp = Blueprint("hours", __name__, template_folder="templates")

from blueprints.hours import course  # noqa: E402,F401  (routes on bp)
from blueprints.hours import entries  # noqa: E402,F401  (routes on bp)
from blueprints.hours import evidence  # noqa: E402,F401  (routes on bp)
from blueprints.hours import review  # noqa: E402,F401  (routes on bp)
from blueprints.hours import sessions  # noqa: E402,F401  (routes on bp)
from blueprints.hours import totals  # noqa: E402,F401  (routes on bp)
from blueprints.hours import transcript  # noqa: E402,F401  (routes on bp)
