"""Write questions as GIFT, so Moodle (or a trainer's text editor) can take them.

Texts are Markdown here, so each question is marked `[markdown]` and its options and
feedback inherit that. Special characters are escaped as Moodle's own exporter does
(\\~ \\= \\# \\{ \\} \\: \\\\, line breaks as \\n), so a blank line in a stem cannot end
the question. Categories are written from each question's first tag, other tags as
`// [tag:name]` comments, as Moodle writes them. GIFT has no
place for the feedback of an ordering item; everything else survives a round trip.
"""
from services.moodle_xml import format_weight
from services.question_interchange import truefalse_answer

SPECIAL = "~=#{}:"


def escape(text: str | None) -> str:
    """Text safe inside a GIFT question: specials escaped, line breaks as \\n."""
    text = (text or "").replace("\\", "\\\\").replace("\r", "")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def piece(text: str | None) -> str:
    """An option or feedback text; one starting with "[" is marked so it is not read as
    a format marker."""
    text = escape(text)
    return "[markdown]" + text if text.startswith("[") else text


def with_feedback(text: str | None, feedback: str | None) -> str:
    """`text#feedback`, or just the text when there is no feedback."""
    return piece(text) + ("#" + piece(feedback) if feedback else "")


def answer_lines(question) -> list[str]:
    """The lines inside the question's { } block."""
    options = list(question.options or [])
    if question.type == "truefalse":
        is_true, true_feedback, false_feedback = truefalse_answer(options)
        right, wrong = (true_feedback, false_feedback) if is_true else (false_feedback, true_feedback)
        line = "TRUE" if is_true else "FALSE"
        if wrong or right:
            line += "#" + piece(wrong)
        if right:
            line += "#" + piece(right)
        return [line]
    if question.type == "ordering":
        return [">0 ALL VERTICAL ABSOLUTE_POSITION"] + [piece(o.get("text")) for o in options]
    if question.type == "single":
        return [("=" if o.get("correct") else "~") + with_feedback(o.get("text"), o.get("feedback"))
                for o in options]
    share = format_weight(100 / (sum(1 for o in options if o.get("correct")) or 1))
    return [f"~%{'' if o.get('correct') else '-'}{share}%"
            + with_feedback(o.get("text"), o.get("feedback")) for o in options]


def write_gift(questions) -> tuple[str, list[tuple[str, str]]]:
    """The questions as a GIFT file, and the (qid, type) of any it cannot hold."""
    out, category = [], None
    for question in questions:
        tags = list(question.tags or [])
        wanted = "$course$/top" + ("/" + escape(tags[0]) if tags else "")
        if wanted != category and (tags or category is not None):
            out += [f"$CATEGORY: {wanted}", ""]
            category = wanted
        lines = [f"// {question.type}"] + ["// [tag:" + tag.replace("]", "\\]") + "]" for tag in tags[1:]]
        lines.append(f"::{escape(question.qid)}::[markdown]{escape(question.stem)}{{")
        lines += ["\t" + line for line in answer_lines(question)]
        if question.feedback:
            lines.append("\t####" + piece(question.feedback))
        out += lines + ["}", ""]
    return "\n".join(out), []
