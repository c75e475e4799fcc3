"""Markdown rendering: what trainers write reads well, and nothing executable survives."""
import html as entities
import re

import pytest
from markupsafe import Markup

from services.markdown import render_markdown
from services.markdown import sanitize


def test_renders_headings_emphasis_lists_and_links():
    html = render_markdown("## 识别信号\n\n**重要**：*留意* 变化\n\n- 一\n- 二\n\n"
                           "[心理中心](https://example.edu/mh)")
    assert isinstance(html, Markup)
    assert "<h2>识别信号</h2>" in html
    assert "<strong>重要</strong>" in html and "<em>留意</em>" in html
    assert "<ul>\n<li>一</li>\n<li>二</li>\n</ul>" in html
    assert '<a href="https://example.edu/mh" rel="noopener noreferrer">心理中心</a>' in html


def test_renders_tables_with_alignment():
    html = render_markdown("| 信号 | 次数 |\n|:--|--:|\n| 失眠 | 3 |\n")
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th align="left">信号</th>' in html
    assert '<td align="right">3</td>' in html
    assert "style=" not in html


def test_renders_fenced_code_escaped():
    html = render_markdown("```python\nif a < b and c > d: pass\n```\n")
    assert "<pre><code>if a &lt; b and c &gt; d: pass\n</code></pre>" in html


def test_raw_html_in_the_source_is_shown_as_text():
    html = render_markdown("前 <b onclick=x>粗</b> 后")
    assert "&lt;b onclick=x&gt;" in html


def test_mailto_links_are_kept():
    assert 'href="mailto:center@example.edu"' in render_markdown("<mailto:center@example.edu>")


def test_empty_text_renders_nothing():
    assert render_markdown("") == Markup("")


#: each a way someone has smuggled script into Markdown or HTML
XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example"onmouseover="alert(1))',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></math>',
    '<math href="javascript:alert(1)">x</math>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x]: javascript:alert(1)\n\n[link][x]",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "`<script>alert(1)</script>`",
    "> <a href=javascript:alert(1)>quoted</a>",
]


def parsed_html(html: str) -> list[tuple[str, str]]:
    """The (tag, attributes) of every real tag in `html` (escaped text is not a tag)."""
    return re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>", html)


ALLOWED = {"p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
           "blockquote", "ul", "ol", "li", "code", "pre", "table", "thead", "tbody", "tr",
           "th", "td", "a", "hr", "span"}


def assert_harmless(html: str) -> None:
    """No tag outside the allowlist, no event handler, style or src, no script URL."""
    tags = parsed_html(html)
    assert {tag.lower() for tag, _attrs in tags} <= ALLOWED, html
    assert "<script" not in html.lower()
    for _tag, attributes in tags:
        attributes = entities.unescape(attributes)
        assert not re.search(r"\son\w+\s*=", attributes, re.IGNORECASE), html
        assert not re.search(r"\s(style|src|action|data|formaction)\s*=", attributes), html
        assert not re.search(r"(javascript|vbscript|data)\s*:", attributes, re.IGNORECASE), html
        for url in re.findall(r'href="([^"]*)"', attributes):
            assert re.match(r"^(https?:|mailto:|[^:]*$)", url), html


@pytest.mark.parametrize("payload", XSS)
def test_nothing_executable_survives_markdown(payload):
    assert_harmless(str(render_markdown(payload)))


@pytest.mark.parametrize("payload", [p for p in XSS if p.startswith("<")])
def test_the_sanitiser_alone_removes_raw_html_payloads(payload):
    """Markdown escapes raw HTML; the allowlist must hold even if it did not."""
    assert_harmless(str(sanitize(payload)))


def test_the_sanitiser_keeps_safe_links_and_drops_script_ones():
    html = sanitize('<a href="https://ok.example" onclick="x()">ok</a>'
                    '<a href="jAvAsCrIpT:alert(1)">bad</a>')
    assert '<a href="https://ok.example" rel="noopener noreferrer">ok</a>' in html
    assert "<a rel=\"noopener noreferrer\">bad</a>" in html


def test_the_corpus_is_big_enough():
    assert len(XSS) >= 20
