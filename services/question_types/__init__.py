"""Question types by name (SPEC §2.4): a new type is one file and one line here."""
from flask_babel import gettext as _

from services.errors import DomainError
from services.question_types.base import QuestionType
from services.question_types.multiple import Multiple
from services.question_types.ordering import Ordering
from services.question_types.single import Single
from services.question_types.truefalse import TrueFalse

TYPES: dict[str, QuestionType] = {
    kind.name: kind for kind in (Single(), Multiple(), TrueFalse(), Ordering())
}


def get_type(name: str) -> QuestionType:
    """The type called `name`; a DomainError a trainer can read if there is none."""
    try:
        return TYPES[name]
    except KeyError:
        raise DomainError(_("unknown question type %(name)r (expected one of: %(known)s)",
                            name=name, known=", ".join(TYPES))) from None


__all__ = ["TYPES", "QuestionType", "get_type"]
