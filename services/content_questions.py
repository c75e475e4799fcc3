"""Content handlers for questions/<bank>.yaml and quizzes/<slug>.yaml (SPEC §2.4, §2.5).

Bank files are checked question by question (type via the registry, competency, ids
unique across every bank file and the database); quiz files are checked against the
roles, questions and banks that the files being synced and the database define.
"""
import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Question
from models import QuestionBank
from models import Quiz
from services import question_bank
from services import quiz_defs
from services import yaml_lines
from services.module_source import SLUG

QUESTION_KEYS = {"id", "type", "competency", "stem", "options", "feedback", "tags"}


def _pool(context) -> dict:
    """Question ids per (bank, competency) defined by the files, for checking draws."""
    if not hasattr(context, "question_pool"):
        context.question_pool = {}
        context.question_files = {}
    return context.question_pool


class QuestionsFile:
    pattern = "questions/*.yaml"

    def parse(self, path, text, context):
        try:
            data = yaml_lines.load(text)
        except yaml_lines.YamlError as error:
            return [], [f"{path}:{error.line}: {error.message}"]
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            return [], [f"{path}:1: " + _("expected a mapping with bank, title and a list "
                                          "'questions:'")]
        pool, owners = _pool(context), context.question_files
        problems = []
        slug = str(data.get("bank") or path.stem)
        if not question_bank.BANK_SLUG.match(slug):
            problems.append(f"{path}:{quiz_defs.key_line(text, 'bank')}: " + _(
                "a bank's name must be lowercase letters, digits and hyphens"))
        elif slug in context.defined.get("banks", set()):
            problems.append(f"{path}:{quiz_defs.key_line(text, 'bank')}: " + _(
                "bank %(bank)r is defined by another file too", bank=slug))
        context.defined.setdefault("banks", set()).add(slug)
        records = []
        for position, item in enumerate(data["questions"]):
            line = yaml_lines.line_of(item, quiz_defs.key_line(text, "questions"))
            if not isinstance(item, dict):
                problems.append(f"{path}:{line}: " + _("each question is a mapping"))
                continue
            record = question_bank.normalize(dict(item, qid=item.get("id")))
            found = [_("unknown key %(key)r", key=key) for key in item if key not in QUESTION_KEYS]
            if not isinstance(item.get("options"), list):
                found.append(_("options is a list of {text, correct, feedback}"))
                record["options"] = []
            found += question_bank.record_problems(record)
            qid = record["qid"]
            if qid in owners:
                found.append(_("question id %(qid)r is already used in %(where)s",
                               qid=qid, where=owners[qid]))
            owners.setdefault(qid, f"{path}:{line}")
            problems += [f"{path}:{line}: {qid or '?'}: {message}" for message in found]
            pool.setdefault((slug, record["competency"]), set()).add(qid)
            records.append(dict(record, position=position, line=line))
        context.defined.setdefault("questions", set()).update(r["qid"] for r in records)
        title = str(data.get("title") or slug).strip()
        return [{"bank": slug, "title": title, "questions": records}], problems

    def check(self, path, records, context):
        problems = []
        for bank in records:
            qids = [record["qid"] for record in bank["questions"]]
            stored = db.session.execute(
                select(Question.qid, QuestionBank.slug).join(QuestionBank)
                .where(Question.qid.in_(qids))).all()
            elsewhere = {qid: slug for qid, slug in stored if slug != bank["bank"]}
            for record in bank["questions"]:
                if record["qid"] in elsewhere:
                    problems.append(f"{path}:{record['line']}: " + _(
                        "question id %(qid)r is already used in bank %(bank)r",
                        qid=record["qid"], bank=elsewhere[record["qid"]]))
        return problems

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        for data in records:
            bank, status = question_bank.ensure_bank(data["bank"], data["title"])
            _count(result, status)
            for record in data["questions"]:
                _question, status = question_bank.save_question(bank, record,
                                                                position=record["position"])
                _count(result, status)
        return result

    def export(self, directory):
        banks = db.session.scalars(select(QuestionBank).order_by(QuestionBank.slug)
                                   .options(selectinload(QuestionBank.questions))).all()
        written = []
        for bank in banks:
            folder = directory / "questions"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{bank.slug}.yaml"
            path.write_text(bank_yaml(bank), encoding="utf-8")
            written.append(path)
        return written


class QuizzesFile:
    pattern = "quizzes/*.yaml"

    def parse(self, path, text, context):
        slug = path.stem
        if not SLUG.match(slug) or len(slug) > 100:
            return [], [f"{path}:1: " + _("a quiz's file name must be lowercase letters, "
                                          "digits and hyphens, then .yaml")]
        record, lines, problems = quiz_defs.parse_quiz(text)
        context.defined.setdefault("quizzes", set()).add(slug)
        found = [f"{path}:{line}: {message}" for line, message in problems]
        return ([] if record is None else [{"slug": slug, "record": record,
                                            "lines": lines}]), found

    def check(self, path, records, context):
        known = quiz_defs.known_in_database()
        for name in ("roles", "questions", "banks"):
            known[name] |= context.defined.get(name, set())
        for key, qids in _pool(context).items():
            known["pool"][key] = known["pool"].get(key, set()) | qids
        return [f"{path}:{line}: {message}" for record in records
                for line, message in quiz_defs.reference_problems(record["record"],
                                                                  record["lines"], known)]

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        for record in records:
            _quiz, status = quiz_defs.save_quiz(record["slug"], record["record"])
            _count(result, status)
        return result

    def export(self, directory):
        written = []
        for quiz in db.session.scalars(select(Quiz).order_by(Quiz.slug)):
            folder = directory / "quizzes"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{quiz.slug}.yaml"
            path.write_text(quiz_defs.dump_quiz(quiz_defs.quiz_record(quiz)), encoding="utf-8")
            written.append(path)
        return written


def _count(result, status: str) -> None:
    setattr(result, status, getattr(result, status) + 1)


class _BlockDumper(yaml.SafeDumper):
    """Writes text with line breaks as `|` blocks, as a person would type a stem."""


def _represent_text(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_text)


def question_data(question: Question) -> dict:
    """A question as it is written in a bank file, optional parts left out when empty."""
    data = {"id": question.qid, "type": question.type}
    if question.competency:
        data["competency"] = question.competency
    data["stem"] = question.stem
    options = []
    for option in question.options:
        item = {"text": option.get("text", "")}
        if question.type != "ordering":
            item["correct"] = bool(option.get("correct"))
        if option.get("feedback"):
            item["feedback"] = option["feedback"]
        options.append(item)
    data["options"] = options
    if question.feedback:
        data["feedback"] = question.feedback
    if question.tags:
        data["tags"] = list(question.tags)
    return data


def bank_yaml(bank: QuestionBank, questions=None) -> str:
    """The bank file (SPEC §2.4) for `bank`; `questions` defaults to all of its own."""
    questions = bank.questions if questions is None else questions
    data = {"bank": bank.slug, "title": bank.title,
            "questions": [question_data(question) for question in questions]}
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)
