"""What the GIFT and Moodle XML readers produce, and the rules they share.

Both readers turn a file into ParsedQuestion objects in our record shape, plus the
questions they skipped (types with no equivalent here, listed by name and Moodle
type) and the problems that stop the import. Moodle grades choices by weights; we
keep which options are right:

- a choice question with one right answer (Moodle's "one answer only", or a single
  option with a positive weight) becomes `single`; the fully-weighted option is right;
- several options with positive weights become `multiple`; those options are right.
  Our `multiple` scores +1/k and −1/k (SPEC §2.4), so the sizes of Moodle's weights
  are not kept; exports write the equivalent weights (+100/k for right, −100/k for
  wrong), which score the same in Moodle;
- true/false becomes `truefalse` with the options 正确 / 错误, each with the feedback
  Moodle shows to a learner who picks it.

Moodle categories become tags, one per category: its path without the context prefix
(`$course$/`) and the `top` level, e.g. `$course$/top/Iota/Kappa` → "Iota/Kappa".
"""
from dataclasses import dataclass
from dataclasses import field

from flask_babel import gettext as _

TRUE_TEXT = "正确"
FALSE_TEXT = "错误"
#: option texts read as "true" when a true/false question is exported
TRUE_WORDS = {TRUE_TEXT, "对", "是", "真", "true", "t", "yes"}


@dataclass
class ParsedQuestion:
    name: str
    #: where the question starts: "line 12" (GIFT) or "question 3" (XML)
    where: str
    type: str
    stem: str
    options: list[dict]
    feedback: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    #: (name, Moodle type) of each question with no equivalent here
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: things a trainer should know that do not stop the import
    notes: list[str] = field(default_factory=list)


def category_tag(path: str) -> str:
    """A Moodle category path as a tag: "$course$/top/Iota/Kappa" → "Iota/Kappa"."""
    parts = [part.strip() for part in (path or "").strip().split("/")]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(part for part in parts if part)


def tags_for(category: str, extra=()) -> list[str]:
    """The category's tag followed by any other tags, without repeats or blanks."""
    tags = []
    for tag in [category_tag(category), *extra]:
        tag = (tag or "").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def choice(name: str, where: str, answers: list[tuple[float, str, str]], one_answer: bool,
           result: ParseResult) -> tuple[str, list[dict]] | None:
    """Map Moodle's weighted answers [(weight %, text, feedback)] to single or multiple;
    None (with a problem recorded) when no answer is right."""
    positive = [weight > 0 for weight, _text, _feedback in answers]
    full = [weight >= 99.99 for weight, _text, _feedback in answers]
    if one_answer and sum(full) == 1:
        correct, kind = full, "single"
        partial = [text for (weight, text, _f), best in zip(answers, full, strict=True)
                   if weight > 0 and not best]
        if partial:
            result.notes.append(_("%(where)s (%(name)s): partial credit for %(options)s is not kept; "
                                  "a single-choice question scores 1 or 0.",
                                  where=where, name=name, options=", ".join(partial)))
    elif sum(positive) == 1 or (one_answer and sum(positive) and not sum(full)):
        best = max(weight for weight, _text, _feedback in answers)
        correct, kind = [weight == best for weight, _t, _f in answers], "single"
    elif sum(positive) > 1:
        correct, kind = positive, "multiple"
        if one_answer:
            result.notes.append(_("%(where)s (%(name)s): several answers are right; it is imported "
                                  "as multiple choice, where a learner picks all of them.",
                                  where=where, name=name))
    else:
        result.problems.append(_("%(where)s (%(name)s): no answer has a positive weight, so no "
                                 "option would be right.", where=where, name=name))
        return None
    options = [{"text": text, "correct": right, "feedback": feedback}
               for (_weight, text, feedback), right in zip(answers, correct, strict=True)]
    return kind, options


def truefalse_options(is_true: bool, true_feedback: str, false_feedback: str) -> list[dict]:
    """The two options of a true/false question, each with the feedback for picking it."""
    return [{"text": TRUE_TEXT, "correct": is_true, "feedback": true_feedback},
            {"text": FALSE_TEXT, "correct": not is_true, "feedback": false_feedback}]


def truefalse_answer(options: list[dict]) -> tuple[bool, str, str]:
    """(is the statement true, feedback for "true", feedback for "false") of a stored question."""
    true_index = next((index for index, option in enumerate(options)
                       if str(option.get("text", "")).strip().lower() in TRUE_WORDS), 0)
    false_index = 1 - true_index if len(options) == 2 else min(1, len(options) - 1)
    true_option, false_option = options[true_index], options[false_index]
    return (bool(true_option.get("correct")), true_option.get("feedback") or "",
            false_option.get("feedback") or "")
