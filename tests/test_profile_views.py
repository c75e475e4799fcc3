"""The profile page: API tokens created (shown once), listed and revoked by their owner."""
import re

from sqlalchemy import select

from extensions import db
from models import ApiToken
from models import AuditEvent
from services import accounts


def api_status(client, token: str) -> int:
    """401 for a token that does not work; 404 (no such unit) for one that does."""
    return client.get("/api/v1/units/NOPE", headers={"Authorization": f"Bearer {token}"}).status_code


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def test_profile_needs_sign_in(client):
    assert client.get("/profile").headers["Location"].startswith("/login")


def test_the_name_in_the_menu_opens_the_profile(client, auth, make_user):
    make_user("ann@example.edu.cn", name="安妮")
    auth.login("ann@example.edu.cn")
    assert 'href="/profile">安妮</a>' in client.get("/").get_data(as_text=True)


def test_create_token_shows_it_once_and_stores_only_its_hash(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    response = auth.post("/profile/tokens", {"name": "报表脚本"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r'id="new-token"[^>]*value="(sw_[^"]+)"', html).group(1)
    [row] = tokens_of(user)
    assert row.name == "报表脚本"
    assert row.token_hash == accounts.hash_token(token)
    assert token not in client.get("/profile").get_data(as_text=True)
    assert f"{row.prefix}…" in client.get("/profile").get_data(as_text=True)
    # the token works: a user without grants sees nothing, but is recognised (404, not 401)
    assert api_status(client, token) == 404


def test_create_token_needs_csrf(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    response = client.post("/profile/tokens", data={"name": "x"})
    assert response.status_code == 400
    assert tokens_of(user) == []


def test_an_overlong_name_is_refused_on_the_page(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    response = auth.post("/profile/tokens", {"name": "x" * 101})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert tokens_of(user) == []


def test_the_list_shows_only_my_working_tokens(client, auth, make_user):
    me = make_user("ann@example.edu.cn")
    other = make_user("bob@example.edu.cn")
    accounts.create_token(me, "我的令牌")
    accounts.create_token(other, "别人的令牌")
    old = accounts.create_token(me, "已撤销")
    db.session.commit()
    accounts.revoke_token(db.session.scalar(select(ApiToken).where(ApiToken.name == "已撤销")), by=me)
    db.session.commit()
    auth.login("ann@example.edu.cn")
    html = client.get("/profile").get_data(as_text=True)
    assert "我的令牌" in html
    assert "别人的令牌" not in html and "已撤销" not in html and old[:10] not in html


def test_revoke_my_token(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    token = accounts.create_token(user, "旧脚本")
    db.session.commit()
    [row] = tokens_of(user)
    auth.login("ann@example.edu.cn")
    response = auth.post(f"/profile/tokens/{row.id}/revoke")
    assert response.headers["Location"] == "/profile"
    db.session.refresh(row)
    assert row.revoked_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoked"))
    assert event.actor_id == user.id and event.detail["token"] == row.prefix
    assert api_status(client, token) == 401
    assert "旧脚本" not in client.get("/profile").get_data(as_text=True)


def test_someone_elses_token_answers_404(client, auth, make_user):
    make_user("ann@example.edu.cn", grant=("superadmin", None))
    other = make_user("bob@example.edu.cn")
    token = accounts.create_token(other, "bob")
    db.session.commit()
    [row] = tokens_of(other)
    auth.login("ann@example.edu.cn")
    assert auth.post(f"/profile/tokens/{row.id}/revoke").status_code == 404
    db.session.refresh(row)
    assert row.revoked_at is None
    assert api_status(client, token) == 404


def test_revoke_needs_csrf(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    accounts.create_token(user)
    db.session.commit()
    [row] = tokens_of(user)
    auth.login("ann@example.edu.cn")
    assert client.post(f"/profile/tokens/{row.id}/revoke").status_code == 400
    db.session.refresh(row)
    assert row.revoked_at is None


def test_many_tokens_paginate(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    for n in range(55):
        accounts.create_token(user, f"token-{n:02d}")
    db.session.commit()
    auth.login("ann@example.edu.cn")
    first = client.get("/profile").get_data(as_text=True)
    second = client.get("/profile?page=2").get_data(as_text=True)
    assert first.count("btn-outline-danger") == 50
    assert second.count("btn-outline-danger") == 5
    assert client.get("/profile?page=zzz").status_code == 200
