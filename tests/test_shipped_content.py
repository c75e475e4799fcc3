"""The case studies we ship (content/modules/): they parse, teach what the notice asks, and
follow safe-messaging rules (../shared/CONTENT.md) — a careless line could teach harm."""
import re

import pytest
import yaml
from sqlalchemy import select

from extensions import db
from models import Module
from services.module_source import parse_module
from tests.conftest import CONTENT

MODULES = sorted((CONTENT / "modules").glob("*.md"))
CHAIN = "寝室信息员 → 班级心理委员 → 辅导员 → 学院 → 心理健康教育中心"
FIVE_EARLY = "早发现、早报告、早研判、早预防、早控制"
FIVE_ONES = "一名患者、一名领导、一个班子、一套方案、一抓到底"
THREE_BELIEFS = "出现心理问题是正常的、有心理问题求助是正当的、发现心理危机事件主动报告是正确的"

#: words a shipped module must never contain: attempts framed as success or failure,
#: suicide framed as relief, and methods, means or locations (WHO/IASP media guidance)
BANNED = (
    "自杀成功", "自杀失败", "成功自杀", "轻生成功", "未遂成功", "自杀方法", "自杀方式",
    "一了百了", "解脱", "殉情",
    "跳楼", "跳河", "跳桥", "坠楼", "投河", "卧轨", "上吊", "自缢", "割腕", "服毒",
    "农药", "安眠药", "过量服", "烧炭", "煤气", "刀片", "绳子", "天台", "楼顶", "高楼",
)
#: the hotline runs at least 18 hours a day in each region: never promise round the clock
NO_PROMISES = ("24小时", "24 小时", "全天候", "随时都有人接听")


def read_roles() -> dict[str, str]:
    """Role code → kind (student | staff), from the shipped roles.yaml."""
    data = yaml.safe_load((CONTENT / "roles.yaml").read_text(encoding="utf-8"))
    return {role["code"]: role["kind"] for role in data["roles"]}


@pytest.fixture
def parsed(app):
    """Every shipped module parsed, as (path, text, module, problems)."""
    roles = set(read_roles())
    result = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        module, problems = parse_module(path.stem, text, known_roles=roles)
        result.append((path, text, module, problems))
    return result


def test_there_are_at_least_eight_modules_and_all_parse_cleanly(parsed):
    assert len(parsed) >= 8
    for path, _text, module, problems in parsed:
        assert problems == [], f"{path.name}: {problems}"
        assert module is not None
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)


def test_every_module_is_a_short_case_study_in_chinese(parsed):
    for path, text, module, _problems in parsed:
        assert module.language == "zh", path.name
        assert module.version >= 1
        assert 0.5 <= module.hours <= 1.5, path.name
        assert module.summary.strip(), path.name
        assert module.roles and module.competencies, path.name
        assert 3 <= len(module.sections) <= 5, path.name
        assert "化名" in text, f"{path.name}: say the case is a composite with invented names"


def test_every_decision_teaches_through_feedback_on_each_option(parsed):
    for path, _text, module, _problems in parsed:
        decisions = module.decisions
        assert len(decisions) >= 2, path.name
        assert len({d.id for d in decisions}) == len(decisions), path.name
        for decision in decisions:
            where = f"{path.name}#{decision.id}"
            assert decision.prompt.strip(), where
            assert decision.correct_indexes, f"{where}: no correct option"
            assert len(decision.correct_indexes) < len(decision.options), f"{where}: no wrong option"
            for option in decision.options:
                assert option.text.strip(), where
                assert len(option.feedback.strip()) >= 20, f"{where}: thin feedback for {option.text}"


def test_every_module_names_the_chain_the_hotline_and_emergency_numbers(parsed):
    for path, text, _module, _problems in parsed:
        assert CHAIN in text, f"{path.name}: the reporting chain"
        assert "12356" in text and "国家心理援助热线" in text, f"{path.name}: the hotline"
        assert "110" in text and "120" in text, f"{path.name}: 110 / 120 for immediate danger"
        assert "保卫处" in text, f"{path.name}: campus security"


def test_together_they_cover_every_competency_and_both_kinds_of_learner(parsed):
    kinds = read_roles()
    competencies = {c for _p, _t, m, _pr in parsed for c in m.competencies}
    roles = {r for _p, _t, m, _pr in parsed for r in m.roles}
    assert competencies == {"recognition", "discernment", "intervention"}
    assert roles == set(kinds), f"roles without a module: {set(kinds) - roles}"
    assert {kinds[r] for r in roles} == {"student", "staff"}


def test_student_and_staff_modules_are_separate(parsed):
    kinds = read_roles()
    for path, _text, module, _problems in parsed:
        assert len({kinds[r] for r in module.roles}) == 1, f"{path.name} mixes students and staff"


def test_the_notices_own_words_are_taught_as_written(parsed):
    everything = "\n".join(text for _p, text, _m, _pr in parsed)
    for phrase in (FIVE_EARLY, FIVE_ONES, THREE_BELIEFS):
        assert phrase in everything, phrase
    staff = [text for _p, text, m, _pr in parsed if "counselor" in m.roles]
    assert any(FIVE_ONES in text for text in staff), "the five ones are for staff"
    students = [text for _p, text, m, _pr in parsed if "dorm_informant" in m.roles]
    assert all(THREE_BELIEFS in text for text in students), "every informant module"


def test_asking_directly_is_taught_as_safe(parsed):
    everything = "\n".join(text for _p, text, _m, _pr in parsed)
    assert "不会把这个念头" in everything or "不会让他产生这个念头" in everything
    assert "不承诺保密" in everything
    assert "个人信息保护法" in everything and "第二十八条" in everything


@pytest.mark.parametrize("word", BANNED + NO_PROMISES)
def test_no_banned_words(word):
    found = [p.name for p in MODULES if word in p.read_text(encoding="utf-8")]
    assert found == [], f"{word!r} in {found}"


def test_the_shipped_content_directory_syncs(app, runner):
    result = runner.invoke(args=["content", "sync", str(CONTENT)])
    assert result.exit_code == 0, result.output
    slugs = set(db.session.scalars(select(Module.slug)))
    assert {p.stem for p in MODULES} <= slugs
    again = runner.invoke(args=["content", "sync", str(CONTENT)])
    assert again.exit_code == 0, again.output
    assert re.search(r"created 0, updated 0, unchanged \d+", again.output)
