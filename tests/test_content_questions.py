"""questions/*.yaml and quizzes/*.yaml through `flask content sync|export` (SPEC §2.4, §2.5)."""
import re
import shutil
import textwrap

import pytest
from sqlalchemy import select

from extensions import db
from models import Question
from models import QuestionBank
from models import Quiz
from tests.conftest import CONTENT
from tests.conftest import empty_tables

SUMMARY = re.compile(r"^created (\d+), updated (\d+), unchanged (\d+)$", re.MULTILINE)

BANK = textwrap.dedent("""\
    bank: recognition-basics
    title: 异常言行识别
    questions:
      - id: rec-001
        type: single
        competency: recognition
        stem: |
          室友把心爱的物品送人，并说“以后用不着了”。
          这是：
        options:
          - text: 需要认真对待的信号
            correct: true
            feedback: 赠送珍视物品并谈及“以后”是危险信号。
          - text: 普通的慷慨
            correct: false
        feedback: 发现后应立即报告辅导员。
      - id: rec-002
        type: multiple
        competency: recognition
        stem: 哪些是值得关注的变化？
        options:
          - {text: 连续多日不参加集体活动, correct: true}
          - {text: 突然的平静, correct: true}
          - {text: 按时上课, correct: false}
        tags: [变化]
      - id: rec-003
        type: truefalse
        competency: discernment
        stem: 情绪低落两周以上需要关注。
        options:
          - {text: 正确, correct: true}
          - {text: 错误, correct: false}
      - id: int-001
        type: ordering
        competency: intervention
        stem: 把危机应对的步骤排好顺序。
        options:
          - text: 陪伴
          - text: 报告辅导员
          - text: 移交专业人员
    """)

QUIZ = textwrap.dedent("""\
    title: 信息员识别能力测验
    roles: [dorm_informant]
    pass_mark: 0.8
    time_limit_minutes: 20
    max_attempts: 3
    shuffle: true
    layout: paged
    questions: [rec-001, int-001]
    draw:
      - {bank: recognition-basics, competency: recognition, count: 1}
    """)


@pytest.fixture
def content_dir(tmp_path):
    directory = tmp_path / "content"
    (directory / "questions").mkdir(parents=True)
    (directory / "quizzes").mkdir()
    shutil.copy(CONTENT / "roles.yaml", directory / "roles.yaml")
    (directory / "questions" / "recognition-basics.yaml").write_text(BANK, encoding="utf-8")
    (directory / "quizzes" / "informant-check.yaml").write_text(QUIZ, encoding="utf-8")
    return directory


def sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    match = SUMMARY.search(result.output)
    return result, tuple(int(n) for n in match.groups()) if match else None


def stored() -> tuple[set, set]:
    questions = {(q.bank.slug, q.qid, q.position, q.type, q.competency, q.stem, repr(q.options),
                  q.feedback, tuple(q.tags)) for q in db.session.scalars(select(Question))}
    quizzes = {(z.slug, z.title, tuple(z.roles), z.pass_mark, z.time_limit_minutes,
                z.max_attempts, z.shuffle, z.layout, tuple(z.questions), repr(z.draw))
               for z in db.session.scalars(select(Quiz))}
    return questions, quizzes


def test_sync_loads_banks_and_quizzes_then_is_idempotent(runner, content_dir):
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.output
    questions = {q.qid: q for q in db.session.scalars(select(Question))}
    assert sorted(questions) == ["int-001", "rec-001", "rec-002", "rec-003"]
    assert questions["rec-001"].options[0]["feedback"].startswith("赠送")
    assert questions["rec-002"].tags == ["变化"]
    assert [q.qid for q in db.session.scalar(select(QuestionBank)).questions][0] == "rec-001"
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "informant-check"))
    assert (quiz.layout, quiz.max_attempts, quiz.questions) == ("paged", 3, ["rec-001", "int-001"])
    assert quiz.draw == [{"bank": "recognition-basics", "competency": "recognition", "count": 1}]
    created = figures[0]
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0 and figures == (0, 0, created)


def test_sync_counts_an_edited_question_as_updated(runner, content_dir):
    sync(runner, content_dir)
    path = content_dir / "questions" / "recognition-basics.yaml"
    path.write_text(BANK.replace("哪些是值得关注的变化？", "哪些变化值得关注？"), encoding="utf-8")
    result, figures = sync(runner, content_dir)
    assert figures[:2] == (0, 1), result.output
    assert db.session.scalar(select(Question.stem).where(Question.qid == "rec-002")) \
        == "哪些变化值得关注？"


@pytest.mark.parametrize("filename, old, new, line, fragment", [
    ("questions/recognition-basics.yaml", "type: multiple", "type: essay", 17, "essay"),
    ("questions/recognition-basics.yaml", "competency: discernment", "competency: empathy",
     26, "empathy"),
    ("questions/recognition-basics.yaml", "{text: 正确, correct: true}",
     "{text: 正确, correct: false}", 26, "exactly one correct"),
    ("questions/recognition-basics.yaml", "id: rec-003", "id: rec-001", 26, "already used"),
    ("questions/recognition-basics.yaml", "    stem: 哪些", "    sten: 哪些", 17,
     "unknown key"),
    ("quizzes/informant-check.yaml", "[dorm_informant]", "[night_owl]", 2, "night_owl"),
    ("quizzes/informant-check.yaml", "int-001]", "nope-9]", 8, "nope-9"),
    ("quizzes/informant-check.yaml", "{bank: recognition-basics", "{bank: elsewhere", 10,
     "elsewhere"),
    ("quizzes/informant-check.yaml", "count: 1}", "count: 9}", 10, "asks for 9"),
    ("quizzes/informant-check.yaml", "layout: paged", "layout: scroll", 7, "layout"),
    ("quizzes/informant-check.yaml", "pass_mark: 0.8", "pass_mark: 80", 3, "pass_mark"),
    ("questions/recognition-basics.yaml", "  - id: rec-002", "  - id: rec 002", 17, "question id"),
])
def test_broken_files_write_nothing_and_name_path_and_line(runner, content_dir, filename, old,
                                                           new, line, fragment):
    path = content_dir / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(path))}:{line}: .*{re.escape(fragment)}", result.output), \
        result.output
    assert db.session.scalars(select(Question)).all() == []
    assert db.session.scalars(select(Quiz)).all() == []


def test_a_qid_stored_in_another_bank_is_a_problem(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    other = tmp_path / "other"
    (other / "questions").mkdir(parents=True)
    (other / "questions" / "other.yaml").write_text(BANK.replace("recognition-basics", "other"),
                                                   encoding="utf-8")
    result, _figures = sync(runner, other)
    assert result.exit_code == 1
    assert "other.yaml:4: " in result.output and "recognition-basics" in result.output


def test_a_quiz_may_name_questions_already_in_the_database(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    quizzes_only = tmp_path / "later"
    (quizzes_only / "quizzes").mkdir(parents=True)
    (quizzes_only / "quizzes" / "second.yaml").write_text(QUIZ.replace("roles: [dorm_informant]",
                                                                       "roles: []"))
    result, figures = sync(runner, quizzes_only)
    assert result.exit_code == 0, result.output
    assert figures == (1, 0, 0)


def test_export_then_sync_into_an_empty_database_round_trips(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    before = stored()
    out = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0, result.output
    exported = (out / "questions" / "recognition-basics.yaml").read_text(encoding="utf-8")
    assert "stem: |" in exported and "室友" in exported
    assert (out / "quizzes" / "informant-check.yaml").exists()
    empty_tables()
    result, _figures = sync(runner, out)
    assert result.exit_code == 0, result.output
    assert stored() == before
    result, figures = sync(runner, out)
    assert figures[:2] == (0, 0)
