"""JSON API v1 (SPEC §7): bearer tokens, scoped reads, JSON errors."""
from flask import Blueprint

from extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)
