"""The signed-in user, read as rows and attached as ORM objects (blueprints/user_loading.py):
the same objects a query would give, nothing pending, and a session that holds them already
keeps its own."""
from sqlalchemy import select

from blueprints.user_loading import USER_WITH_PERSON_AND_GRANTS
from blueprints.user_loading import signed_in_user
from extensions import db
from models import User
from services.accounts import add_grant


def fresh_session():
    db.session.commit()
    db.session.expunge_all()


def test_the_user_comes_with_person_and_grants_as_a_query_gives_them(app, make_unit, make_person,
                                                                      make_user):
    university = make_unit("U1")
    make_unit("C1", "college", university)
    make_unit("C2", "college", university)
    person = make_person("T001", name="王老师", role="counselor", unit=university)
    user = make_user("t001@example.edu.cn", grant=("admin", "C1"), person=person, name="王老师")
    add_grant(user, "trainer", "C1")  # a second grant on the same unit
    add_grant(user, "auditor", "C2")
    user_id = user.id
    fresh_session()

    queried = db.session.execute(USER_WITH_PERSON_AND_GRANTS, {"id": user_id}).unique().scalar()
    expected = ({c.key: getattr(queried, c.key) for c in User.__table__.columns},
                queried.person.number, sorted((g.kind, g.unit.code) for g in queried.grants))
    fresh_session()

    loaded = signed_in_user(user_id)
    assert ({c.key: getattr(loaded, c.key) for c in User.__table__.columns},
            loaded.person.number, sorted((g.kind, g.unit.code) for g in loaded.grants)) == expected
    assert sorted(g.kind for g in loaded.grants) == ["admin", "auditor", "trainer"]
    units = {g.unit.code: g.unit for g in loaded.grants}
    assert [g.unit for g in loaded.grants if g.unit.code == "C1"] == [units["C1"]] * 2, \
        "one object per unit"
    assert units["C1"].parent.code == "U1", "relationships not loaded yet load as usual"
    assert not db.session.new and not db.session.dirty, "nothing pending: a commit writes nothing"
    assert db.session.get(User, user_id) is loaded


def test_a_change_to_the_loaded_user_is_saved(app, make_user):
    user_id = make_user("s001@example.edu.cn", name="李同学").id
    fresh_session()
    loaded = signed_in_user(user_id)
    assert loaded.person is None and loaded.grants == []
    loaded.locale = "en"
    db.session.commit()
    fresh_session()
    assert db.session.scalar(select(User.locale).where(User.id == user_id)) == "en"


def test_a_session_holding_the_user_already_keeps_its_object(app, make_user):
    user = make_user("s001@example.edu.cn", name="李同学")
    assert signed_in_user(user.id) is user
    assert signed_in_user(10 ** 9) is None


def test_a_signed_in_page_shows_the_users_grants(client, auth, make_unit, make_user):
    make_unit("C1", "college", make_unit("U1"), name="心理学院")
    make_user("admin@example.edu.cn", grant=("admin", "C1"), name="管理员")
    auth.login("admin@example.edu.cn")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/units/C1">心理学院</a>' in page
