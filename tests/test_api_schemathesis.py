"""Schemathesis against /api/v1/openapi.json, in-process through WSGI: generated requests
(odd paths, query strings, dates) never get a 5xx, and every answer matches the
description — status code, content type, headers and body schema."""
from datetime import date
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis import checks

from blueprints.api.openapi import OPENAPI
from extensions import db
from models import Certificate
from models import Program
from services import accounts
from services.certificate_codes import new_code
from services.content import sync_directory
from tests.conftest import CONTENT

QUIZ = "informant-recognition"
#: what must hold for every answer; not "schema-valid data is accepted": a date the
#: schema allows may still be refused with the documented 400 (year 0117, since > until)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance]


@pytest.fixture
def token(app, make_unit, make_person, make_user):
    """A superadmin's bearer token in a small world: units, people, a certificate."""
    sync_directory(CONTENT)
    uni = make_unit("U1", students=3000)
    college = make_unit("C1", "college", uni)
    klass = make_unit("K1", "class", college, students=30)
    dorm = make_unit("D1", "dorm", klass, students=6)
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    make_person("T001", name="王老师", role="counselor", unit=college)
    program = db.session.scalar(db.select(Program).where(Program.code == "informant-basic"))
    db.session.add(Certificate(code=new_code(), person=person, program=program,
                               issued=date.today() - timedelta(days=10),
                               expires=date.today() + timedelta(days=355)))
    root = make_user("root@example.edu.cn", grant=("superadmin", None))
    value = accounts.create_token(root, "schemathesis")
    db.session.commit()
    return value


def known_values(path: str) -> dict[str, str]:
    """Path parameters that exist in the world, so half the cases reach a 200."""
    certificate = db.session.scalar(db.select(Certificate.code))
    return {"code": certificate if path.startswith("/certificates") else "U1",
            "number": "S001", "slug": QUIZ}


#: every documented operation, one test each (schemathesis's pytest loader needs pytest < 9)
OPERATIONS = [(path, method) for path, item in OPENAPI["paths"].items() for method in item]


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_the_api_keeps_its_description(app, token, path, method):
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]

    known = known_values(path)
    statuses = set()

    @given(case=operation.as_strategy(), existing=st.booleans())
    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def conforms(case, existing):
        if existing and case.path_parameters:
            case.path_parameters = {name: known[name] for name in case.path_parameters}
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                          checks=CHECKS)
        statuses.add(response.status_code)

    conforms()
    assert 200 in statuses, statuses
