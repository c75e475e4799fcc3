"""Ordering: options written in the correct order, shown shuffled; credit per position."""
from flask_babel import gettext as _

from services.errors import DomainError
from services.question_types.base import QuestionType
from services.question_types.base import letter_indexes


class Ordering(QuestionType):
    name = "ordering"

    def score(self, options, answer):
        """The share of positions holding the option that belongs there."""
        if not answer or not options:
            return 0.0
        right = sum(1 for position, index in enumerate(answer[:len(options)])
                    if index == position)
        return right / len(options)

    def parse_answer(self, form_values, n_options):
        """Form values are option indexes in the order the learner put them."""
        order = []
        for value in form_values:
            try:
                index = int(str(value).strip())
            except ValueError:
                return None
            if not 0 <= index < n_options or index in order:
                return None
            order.append(index)
        return order or None

    def letters_to_answer(self, letters, n_options):
        """"CABD": the options in the order the learner wrote them; each letter once."""
        order = letter_indexes(letters, n_options)
        if len(set(order)) != len(order):
            raise DomainError(_("%(letters)r names an option twice", letters=letters))
        return order or None
