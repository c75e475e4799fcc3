"""One program of certifications.yaml (SPEC §2.6): its shape checked, its values normalised,
and the same mapping written back for `content export`.

A program is normalised so that the file, the database and an export agree: every
requirement set has its four keys (modules, quizzes, hours, qualifications), whole hours
are integers, and a missing `renewal` stays None (renew by meeting `requires` again).
"""
import re

import yaml
from flask_babel import gettext as _

from services import yaml_lines
from services.module_source import SLUG

PROGRAM_KEYS = ("code", "title", "title_en", "issuer", "roles", "requires", "hours_window_months",
                "valid_months", "renew_window_days", "renewal")
REQUIREMENT_KEYS = ("modules", "quizzes", "hours", "qualifications")
#: the reference kinds of a requirement set, with the catalogue each must name
REFERENCE_KINDS = {"modules": "modules", "quizzes": "quizzes",
                   "qualifications": "qualification_types"}
TEXT_MAX = 200
CODE_MAX = 64
DEFAULTS = {"hours_window_months": 12, "renew_window_days": 60}


def key_line(text: str, start: int, key: str) -> int:
    """The first line from `start` on where `key:` is written (`start` if none)."""
    pattern = re.compile(rf"^\s*(?:-\s+)?{re.escape(key)}\s*:")
    for number, line in enumerate(text.split("\n")[start - 1:], start=start):
        if pattern.match(line):
            return number
    return start


def whole(value):
    """4.0 → 4, so a file and its export write hours the same way."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_requirements(data, line: int, text: str, name: str) -> tuple[dict | None, list]:
    """A requirement set ({modules, quizzes, hours, qualifications}); problems as (line, msg)."""
    if not isinstance(data, dict):
        return None, [(line, _("%(key)s is a mapping of modules, quizzes, hours and "
                               "qualifications", key=name))]
    problems = []
    start = yaml_lines.line_of(data, line)
    for key in data:
        if key not in REQUIREMENT_KEYS:
            problems.append((key_line(text, start, str(key)),
                             _("unknown key %(key)r in %(where)s", key=key, where=name)))
    record = {"modules": [], "quizzes": [], "hours": 0, "qualifications": []}
    for key in REFERENCE_KINDS:
        value = data.get(key)
        if value is None:
            continue
        where = key_line(text, start, key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append((where, _("%(where)s.%(key)s is a list of codes", where=name, key=key)))
            continue
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            problems.append((where, _("%(where)s.%(key)s names %(code)r twice", where=name,
                                      key=key, code=repeated[0])))
        record[key] = list(dict.fromkeys(value))
    hours = data.get("hours", 0)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours < 0:
        problems.append((key_line(text, start, "hours"),
                         _("%(where)s.hours is a number of hours, 0 or more", where=name)))
    else:
        record["hours"] = whole(float(hours)) if isinstance(hours, float) else hours
    if not problems and not asks_something(record):
        problems.append((line, _("%(where)s asks for nothing: name at least one module, quiz, "
                                 "qualification or some hours", where=name)))
    return record, problems


def asks_something(requirements: dict) -> bool:
    return bool(requirements["modules"] or requirements["quizzes"] or requirements["hours"]
                or requirements["qualifications"])


def parse_program(item, text: str) -> tuple[dict | None, list]:
    """One program mapping → (record with "lines" for reference checks, [(line, message)])."""
    line = yaml_lines.line_of(item)
    if not isinstance(item, dict):
        return None, [(line, _("each program is a mapping"))]
    problems = [(key_line(text, line, str(key)), _("unknown key %(key)r", key=key))
                for key in item if key not in PROGRAM_KEYS]
    code = item.get("code")
    if not isinstance(code, str) or not SLUG.match(code) or len(code) > CODE_MAX:
        problems.append((line, _("code must be lowercase letters, digits and hyphens (got %(code)r)",
                                 code=code)))
    record = {"code": str(code or ""), "line": line, "lines": {}}
    for key, required in (("title", True), ("title_en", False), ("issuer", False)):
        value = item.get(key)
        if value is None and not required:
            record[key] = ""
            continue
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > TEXT_MAX:
            problems.append((key_line(text, line, key), _(
                "%(key)s is text of 1 to %(max)d characters", key=key, max=TEXT_MAX)))
        record[key] = str(value or "").strip()
    roles = item.get("roles")
    record["lines"]["roles"] = key_line(text, line, "roles")
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        problems.append((record["lines"]["roles"], _("roles is a list of role codes, at least one")))
        roles = []
    record["roles"] = list(dict.fromkeys(roles))
    for key, minimum in (("valid_months", 1), ("hours_window_months", 1), ("renew_window_days", 0)):
        value = item.get(key, DEFAULTS.get(key))
        if not is_int(value) or value < minimum or value > 1200:
            problems.append((key_line(text, line, key), _(
                "%(key)s must be a whole number from %(min)d", key=key, min=minimum)))
            value = minimum
        record[key] = value
    if record["renew_window_days"] >= record["valid_months"] * 28:
        problems.append((key_line(text, line, "renew_window_days"),
                         _("renew_window_days must be shorter than the certificate is valid")))
    for key in ("requires", "renewal"):
        if key == "renewal" and item.get(key) is None:
            record[key] = None
            continue
        record["lines"][key] = key_line(text, line, key)
        requirements, found = parse_requirements(item.get(key), record["lines"][key], text, key)
        problems += found
        record[key] = requirements
    return record, problems


def program_data(program) -> dict:
    """The program as certifications.yaml writes it, optional parts left out when empty."""
    data = {"code": program.code, "title": program.title}
    if program.title_en:
        data["title_en"] = program.title_en
    if program.issuer:
        data["issuer"] = program.issuer
    data["roles"] = list(program.roles)
    data["requires"] = {key: program.requires.get(key, 0 if key == "hours" else [])
                        for key in REQUIREMENT_KEYS}
    data["hours_window_months"] = program.hours_window_months
    data["valid_months"] = program.valid_months
    data["renew_window_days"] = program.renew_window_days
    if program.renewal is not None:
        data["renewal"] = {key: value for key, value in program.renewal.items() if value}
    return data


class _FlowListDumper(yaml.SafeDumper):
    """Writes lists of codes on one line (`roles: [a, b]`), as a person types them."""


def _represent_list(dumper, value):
    flow = all(isinstance(v, str) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_FlowListDumper.add_representer(list, _represent_list)


def dump_programs(programs) -> str:
    """certifications.yaml for `programs`."""
    data = {"programs": [program_data(p) for p in programs]}
    return yaml.dump(data, Dumper=_FlowListDumper, allow_unicode=True, sort_keys=False, width=100)
