"""Moodle's text formats (html, moodle auto-format, plain, markdown) → our Markdown stems.

Questions here are Markdown, rendered and sanitised only by services.markdown. HTML
from Moodle is turned into the equivalent Markdown (paragraphs, line breaks, bold,
italic, lists, links, code); every other tag is dropped and its text kept, so nothing
from an imported file reaches a page as raw HTML. Plain text is escaped so that it
shows literally.
"""
import re
from html.parser import HTMLParser

#: characters that could start Markdown syntax; a backslash makes each literal
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
#: our name for each way Moodle marks a text's format (GIFT [x] markers and XML format="x")
FORMATS = {
    "html": "html", "moodle": "moodle", "auto": "moodle", "moodle_auto_format": "moodle",
    "plain": "plain", "plain_text": "plain", "markdown": "markdown",
}
INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr",
          "blockquote", "pre"}
SKIPPED = {"script", "style", "head", "title"}


def escape_plain(text: str) -> str:
    """Plain text as Markdown that shows exactly those characters."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_lines(text: str) -> str:
    """Plain text as Markdown that keeps its characters and its line breaks."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join("\\\n".join(escape_plain(line.strip()) for line in paragraph.split("\n"))
                       for paragraph in paragraphs)


class _ToMarkdown(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []   # [kind, counter] per open list
        self.skipping = 0
        self.href: list[str | None] = []
        self.pre = 0

    def newline(self, count: int) -> None:
        """End the output with `count` line breaks (trailing spaces dropped), looking only at
        its end: joining all of it for every block made a file of many <p> take hours."""
        tail = []
        while self.out and not self.out[-1].strip(" \n"):
            tail.append(self.out.pop())
        if self.out:  # the last piece with text in it: the stripping stops there
            tail.append(self.out.pop())
        text = "".join(reversed(tail)).rstrip(" ")
        have = len(text) - len(text.rstrip("\n"))
        if text:
            self.out.append(text + "\n" * max(0, count - have))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.newline(2)
            if tag in ("ul", "ol"):
                self.lists.append([tag, 0])
            elif tag.startswith("h") and tag[1:].isdigit():
                self.out.append("#" * max(2, int(tag[1:])) + " ")
            elif tag == "blockquote":
                self.out.append("> ")
            elif tag == "pre":
                self.pre += 1
                self.out.append("```\n")
        elif tag == "br":
            self.out.append("\\\n" if not self.pre else "\n")
        elif tag == "li":
            self.newline(1)
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self.out.append("  " * max(0, len(self.lists) - 1)
                            + (f"{kind[1]}. " if kind[0] == "ol" else "- "))
        elif tag in INLINE:
            self.out.append(INLINE[tag])
        elif tag == "a":
            href = attrs.get("href") or ""
            self.href.append(href if href.startswith(("http://", "https://", "mailto:")) else None)
            if self.href[-1]:
                self.out.append("[")
        elif tag == "img" and attrs.get("alt"):
            self.out.append(escape_plain(attrs["alt"]))

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag == "pre" and self.pre:
                self.pre -= 1
                self.newline(1)
                self.out.append("```")
            self.newline(2)
        elif tag in INLINE:
            self.out.append(INLINE[tag])
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.pre:
            self.out.append(data)
        else:
            self.out.append(escape_plain(re.sub(r"\s+", " ", data)))


def html_to_markdown(html: str) -> str:
    """The Markdown equivalent of a fragment of HTML; unknown tags keep only their text."""
    parser = _ToMarkdown()
    parser.feed(html or "")
    parser.close()
    lines = [line.strip(" ") for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_markdown(text: str, fmt: str) -> str:
    """`text` in Moodle format `fmt` (our FORMATS names) as Markdown."""
    text = (text or "").replace("\r\n", "\n").strip()
    if fmt == "markdown":
        return text
    if fmt == "plain":
        return plain_lines(text)
    if fmt == "moodle":
        # Moodle auto-format: HTML allowed, and each line break is kept
        return html_to_markdown(text.replace("\n", "<br>")) if "<" in text else plain_lines(text)
    return html_to_markdown(text)
