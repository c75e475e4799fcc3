"""All tables, imported here so Alembic and the app see every model."""
from models.accounts import ApiToken
from models.accounts import Grant
from models.accounts import User
from models.audit import AuditEvent
from models.certification import Certificate
from models.certification import Program
from models.certification import Qualification
from models.certification import QualificationType
from models.content_version import ContentVersion
from models.coverage import CoverageCache
from models.evidence import EvidenceFile
from models.hours import Attendance
from models.hours import CourseDelivery
from models.hours import HourEntry
from models.hours import TrainingSession
from models.notices import DigestItem
from models.notices import ExpiryNotice
from models.org import Assignment
from models.org import Person
from models.org import Role
from models.org import StaffingRule
from models.org import Unit
from models.quiz import Attempt
from models.quiz import Question
from models.quiz import QuestionBank
from models.quiz import Quiz
from models.quiz import Response
from models.training import DecisionAnswer
from models.training import Module
from models.training import ModuleVersion
from models.training import Progress

__all__ = [
    "Attendance",
    "Certificate",
    "ContentVersion",
    "CourseDelivery",
    "CoverageCache",
    "DigestItem",
    "EvidenceFile",
    "ExpiryNotice",
    "Program",
    "Qualification",
    "QualificationType",
    "TrainingSession",
    "Attempt",
    "Question",
    "QuestionBank",
    "Quiz",
    "Response",
    "ApiToken",
    "Assignment",
    "AuditEvent",
    "DecisionAnswer",
    "Grant",
    "HourEntry",
    "Module",
    "ModuleVersion",
    "Person",
    "Progress",
    "Role",
    "StaffingRule",
    "Unit",
    "User",
]
