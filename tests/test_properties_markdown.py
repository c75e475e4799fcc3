"""Properties of the Markdown renderer and the module parser: whatever a trainer types,
the HTML keeps only allowlisted tags, attributes and URL schemes (no script, no on*=,
no javascript:), and a module file parses or comes back with its problems by line."""
import html
import time
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from services.markdown import ATTRIBUTES
from services.markdown import TAGS
from services.markdown import URL_SCHEMES
from services.markdown import render_markdown
from services.module_source import parse_module
from tests.property_inputs import FUZZ
from tests.property_inputs import any_text
from tests.property_inputs import mutated

MODULE = (Path(__file__).parents[1] / "content" / "modules" / "informant-basics.md").read_text("utf-8")
#: what attackers type, and the Markdown that might carry it into a tag or an attribute
ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
           "jav&#x09;ascript:alert(1)", "JaVaScRiPt:x", "data:text/html,<script>x</script>",
           "vbscript:x", "<svg onload=x>", "<a href=\"javascript:x\">y</a>", "\" onmouseover=\"x",
           "<iframe src=//x>", "<style>*{}</style>", "<!-- x -->", "&lt;script&gt;", "<object data=x>"]
MARKDOWN = ["[", "](", ")", "<", ">", "![", "**", "_", "`", "```", "~~~", "\n", "\n\n", "# ", "## ",
            "| a | b |\n|:-|-:|\n", "> ", "- ", "1. ", "    ", "\\", "&", "#", ";", "'", '"', "(", " ",
            "http://x", "mailto:x", "<http://x>", "[x]: ", "=", "\t"]
markdown_like = st.lists(st.sampled_from(ATTACKS + MARKDOWN) | st.text(max_size=3), max_size=40).map("".join)


class Inspector(HTMLParser):
    """Collects every tag and attribute of the rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it (control characters and spaces ignored)."""
    cleaned = "".join(ch for ch in html.unescape(url) if ch > " " and ch != "\x7f").lower()
    before, colon, _rest = cleaned.partition(":")
    if not colon or "/" in before or "?" in before or "#" in before:
        return None
    return before


def assert_safe(markup: str) -> None:
    """Only allowlisted tags and attributes; links only to http, https, mailto or relative."""
    inspector = Inspector()
    inspector.feed(markup)
    inspector.close()
    for tag, attrs in inspector.found:
        assert tag in TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href":
                assert scheme(value or "") in URL_SCHEMES | {None}, value
    lowered = markup.lower()
    assert "<script" not in lowered and "javascript:" not in "".join(
        value or "" for _tag, attrs in inspector.found for _name, value in attrs).lower()


@FUZZ
@given(text=st.one_of(any_text, markdown_like))
def test_rendered_markdown_holds_nothing_executable(app, text):
    rendered = render_markdown(text)
    assert isinstance(rendered, Markup)
    assert_safe(str(rendered))


def check_module(text: str) -> None:
    parsed, problems = parse_module("fuzz", text, {"dorm_informant", "class_psych_member"})
    if parsed is None:
        assert problems and all(isinstance(line, int) and line >= 1 and message for line, message in problems)
        return
    assert problems == []
    for section in parsed.sections:
        for part in section.parts:
            if isinstance(part, Markup):
                assert_safe(str(part))
            else:
                assert len(part.options) >= 2 and part.correct_indexes


YAML = [":", "- ", "\n", "  ", "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system", "'", '"', "#",
        "---", "```decision\n", "```\n", "id: d1\n", "correct: true\n", "options:\n", "?", "|", ">"]


@FUZZ
@given(text=st.one_of(any_text, mutated(MODULE, "".join(set("".join(YAML + MARKDOWN)))),
                      st.lists(st.sampled_from(YAML + MARKDOWN + ATTACKS), max_size=40).map(
                          lambda pieces: "---\ntitle: t\n" + "".join(pieces))))
def test_any_module_source_parses_or_lists_its_problems(app, text):
    check_module(text)


def test_the_shipped_module_parses(app):
    assert parse_module("informant-basics", MODULE)[1] == []


def laughs(levels: int) -> str:
    """YAML whose last alias expands to 9**levels items (a "billion laughs")."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + f"\ncompetencies: [*l{levels}]\n"


def test_yaml_aliases_are_refused_before_they_expand(app):
    started = time.monotonic()
    parsed, problems = parse_module("fuzz", "---\ntitle: t\n" + laughs(6) + "---\ntext\n")
    decision = "---\ntitle: t\n---\n```decision\n" + laughs(6) + "```\n"
    parsed_decision, decision_problems = parse_module("fuzz", decision)
    assert time.monotonic() - started < 2
    assert parsed is None and parsed_decision is None
    assert "aliases (*name) are not accepted" in problems[0][1]
    assert any("aliases (*name) are not accepted" in message for _line, message in decision_problems)
