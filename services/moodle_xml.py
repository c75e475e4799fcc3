"""Moodle XML, the question format Moodle exports: read it safely, and write it.

The file is parsed with defusedxml, which refuses entity tricks (billion laughs,
external entities), so an uploaded file cannot read the server's files or exhaust its
memory. `<question type="category">` sets the category (a tag) of the questions after
it; multichoice (one or several answers, weighted), truefalse and the ordering plugin
are imported; every other type (essay, matching, shortanswer, numerical, cloze,
ddwtos, description, …) is skipped and listed by name. Texts are converted from their
`format` (html, moodle_auto_format, plain_text, markdown) to Markdown.
"""
import re
from xml.etree.ElementTree import Element  # noqa: S405 (building only; parsing is defused)
from xml.etree.ElementTree import ParseError  # noqa: S405
from xml.etree.ElementTree import SubElement  # noqa: S405
from xml.etree.ElementTree import indent  # noqa: S405
from xml.etree.ElementTree import tostring  # noqa: S405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _

from services.question_interchange import ParsedQuestion
from services.question_interchange import ParseResult
from services.question_interchange import choice
from services.question_interchange import tags_for
from services.question_interchange import truefalse_answer
from services.question_interchange import truefalse_options
from services.question_text import FORMATS
from services.question_text import to_markdown

#: the encoding an XML declaration names
DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def text_of(element: Element | None, default_format: str = "html") -> str:
    """The Markdown of a Moodle text element (<questiontext format="…"><text>…</text>)."""
    if element is None:
        return ""
    fmt = FORMATS.get((element.get("format") or default_format).lower(), "html")
    return to_markdown(element.findtext("text") or "", fmt)


def parse_root(data: bytes | str) -> Element:
    """The document's root element; a file in an encoding expat cannot read itself (GB18030,
    GBK: "multi-byte encodings are not supported") is decoded here by its declaration."""
    try:
        return fromstring(data)
    except (LookupError, ValueError) as error:
        declared = DECLARED_ENCODING.match(data) if isinstance(data, bytes) else None
        if isinstance(error, DefusedXmlException) or declared is None:
            raise
        return fromstring(data.decode(declared.group(1).decode("ascii")))


def parse_moodle_xml(data: bytes | str) -> ParseResult:
    """Every question in a Moodle XML file, the ones skipped, and any problems."""
    result = ParseResult()
    try:
        root = parse_root(data)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        result.problems.append(_("line %(line)d, column %(column)d: this is not well-formed "
                                 "XML (%(error)s)", line=line, column=column + 1, error=error.msg))
        return result
    except DefusedXmlException:
        result.problems.append(_("the file declares XML entities or a DTD, which are not "
                                 "accepted; export it from Moodle again"))
        return result
    except (LookupError, ValueError) as error:  # an encoding no codec reads, or bytes not in it
        result.problems.append(_("the file is not text in the encoding it declares (%(error)s); "
                                 "save it as UTF-8", error=error))
        return result
    if root.tag != "quiz":
        result.problems.append(_("this is not a Moodle XML question file: it should start "
                                 "with <quiz>, not <%(tag)s>", tag=root.tag))
        return result
    category, number = "", 0
    for element in root.findall("question"):
        kind = (element.get("type") or "").strip().lower()
        if kind == "category":
            category = element.findtext("category/text") or ""
            continue
        number += 1
        where = _("question %(n)d", n=number)
        name = " ".join((element.findtext("name/text") or "").split()) or where
        if kind not in ("multichoice", "truefalse", "ordering"):
            result.skipped.append((name, kind or "?"))
            continue
        answers = [(fraction(answer), text_of(answer, "moodle_auto_format"),
                    text_of(answer.find("feedback"))) for answer in element.findall("answer")]
        if kind == "multichoice":
            one = (element.findtext("single") or "true").strip().lower() in ("true", "1")
            mapped = choice(name, where, answers, one, result)
        elif kind == "truefalse":
            mapped = truefalse(element, answers)
        else:
            mapped = "ordering", [{"text": text, "correct": False, "feedback": feedback}
                                  for _weight, text, feedback in sorted(answers, key=lambda a: a[0])]
        if mapped is None:
            continue
        extra = [tag.findtext("text") or "" for tag in element.findall("tags/tag")]
        result.questions.append(ParsedQuestion(
            name=name, where=where, type=mapped[0],
            stem=text_of(element.find("questiontext")), options=mapped[1],
            feedback=text_of(element.find("generalfeedback")), tags=tags_for(category, extra)))
    return result


def fraction(answer: Element) -> float:
    """An answer's weight in percent (the ordering plugin keeps the item's place there)."""
    try:
        return float(answer.get("fraction") or 0)
    except ValueError:
        return 0.0


def truefalse(element: Element, answers):
    """Moodle's "true" and "false" answers → 正确 / 错误, each with its feedback."""
    by_text = {}
    for (weight, _text, feedback), answer in zip(answers, element.findall("answer"), strict=True):
        by_text[(answer.findtext("text") or "").strip().lower()] = (weight, feedback)
    true_weight, true_feedback = by_text.get("true", (0.0, ""))
    _false_weight, false_feedback = by_text.get("false", (0.0, ""))
    return "truefalse", truefalse_options(true_weight > 0, true_feedback, false_feedback)


def markdown_text(parent: Element, tag: str, text: str, **attrs) -> Element:
    """<tag format="markdown"><text>…</text></tag> under `parent`."""
    element = SubElement(parent, tag, {"format": "markdown", **attrs})
    SubElement(element, "text").text = text or ""
    return element


def write_moodle_xml(questions) -> tuple[str, list[tuple[str, str]]]:
    """The questions as a Moodle XML file, and the (qid, type) of any it cannot hold."""
    root = Element("quiz")
    category = None
    for question in questions:
        tags = list(question.tags or [])
        wanted = "$course$/top" + ("/" + tags[0] if tags else "")
        if wanted != category and (tags or category is not None):
            SubElement(SubElement(SubElement(root, "question", type="category"), "category"),
                       "text").text = wanted
            category = wanted
        kind = {"single": "multichoice", "multiple": "multichoice"}.get(question.type, question.type)
        element = SubElement(root, "question", type=kind)
        SubElement(SubElement(element, "name"), "text").text = question.qid
        markdown_text(element, "questiontext", question.stem)
        markdown_text(element, "generalfeedback", question.feedback)
        SubElement(element, "defaultgrade").text = "1"
        options = list(question.options or [])
        if question.type == "truefalse":
            is_true, true_feedback, false_feedback = truefalse_answer(options)
            for value, right, feedback in (("true", is_true, true_feedback),
                                           ("false", not is_true, false_feedback)):
                answer = SubElement(element, "answer", fraction="100" if right else "0",
                                    format="moodle_auto_format")
                SubElement(answer, "text").text = value
                markdown_text(answer, "feedback", feedback)
        else:
            if kind == "multichoice":
                SubElement(element, "single").text = "true" if question.type == "single" else "false"
                SubElement(element, "shuffleanswers").text = "true"
                SubElement(element, "answernumbering").text = "abc"
            else:
                SubElement(element, "layouttype").text = "VERTICAL"
                SubElement(element, "selecttype").text = "ALL"
                SubElement(element, "selectcount").text = "0"
                SubElement(element, "gradingtype").text = "ABSOLUTE_POSITION"
            weights = option_weights(question.type, options)
            for option, weight in zip(options, weights, strict=True):
                answer = markdown_text(element, "answer", option.get("text"), fraction=weight)
                markdown_text(answer, "feedback", option.get("feedback"))
        if tags[1:]:
            holder = SubElement(element, "tags")
            for tag in tags[1:]:
                SubElement(SubElement(holder, "tag"), "text").text = tag
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n", []


def option_weights(kind: str, options: list[dict]) -> list[str]:
    """Moodle's fraction per option: our scoring as weights; the ordering plugin's places."""
    if kind == "ordering":
        return [str(place) for place in range(1, len(options) + 1)]
    right = sum(1 for option in options if option.get("correct")) or 1
    if kind == "single":
        return ["100" if option.get("correct") else "0" for option in options]
    share = format_weight(100 / right)
    return [share if option.get("correct") else "-" + share for option in options]


def format_weight(value: float) -> str:
    """A weight as Moodle writes it: 50, 33.33333."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
