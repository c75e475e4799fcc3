"""All tables, imported here so Alembic and the app see every model."""
from models.accounts import ApiToken
from models.accounts import Grant
from models.accounts import User
from models.audit import AuditEvent
from models.org import Assignment
from models.org import Person
from models.org import Role
from models.org import StaffingRule
from models.org import Unit

__all__ = [
    "ApiToken",
    "Assignment",
    "AuditEvent",
    "Grant",
    "Person",
    "Role",
    "StaffingRule",
    "Unit",
    "User",
]
