"""What every question type shares: answer parsing from form values and answer-sheet letters."""
from flask_babel import gettext as _

from services.errors import DomainError

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class QuestionType:
    """One kind of question: how its options are checked, answered and scored."""

    name = ""
    #: whether the option order may be shuffled per attempt
    shuffle_options = True

    def validate(self, options: list[dict]) -> list[str]:
        """Problems with a question's options, as sentences a trainer can act on."""
        problems = []
        if len(options) < 2:
            problems.append(_("%(type)s needs at least two options", type=self.name))
        for number, option in enumerate(options, start=1):
            if not str(option.get("text") or "").strip():
                problems.append(_("option %(n)d has no text", n=number))
        return problems

    def score(self, options: list[dict], answer: list[int] | None) -> float:
        """The answer's score in [0, 1] (SPEC §2.4); unanswered scores 0."""
        raise NotImplementedError

    def parse_answer(self, form_values: list[str], n_options: int) -> list[int] | None:
        """Original option indexes from submitted form values; junk is dropped, not fatal."""
        chosen = []
        for value in form_values:
            try:
                index = int(str(value).strip())
            except ValueError:
                continue
            if 0 <= index < n_options and index not in chosen:
                chosen.append(index)
        return sorted(chosen) or None

    def letters_to_answer(self, letters: str, n_options: int) -> list[int] | None:
        """Option indexes from an answer sheet's letters ("A", "BD"), in the bank's order."""
        indexes = letter_indexes(letters, n_options)
        return sorted(set(indexes)) or None


def correct_indexes(options: list[dict]) -> set[int]:
    """The indexes of the options marked correct."""
    return {index for index, option in enumerate(options) if option.get("correct")}


def letter_indexes(letters: str, n_options: int) -> list[int]:
    """Letters to indexes in the order written; DomainError for a letter past the options."""
    cleaned = "".join(str(letters or "").split()).replace(",", "").upper()
    indexes = []
    for letter in cleaned:
        index = LETTERS.find(letter)
        if index < 0 or index >= n_options:
            raise DomainError(_("%(letter)r is not one of the options A–%(last)s",
                                letter=letter, last=LETTERS[max(n_options - 1, 0)]))
        indexes.append(index)
    return indexes
