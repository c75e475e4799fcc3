"""Parsing a module file (SPEC §2.3): sections, decision points, and problems on the right line."""
import pytest
from markupsafe import Markup

from extensions import db
from models import Module
from models import ModuleVersion
from services.module_source import Decision
from services.module_source import load_version
from services.module_source import parse_module

ROLES = {"dorm_informant", "class_psych_member", "counselor"}

GOOD = """\
---
title: 寝室里的沉默
summary: 一名学生连续多日不参加集体活动
roles: [dorm_informant, class_psych_member]
competencies: [recognition, intervention]
hours: 1.5
version: 2
---
开场的一段话，**很重要**。

## 发现变化

室友最近很少说话。

```decision
id: first-step
prompt: 你首先会？
options:
  - text: 当作玩笑，不予理会
    correct: false
    feedback: 这些变化需要认真对待。
  - text: 陪伴他，关切地询问，并报告辅导员
    correct: true
    feedback: 陪伴并及时报告是对的。
```

之后的叙述。

## 报告之后

| 角色 | 做什么 |
|---|---|
| 信息员 | 报告 |

```decision
id: next-step
prompt: 辅导员来了之后？
options:
  - text: 继续关心室友
    correct: true
    feedback: 持续的关心有帮助。
  - text: 把事情告诉全班
    correct: false
    feedback: 要保护隐私。
```
"""


def line_of(text: str, needle: str) -> int:
    """The file line holding the first `needle`."""
    return text[:text.index(needle)].count("\n") + 1


def problems_of(text: str, roles=ROLES) -> list[tuple[int, str]]:
    parsed, problems = parse_module("silent-dorm", text, roles)
    assert parsed is None
    return problems


def test_a_good_module_parses_into_sections_and_decisions():
    parsed, problems = parse_module("silent-dorm", GOOD, ROLES)
    assert problems == []
    assert (parsed.title, parsed.summary, parsed.hours, parsed.version, parsed.language) == \
        ("寝室里的沉默", "一名学生连续多日不参加集体活动", 1.5, 2, "zh")
    assert parsed.roles == ["dorm_informant", "class_psych_member"]
    assert parsed.competencies == ["recognition", "intervention"]
    assert [(s.index, s.title) for s in parsed.sections] == \
        [(0, "寝室里的沉默"), (1, "发现变化"), (2, "报告之后")]
    intro, found, after = parsed.sections
    assert intro.parts == [Markup("<p>开场的一段话，<strong>很重要</strong>。</p>\n")]
    kinds = [type(p).__name__ for p in found.parts]
    assert kinds == ["Markup", "Decision", "Markup"]
    assert "之后的叙述" in found.parts[2]
    assert "<table>" in after.parts[0] and isinstance(after.parts[1], Decision)
    assert [d.id for d in parsed.decisions] == ["first-step", "next-step"]
    first = parsed.decision("first-step")
    assert first.prompt == "你首先会？" and first.correct_indexes == {1}
    assert first.options[0].feedback == "这些变化需要认真对待。"
    assert first.line == line_of(GOOD, "id: first-step")
    assert parsed.decision("nope") is None
    assert parsed.source == GOOD


def test_no_text_before_the_first_heading_means_no_intro_section():
    text = GOOD.replace("开场的一段话，**很重要**。\n", "")
    parsed, _problems = parse_module("silent-dorm", text, ROLES)
    assert [(s.index, s.title) for s in parsed.sections] == [(0, "发现变化"), (1, "报告之后")]


def test_defaults_and_no_role_check_without_known_roles():
    text = GOOD.replace("hours: 1.5\nversion: 2\n", "").replace("dorm_informant,", "ghost,")
    parsed, problems = parse_module("silent-dorm", text)
    assert problems == []
    assert (parsed.hours, parsed.version, parsed.language) == (0.0, 1, "zh")


def test_windows_line_ends_parse_the_same():
    parsed, problems = parse_module("silent-dorm", GOOD.replace("\n", "\r\n"), ROLES)
    assert problems == [] and len(parsed.decisions) == 2


@pytest.mark.parametrize("old, new, at, message", [
    ("roles: [dorm_informant", "roles: [dorm_informant, [", "roles:", "front matter"),
    ("title: 寝室里的沉默\n", "", None, "title is required"),
    ("title: 寝室里的沉默", "title: ''", "title:", "title is required"),
    ("dorm_informant,", "dorm_spy,", "roles:", "unknown role 'dorm_spy'"),
    ("[recognition,", "[telepathy,", "competencies:", "unknown competency 'telepathy'"),
    ("hours: 1.5", "hours: -1", "hours:", "hours must be a number"),
    ("hours: 1.5", "hours: many", "hours:", "hours must be a number"),
    ("version: 2", "version: 0", "version:", "version must be a whole number"),
    ("hours: 1.5", "hour: 1.5", "hour:", "unknown front-matter key 'hour'"),
])
def test_front_matter_problems_name_their_line(old, new, at, message):
    text = GOOD.replace(old, new, 1)
    problems = problems_of(text)
    line = line_of(text, at) if at else 1
    assert any(n == line and message in m for n, m in problems), problems


def test_a_file_without_front_matter_is_a_problem_on_line_1():
    assert problems_of("## 只有正文\n") == [
        (1, "the file must start with front matter between --- lines")]


def test_a_bad_slug_is_a_problem():
    _parsed, problems = parse_module("Silent Dorm", GOOD, ROLES)
    assert problems and "lowercase letters" in problems[0][1]


@pytest.mark.parametrize("old, new, at, message", [
    ("prompt: 你首先会？", "prompt: 你首先会？\n\tbad: 1", "\tbad", "decision:"),
    ("id: first-step\n", "", "prompt: 你首先会？", "id is required"),
    ("id: next-step", "id: first-step", "id: first-step\nprompt: 辅导员", "duplicate id"),
    ("""  - text: 当作玩笑，不予理会
    correct: false
    feedback: 这些变化需要认真对待。
""", "", "id: first-step", "at least 2 options"),
    ("correct: true\n    feedback: 陪伴", "correct: false\n    feedback: 陪伴", "id: first-step",
     "at least one option correct"),
    ("    feedback: 这些变化需要认真对待。\n", "", "  - text: 当作玩笑", "option 1: feedback is required"),
    ("prompt: 你首先会？\n", "", "id: first-step", "prompt is required"),
])
def test_decision_problems_name_their_line_in_the_file(old, new, at, message):
    text = GOOD.replace(old, new, 1)
    problems = problems_of(text)
    line = line_of(text, at)
    assert any(n == line and message in m for n, m in problems), (line, problems)


def test_problems_come_in_line_order_and_all_at_once():
    text = GOOD.replace("hours: 1.5", "hours: -1").replace("id: next-step", "id: first-step")
    problems = problems_of(text)
    assert [n for n, _m in problems] == sorted(n for n, _m in problems)
    assert len(problems) == 2


def test_load_version_parses_the_stored_source(app):
    module = Module(slug="silent-dorm")
    version = ModuleVersion(module=module, version=2, title="寝室里的沉默", source=GOOD)
    db.session.add_all([module, version])
    db.session.flush()
    parsed = load_version(version)
    assert parsed.slug == "silent-dorm" and len(parsed.decisions) == 2
    assert load_version(version) is parsed
