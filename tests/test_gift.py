"""GIFT is read the way Moodle reads it, and what we write reads back the same."""
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.gift import parse_gift
from services.gift_export import write_gift
from services.markdown import render_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "questions.gift"


@pytest.fixture
def parsed(app):
    return parse_gift(FIXTURE.read_text(encoding="utf-8"))


def by_name(result, name):
    return next(q for q in result.questions if q.name == name)


def test_every_question_is_imported_or_listed_as_skipped(parsed):
    assert [q.name for q in parsed.questions] == [
        "信号一", "信号二", "判断一", "判断二", "转义 : 测试", "排序一",
        "没有名字的问题 *星号* 保留？", "宿舍信息员发现异常时应_____报告辅导员。"]
    assert parsed.skipped == [("论述题", "essay"), ("配对题", "matching"),
                              ("数值题", "numerical"), ("填空题", "shortanswer")]
    assert parsed.problems == []


def test_categories_become_tags(parsed):
    assert by_name(parsed, "信号一").tags == ["识别/宿舍"]
    assert by_name(parsed, "判断一").tags == ["识别/课堂"]


def test_one_right_answer_is_single_with_feedback_per_option_and_general_feedback(parsed):
    question = by_name(parsed, "信号一")
    assert question.type == "single"
    assert question.stem == "室友连续三天不去上课、整天躺在床上，你首先应该？"
    assert [(o["text"], o["correct"]) for o in question.options] == [
        ("关心地询问他最近怎么样，并告诉辅导员", True), ("等他自己好起来", False),
        ("在宿舍群里讨论他", False)]
    assert question.options[1]["feedback"] == "不要等待，变化持续时需要报告。"
    assert question.feedback == "持续的行为变化是需要关注的信号。"
    assert question.where == "line 5"


def test_positive_weights_make_multiple_choice_and_html_becomes_markdown(parsed):
    question = by_name(parsed, "信号二")
    assert question.type == "multiple"
    assert [o["correct"] for o in question.options] == [True, True, False, False]
    assert question.stem == "下列哪些是**需要报告**的信号？"
    # [plain] on one answer: its characters show literally
    assert question.options[3]["text"] == "喜欢一个人\\<看书\\>"
    assert "&lt;看书&gt;" in render_markdown(question.options[3]["text"])


def test_true_false_keeps_the_feedback_for_each_choice(parsed):
    false_one = by_name(parsed, "判断一")
    assert false_one.type == "truefalse"
    assert false_one.options == [
        {"text": "正确", "correct": False, "feedback": "不对：任何人都可能遇到危机。"},
        {"text": "错误", "correct": True, "feedback": "正确，危机与性格无关。"}]
    assert false_one.feedback == "不要以性格判断风险。"
    true_one = by_name(parsed, "判断二")
    assert [o["correct"] for o in true_one.options] == [True, False]
    assert true_one.stem == "发现室友有**自伤**迹象时，应立即报告辅导员。"


def test_escapes_stand_for_the_characters(parsed):
    question = by_name(parsed, "转义 : 测试")
    shown = render_markdown(question.stem)
    for text in ("1:2", "a=b", "#3", "{x}", "~y", "C:\\temp", "<br"):
        assert text in shown
    assert question.options[0]["text"] == "全部保留\\# 是"
    assert question.options[0]["feedback"] == "对: 会保留。"


def test_ordering_items_are_in_the_right_order(parsed):
    question = by_name(parsed, "排序一")
    assert question.type == "ordering"
    assert [o["text"] for o in question.options] == ["不让他独处", "报告辅导员", "陪同就医"]
    assert question.feedback == "先保证安全，再报告，再转介。"


def test_unnamed_and_missing_word_questions(parsed):
    unnamed = parsed.questions[6]
    assert unnamed.stem == "没有名字的问题 \\*星号\\* 保留？"
    missing = parsed.questions[7]
    assert missing.type == "single"
    assert "_____" in render_markdown(missing.stem)


@pytest.mark.parametrize("text, message", [
    ("::a:: Q {=x ~y", "has no partner"),
    ("::a:: Q =x ~y}", "has no partner"),
    ("::a Q {=x ~y}", "no closing ::"),
    ("::a:: Q {=x ~y} and {=z ~w}", "only one answer block"),
    ("::a:: Q {stray ~x ~y}", "text before the first"),
    ("::a:: Q {~x ~y}", "no answer has a positive weight"),
])
def test_problems_name_the_line_and_question(app, text, message):
    result = parse_gift("// comment\n\n" + text + "\n")
    assert result.questions == []
    assert len(result.problems) == 1
    assert result.problems[0].startswith("line 3")
    assert message in result.problems[0]


def test_a_single_choice_with_partial_credit_keeps_the_full_answer_and_says_so(app):
    result = parse_gift("::p:: Q {=right ~%50%half ~wrong}")
    assert result.questions[0].type == "single"
    assert [o["correct"] for o in result.questions[0].options] == [True, False, False]
    assert "half" in result.notes[0]


def test_written_gift_reads_back_to_the_same_questions(parsed):
    questions = [SimpleNamespace(qid=f"b-{n}", type=q.type, stem=q.stem, options=q.options,
                                 feedback=q.feedback, tags=q.tags)
                 for n, q in enumerate(parsed.questions)]
    text, skipped = write_gift(questions)
    assert skipped == []
    again = parse_gift(text)
    assert again.problems == [] and again.skipped == []
    for before, after in zip(questions, again.questions, strict=True):
        assert after.name == before.qid
        assert (after.type, after.stem, after.feedback, after.tags) == (
            before.type, before.stem, before.feedback, before.tags)
        if before.type == "ordering":  # GIFT has no place for an ordering item's feedback
            assert [o["text"] for o in after.options] == [o["text"] for o in before.options]
        else:
            assert after.options == before.options


def test_tag_comments_add_tags_after_the_category(app):
    result = parse_gift("$CATEGORY: $course$/top/甲\n\n// [tag:乙] [tag:a\\]b]\n::t:: Q {T}\n")
    assert result.questions[0].tags == ["甲", "乙", "a]b"]
    text, _skipped = write_gift([SimpleNamespace(qid="b-t", type="truefalse", stem="Q", feedback="",
                                                 tags=["甲", "乙", "a]b"],
                                                 options=result.questions[0].options)])
    assert parse_gift(text).questions[0].tags == ["甲", "乙", "a]b"]
