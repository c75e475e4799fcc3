"""Single choice: exactly one correct option; right or wrong."""
from flask_babel import gettext as _

from services.question_types.base import QuestionType
from services.question_types.base import correct_indexes


class Single(QuestionType):
    name = "single"

    def validate(self, options):
        """Add the one-correct-option rule to the shared checks."""
        problems = super().validate(options)
        if len(correct_indexes(options)) != 1:
            problems.append(_("a single-choice question needs exactly one correct option"))
        return problems

    def score(self, options, answer):
        """1 when the one chosen option is the correct one, else 0."""
        if not answer or len(set(answer)) != 1:
            return 0.0
        return 1.0 if set(answer) == correct_indexes(options) else 0.0

    def parse_answer(self, form_values, n_options):
        """A radio button sends one value; keep the first valid one."""
        return super().parse_answer(form_values[:1], n_options)
