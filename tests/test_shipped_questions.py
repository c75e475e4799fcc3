"""The question banks and quizzes we ship (content/questions/, content/quizzes/): they sync
cleanly, cover the three competencies and four types, teach through feedback on every
option, and follow safe-messaging rules (../shared/CONTENT.md)."""
import re
from collections import Counter

import pytest
import yaml
from sqlalchemy import select

from extensions import db
from models import Question
from models import Quiz
from services.question_types import get_type
from tests.conftest import CONTENT

BANKS = sorted((CONTENT / "questions").glob("*.yaml"))
QUIZZES = sorted((CONTENT / "quizzes").glob("*.yaml"))
COMPETENCIES = ("recognition", "discernment", "intervention")
TYPES = ("single", "multiple", "truefalse", "ordering")
#: the banks every quiz draws from: each holds all four types
BASICS = ("recognition-basics", "discernment-basics", "intervention-basics")
CHAIN = "寝室信息员 → 班级心理委员 → 辅导员 → 学院 → 心理健康教育中心"
FIVE_EARLY = ("早发现", "早报告", "早研判", "早预防", "早控制")
FIVE_ONES = ("一名患者", "一名领导", "一个班子", "一套方案", "一抓到底")
THREE_BELIEFS = ("出现心理问题是正常的", "有心理问题求助是正当的", "发现心理危机事件主动报告是正确的")
INFORMANTS = {"dorm_informant", "class_psych_member"}
TEACHERS_AND_DORMS = {"class_teacher", "dorm_manager"}
COUNSELORS = {"counselor", "college_psych_officer", "mh_teacher", "political_staff"}

#: never in a shipped question: attempts framed as success or failure, suicide framed as
#: relief, and methods, means or locations (WHO/IASP media guidance)
BANNED = (
    "成功", "失败", "未遂", "自杀方法", "自杀方式", "一了百了", "解脱", "殉情", "轻生",
    "跳楼", "跳河", "跳桥", "坠楼", "投河", "卧轨", "上吊", "自缢", "割腕", "服毒",
    "农药", "安眠药", "过量服", "烧炭", "煤气", "刀片", "绳子", "天台", "楼顶", "高楼",
)
#: 12356 runs at least 18 hours a day in each region: never promise round the clock
NO_PROMISES = ("24小时", "24 小时", "全天候", "随时都有人接听")


def load(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_questions() -> list[tuple[str, dict]]:
    """(bank slug, question) for every question in every shipped bank file."""
    return [(load(path)["bank"], question) for path in BANKS
            for question in load(path)["questions"]]


def pools() -> dict[tuple[str, str], set[str]]:
    """Question ids per (bank, competency), as the draws see them."""
    result: dict = {}
    for bank, question in all_questions():
        result.setdefault((bank, question["competency"]), set()).add(question["id"])
    return result


def test_the_shipped_banks_and_quizzes_sync_cleanly_and_idempotently(app, runner):
    result = runner.invoke(args=["content", "sync", str(CONTENT)])
    assert result.exit_code == 0, result.output
    stored = set(db.session.scalars(select(Question.qid)))
    assert {question["id"] for _bank, question in all_questions()} <= stored
    slugs = set(db.session.scalars(select(Quiz.slug)))
    assert {path.stem for path in QUIZZES} <= slugs
    again = runner.invoke(args=["content", "sync", str(CONTENT)])
    assert again.exit_code == 0, again.output
    assert re.search(r"created 0, updated 0, unchanged \d+", again.output)


def test_at_least_sixty_questions_with_unique_ids_across_banks():
    ids = [question["id"] for _bank, question in all_questions()]
    assert len(ids) >= 60
    assert [qid for qid, n in Counter(ids).items() if n > 1] == []
    for path in BANKS:
        assert load(path)["bank"] == path.stem, path.name


def test_every_competency_has_fifteen_questions_and_every_type_is_used():
    questions = [question for _bank, question in all_questions()]
    per_competency = Counter(question["competency"] for question in questions)
    assert all(per_competency[name] >= 15 for name in COMPETENCIES), per_competency
    assert set(per_competency) == set(COMPETENCIES)
    assert {question["type"] for question in questions} == set(TYPES)
    for slug in BASICS:
        kinds = {question["type"] for bank, question in all_questions() if bank == slug}
        assert kinds == set(TYPES), f"{slug} lacks {set(TYPES) - kinds}"


def test_every_option_teaches_through_its_feedback():
    for _bank, question in all_questions():
        qid = question["id"]
        assert re.search(r"[\u4e00-\u9fff]", question["stem"]), f"{qid}: write it in Chinese"
        assert len(question.get("feedback", "").strip()) >= 15, f"{qid}: general feedback"
        for option in question["options"]:
            assert option["text"].strip(), qid
            assert len(option.get("feedback", "").strip()) >= 10, \
                f"{qid}: thin feedback for {option['text']}"


@pytest.mark.parametrize("kind", TYPES)
def test_each_type_is_written_the_way_it_is_scored(kind):
    for _bank, question in all_questions():
        if question["type"] != kind:
            continue
        qid, options = question["id"], question["options"]
        correct = [option for option in options if option.get("correct")]
        if kind == "ordering":
            assert len(options) >= 3, qid
            assert all("correct" not in option for option in options), \
                f"{qid}: an ordering question's answer is its written order"
        elif kind == "truefalse":
            assert [option["text"] for option in options] == ["正确", "错误"], qid
            assert len(correct) == 1, qid
        elif kind == "single":
            assert len(correct) == 1 and len(options) >= 3, qid
        else:
            assert 2 <= len(correct) < len(options), f"{qid}: a real multiple choice"


def test_three_quizzes_one_per_audience_with_draws_that_can_be_met():
    assert len(QUIZZES) >= 3
    available = pools()
    owner = {question["id"]: bank for bank, question in all_questions()}
    audiences = set()
    for path in QUIZZES:
        quiz = load(path)
        audiences.add(frozenset(quiz["roles"]))
        assert quiz["pass_mark"] == 0.8 and quiz["max_attempts"] == 3, path.name
        assert 15 <= quiz["time_limit_minutes"] <= 30 and quiz["shuffle"] is True, path.name
        drawn_banks = {item["bank"] for item in quiz["draw"]}
        for item in quiz["draw"]:
            pool = available.get((item["bank"], item["competency"]), set())
            assert item["count"] <= len(pool), f"{path.name}: {item}"
        for qid in quiz["questions"]:
            assert qid in owner, f"{path.name}: unknown {qid}"
            assert owner[qid] not in drawn_banks, f"{path.name}: {qid} could be drawn twice"
        size = len(quiz["questions"]) + sum(item["count"] for item in quiz["draw"])
        assert 12 <= size <= 2 * quiz["time_limit_minutes"], path.name
        assert {item["competency"] for item in quiz["draw"]} == set(COMPETENCIES), path.name
    assert {frozenset(INFORMANTS), frozenset(TEACHERS_AND_DORMS), frozenset(COUNSELORS)} \
        <= audiences


def test_the_counselor_quiz_asks_the_crisis_procedure_in_order():
    by_id = {question["id"]: question for _bank, question in all_questions()}
    quiz = next(load(p) for p in QUIZZES if set(load(p)["roles"]) == COUNSELORS)
    fixed = [by_id[qid] for qid in quiz["questions"]]
    ordering = [question for question in fixed if question["type"] == "ordering"]
    assert len(ordering) >= 2
    written = [[option["text"] for option in question["options"]] for question in ordering]
    assert list(FIVE_EARLY) in written and list(FIVE_ONES) in written


def test_the_notices_words_the_chain_and_the_hotline_are_taught():
    text = "\n".join(path.read_text(encoding="utf-8") for path in BANKS)
    for phrase in FIVE_EARLY + FIVE_ONES + THREE_BELIEFS:
        assert phrase in text, phrase
    assert CHAIN in text
    assert "12356" in text and "国家心理援助热线" in text
    assert "110" in text and "120" in text and "保卫处" in text
    assert "个人信息保护法" in text and "第二十八条" in text
    chain = next(q for _b, q in all_questions() if q["type"] == "ordering"
                 and q["options"][0]["text"] == "寝室信息员")
    assert " → ".join(option["text"] for option in chain["options"]) == CHAIN


@pytest.mark.parametrize("word", BANNED + NO_PROMISES)
def test_no_banned_words(word):
    found = [p.name for p in BANKS + QUIZZES if word in p.read_text(encoding="utf-8")]
    assert found == [], f"{word!r} in {found}"


def test_the_keyed_answer_scores_full_marks_and_a_wrong_one_does_not(app):
    for _bank, question in all_questions():
        kind = get_type(question["type"])
        options = [dict(option, correct=bool(option.get("correct")))
                   for option in question["options"]]
        assert kind.validate(options) == [], question["id"]
        if question["type"] == "ordering":
            right, wrong = list(range(len(options))), list(range(len(options)))[::-1]
        else:
            right = [i for i, option in enumerate(options) if option["correct"]]
            wrong = [next(i for i, option in enumerate(options) if not option["correct"])]
        assert kind.score(options, right) == 1.0, question["id"]
        assert kind.score(options, wrong) < 1.0, question["id"]
