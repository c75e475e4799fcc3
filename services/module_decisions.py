"""A ```decision fenced block of a module (SPEC §2.3): YAML → Decision, with file lines."""
import re

from flask_babel import gettext as _

from services import yaml_lines

DECISION_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def parse_decision(content: str, fence_line: int, seen_ids: set[str], problems: list):
    """Read one decision block whose opening fence is on file line `fence_line`.

    Appends (line, message) problems; returns a Decision, or None when it is unusable.
    """
    from services.module_source import Decision
    from services.module_source import DecisionOption

    try:
        data = yaml_lines.load(content)
    except yaml_lines.YamlError as error:
        problems.append((fence_line + error.line, _("decision: %(error)s", error=error.message)))
        return None
    if not isinstance(data, dict):
        problems.append((fence_line, _("a decision block must be a mapping with id, prompt "
                                       "and options")))
        return None
    line = fence_line + yaml_lines.line_of(data)
    before = len(problems)
    decision_id = data.get("id")
    if decision_id is None or decision_id == "":
        problems.append((line, _("decision: id is required")))
    elif not DECISION_ID.match(str(decision_id)):
        problems.append((line, _("decision: id must be letters, digits, - or _ "
                                 "(got %(id)r)", id=str(decision_id))))
    elif str(decision_id) in seen_ids:
        problems.append((line, _("decision: duplicate id %(id)r", id=str(decision_id))))
    seen_ids.add(str(decision_id))
    prompt = data.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        problems.append((line, _("decision %(id)s: prompt is required", id=decision_id)))
    options = data.get("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.append((line, _("decision %(id)s: give at least 2 options", id=decision_id)))
        options = options if isinstance(options, list) else []
    parsed = []
    for number, option in enumerate(options, start=1):
        option_line = fence_line + yaml_lines.line_of(option, line - fence_line)
        if not isinstance(option, dict):
            problems.append((option_line, _("decision %(id)s, option %(n)d: expected text, "
                                            "correct and feedback", id=decision_id, n=number)))
            continue
        text, feedback = option.get("text"), option.get("feedback")
        correct = option.get("correct", False)
        if not isinstance(text, str | int | float) or not str(text).strip():
            problems.append((option_line, _("decision %(id)s, option %(n)d: text is required",
                                            id=decision_id, n=number)))
        if not isinstance(feedback, str) or not feedback.strip():
            problems.append((option_line, _("decision %(id)s, option %(n)d: feedback is required",
                                            id=decision_id, n=number)))
        if not isinstance(correct, bool):
            problems.append((option_line, _("decision %(id)s, option %(n)d: correct must be "
                                            "true or false", id=decision_id, n=number)))
        parsed.append(DecisionOption(str(text or "").strip(), correct is True,
                                     str(feedback or "").strip()))
    if len(options) >= 2 and not any(o.correct for o in parsed):
        problems.append((line, _("decision %(id)s: mark at least one option correct: true",
                                 id=decision_id)))
    if len(problems) > before:
        return None
    return Decision(str(decision_id), prompt.strip(), parsed, line)
