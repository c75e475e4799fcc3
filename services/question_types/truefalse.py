"""True/false: two options (true, false), one of them correct; never shuffled."""
from flask_babel import gettext as _

from services.question_types.base import QuestionType
from services.question_types.base import correct_indexes
from services.question_types.single import Single


class TrueFalse(Single):
    name = "truefalse"
    shuffle_options = False

    def validate(self, options):
        """Exactly two options, one correct: the statement is either true or false."""
        problems = [problem for problem in QuestionType.validate(self, options)
                    if len(options) >= 2]
        if len(options) != 2:
            problems.append(_("a true/false question needs exactly two options"))
        if len(correct_indexes(options)) != 1:
            problems.append(_("a true/false question needs exactly one correct option"))
        return problems
