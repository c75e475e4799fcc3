"""Moodle XML is read safely and the way Moodle means it; what we write reads back the same."""
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.markdown import render_markdown
from services.moodle_xml import parse_moodle_xml
from services.moodle_xml import write_moodle_xml

FIXTURE = Path(__file__).parent / "fixtures" / "questions.xml"


@pytest.fixture
def parsed(app):
    return parse_moodle_xml(FIXTURE.read_bytes())


def test_supported_types_are_imported_and_the_rest_listed_by_name(parsed):
    assert [(q.name, q.type) for q in parsed.questions] == [
        ("辨别一", "single"), ("辨别二", "multiple"), ("辨别三", "truefalse"), ("排序二", "ordering")]
    assert parsed.skipped == [("论述题", "essay"), ("配对题", "matching"), ("填空题", "shortanswer"),
                              ("数值题", "numerical"), ("完形题", "cloze"), ("拖放题", "ddwtos")]
    assert parsed.problems == []


def test_nested_categories_and_question_tags_become_tags(parsed):
    assert parsed.questions[0].tags == ["辨别", "睡眠"]
    assert parsed.questions[1].tags == ["辨别/抑郁"]


def test_html_becomes_markdown_without_scripts(parsed):
    question = parsed.questions[0]
    assert question.stem == "同学说“**最近总是睡不着**”，\\\n你应该？"
    assert "alert" not in question.stem
    assert "<br" in render_markdown(question.stem)
    assert question.feedback == "睡眠变化是*常见信号*。"
    assert question.options[0] == {"text": "关心询问，并建议他找辅导员或心理中心",
                                   "correct": True, "feedback": "正确。"}


@pytest.mark.parametrize("index, text, feedback", [
    (1, "告诉他多喝热水", "这不能解决\\<问题\\>。"),   # moodle_auto_format, plain_text feedback
    (2, "不理会 \\*他\\*", "**不要**忽视。"),          # plain_text answer, markdown feedback
])
def test_each_text_keeps_its_own_format(parsed, index, text, feedback):
    option = parsed.questions[0].options[index]
    assert (option["text"], option["feedback"]) == (text, feedback)


def test_weights_decide_single_or_multiple(parsed):
    question = parsed.questions[1]
    assert [o["correct"] for o in question.options] == [True, True, True, False]
    assert question.stem == "下列哪些可能是抑郁的表现？\\\n请选出所有正确项。"


def test_true_false_reads_the_true_answer_wherever_it_is(parsed):
    question = parsed.questions[2]
    assert question.options == [{"text": "正确", "correct": True, "feedback": "对。"},
                                {"text": "错误", "correct": False, "feedback": "不对，需要关注。"}]
    assert question.feedback == "持续时间是判断的依据之一。"


def test_ordering_items_are_sorted_by_their_place(parsed):
    question = parsed.questions[3]
    assert [(o["text"], o["feedback"]) for o in question.options] == [
        ("不让他独处", "第一步。"), ("报告辅导员", "第二步。"), ("陪同就医", "第三步。")]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="truefalse"><name><text>&b;</text></name></question></quiz>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>"""


@pytest.mark.parametrize("data, message", [
    (BOMB, "entities"),
    (EXTERNAL, "entities"),
    (b"<quiz><question type='essay'>", "not well-formed"),
    (b"<html><body>hi</body></html>", "should start with <quiz>"),
])
def test_unsafe_or_unreadable_files_are_refused_with_a_reason(app, data, message):
    result = parse_moodle_xml(data)
    assert result.questions == [] and result.skipped == []
    assert message in result.problems[0]


def test_a_multichoice_without_a_right_answer_is_a_problem(app):
    result = parse_moodle_xml(b"""<quiz><question type="multichoice"><name><text>x</text></name>
        <questiontext><text>Q</text></questiontext><single>true</single>
        <answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
        </question></quiz>""")
    assert result.questions == []
    assert result.problems == ["question 1 (x): no answer has a positive weight, so no option "
                               "would be right."]


def test_written_xml_reads_back_to_the_same_questions(parsed):
    questions = [SimpleNamespace(qid=f"b-{n}", type=q.type, stem=q.stem, options=q.options,
                                 feedback=q.feedback, tags=q.tags)
                 for n, q in enumerate(parsed.questions)]
    questions.append(SimpleNamespace(qid="b-untagged", type="single", stem="S & <b>", feedback="",
                                     tags=[], options=[{"text": "a", "correct": True, "feedback": ""},
                                                       {"text": "b", "correct": False, "feedback": ""}]))
    text, skipped = write_moodle_xml(questions)
    assert skipped == []
    assert '<single>false</single>' in text and 'fraction="-33.33333"' in text
    again = parse_moodle_xml(text.encode("utf-8"))
    assert again.problems == [] and again.skipped == []
    for before, after in zip(questions, again.questions, strict=True):
        assert (after.name, after.type, after.stem, after.options, after.feedback, after.tags) == (
            before.qid, before.type, before.stem, before.options, before.feedback, before.tags)
