"""Trainers keep question banks and quizzes in the browser; nobody else sees those pages."""
import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Question
from models import Quiz
from services import question_bank


@pytest.fixture
def people(make_unit, make_user, make_person):
    uni = make_unit("U1")
    learner = make_person("S1", role="dorm_informant", unit=uni)
    return {
        "trainer": make_user("trainer@x.cn", grant=("trainer", "U1"), locale="en"),
        "auditor": make_user("auditor@x.cn", grant=("auditor", "U1")),
        "learner": make_user("learner@x.cn", person=learner),
    }


@pytest.fixture
def bank(app):
    """A bank of five recognition questions, rec-001 … rec-005."""
    bank = question_bank.ensure_bank("recognition-basics", "异常言行识别")[0]
    for number in range(1, 6):
        question_bank.save_question(bank, {
            "qid": f"rec-00{number}", "type": "single", "competency": "recognition",
            "stem": f"第{number}题：哪一个是预警信号？",
            "options": [{"text": "赠送心爱物品", "correct": True}, {"text": "按时上课"}]})
    db.session.commit()
    return bank


def question_form(**overrides) -> dict:
    data = {"bank": "recognition-basics", "qid": "rec-100", "type": "multiple",
            "competency": "recognition", "stem": "哪些变化**值得**关注？",
            "options-0-text": "连续多日不参加集体活动", "options-0-correct": "y",
            "options-0-feedback": "退缩是常见信号。",
            "options-1-text": "突然的平静", "options-1-correct": "y",
            "options-2-text": "按时上课", "options-2-feedback": "这是正常的。",
            "options-3-text": "", "feedback": "发现后报告辅导员。", "tags": "变化, 信号",
            "save": "Save"}
    data.update(overrides)
    return data


def quiz_form(**overrides) -> dict:
    data = {"slug": "informant-check", "title": "信息员识别能力测验", "roles": ["dorm_informant"],
            "pass_mark": "80", "time_limit_minutes": "20", "max_attempts": "3", "shuffle": "y",
            "layout": "paged", "questions": "rec-001, rec-002\nrec-003",
            "draws-0-bank": "recognition-basics", "draws-0-competency": "recognition",
            "draws-0-count": "2", "draws-1-bank": "", "draws-1-count": "", "save": "Save"}
    data.update(overrides)
    return data


def test_trainer_creates_a_question_and_finds_it_in_the_bank(auth, client, people, bank):
    auth.login("trainer@x.cn")
    response = auth.post("/author/questions/new", question_form())
    assert response.headers["Location"].endswith("/author/questions/rec-100/edit")
    question = db.session.scalar(select(Question).where(Question.qid == "rec-100"))
    assert question.bank.slug == "recognition-basics" and question.position == 5
    assert [o["correct"] for o in question.options] == [True, True, False]
    assert question.options[0]["feedback"] == "退缩是常见信号。"
    assert question.tags == ["变化", "信号"]
    page = client.get("/author/questions?bank=recognition-basics&q=值得").get_data(as_text=True)
    assert "rec-100" in page and "rec-001" not in page
    page = client.get("/author/questions?competency=discernment").get_data(as_text=True)
    assert "rec-100" not in page


def test_trainer_edits_a_question_and_the_change_is_audited(auth, client, people, bank):
    auth.login("trainer@x.cn")
    page = client.get("/author/questions/rec-001/edit").get_data(as_text=True)
    assert "第1题" in page and "赠送心爱物品" in page
    response = auth.post("/author/questions/rec-001/edit", question_form(
        qid="ignored", type="single", stem="改过的题干", **{"options-1-correct": ""}))
    assert response.headers["Location"].endswith("/author/questions/rec-001/edit")
    question = db.session.scalar(select(Question).where(Question.qid == "rec-001"))
    assert question.stem == "改过的题干" and question.type == "single"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == "rec-001")) \
        == "question.update"


def test_preview_renders_markdown_and_saves_nothing(auth, people, bank):
    auth.login("trainer@x.cn")
    response = auth.post("/author/questions/new", question_form(save="", preview="Preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>值得</strong>" in page and "发现后报告辅导员。" in page
    assert db.session.scalar(select(Question).where(Question.qid == "rec-100")) is None


@pytest.mark.parametrize("overrides, message", [
    ({"type": "single"}, "exactly one correct option"),
    ({"qid": "rec-001"}, "already exists"),
    ({"qid": "rec 1"}, "no spaces"),
    ({"bank": "Bad Bank"}, "lowercase letters"),
    ({"options-1-text": "", "options-2-text": "", "options-0-text": "唯一"},
     "at least two options"),
])
def test_invalid_questions_are_shown_in_place_and_not_saved(auth, people, bank, overrides,
                                                           message):
    auth.login("trainer@x.cn")
    response = auth.post("/author/questions/new", question_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Question).where(Question.stem == "哪些变化**值得**关注？")) \
        is None


def test_trainer_defines_then_edits_a_quiz(auth, client, people, bank):
    auth.login("trainer@x.cn")
    response = auth.post("/author/quizzes/new", quiz_form())
    assert response.headers["Location"].endswith("/author/quizzes/informant-check/edit")
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "informant-check"))
    assert (quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts, quiz.layout) \
        == (0.8, 20, 3, "paged")
    assert quiz.questions == ["rec-001", "rec-002", "rec-003"] and quiz.shuffle
    assert quiz.draw == [{"bank": "recognition-basics", "competency": "recognition", "count": 2}]
    page = client.get("/author/quizzes/informant-check/edit").get_data(as_text=True)
    assert "rec-002" in page and 'value="dorm_informant" id="role-dorm_informant" checked' in page
    response = auth.post("/author/quizzes/informant-check/edit", quiz_form(
        slug="ignored", title="新标题", max_attempts="", shuffle="", layout="all"))
    assert response.headers["Location"].endswith("/author/quizzes/informant-check/edit")
    db.session.refresh(quiz)
    assert (quiz.title, quiz.max_attempts, quiz.shuffle, quiz.layout) == ("新标题", None, False,
                                                                          "all")
    assert "新标题" in client.get("/author/quizzes?q=新").get_data(as_text=True)


@pytest.mark.parametrize("overrides, message", [
    ({"questions": "rec-001 nope-9"}, "unknown question &#39;nope-9&#39;"),
    ({"draws-0-count": "9"}, "asks for 9"),
    ({"questions": "", "draws-0-bank": ""}, "fixed questions, draws, or both"),
    ({"slug": "Has Spaces"}, "lowercase letters"),
    ({"pass_mark": "150"}, "Number must be between"),
])
def test_invalid_quizzes_are_refused_with_the_reason(auth, people, bank, overrides, message):
    auth.login("trainer@x.cn")
    response = auth.post("/author/quizzes/new", quiz_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Quiz)).all() == []


@pytest.mark.parametrize("who", ["learner", "auditor"])
@pytest.mark.parametrize("path", ["/author/questions", "/author/questions/new",
                                  "/author/questions/rec-001/edit", "/author/quizzes",
                                  "/author/quizzes/new"])
def test_only_authors_see_the_pages(auth, client, people, bank, who, path):
    auth.login(f"{who}@x.cn")
    assert client.get(path).status_code == 404


def test_unknown_question_and_quiz_are_404(auth, client, people):
    auth.login("trainer@x.cn")
    assert client.get("/author/questions/nope/edit").status_code == 404
    assert client.get("/author/quizzes/nope/edit").status_code == 404


def test_authoring_pages_link_to_each_other(auth, client, people):
    auth.login("trainer@x.cn")
    page = client.get("/author/modules").get_data(as_text=True)
    assert 'href="/author/questions"' in page and 'href="/author/quizzes"' in page
