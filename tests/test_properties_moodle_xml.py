"""Properties of the Moodle XML reader and the import behind it: any bytes, any tree of
Moodle's elements, a real export broken in places — questions, skips or problems, never
an exception; the import writes the whole file or raises DomainError having written
nothing."""
import time
from pathlib import Path
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

from hypothesis import given
from hypothesis import strategies as st

from services.moodle_xml import parse_moodle_xml
from services.question_text import html_to_markdown
from tests.property_inputs import FUZZ
from tests.property_inputs import mutated
from tests.property_inputs import mutated_bytes
from tests.test_properties_gift import check_result
from tests.test_properties_gift import import_or_refuse

VALID = (Path(__file__).parent / "fixtures" / "questions.xml").read_bytes()
TAGS = ["question", "name", "text", "questiontext", "answer", "feedback", "single", "category",
        "tags", "tag", "generalfeedback"]
ATTRIBUTES = {
    "type": st.sampled_from(["multichoice", "truefalse", "ordering", "category", "essay", "", "MULTICHOICE"]),
    "fraction": st.sampled_from(["100", "0", "-50", "33.3", "nan", "inf", "-inf", "1e400", "x", ""]),
    "format": st.sampled_from(["html", "plain_text", "markdown", "moodle_auto_format", "PLAIN", "other"]),
}
TEXTS = st.one_of(st.text(max_size=12), st.sampled_from([
    "true", "false", "<p>a<br>b</p>", "<script>alert(1)</script>", "<a href='javascript:x'>y</a>",
    "<![CDATA[<ol><li>x</ol>]]>", "&lt;b&gt;", "$course$/top/a/b", "<pre>x"]))


def element(children: st.SearchStrategy) -> st.SearchStrategy:
    attributes = st.dictionaries(st.sampled_from(sorted(ATTRIBUTES)), st.just(None), max_size=3).flatmap(
        lambda keys: st.fixed_dictionaries({key: ATTRIBUTES[key] for key in keys}))
    return st.builds(
        lambda tag, attrs, inner: f"<{tag}{''.join(f' {k}={quoteattr(v)}' for k, v in attrs.items())}>"
                                  f"{inner}</{tag}>",
        st.sampled_from(TAGS), attributes, children)


leaf = TEXTS.map(lambda t: t if t.startswith("<![CDATA[") else escape(t))
trees = st.recursive(leaf, lambda inner: element(st.lists(inner, max_size=4).map("".join)), max_leaves=25)
encodings = st.sampled_from(["UTF-8", "gb18030", "utf-16", "latin-1", "x-no-such"]) | st.from_regex(
    r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True)
declaration = st.just("") | encodings.map(lambda name: f'<?xml version="1.0" encoding="{name}"?>')
quiz_files = st.builds(lambda head, parts: (head + "<quiz>" + "".join(parts) + "</quiz>").encode(),
                       declaration, st.lists(trees, max_size=6))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), quiz_files, mutated_bytes(VALID),
                      mutated(VALID.decode("utf-8"), "<>/=\"'&;![]").map(str.encode)))
def test_any_bytes_parse_to_questions_skips_or_problems(app, data):
    check_result(parse_moodle_xml(data))


@FUZZ
@given(data=st.one_of(quiz_files, mutated_bytes(VALID), st.binary(max_size=200)))
def test_any_file_imports_whole_or_not_at_all(app, data):
    assert import_or_refuse(data, "moodle-xml") in ("imported", "refused")


def test_the_valid_file_imports(app):
    assert import_or_refuse(VALID, "moodle-xml") == "imported"


def test_a_question_text_of_many_paragraphs_converts_in_linear_time(app):
    started = time.monotonic()
    markdown = html_to_markdown("<p>段落</p>" * 100_000)  # was quadratic: minutes
    assert time.monotonic() - started < 10
    assert markdown.count("段落") == 100_000
