"""Rate limits (ASVS 2.2.1, 11.1.4): token creation and token guessing answer 429, and with
RATELIMIT_STORAGE_URI=redis://… the counts are shared by every app server."""
import random

import pytest
import redis
from sqlalchemy import func
from sqlalchemy import select

from app import create_app
from config import TestConfig
from extensions import db
from extensions import limiter
from models import ApiToken
from services import accounts
from tests.conftest import AuthActions

REDIS = "redis://127.0.0.1:6379"


@pytest.fixture
def limits(app):
    """limits(NAME=value): set rate limits for one test."""
    saved = {}

    def set_limits(**values):
        for name, value in values.items():
            saved.setdefault(name, app.config[name])
            app.config[name] = value

    yield set_limits
    app.config.update(saved)


def token_count() -> int:
    return db.session.scalar(select(func.count(ApiToken.id)))


def test_creating_tokens_is_limited_per_user(app, client, auth, make_user, limits):
    make_user("ann@example.edu.cn")
    make_user("bob@example.edu.cn")
    limits(TOKEN_RATE_LIMIT="2 per minute")
    auth.login("ann@example.edu.cn")
    statuses = [auth.post("/profile/tokens", {"name": f"t{n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert token_count() == 2
    auth.logout()
    auth.login("bob@example.edu.cn")  # the same address, another user
    assert auth.post("/profile/tokens", {"name": "bob"}).status_code == 200


def api_get(client, token: str, address: str = "127.0.0.1"):
    return client.get("/api/v1/units/NOPE", headers={"Authorization": f"Bearer {token}"},
                      environ_base={"REMOTE_ADDR": address})


def test_guessing_api_tokens_is_limited_but_working_tokens_are_not(app, client, make_user, limits):
    user = make_user("ann@example.edu.cn")
    token = accounts.create_token(user)
    db.session.commit()
    limits(API_AUTH_RATE_LIMIT="3 per minute")
    assert [api_get(client, token).status_code for _ in range(6)] == [404] * 6  # never counted
    guesses = [api_get(client, f"sw_guess{n}") for n in range(4)]
    assert [r.status_code for r in guesses] == [401, 401, 401, 429]
    assert guesses[-1].get_json()["error"]["code"] == "too_many_requests"
    assert api_get(client, token).status_code == 429  # the guesser's address is shut out
    assert api_get(client, token, "127.0.0.2").status_code == 404  # others are not


def test_missing_tokens_count_as_guesses(app, client, limits):
    limits(API_AUTH_RATE_LIMIT="2 per minute")
    statuses = [client.get("/api/v1/units/NOPE").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


@pytest.fixture
def redis_server():
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379 (CI and the dev machine run one)")
    return REDIS


@pytest.fixture
def app_server(app):
    """app_server(storage_uri): a new app instance (as on another machine) on the same database.

    The limiter is one object per process; what the instances made of it is put back after.
    """
    saved = limiter._storage, limiter._limiter
    made = []

    def start(storage_uri: str):
        class Server(TestConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
            UPLOAD_DIR = app.config["UPLOAD_DIR"]
            RATELIMIT_STORAGE_URI = storage_uri
            LOGIN_RATE_LIMIT = "2 per minute"

        made.append(create_app(Server))
        return made[-1]

    yield start
    limiter._storage, limiter._limiter = saved
    for server in made:
        with server.app_context():
            db.engine.dispose()


def failed_sign_in(server, address: str) -> int:
    client = server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = AuthActions(client).csrf_token("/login")
    return client.post("/login", data={"username": "nobody@example.edu.cn",
                                       "password": "wrong-password", "csrf_token": token}).status_code


def an_address() -> str:
    """A loopback address of its own, so parallel runs on one Redis never share a count."""
    return "127." + ".".join(str(random.randint(1, 254)) for _ in range(3))


@pytest.mark.parametrize("storage, third", [("redis", 429), ("memory://", 200)])
def test_sign_in_limits_are_shared_between_servers_through_redis(request, app_server, storage, third):
    """Two servers on Redis share one count; on memory:// (the control) each has its own."""
    uri = request.getfixturevalue("redis_server") if storage == "redis" else storage
    address = an_address()
    first = app_server(uri)
    assert type(limiter.storage).__name__ == ("RedisStorage" if storage == "redis" else "MemoryStorage")
    assert [failed_sign_in(first, address) for _ in range(2)] == [200, 200]
    second = app_server(uri)
    assert failed_sign_in(second, address) == third
