"""Multiple choice: one or more correct options; partial credit, wrong picks cost."""
from flask_babel import gettext as _

from services.question_types.base import QuestionType
from services.question_types.base import correct_indexes


class Multiple(QuestionType):
    name = "multiple"

    def validate(self, options):
        """At least one option must be correct, or nothing could score."""
        problems = super().validate(options)
        if not correct_indexes(options):
            problems.append(_("a multiple-choice question needs at least one correct option"))
        return problems

    def score(self, options, answer):
        """+1/k per correct option chosen, −1/k per wrong one, floored at 0 (SPEC §2.4)."""
        correct = correct_indexes(options)
        if not answer or not correct:
            return 0.0
        chosen = {index for index in answer if 0 <= index < len(options)}
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        return max(0.0, min(1.0, (right - wrong) / len(correct)))
