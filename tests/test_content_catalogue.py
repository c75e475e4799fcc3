"""The content catalogue (services/content_catalogue.py): learner pages read published
modules, quizzes and programs from a per-process snapshot, which any change to them —
through a page, the ORM or plain SQL — replaces on the very next request."""
import pytest
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models import ContentVersion
from models import Module
from models import Program
from models import Quiz
from services.content_catalogue import catalogue
from tests.certification_helpers import make_program
from tests.certification_helpers import make_quiz
from tests.statements import recorded
from tests.test_training_service import add_module
from tests.test_training_service import module_text


@pytest.fixture
def learner(make_unit, make_person, make_user):
    dorm = make_unit("D1", "dorm", make_unit("K1", "class", make_unit("C1", "college", make_unit("U1"))))
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    make_user("s001@example.edu.cn", person=person, name="李同学")
    return person


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def version() -> int:
    return db.session.scalar(select(ContentVersion.version))


def test_a_new_module_version_shows_on_the_next_dashboard(client, auth, learner):
    add_module(text=module_text(title="第一版标题"))
    auth.login("s001@example.edu.cn")
    assert "第一版标题" in dashboard(client)
    add_module(text=module_text(version=2, title="第二版标题"))
    page = dashboard(client)
    assert "第二版标题" in page and "第一版标题" not in page


def test_quizzes_programs_and_modules_changed_by_any_path_show_at_once(client, auth, learner):
    add_module(text=module_text(title="寝室里的沉默"))
    make_quiz(title="旧测验名")
    program = make_program()  # titled 认证informant-basic
    auth.login("s001@example.edu.cn")
    page = dashboard(client)
    assert "旧测验名" in page and "认证informant-basic" in page and "寝室里的沉默" in page

    db.session.execute(text("UPDATE quiz SET title = '新测验名'"))  # plain SQL, as a DBA would
    program.title = "新认证名"  # the ORM
    db.session.commit()
    page = dashboard(client)
    assert "新测验名" in page and "旧测验名" not in page
    assert "新认证名" in page and "认证informant-basic" not in page

    db.session.execute(text("UPDATE module SET current_version_id = NULL"))  # unpublished
    db.session.commit()
    assert "寝室里的沉默" not in dashboard(client)


def test_unchanged_content_is_read_once_per_process(app, learner):
    add_module()
    first = catalogue()
    db.session.commit()  # a new transaction, as the next request would have
    with recorded() as seen:
        second = catalogue()
    assert second is first
    assert len(seen) == 1  # only the version check
    with recorded() as seen:
        catalogue()
    assert seen == []  # checked once per transaction


def test_a_transaction_sees_its_own_changes_and_a_rollback_leaves_no_trace(app, learner):
    add_module(text=module_text(title="已发布"))
    assert [m.title for m in catalogue().modules] == ["已发布"]
    db.session.commit()

    quiz = make_quiz(title="草稿测验")
    quiz.title = "改了但撤销"
    db.session.flush()
    assert [q.title for q in catalogue().quizzes] == ["改了但撤销"]
    db.session.rollback()

    assert [q.title for q in app.extensions["content_catalogue"]["snapshot"].quizzes] != ["改了但撤销"]
    assert [q.title for q in catalogue().quizzes] == ["草稿测验"]
    db.session.execute(text("UPDATE quiz SET title = '手写SQL也撤销'"))
    assert [q.title for q in catalogue().quizzes] == ["手写SQL也撤销"]
    db.session.rollback()

    kept = app.extensions["content_catalogue"]["snapshot"]  # what other requests would reuse
    assert [q.title for q in kept.quizzes] == ["草稿测验"]
    assert [q.title for q in catalogue().quizzes] == ["草稿测验"]


def test_every_write_to_a_catalogue_table_bumps_the_version_and_others_do_not(app, make_unit):
    seen = [version()]

    def bumped() -> bool:
        db.session.commit()
        seen.append(version())
        return seen[-1] > seen[-2]

    add_module()
    assert bumped()  # module, module_version inserted; module updated
    db.session.execute(text("UPDATE module_version SET requires_recompletion = true"))
    assert bumped()
    quiz = make_quiz()
    assert bumped()
    db.session.delete(quiz)
    assert bumped()
    program_id = make_program().id
    assert bumped()
    db.session.execute(text("DELETE FROM program"))
    assert bumped()
    db.session.execute(text("UPDATE module SET current_version_id = NULL"))
    db.session.execute(text("DELETE FROM module_version"))
    db.session.execute(text("DELETE FROM module"))
    assert bumped()
    make_unit("U9")
    assert not bumped()
    assert db.session.scalar(select(Module)) is None and db.session.get(Program, program_id) is None


def test_the_dashboard_reads_content_only_when_it_changed(client, auth, learner):
    add_module()
    make_quiz()
    auth.login("s001@example.edu.cn")
    dashboard(client)
    with recorded() as warm:
        dashboard(client)
    add_module(text=module_text(version=2, title="新一版"))
    with recorded() as after_change:
        assert "新一版" in dashboard(client)
    with recorded() as warm_again:
        dashboard(client)
    assert len(after_change) > len(warm) == len(warm_again)
    assert not any("module_version.source" in statement for statement in warm_again)


def test_the_version_triggers_are_in_place(app):
    """A batch migration that rebuilds one of these tables on SQLite drops its triggers, and
    learners would then see content as of their server's start: it must create them again."""
    tables = ("module", "module_version", "quiz", "program")
    if db.engine.dialect.name == "sqlite":
        found = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        wanted = {f"content_{t}_{event}" for t in tables for event in ("insert", "update", "delete")}
    else:
        found = set(db.session.scalars(text("SELECT tgname FROM pg_trigger")))
        wanted = {f"content_{t}_{kind}" for t in tables for kind in ("changed", "truncated")}
    assert wanted <= found, sorted(wanted - found)


def test_a_savepoint_rolled_back_takes_its_content_with_it(app, learner):
    make_quiz(title="原标题")
    with db.session.begin_nested() as savepoint:
        db.session.scalar(select(Quiz)).title = "回滚的标题"
        assert [q.title for q in catalogue().quizzes] == ["回滚的标题"]
        savepoint.rollback()
    assert [q.title for q in catalogue().quizzes] == ["原标题"]


def test_a_pending_change_counts_as_autoflush_would_have_it(app, learner):
    make_quiz(title="旧名")
    assert [q.title for q in catalogue().quizzes] == ["旧名"]
    db.session.scalar(select(Quiz)).title = "新名"  # not flushed yet
    assert [q.title for q in catalogue().quizzes] == ["新名"]
