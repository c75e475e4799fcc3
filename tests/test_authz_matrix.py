"""The authorization matrix (issue 8): every route × every kind of user × a target inside
and outside their scope answers as tests/authz_expectations.py says, and a route that is
not in that table fails here until it is added.

The world is built once for the module; each identity's requests run in one test, and a
failure names the route, the identity and the target. An object a request aims at must
come through a refused request untouched, and be changed by an allowed one (so the
request really reached the action); and no page, CSV or JSON answer to someone outside
college B names anything of B's.
"""
import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from extensions import db
from extensions import limiter
from models import ApiToken
from models import User
from models.base import MAX_ID
from services import accounts
from tests.authz_expectations import DEFAULT_PARAMS
from tests.authz_expectations import EXPECTED
from tests.authz_expectations import FORMS
from tests.authz_expectations import INPUTS
from tests.authz_expectations import MISSING
from tests.authz_expectations import PARAMS
from tests.authz_world import B_MARKERS
from tests.authz_world import FRESH
from tests.authz_world import IDENTITIES
from tests.authz_world import SIDES
from tests.authz_world import build_world
from tests.conftest import AuthActions
from tests.conftest import empty_tables

IGNORED_METHODS = {"HEAD", "OPTIONS"}
REFUSED = {401, 403, 404}
#: routes after which the caller signs in again
SIGNING_OUT = {"auth.logout", "auth.sign_out_everywhere"}
#: identities whose scope holds nothing of side B: no answer to them may name it
BLIND_TO_B = {"anonymous", "learner", "trainer_a", "admin_a", "auditor_a"}
#: what fills a parameter for an object that exists nowhere
MISSING_NAME = "zz-missing"


def routes(app) -> dict[str, object]:
    """"endpoint METHOD" → its URL rule, for every route the app serves."""
    return {f"{rule.endpoint} {method}": rule
            for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods - IGNORED_METHODS)}


@pytest.fixture(scope="module")
def world(_app):
    font = _app.config.get("PDF_FONT")
    _app.config["PDF_FONT"] = "/nonexistent/font.ttc"  # see PDF in tests/authz_expectations.py
    with _app.app_context():
        limiter.reset()
        built = build_world()
        yield _app, built
        db.session.rollback()
        empty_tables()
        db.session.remove()
    limiter.reset()
    _app.config["PDF_FONT"] = font


def test_every_route_is_in_the_matrix(_app):
    served = set(routes(_app))
    missing = sorted(served - set(EXPECTED))
    stale = sorted((set(EXPECTED) | set(INPUTS) | set(MISSING)) - served)
    assert not missing, "routes with no row in tests/authz_expectations.py: " + ", ".join(missing)
    assert not stale, "rows for routes the app no longer has: " + ", ".join(stale)


class Caller:
    """One identity's client: signed in through the form, with a CSRF token and API token."""

    def __init__(self, app, built, identity: str):
        self.identity = identity
        self.client = app.test_client()
        self.adapter = app.url_map.bind("localhost")
        self.email = built.emails.get(identity)
        self.api_token = built.tokens.get(identity)
        self.sign_in()

    def sign_in(self) -> None:
        auth = AuthActions(self.client)
        if self.email:
            assert auth.login(self.email).status_code == 302, f"{self.identity} cannot sign in"
        self.csrf = auth.csrf_token("/")

    def send(self, method: str, path: str, form: dict, query: dict) -> tuple[int, str]:
        """The status and, for a page, CSV or JSON, the text a person would read."""
        headers = {}
        if path.startswith("/api/") and self.api_token:
            headers["Authorization"] = f"Bearer {self.api_token}"
        data = None if method == "GET" else dict(form, csrf_token=self.csrf)
        response = self.client.open(path, method=method, headers=headers, data=data,
                                    query_string=query)
        text = ""
        if response.mimetype == "application/json":
            text = json.dumps(response.get_json(), ensure_ascii=False)
        elif response.mimetype in ("text/html", "text/csv"):
            text = response.get_data(as_text=True)
        response.close()
        return response.status_code, text


@dataclass
class Case:
    key: str
    rule: object
    side: str | None
    expected: int | frozenset
    #: ("query" or "form", {field: value key or "=literal"}): where the side's ids go
    inputs: tuple | None = None
    #: the id to ask for instead of the side's objects (and "zz-missing" for names)
    missing: int | None = None


def cases_for(identity: str, served: dict) -> list[Case]:
    """Every row of the table, for both sides when the route names a target."""
    cases = []
    for key, row in sorted(EXPECTED.items()):
        rule = served[key]
        for side in (SIDES if rule.arguments else (None,)):
            cases.append(Case(key, rule, side, anonymous(identity, row, rule)
                              or row.expect(identity, side)))
    for key, (place, fields, row) in sorted(INPUTS.items()):
        for side in SIDES:
            cases.append(Case(key, served[key], side, anonymous(identity, row, served[key])
                              or row.expect(identity, side), inputs=(place, fields)))
    return cases


def anonymous(identity: str, row, rule) -> int | None:
    """Pages send the anonymous to sign in, the API answers 401, unless the row is public."""
    if identity != "anonymous" or row.public:
        return None
    return 401 if rule.rule.startswith("/api/") else 302


def fill(built, case: Case, identity: str):
    """The URL values, query and form, and the intact() checks of objects made for this
    request. With `inputs`, the URL names side A's objects and the inputs the side's."""
    endpoint = case.key.split(" ")[0]
    checks = []

    def value(key: str, side: str):
        if key.startswith("="):
            return key[1:]
        if key not in FRESH:
            return built.values[side][key]
        made, intact = FRESH[key](built, side, identity)
        checks.append(intact)
        return made

    values = {}
    for name in case.rule.arguments:
        if case.missing:
            values[name] = case.missing if f"<int:{name}>" in case.rule.rule else MISSING_NAME
        else:
            key = PARAMS.get(endpoint, {}).get(name, DEFAULT_PARAMS[name])
            values[name] = value(key, "A" if case.inputs else case.side)
    place, fields = case.inputs or ("form", {})
    given = {field: value(key, case.side) for field, key in fields.items()}
    query, form = (given, {}) if place == "query" else ({}, given)
    return values, query, dict(FORMS.get(endpoint, {}), **form), checks


def run_case(caller: Caller, built, case: Case) -> str | None:
    """Send one request; a description of what went wrong, or None."""
    endpoint, method = case.key.split(" ")
    db.session.rollback()
    values, query, form, checks = fill(built, case, caller.identity)
    path = caller.adapter.build(endpoint, values, method=method)
    target = "missing" if case.missing else case.side or "-"
    sent = f" {query or form}" if case.inputs else ""
    where = f"{method} {path}{sent} [{endpoint}] as {caller.identity}, target {target}"
    try:
        got, text = caller.send(method, path, form, query)
    except Exception as error:  # the testing app lets exceptions through: a 500 in production
        return f"{where}: expected {case.expected}, raised {error!r}"
    finally:
        if endpoint in SIGNING_OUT:
            caller.sign_in()
    if got not in (case.expected if isinstance(case.expected, frozenset) else {case.expected}):
        return f"{where}: expected {case.expected}, got {got}"
    if caller.identity in BLIND_TO_B and case.side != "B":
        seen = [marker for marker in B_MARKERS if marker in text]
        if seen:
            return f"{where}: shows side B's {', '.join(seen)}"
    db.session.expire_all()
    refused = got in REFUSED or caller.identity == "anonymous"
    changed = [not intact() for intact in checks]
    db.session.rollback()
    if refused and any(changed):
        return f"{where}: refused with {got} but the object changed"
    if not refused and not all(changed):
        return f"{where}: allowed with {got} but the object did not change"
    return None


def check_all(caller: Caller, built, cases: list[Case]) -> None:
    problems = [p for p in (run_case(caller, built, case) for case in cases) if p]
    assert not problems, (f"{len(problems)} request(s) answered {caller.identity} wrongly:\n"
                          + "\n".join(problems))


@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_matrix(world, identity):
    app, built = world
    check_all(Caller(app, built, identity), built, cases_for(identity, routes(app)))


def test_what_exists_nowhere_answers_404_even_to_a_superadmin(world):
    """No route turns an unknown id or code into a 500 or a page, whoever asks."""
    app, built = world
    cases = [Case(key, rule, "A", MISSING.get(key, 404), missing=MAX_ID)
             for key, rule in sorted(routes(app).items()) if rule.arguments]
    check_all(Caller(app, built, "superadmin"), built, cases)


def test_an_id_beyond_the_id_columns_is_refused_by_the_url(world):
    """Ids are 32-bit on PostgreSQL: a larger one never reaches a query (it was a 500).
    Werkzeug answers 405 instead of 404 when a route of another method has the same shape."""
    app, built = world
    cases = [Case(key, rule, "A", frozenset({404, 405}), missing=MAX_ID + 1)
             for key, rule in sorted(routes(app).items()) if "<int:" in rule.rule]
    check_all(Caller(app, built, "superadmin"), built, cases)


def test_the_api_answers_401_to_a_token_that_does_not_work(world):
    """A made-up token, or a superadmin's revoked one, reads nothing."""
    app, built = world
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.email == built.emails["superadmin"]))
    revoked = accounts.create_token(user, "revoked")
    accounts.revoke_token(db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)
                                            .order_by(ApiToken.id.desc())), by=user)
    db.session.commit()
    client, adapter = app.test_client(), app.url_map.bind("localhost")
    for key, rule in sorted(routes(app).items()):
        if not rule.rule.startswith("/api/") or EXPECTED[key].public:
            continue
        values, _query, _form, _checks = fill(built, Case(key, rule, "A", 200), "superadmin")
        path = adapter.build(rule.endpoint, values)
        for bad in ("sw_made-up-token", revoked):
            response = client.get(path, headers={"Authorization": f"Bearer {bad}"})
            assert response.status_code == 401, f"GET {path} with a bad token: {response.status_code}"
