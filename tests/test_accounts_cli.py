"""`flask users create` and `flask tokens create` (SPEC §4), through the CLI runner."""
import hashlib

import pytest
from sqlalchemy import select

from extensions import db
from models import ApiToken
from models import Grant
from models import User


@pytest.fixture
def units(make_unit):
    uni = make_unit("U1")
    make_unit("CA", "college", uni)
    return uni


def create(runner, *extra, email="ann@example.edu.cn"):
    return runner.invoke(args=["users", "create", email, "--name", "安妮",
                               "--password", "long-enough-1", *extra])


def grants_of(email: str) -> list[tuple[str, str | None]]:
    user = db.session.scalar(select(User).where(User.email == email))
    return [(g.kind, g.unit.code if g.unit else None)
            for g in db.session.scalars(select(Grant).where(Grant.user_id == user.id))]


@pytest.mark.parametrize("options, grant, said", [
    ([], [], "Created user ann@example.edu.cn\n"),
    (["--superadmin"], [("superadmin", None)], "Created user ann@example.edu.cn (superadmin)\n"),
    (["--admin-of", "CA"], [("admin", "CA")], "Created user ann@example.edu.cn (admin of CA)\n"),
    (["--trainer-of", "CA"], [("trainer", "CA")], "Created user ann@example.edu.cn (trainer of CA)\n"),
    (["--auditor-of", "U1"], [("auditor", "U1")], "Created user ann@example.edu.cn (auditor of U1)\n"),
])
def test_create_user_with_each_grant(runner, units, options, grant, said):
    result = create(runner, *options)
    assert result.exit_code == 0, result.output
    assert result.stdout == said
    assert grants_of("ann@example.edu.cn") == grant


def test_created_user_can_sign_in(runner, units, auth):
    create(runner)
    response = auth.login("ann@example.edu.cn", "long-enough-1")
    assert response.headers["Location"] == "/"


def test_create_user_linked_to_a_person(runner, units, make_person):
    make_person("T001", role="counselor", unit=units)
    result = create(runner, "--person", "T001")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ann@example.edu.cn"))
    assert user.person.number == "T001"


@pytest.mark.parametrize("options, message", [
    (["--admin-of", "NOPE"], "Error: No unit with code NOPE.\n"),
    (["--person", "X999"], "Error: No person with number X999.\n"),
    (["--superadmin", "--password", "short"], "Error: The password must have at least 8 characters.\n"),
])
def test_create_user_refuses_clearly_and_writes_nothing(runner, units, options, message):
    result = create(runner, *options)
    assert result.exit_code == 1
    assert result.stderr == message
    assert db.session.scalar(select(User)) is None


def test_a_second_user_with_the_same_email_is_refused(runner, units):
    assert create(runner).exit_code == 0
    result = create(runner, "--superadmin", email="ANN@example.edu.cn")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert len(db.session.scalars(select(User)).all()) == 1
    assert grants_of("ann@example.edu.cn") == []


def test_two_grant_options_are_a_usage_error(runner, units):
    result = create(runner, "--superadmin", "--admin-of", "CA")
    assert result.exit_code == 2
    assert "at most one" in result.stderr
    assert db.session.scalar(select(User)) is None


def test_token_printed_works_against_the_api(runner, client, units):
    create(runner, "--admin-of", "CA")
    result = runner.invoke(args=["tokens", "create", "ann@example.edu.cn", "--name", "报表脚本"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("sw_") and len(token) > 40
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units/CA", headers=headers).status_code == 200
    assert client.get("/api/v1/units/U1", headers=headers).status_code == 404


def test_token_is_stored_hashed_only(runner, units):
    create(runner)
    token = runner.invoke(args=["tokens", "create", "ann@example.edu.cn"]).stdout.strip()
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:10]
    secret_part = token[10:]
    for table in db.metadata.sorted_tables:
        for values in db.session.execute(table.select()):
            assert not any(secret_part in str(v) for v in values), table.name


def test_token_for_an_unknown_email_is_refused(runner, units):
    result = runner.invoke(args=["tokens", "create", "nobody@example.edu.cn"])
    assert result.exit_code == 1
    assert result.stderr == "Error: No user with email nobody@example.edu.cn.\n"
    assert result.stdout == ""
    assert db.session.scalar(select(ApiToken)) is None
