"""`flask users invite`: one-time activation links for people without a login."""
import re
from datetime import date
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import User
from models.base import utcnow
from services import invitations
from tests.conftest import csrf_token_from

OLD = date(2020, 9, 1)
LINK = re.compile(r"^(\S+)\t(\S+)\thttp://127\.0\.0\.1:5000/activate/(\S+)$", re.M)


@pytest.fixture
def college(make_unit, make_person, make_user):
    uni = make_unit("U1")
    college_a = make_unit("CA", "college", uni, name="甲学院")
    klass = make_unit("CA01", "class", college_a, name="甲一班")
    dorm = make_unit("CA01-101", "dorm", klass, name="101室")
    make_person("S001", name="张三", role="dorm_informant", unit=dorm, start=OLD,
                email="S001@Example.edu.cn")
    make_person("S001", role="class_psych_member", unit=klass, start=OLD)
    make_person("S002", name="李四", role="class_psych_member", unit=klass, start=OLD)
    make_person("S003", name="王五", role="dorm_informant", unit=dorm, start=OLD, end=date(2021, 6, 30))
    make_person("S004", name="赵六", role="dorm_informant", unit=dorm, start=OLD,
                email="taken@example.edu.cn")
    make_person("S005", name="钱七", role="dorm_informant", unit=dorm, start=OLD,
                email="s001@example.edu.cn")
    teacher = make_person("T001", name="孙老师", role="counselor", unit=college_a, start=OLD)
    make_user("teacher@example.edu.cn", person=teacher)
    make_user("taken@example.edu.cn")
    make_person("X001", name="外人", role="counselor", unit=make_unit("CB", "college", uni), start=OLD)
    return college_a


def invite(runner, *extra):
    return runner.invoke(args=["users", "invite", "--unit", "CA", *extra])


def links(result) -> dict[str, str]:
    return {number: token for number, _name, token in LINK.findall(result.stdout)}


def user_of(number: str) -> User:
    from models import Person

    return db.session.scalar(select(User).join(Person).where(Person.number == number))


def test_invite_makes_one_login_per_person_without_one(runner, college):
    result = invite(runner)
    assert result.exit_code == 0, result.output
    assert sorted(links(result)) == ["S001", "S002", "S004", "S005"]
    assert "Invited 4 (0 with a new link); skipped 1 with a login" in result.stderr
    s001 = user_of("S001")
    assert (s001.name, s001.email, s001.password_hash) == ("张三", "s001@example.edu.cn", None)
    assert user_of("S004").email is None  # someone else's login uses it
    assert user_of("S005").email is None  # S001 took it first
    assert user_of("S003") is None and user_of("X001") is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "users.invited"))
    assert (event.target_id, event.detail["invited"], event.detail["with_login"]) == ("CA", 4, 1)


def test_the_link_sets_a_password_signs_in_and_then_stops_working(runner, client, college):
    token = links(invite(runner))["S002"]
    page = client.get(f"/activate/{token}")
    assert page.status_code == 200
    assert "李四" in page.get_data(as_text=True)
    response = client.post(f"/activate/{token}", data={
        "password": "my-own-secret", "confirm": "my-own-secret",
        "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/"
    assert "李四" in client.get("/").get_data(as_text=True)
    assert client.get(f"/activate/{token}").status_code == 404
    assert user_of("S002").password_hash is not None


def test_an_activated_person_can_sign_in_by_number(runner, client, auth, college):
    token = links(invite(runner))["S002"]
    page = client.get(f"/activate/{token}").get_data(as_text=True)
    client.post(f"/activate/{token}", data={"password": "my-own-secret", "confirm": "my-own-secret",
                                            "csrf_token": csrf_token_from(page)})
    auth.logout()
    assert auth.login("S002", "my-own-secret").headers["Location"] == "/"


def test_an_expired_link_answers_404(runner, client, college):
    token = links(invite(runner))["S002"]
    user_of("S002").activation_expires = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/activate/{token}").status_code == 404
    assert client.post(f"/activate/{token}", data={"password": "x" * 10}).status_code in (400, 404)


def test_running_again_creates_no_one_and_keeps_working_links(runner, client, college):
    first = links(invite(runner))
    again = invite(runner)
    assert again.exit_code == 0
    assert links(again) == {}
    assert "skipped 1 with a login and 4 whose link still works" in again.stderr
    assert db.session.scalar(select(func.count(User.id))) == 2 + 4
    assert client.get(f"/activate/{first['S002']}").status_code == 200


def test_lapsed_links_are_renewed_automatically(runner, client, college):
    first = links(invite(runner))
    user_of("S002").activation_expires = utcnow() - timedelta(days=1)
    db.session.commit()
    again = invite(runner)
    assert list(links(again)) == ["S002"]
    assert "(1 with a new link)" in again.stderr
    assert client.get(f"/activate/{links(again)['S002']}").status_code == 200
    assert client.get(f"/activate/{first['S002']}").status_code == 404


def test_reissue_replaces_links_that_still_work(runner, client, college):
    first = links(invite(runner))
    again = links(invite(runner, "--reissue"))
    assert sorted(again) == sorted(first)
    assert client.get(f"/activate/{first['S001']}").status_code == 404
    assert client.get(f"/activate/{again['S001']}").status_code == 200
    assert db.session.scalar(select(func.count(User.id))) == 2 + 4


def test_activated_people_are_never_invited_again(runner, client, college):
    token = links(invite(runner))["S002"]
    page = client.get(f"/activate/{token}").get_data(as_text=True)
    client.post(f"/activate/{token}", data={"password": "my-own-secret", "confirm": "my-own-secret",
                                            "csrf_token": csrf_token_from(page)})
    assert "S002" not in links(invite(runner, "--reissue"))


def test_xlsx_for_distribution(runner, college, tmp_path):
    path = tmp_path / "links.xlsx"
    result = invite(runner, "--xlsx", str(path), "--base-url", "https://sw.example.edu.cn/")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert str(path) in result.stderr
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("工号/学号", "姓名", "单位", "角色", "邮箱", "激活链接", "有效期至")
    assert [r[0] for r in rows[1:]] == ["S001", "S002", "S004", "S005"]
    number, name, units, roles, email, link, expires = rows[1]
    assert (number, name, email) == ("S001", "张三", "s001@example.edu.cn")
    assert units == "甲一班 (CA01); 101室 (CA01-101)"  # in the order of the roles
    assert roles == "班级心理委员; 寝室信息员"
    token = link.removeprefix("https://sw.example.edu.cn/activate/")
    assert user_of("S001").activation_hash == invitations.accounts.hash_token(token)
    assert expires.date() >= date.today() + timedelta(days=13)


def test_an_unwritable_xlsx_path_writes_nothing(runner, college, tmp_path):
    result = invite(runner, "--xlsx", str(tmp_path / "missing-dir" / "links.xlsx"))
    assert result.exit_code == 1
    assert "Cannot write" in result.stderr
    assert user_of("S001") is None


def test_an_unknown_unit_is_refused(runner, college):
    result = runner.invoke(args=["users", "invite", "--unit", "NOPE"])
    assert result.exit_code == 1
    assert result.stderr == "Error: No unit with code NOPE.\n"


def test_invite_takes_the_subtree_of_a_class_only(runner, college):
    result = runner.invoke(args=["users", "invite", "--unit", "CA01"])
    assert sorted(links(result)) == ["S001", "S002", "S004", "S005"]
    assert user_of("T001").email == "teacher@example.edu.cn"  # untouched
