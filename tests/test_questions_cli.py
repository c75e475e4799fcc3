"""`flask questions import FILE --bank SLUG` and `flask questions export` (SPEC §2.4)."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Question
from models import QuestionBank

FIXTURES = Path(__file__).parent / "fixtures"
GIFT = FIXTURES / "questions.gift"
XML = FIXTURES / "questions.xml"
GIFT_SKIPPED = ("skipped: 论述题 (essay)\nskipped: 配对题 (matching)\n"
                "skipped: 数值题 (numerical)\nskipped: 填空题 (shortanswer)\n")


def questions(runner, *args):
    return runner.invoke(args=["questions", *map(str, args)])


def stored(bank="rec") -> dict[str, Question]:
    found = db.session.scalars(select(Question).join(QuestionBank).where(QuestionBank.slug == bank)
                               .order_by(Question.position))
    return {question.qid: question for question in found}


def test_gift_import_prints_counts_and_skipped_and_reimport_changes_nothing(runner):
    first = questions(runner, "import", GIFT, "--bank", "rec", "--competency", "recognition")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == "created 8, updated 0, unchanged 0\n" + GIFT_SKIPPED
    saved = stored()
    assert list(saved)[:6] == ["rec-信号一", "rec-信号二", "rec-判断一", "rec-判断二",
                               "rec-转义-测试", "rec-排序一"]
    assert {q.competency for q in saved.values()} == {"recognition"}
    assert saved["rec-信号二"].type == "multiple"
    assert saved["rec-判断一"].options[1] == {"text": "错误", "correct": True,
                                              "feedback": "正确，危机与性格无关。"}
    assert saved["rec-信号一"].tags == ["识别/宿舍"]
    again = questions(runner, "import", GIFT, "--bank", "rec", "--competency", "recognition")
    assert again.stdout == "created 0, updated 0, unchanged 8\n" + GIFT_SKIPPED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "questions.imported")
                               .order_by(AuditEvent.id)).all()[-1]
    assert event.target_id == "rec"


def test_reimport_without_competency_keeps_the_one_a_trainer_gave(runner):
    questions(runner, "import", XML, "--bank", "dis", "--competency", "discernment")
    result = questions(runner, "import", XML, "--bank", "dis")
    assert result.stdout.startswith("created 0, updated 0, unchanged 4\n")
    assert "skipped: 完形题 (cloze)\n" in result.stdout
    assert {q.competency for q in stored("dis").values()} == {"discernment"}


def test_names_that_repeat_get_unique_ids_and_ids_taken_by_another_bank_are_avoided(
        runner, tmp_path):
    path = tmp_path / "same.gift"
    path.write_text("::Q one::A{T}\n\n::Q one::B{F}\n", encoding="utf-8")
    questions(runner, "import", path, "--bank", "x")
    assert list(stored("x")) == ["x-q-one", "x-q-one-2"]
    other = tmp_path / "other.txt"
    other.write_text("::x-q-one::C{T}\n", encoding="utf-8")
    result = questions(runner, "import", other, "--bank", "x-q")
    assert result.exit_code == 0, result.stderr
    assert list(stored("x-q")) == ["x-q-one-3"]


@pytest.mark.parametrize("content, expected", [
    ("::a:: Q {=x ~y\n\n::b:: R {~x ~y}\n", ["line 1 (a): a '{' or '}' has no partner",
                                             "line 3 (b): no answer has a positive weight"]),
    ("::ok:: R {=x ~y}\n\n::a:: Q {=x ~}\n", ["line 3 (a): option 2 has no text"]),
    ("::a:: Q {T}\n", "unknown competency"),
])
def test_any_problem_means_nothing_is_written(runner, tmp_path, content, expected):
    path = tmp_path / "bad.gift"
    path.write_text(content, encoding="utf-8")
    args = ["import", path, "--bank", "bad"]
    if expected == "unknown competency":
        args += ["--competency", "empathy"]
    result = questions(runner, *args)
    assert result.exit_code == 1
    if isinstance(expected, list):
        for problem in expected:
            assert problem in result.stderr
    else:
        assert expected in result.stderr
    assert "nothing was written" in result.stderr
    assert db.session.scalar(select(func.count(Question.id))) == 0
    assert db.session.scalar(select(func.count(QuestionBank.id))) == 0


def test_a_file_of_an_unknown_kind_is_refused(runner, tmp_path):
    path = tmp_path / "bank.docx"
    shutil.copy(GIFT, path)
    result = questions(runner, "import", path, "--bank", "rec")
    assert result.exit_code == 1
    assert ".gift or .txt for GIFT" in result.stderr


def test_exporting_a_missing_bank_says_so(runner):
    result = questions(runner, "export", "--bank", "nope", "--format", "gift")
    assert result.exit_code == 1
    assert "no question bank 'nope'" in result.stderr


@pytest.mark.parametrize("fmt, marker", [("gift", "::rec-信号一::[markdown]"),
                                         ("moodle-xml", "<name>\n      <text>rec-信号一</text>"),
                                         ("yaml", "- id: rec-信号一\n  type: single")])
def test_export_each_format_to_stdout_or_a_file(runner, tmp_path, fmt, marker):
    questions(runner, "import", GIFT, "--bank", "rec")
    printed = questions(runner, "export", "--bank", "rec", "--format", fmt)
    assert printed.exit_code == 0, printed.stderr
    assert marker in printed.stdout
    out = tmp_path / f"rec.{fmt}"
    written = questions(runner, "export", "--bank", "rec", "--format", fmt, "--out", out)
    assert (written.exit_code, written.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == printed.stdout


@pytest.mark.parametrize("source", [GIFT, XML])
@pytest.mark.parametrize("fmt, extension", [("gift", ".gift"), ("moodle-xml", ".xml")])
def test_export_then_import_round_trip(runner, tmp_path, source, fmt, extension):
    questions(runner, "import", source, "--bank", "rec", "--competency", "recognition")
    before = {qid: (q.type, q.stem, q.options, q.feedback, q.tags) for qid, q in stored().items()}
    out = tmp_path / f"rec{extension}"
    questions(runner, "export", "--bank", "rec", "--format", fmt, "--out", out)
    total = len(before)
    lost = 0
    if fmt == "gift":  # GIFT has no place for an ordering item's feedback
        lost = sum(1 for value in before.values()
                   if value[0] == "ordering" and any(o["feedback"] for o in value[2]))
        before = {qid: value for qid, value in before.items() if value[0] != "ordering"}
    same_bank = questions(runner, "import", out, "--bank", "rec")
    assert same_bank.exit_code == 0, same_bank.stderr
    assert same_bank.stdout == f"created 0, updated {lost}, unchanged {total - lost}\n"
    after = {qid: (q.type, q.stem, q.options, q.feedback, q.tags) for qid, q in stored().items()}
    assert {qid: after[qid] for qid in before} == before


def test_yaml_export_is_a_bank_file_that_content_sync_reads_back_unchanged(runner, tmp_path):
    questions(runner, "import", XML, "--bank", "rec", "--competency", "discernment")
    (tmp_path / "questions").mkdir()
    questions(runner, "export", "--bank", "rec", "--format", "yaml",
              "--out", tmp_path / "questions" / "rec.yaml")
    result = runner.invoke(args=["content", "sync", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "created 0, updated 0, unchanged 5"
