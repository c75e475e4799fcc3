"""The rules of working through a module: answers, completion, score, hours and status."""
import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import DecisionAnswer
from models import HourEntry
from models import Progress
from services import hours_ledger
from services import training
from services.errors import DomainError
from services.errors import NotFound
from services.learner_modules import learner_modules
from services.module_source import parse_module
from services.module_store import store_version

#: three sections: an opening, one with a decision between two paragraphs, one ending with a decision
MODULE = """---
title: 寝室里的沉默
summary: 一名学生连续多日不参加集体活动。
roles: [dorm_informant]
competencies: [recognition, intervention]
hours: 1.5
version: 1
---
小林是你的室友。

## 注意到变化

小林最近很少说话，也不去上课。

```decision
id: first-step
prompt: 你首先会？
options:
  - text: 当作没看见
    correct: false
    feedback: 持续的退缩是需要认真对待的信号。
  - text: 关切地询问，并告诉班级心理委员
    correct: true
    feedback: 关心并及时报告，是信息员该做的事。
```

小林说最近睡不着。

## 报告

```decision
id: report
prompt: 你向谁报告？
options:
  - text: 班级心理委员或辅导员
    correct: true
    feedback: 按报告链报告。
  - text: 在宿舍群里说一说
    correct: false
    feedback: 这会伤害小林的隐私。
```

寻求帮助是正确的。
"""


def module_text(version=1, hours=1.5, roles="dorm_informant", title="寝室里的沉默"):
    """MODULE with another version, hours, roles or title in its front matter."""
    return (MODULE.replace("version: 1", f"version: {version}")
            .replace("hours: 1.5", f"hours: {hours}")
            .replace("roles: [dorm_informant]", f"roles: [{roles}]")
            .replace("title: 寝室里的沉默", f"title: {title}"))


def add_module(slug="silent-dorm", text=MODULE, requires_recompletion=False):
    """Store a module version as the content sync would, committed; return the version."""
    parsed, problems = parse_module(slug, text)
    assert not problems, problems
    version, _outcome = store_version(slug, parsed, text, requires_recompletion=requires_recompletion)
    db.session.commit()
    return version


@pytest.fixture
def learner(make_unit, make_person):
    university = make_unit("U1")
    college = make_unit("C1", "college", university)
    klass = make_unit("K1", "class", college)
    dorm = make_unit("D1", "dorm", klass)
    return make_person("S001", name="李同学", role="dorm_informant", unit=dorm)


def complete(person, version, first=(1, 0)):
    """Work through MODULE choosing `first` at its two decisions."""
    progress = training.open_module(person, version)
    training.reach_section(progress, 1)
    training.answer_decision(person, version, "first-step", first[0])
    training.reach_section(progress, 2)
    training.answer_decision(person, version, "report", first[1])
    return progress


def count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_opening_twice_keeps_one_progress_row(learner):
    version = add_module()
    first = training.open_module(learner, version)
    assert training.open_module(learner, version) is first
    assert count(Progress) == 1


def test_a_simultaneous_open_reads_the_row_the_other_request_wrote(learner, monkeypatch):
    version = add_module()
    existing = training.open_module(learner, version)
    db.session.commit()
    real, calls = training.find_progress, []

    def racing(person, v):  # the first look misses, as when another request inserts meanwhile
        calls.append(1)
        return None if len(calls) == 1 else real(person, v)

    monkeypatch.setattr(training, "find_progress", racing)
    assert training.open_module(learner, version).id == existing.id
    assert count(Progress) == 1


def test_a_resubmitted_choice_never_duplicates_rows_and_the_first_answer_counts(learner):
    version = add_module()
    progress = training.open_module(learner, version)
    training.reach_section(progress, 1)
    answer, option = training.answer_decision(learner, version, "first-step", 0)
    assert (option.correct, "认真对待" in option.feedback) == (False, True)
    training.answer_decision(learner, version, "first-step", 0)
    again, option = training.answer_decision(learner, version, "first-step", 1)
    assert option.correct and again.id == answer.id
    db.session.commit()
    stored = db.session.scalars(select(DecisionAnswer)).all()
    assert [(a.first_choice, a.first_correct, a.last_choice) for a in stored] == [(0, False, 1)]


def test_a_double_submitted_first_answer_keeps_the_winner(learner, monkeypatch):
    version = add_module()
    progress = training.open_module(learner, version)
    training.reach_section(progress, 1)
    training.answer_decision(learner, version, "first-step", 1)
    db.session.commit()
    real = training.answers_of
    calls = []

    def racing(person, v):
        calls.append(1)
        return {} if len(calls) == 1 else real(person, v)

    monkeypatch.setattr(training, "answers_of", racing)
    training.answer_decision(learner, version, "first-step", 0)
    db.session.commit()
    stored = db.session.scalars(select(DecisionAnswer)).all()
    assert [(a.first_choice, a.first_correct, a.last_choice) for a in stored] == [(1, True, 0)]


@pytest.mark.parametrize("decision_id, choice, error", [
    ("no-such", 0, NotFound), ("first-step", 2, DomainError), ("first-step", -1, DomainError),
    ("first-step", None, DomainError), ("first-step", "1", DomainError),
])
def test_unknown_decisions_and_options_are_refused(learner, decision_id, choice, error):
    version = add_module()
    training.reach_section(training.open_module(learner, version), 1)
    with pytest.raises(error):
        training.answer_decision(learner, version, decision_id, choice)
    assert count(DecisionAnswer) == 0


def test_sections_are_reached_in_order_and_never_past_an_unanswered_decision(learner):
    version = add_module()
    progress = training.open_module(learner, version)
    with pytest.raises(DomainError, match="order"):
        training.answer_decision(learner, version, "report", 0)  # section 2 not reached
    with pytest.raises(DomainError, match="order"):
        training.reach_section(progress, 2)
    training.reach_section(progress, 1)
    with pytest.raises(DomainError, match="decision"):
        training.reach_section(progress, 2)
    with pytest.raises(NotFound):
        training.reach_section(progress, 3)
    training.answer_decision(learner, version, "first-step", 1)
    training.reach_section(progress, 2)
    training.reach_section(progress, 0)  # reading back never lowers how far they came
    assert progress.section_reached == 2 and progress.completed_at is None


def test_completion_is_computed_with_the_score_and_hours_credited_once(learner):
    version = add_module()
    progress = complete(learner, version, first=(0, 0))
    assert progress.completed_at is not None and progress.score == 0.5
    assert training.maybe_complete(progress) is False
    assert hours_ledger.credit_module_hours(learner, version).hours == 1.5
    db.session.commit()
    entries = db.session.scalars(select(HourEntry)).all()
    assert [(e.hours, e.source, e.source_ref, e.status, e.activity) for e in entries] == [
        (1.5, "module", "silent-dorm@1", "approved", "module")]
    assert training.hours_total(learner) == 1.5
    assert training.module_status(learner, version.module) == "completed"


def test_running_maybe_complete_twice_on_a_fresh_completion_credits_once(learner):
    version = add_module()
    progress = complete(learner, version)
    progress.completed_at = None  # as if a second request had not seen the first finish
    assert training.maybe_complete(progress) is True
    db.session.commit()
    assert count(HourEntry) == 1 and progress.score == 1.0


def test_a_module_without_decisions_or_hours_completes_with_full_score_and_no_entry(learner):
    version = add_module("plain", "---\ntitle: 一段阅读\nroles: [dorm_informant]\nhours: 0\n---\n"
                                  "只读一节。\n")
    progress = training.open_module(learner, version)
    training.reach_section(progress, 0)
    assert progress.completed_at is not None and progress.score == 1.0
    assert count(HourEntry) == 0


def test_statuses_through_the_versions(learner):
    version = add_module()
    module = version.module
    assert training.module_status(learner, module) == "not_started"
    training.open_module(learner, version)
    assert training.module_status(learner, module) == "in_progress"
    complete(learner, version)
    assert training.module_status(learner, module) == "completed"

    add_module(text=module_text(version=2))  # a new version, no re-completion asked
    db.session.refresh(module)
    assert module.current.version == 2
    assert training.module_status(learner, module) == "completed"
    complete(learner, module.current)  # reading the new version again earns nothing more
    assert count(HourEntry) == 1

    add_module(text=module_text(version=3), requires_recompletion=True)
    db.session.refresh(module)
    assert training.module_status(learner, module) == "due_again"
    training.open_module(learner, module.current)
    assert training.module_status(learner, module) == "due_again"
    complete(learner, module.current)
    assert training.module_status(learner, module) == "completed"
    refs = set(db.session.scalars(select(HourEntry.source_ref)))
    assert refs == {"silent-dorm@1", "silent-dorm@3"}


def test_a_completed_version_stays_completed_after_a_later_unflagged_one(learner):
    version = add_module()
    complete(learner, version)
    add_module(text=module_text(version=2, title="新标题"))
    add_module(text=module_text(version=3, title="再次修订"))
    db.session.refresh(version.module)
    assert training.module_status(learner, version.module) == "completed"
    [row] = learner_modules(learner)
    assert (row.status, row.progress, row.score, row.version.version) == ("completed", 1.0, 1.0, 3)


def test_the_dashboard_lists_modules_for_the_roles_held_most_pressing_first(learner):
    add_module("for-me", module_text(title="甲"))
    add_module("for-counselors", module_text(roles="counselor", title="乙"))
    mine = add_module("also-mine", module_text(roles="counselor, dorm_informant", title="丙"))
    done = add_module("done", module_text(title="丁"))
    complete(learner, done)
    progress = training.open_module(learner, mine)
    training.reach_section(progress, 1)
    training.answer_decision(learner, mine, "first-step", 1)
    db.session.commit()
    rows = learner_modules(learner)
    assert [(r.module.slug, r.status) for r in rows] == [
        ("also-mine", "in_progress"), ("for-me", "not_started"), ("done", "completed")]
    assert rows[0].progress == pytest.approx(3 / 5)  # 2 of 3 sections reached, 1 of 2 answered
    assert rows[1].progress == 0 and rows[2].progress == 1
    assert learner_modules(None) == []
