"""Quiz definitions (SPEC §2.5, plus `layout: all|paged`): read one from a YAML file or
a form, check its references to questions, banks and roles, and store it by slug."""
import re

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Question
from models import QuestionBank
from models import Quiz
from models import Role
from models import User
from models.quiz import COMPETENCIES
from services import audit
from services import yaml_lines
from services.errors import ValidationFailed
from services.module_source import SLUG

LAYOUTS = ("all", "paged")
FIELDS = ("title", "roles", "pass_mark", "time_limit_minutes", "max_attempts", "shuffle",
          "layout", "questions", "draw")


def parse_quiz(text: str) -> tuple[dict | None, dict, list[tuple[int, str]]]:
    """The record in a quiz file, the lines its parts are written on, and (line, message)
    problems; the record is None when the file cannot be read at all."""
    try:
        data = yaml_lines.load(text)
    except yaml_lines.YamlError as error:
        return None, {}, [(error.line, error.message)]
    if not isinstance(data, dict):
        return None, {}, [(1, _("a quiz file is a mapping with title, pass_mark, "
                                "questions and/or draw"))]
    lines = {key: key_line(text, key) for key in data}
    lines["qids"] = {qid: token_line(text, qid, lines.get("questions", 1))
                     for qid in data.get("questions") or [] if isinstance(qid, str)}
    draws = data.get("draw") if isinstance(data.get("draw"), list) else []
    lines["draws"] = [yaml_lines.line_of(item, lines.get("draw", 1)) for item in draws]
    record, problems = read_quiz(data, lines)
    return record, lines, problems


def read_quiz(data: dict, lines: dict | None = None) -> tuple[dict, list[tuple[int, str]]]:
    """Check a quiz's shape and fill its defaults; a form's values go through here too."""
    lines = lines or {}
    problems = []

    def problem(key, message, line=None):
        problems.append((line or lines.get(key, 1), message))

    for key in data:
        if key not in FIELDS:
            problem(key, _("unknown key %(key)r", key=key))
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        problem("title", _("a quiz needs a title of at most 200 characters"))
    roles = data.get("roles") or []
    roles = [roles] if isinstance(roles, str) else roles
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        problem("roles", _("roles is a list of role codes"))
        roles = []
    pass_mark = data.get("pass_mark", 0.8)
    if not is_number(pass_mark) or not 0 < pass_mark <= 1:
        problem("pass_mark", _("pass_mark is a share between 0 and 1, e.g. 0.8"))
        pass_mark = 0.8
    time_limit = data.get("time_limit_minutes") or None
    if time_limit is not None and (not is_whole(time_limit) or time_limit < 1):
        problem("time_limit_minutes", _("time_limit_minutes is a whole number of minutes"))
        time_limit = None
    max_attempts = data.get("max_attempts") or None
    if max_attempts is not None and (not is_whole(max_attempts) or max_attempts < 0):
        problem("max_attempts", _("max_attempts is a whole number (0 or absent: unlimited)"))
        max_attempts = None
    shuffle = data.get("shuffle", False)
    if not isinstance(shuffle, bool):
        problem("shuffle", _("shuffle is true or false"))
    layout = data.get("layout") or "all"
    if layout not in LAYOUTS:
        problem("layout", _("layout is all (one page) or paged (one question per screen)"))
        layout = "all"
    questions = data.get("questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        problem("questions", _("questions is a list of question ids"))
        questions = []
    for qid in sorted({q for q in questions if questions.count(q) > 1}):
        problem("questions", _("question %(qid)r is listed twice", qid=qid),
                lines.get("qids", {}).get(qid))
    draw = read_draws(data.get("draw") or [], lines, problem)
    if not questions and not draw:
        problem("title", _("a quiz needs fixed questions, draws, or both"))
    record = {"title": title, "roles": list(roles), "pass_mark": float(pass_mark),
              "time_limit_minutes": time_limit, "max_attempts": max_attempts,
              "shuffle": bool(shuffle), "layout": layout, "questions": list(questions),
              "draw": draw}
    return record, problems


def read_draws(items, lines, problem) -> list[dict]:
    """The draw entries, each {bank, competency, count}, checked one by one."""
    if not isinstance(items, list):
        problem("draw", _("draw is a list of {bank, competency, count}"))
        return []
    draws, draw_lines = [], lines.get("draws") or []
    for number, item in enumerate(items):
        line = draw_lines[number] if number < len(draw_lines) else None
        if not isinstance(item, dict):
            problem("draw", _("each draw is a mapping {bank, competency, count}"), line)
            continue
        bank = str(item.get("bank") or "").strip()
        competency = item.get("competency") or None
        count = item.get("count")
        if not bank:
            problem("draw", _("a draw needs a bank"), line)
        if competency is not None and competency not in COMPETENCIES:
            problem("draw", _("unknown competency %(name)r (expected one of: %(known)s)",
                              name=competency, known=", ".join(COMPETENCIES)), line)
        if not is_whole(count) or count < 1:
            problem("draw", _("a draw's count is a whole number of at least 1"), line)
            count = 0
        draws.append({"bank": bank, "competency": competency, "count": count, "line": line})
    return draws


def reference_problems(record: dict, lines: dict, known: dict) -> list[tuple[int, str]]:
    """Problems with what the quiz names: unknown roles, questions and banks, and draws
    asking for more questions than their bank holds. `known` holds the sets "roles",
    "questions", "banks" and a "pool" of qids per (bank, competency)."""
    problems = []
    for role in record["roles"]:
        if role not in known["roles"]:
            problems.append((lines.get("roles", 1), _("unknown role %(role)r", role=role)))
    for qid in record["questions"]:
        if qid not in known["questions"]:
            line = lines.get("qids", {}).get(qid) or lines.get("questions", 1)
            problems.append((line, _("unknown question %(qid)r", qid=qid)))
    for item in record["draw"]:
        line = item.get("line") or lines.get("draw", 1)
        if item["bank"] not in known["banks"]:
            problems.append((line, _("unknown question bank %(bank)r", bank=item["bank"])))
            continue
        pool = set()
        for (bank, competency), qids in known["pool"].items():
            if bank == item["bank"] and (item["competency"] in (None, competency)):
                pool |= qids
        if item["count"] > len(pool):
            problems.append((line, _("the draw asks for %(count)d questions but bank %(bank)r "
                                     "has %(n)d of that competency",
                                     count=item["count"], bank=item["bank"], n=len(pool))))
    return problems


def known_in_database() -> dict:
    """The roles, questions, banks and per-(bank, competency) pools stored now."""
    rows = db.session.execute(select(QuestionBank.slug, Question.competency, Question.qid)
                              .join(Question, Question.bank_id == QuestionBank.id)).all()
    pool: dict = {}
    for bank, competency, qid in rows:
        pool.setdefault((bank, competency), set()).add(qid)
    return {"roles": set(db.session.scalars(select(Role.code))),
            "questions": {row.qid for row in rows},
            "banks": set(db.session.scalars(select(QuestionBank.slug))),
            "pool": pool}


def save_quiz(slug: str, record: dict, *, by: User | None = None) -> tuple[Quiz, str]:
    """Create or update quiz `slug` from a record; "created", "updated" or "unchanged".
    Everything is checked against the database first; problems raise ValidationFailed."""
    record, problems = read_quiz({k: v for k, v in record.items() if k in FIELDS})
    if not SLUG.match(slug or "") or len(slug) > 100:
        problems.insert(0, (1, _("a quiz's name must be lowercase letters, digits and hyphens")))
    problems += reference_problems(record, {}, known_in_database())
    if problems:
        raise ValidationFailed([message for _line, message in problems])
    record["draw"] = [{k: item[k] for k in ("bank", "competency", "count")}
                      for item in record["draw"]]
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        quiz = Quiz(slug=slug, **record)
        db.session.add(quiz)
        db.session.flush()
        if by is not None:
            audit.record("quiz.create", by=by, target=("quiz", slug))
        return quiz, "created"
    changed = [name for name in FIELDS if getattr(quiz, name) != record[name]]
    if not changed:
        return quiz, "unchanged"
    for name in changed:
        setattr(quiz, name, record[name])
    db.session.flush()
    if by is not None:
        audit.record("quiz.update", by=by, target=("quiz", slug), fields=changed)
    return quiz, "updated"


def quiz_record(quiz: Quiz) -> dict:
    """A stored quiz as the record a file or the editor holds."""
    return {name: getattr(quiz, name) for name in FIELDS}


def dump_quiz(record: dict) -> str:
    """The quiz file for a record, leaving out optional fields that are unset."""
    data = {"title": record["title"], "roles": list(record["roles"]),
            "pass_mark": record["pass_mark"]}
    for name in ("time_limit_minutes", "max_attempts"):
        if record.get(name):
            data[name] = record[name]
    data["shuffle"] = bool(record["shuffle"])
    data["layout"] = record["layout"]
    if record["questions"]:
        data["questions"] = list(record["questions"])
    if record["draw"]:
        data["draw"] = [{k: v for k, v in (("bank", d["bank"]), ("competency", d["competency"]),
                                           ("count", d["count"])) if v is not None}
                        for d in record["draw"]]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def key_line(text: str, key: str) -> int:
    """The line a top-level `key:` is written on (1 if it cannot be found)."""
    match = re.search(rf"^{re.escape(str(key))}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def token_line(text: str, token: str, start: int) -> int:
    """The first line from `start` on that holds `token` as a whole word."""
    for number, line in enumerate(text.split("\n")[start - 1:], start=start):
        if re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", line):
            return number
    return start


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
