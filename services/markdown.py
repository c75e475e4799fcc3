"""Markdown → sanitised HTML: the one place in the project where HTML is marked safe.

markdown-it-py turns Markdown into HTML with raw HTML escaped (html=False); nh3 then
keeps only an explicit allowlist of tags, attributes and URL schemes, so nothing a
trainer (or an attacker with a trainer's login) writes can run in a learner's browser.
"""
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "blockquote", "ul", "ol", "li", "code", "pre", "table", "thead", "tbody", "tr",
    "th", "td", "a", "hr", "span",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
ALIGNMENTS = {"left", "center", "right"}


def _cell_open(renderer, tokens, idx, options, env):
    """Render a table cell's alignment as `align=` rather than a style attribute,
    so the sanitiser need not allow CSS."""
    token = tokens[idx]
    style = token.attrGet("style") or ""
    token.attrs.pop("style", None)
    alignment = style.removeprefix("text-align:").strip()
    if alignment in ALIGNMENTS:
        token.attrSet("align", alignment)
    return renderer.renderToken(tokens, idx, options, env)


def new_parser() -> MarkdownIt:
    """A CommonMark parser with tables, raw HTML off; module_source uses it to find blocks."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.add_render_rule("th_open", _cell_open)
    parser.add_render_rule("td_open", _cell_open)
    return parser


_parser = new_parser()


def sanitize(html: str) -> Markup:
    """Keep only the allowlisted tags, attributes and URL schemes of `html`."""
    return Markup(nh3.clean(  # noqa: S704 (nh3 has just sanitised it)
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))


def render_markdown(text: str) -> Markup:
    """Render trainer-written Markdown as HTML that is safe to show anyone."""
    return sanitize(_parser.render(text or ""))


def render_tokens(tokens, env: dict) -> Markup:
    """Render tokens of a document parsed by `new_parser()` (one slice of it), sanitised."""
    return sanitize(_parser.renderer.render(tokens, _parser.options, env))
