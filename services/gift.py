"""GIFT, Moodle's plain-text question format: read it the way Moodle does, and write it.

Reading follows Moodle's own importer (question/format/gift): questions are separated
by blank lines; lines starting with // are comments; `$CATEGORY: path` sets the
category of the questions after it; `::name::` names a question; `[html]`,
`[moodle]`, `[plain]` and `[markdown]` mark a text's format (answers and feedback
default to the question's); backslash escapes \\~ \\= \\# \\{ \\} \\: \\\\ and \\n. The
answer block `{…}` decides the type: `~` multiple choice, `T`/`F` true/false, `>` the
ordering plugin; empty (essay), `#` (numerical), `=a -> b` (matching) and `=a` alone
(short answer) have no equivalent here and are skipped and listed. Text after the
block makes a "missing word" stem, with _____ where the block was, as in Moodle.

Escaped characters are swapped for private-use placeholders as each line is read, so
the structure is found only on unescaped characters; the placeholders are turned
back into the characters when a piece of text is finished.
"""
import re

from flask_babel import gettext as _

from services.question_interchange import ParsedQuestion
from services.question_interchange import ParseResult
from services.question_interchange import choice
from services.question_interchange import tags_for
from services.question_interchange import truefalse_options
from services.question_text import FORMATS
from services.question_text import to_markdown

#: escaped character → the placeholder that stands for it while the structure is read
PLACEHOLDERS = {char: chr(0xE000 + n) for n, char in enumerate("~=#{}:\\n")}
RESTORE = {placeholder: ("\n" if char == "n" else char) for char, placeholder in PLACEHOLDERS.items()}
FORMAT_MARKER = re.compile(r"\[(\w+)\]")
WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
BLANK = "_____"
TAG_COMMENT = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")


def protect(line: str) -> str:
    """The line with each escaped special character replaced by its placeholder."""
    out, index = [], 0
    while index < len(line):
        char = line[index]
        following = line[index + 1:index + 2]
        if char == "\\" and following and following in PLACEHOLDERS:
            out.append(PLACEHOLDERS[following])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def restore(text: str) -> str:
    """Placeholders back to the characters they stand for."""
    return "".join(RESTORE.get(char, char) for char in text)


def blocks(text: str):
    """Yield (first line number, [protected lines], [tags]) for each blank-line-separated
    block; comment lines are left out, but their `[tag:name]` marks (as Moodle writes
    them) are kept."""
    current, first, tags = [], 0, []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.lstrip().startswith("//"):
            tags += [tag.replace("\\]", "]").strip() for tag in TAG_COMMENT.findall(line)]
            continue
        if not line.strip():
            if current:
                yield first, current, tags
            current, tags = [], []
            continue
        if not current:
            first = number
        current.append(protect(line))
    if current:
        yield first, current, tags


def formatted(text: str, default: str) -> tuple[str, str]:
    """(format, text without its [format] marker) of a trimmed piece of GIFT text."""
    text = text.strip()
    marker = FORMAT_MARKER.match(text)
    if marker and marker.group(1).lower() in FORMATS:
        return FORMATS[marker.group(1).lower()], text[marker.end():]
    return default, text


def markdown(text: str, default: str) -> str:
    """A piece of GIFT text (with placeholders) as Markdown."""
    fmt, text = formatted(text, default)
    return to_markdown(restore(text), fmt)


def parse_gift(text: str) -> ParseResult:
    """Every question in a GIFT file, the ones skipped, and any problems, by line."""
    result = ParseResult()
    category = ""
    for line, lines, tags in blocks(text.lstrip("\ufeff")):
        if lines[0].lstrip().startswith("$CATEGORY:"):
            category = restore(lines[0].split(":", 1)[1]).strip()
            lines, line = lines[1:], line + 1
            if not lines:
                continue
        parse_question("\n".join(lines).strip(), line, tags_for(category, tags), result)
    return result


def parse_question(text: str, line: int, tags: list[str], result: ParseResult) -> None:
    """Add one question's block to `result` (as a question, a skipped one or a problem)."""
    where = _("line %(n)d", n=line)
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            result.problems.append(_("%(where)s: the name starts with :: but has no closing ::",
                                     where=where))
            return
        name, text = restore(text[2:end]).strip(), text[end + 2:].strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        result.skipped.append((name or default_name(text, where), "description"))
        return
    if start < 0 or end < start:
        result.problems.append(_("%(where)s (%(name)s): a '{' or '}' has no partner; write "
                                 "\\{ or \\} for a literal brace",
                                 where=where, name=name or default_name(text, where)))
        return
    if "{" in text[start + 1:end] or "{" in text[end + 1:]:
        result.problems.append(_("%(where)s (%(name)s): a question may have only one answer "
                                 "block {…}", where=where, name=name or default_name(text, where)))
        return
    answer, after = text[start + 1:end].strip(), text[end + 1:]
    stem_source = text[:start] + (BLANK + after if after.strip() else "")
    general = ""
    if "####" in answer:
        answer, general = answer[:answer.rfind("####")].strip(), answer[answer.rfind("####") + 4:]
    fmt, stem_text = formatted(stem_source, "moodle")
    stem = to_markdown(restore(stem_text), fmt)
    name = name or default_name(stem_text, where)
    kind = moodle_type(answer)
    if kind not in ("multichoice", "truefalse", "ordering"):
        result.skipped.append((name, kind))
        return
    if kind == "multichoice":
        mapped = multichoice(answer, fmt, name, where, result)
    elif kind == "truefalse":
        mapped = truefalse(answer, fmt)
    else:
        mapped = ordering(answer, fmt)
    if mapped is not None:
        result.questions.append(ParsedQuestion(
            name=name, where=where, type=mapped[0], stem=stem, options=mapped[1],
            feedback=markdown(general, fmt), tags=tags))


def default_name(text: str, where: str) -> str:
    """A name for an unnamed question: the start of its text, as Moodle does."""
    plain = " ".join(restore(text).split())
    return plain[:40] or where


def moodle_type(answer: str) -> str:
    """The Moodle question type an answer block stands for, in Moodle's order of tests."""
    if not answer:
        return "essay"
    if answer.startswith("#"):
        return "numerical"
    if answer.startswith(">"):
        return "ordering"
    if "~" in answer:
        return "multichoice"
    if "=" in answer and "->" in answer:
        return "matching"
    if answer.split("#", 1)[0].strip() in TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def multichoice(answer: str, fmt: str, name: str, where: str, result: ParseResult):
    """Split `=right ~wrong ~%50%partial #feedback` into weighted answers, then map them."""
    pieces, marker, current, leading = [], None, [], []
    for char in answer + "~":  # the sentinel "~" closes the last answer
        if char in "~=":
            if marker is None:
                leading = current
            else:
                pieces.append((marker, "".join(current).strip()))
            marker, current = char, []
        else:
            current.append(char)
    if "".join(leading).strip():
        result.problems.append(_("%(where)s (%(name)s): text before the first ~ or = in the "
                                 "answers", where=where, name=name))
        return None
    answers = []
    for marker, piece in pieces:
        weight = 100.0 if marker == "=" else 0.0
        found = WEIGHT.match(piece)
        if found:
            weight, piece = float(found.group(1)), piece[found.end():]
        text, _hash, feedback = piece.partition("#")
        answers.append((weight, markdown(text, fmt), markdown(feedback, fmt)))
    return choice(name, where, answers, "=" in answer, result)


def truefalse(answer: str, fmt: str):
    """`T#feedback if wrong#feedback if right` → the options 正确 / 错误."""
    parts = [part.strip() for part in answer.split("#", 2)] + ["", ""]
    is_true = TRUE_FALSE[parts[0]]
    wrong, right = markdown(parts[1], fmt), markdown(parts[2], fmt)
    return "truefalse", truefalse_options(is_true, right if is_true else wrong,
                                          wrong if is_true else right)


def ordering(answer: str, fmt: str):
    """The ordering plugin's `>count settings` line, then one item per line in the right order."""
    items = [line.strip() for line in answer.split("\n")[1:] if line.strip()]
    return "ordering", [{"text": markdown(item, fmt), "correct": False, "feedback": ""}
                        for item in items]
