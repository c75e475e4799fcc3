"""Properties of the GIFT reader and the question import behind it: whatever the file,
the parser returns questions, skips or problems, and the import either writes the
whole file or raises DomainError having written nothing."""
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Question
from models import QuestionBank
from services.errors import DomainError
from services.gift import parse_gift
from services.question_import import import_questions
from tests.property_inputs import FUZZ
from tests.property_inputs import any_text
from tests.property_inputs import mutated
from tests.property_inputs import mutated_bytes

VALID = (Path(__file__).parent / "fixtures" / "questions.gift").read_text(encoding="utf-8")
SPECIAL = "~=#{}:\\>%-\n\r[]/$TF"
#: the pieces GIFT is made of, so random sequences reach deep into the parser
PIECES = ["::", "名字", "{", "}", "~", "=", "#", "####", "%50%", "%-33.3%", "%abc%", "->", "T", "F",
          "TRUE", ">", ">2 rows", "\n", "\n\n", "\\", "\\{", "\\n", "$CATEGORY: $course$/top/a",
          "// c [tag:x]", "[html]", "[markdown]", "[plain]", "[moodle]", "<b>", "<script>x</script>",
          "<a href='javascript:x'>", " ", "中文", "\r", "\t", "<pre>", "</pre>", "<ol><li>", "_____"]
gift_like = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=40).map("".join)
KINDS = {"single", "multiple", "truefalse", "ordering"}


def check_result(result) -> None:
    """A ParseResult that the import can use as it is."""
    for question in result.questions:
        assert question.type in KINDS
        assert isinstance(question.stem, str) and isinstance(question.name, str)
        assert all(isinstance(o["text"], str) and isinstance(o["correct"], bool) for o in question.options)
    assert all(isinstance(problem, str) and problem for problem in result.problems)


@FUZZ
@given(text=st.one_of(any_text, gift_like, mutated(VALID, SPECIAL)))
def test_any_text_parses_to_questions_skips_or_problems(app, text):
    check_result(parse_gift(text))


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Question.id))),
            db.session.scalar(select(func.count(QuestionBank.id))))


def import_or_refuse(data: bytes | str, fmt: str) -> str:
    """'imported' or 'refused' (nothing written); any other exception fails the property."""
    before = counts()
    try:
        import_questions(data, fmt, "fuzz-bank")
    except DomainError as refused:
        assert refused.message
        assert counts() == before, "a refused import wrote rows"
        return "refused"
    finally:
        db.session.rollback()
    return "imported"


@FUZZ
@given(data=st.one_of(st.binary(max_size=400), gift_like.map(lambda t: t.encode("utf-8")),
                      mutated(VALID, SPECIAL).map(lambda t: t.encode("utf-8")),
                      mutated_bytes(VALID.encode("gb18030"))))
def test_any_file_imports_whole_or_not_at_all(app, data):
    assert import_or_refuse(data, "gift") in ("imported", "refused")


def test_the_valid_file_imports(app):
    assert import_or_refuse(VALID.encode("utf-8"), "gift") == "imported"
