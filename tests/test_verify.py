"""The public verification page and API (SPEC §7, §8): no login, the holder's name
masked, exactly five fields in the API, status at the edges of the period, unknown
codes 404, and one rate limit across both against enumeration."""
from datetime import date
from datetime import timedelta

import pytest

from blueprints.api.openapi import OPENAPI
from tests.certificate_factory import make_certificate
from tests.certificate_factory import make_program

TODAY = date.today()
FULL_NAME = "欧阳文华"


@pytest.fixture
def holder(make_person):
    return make_person("S2026001", FULL_NAME)


@pytest.fixture
def program(app):
    return make_program(title_en="Student informant basics")


def page(client, code: str):
    return client.get(f"/verify/{code}?lang=en")


def api(client, code: str, **query):
    return client.get(f"/api/v1/certificates/{code}", query_string=query)


def test_anyone_can_verify_a_valid_certificate_without_signing_in(client, holder, program):
    cert = make_certificate(holder, program, date(2026, 9, 1), date(2027, 9, 1))
    response = api(client, cert.code, as_of="2026-12-01")
    assert response.status_code == 200
    assert response.get_json() == {"status": "valid", "program": "informant-basic",
                                   "holder": "欧**华", "issued": "2026-09-01",
                                   "expires": "2027-09-01"}


def test_the_page_shows_status_program_holder_dates_and_issuer(client, holder, program):
    cert = make_certificate(holder, program, TODAY - timedelta(days=30))
    response = page(client, cert.code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-status="valid"' in html and "✓ Valid" in html
    assert "Student informant basics" in html and "欧**华" in html
    assert "守望 Shouwang" in html  # the ISSUER setting, the program naming none
    assert cert.code in html
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_programs_own_issuer_is_shown(client, holder):
    own = make_program(code="counselor", title="辅导员认证", issuer="省教育厅心理健康教育中心")
    cert = make_certificate(holder, own, TODAY)
    assert "省教育厅心理健康教育中心" in page(client, cert.code).get_data(as_text=True)


@pytest.mark.parametrize(("as_of", "status"), [
    ("2026-08-31", "expired"),   # the day before it starts (no earlier certificate)
    ("2026-09-01", "valid"),     # issued == today
    ("2027-08-31", "valid"),     # the last valid day
    ("2027-09-01", "expired"),   # expires == today
])
def test_validity_is_issued_to_the_day_before_expiry(client, holder, program, as_of, status):
    cert = make_certificate(holder, program, date(2026, 9, 1), date(2027, 9, 1))
    assert api(client, cert.code, as_of=as_of).get_json()["status"] == status


def test_the_page_edges_use_today(client, holder, program, make_person):
    starts_today = make_certificate(holder, program, TODAY)
    ends_today = make_certificate(make_person("S2", "李四"), program,
                                  TODAY - timedelta(days=365), TODAY)
    assert 'data-status="valid"' in page(client, starts_today.code).get_data(as_text=True)
    html = page(client, ends_today.code).get_data(as_text=True)
    assert 'data-status="expired"' in html and "Expired" in html


def test_a_revoked_certificate_says_so_in_words(client, holder, program):
    cert = make_certificate(holder, program, TODAY - timedelta(days=10), revoked=True)
    html = page(client, cert.code).get_data(as_text=True)
    assert 'data-status="revoked"' in html and "✗ Revoked" in html
    assert "资料造假" not in html  # the reason is for the holder and admins, not the public
    assert api(client, cert.code).get_json()["status"] == "revoked"


def test_an_early_renewal_is_valid_while_the_certificate_it_renews_is(client, holder, program):
    old = make_certificate(holder, program, date(2025, 12, 1), date(2026, 12, 1))
    renewal = make_certificate(holder, program, date(2026, 12, 1), date(2027, 12, 1), renews=old)
    assert api(client, renewal.code, as_of="2026-11-01").get_json()["status"] == "valid"
    assert api(client, renewal.code, as_of="2027-12-01").get_json()["status"] == "expired"


def test_a_future_certificate_with_nothing_valid_before_it_is_not_valid_yet(client, holder, program):
    old = make_certificate(holder, program, TODAY - timedelta(days=300), revoked=True)
    later = make_certificate(holder, program, TODAY + timedelta(days=65), renews=old)
    assert api(client, later.code).get_json()["status"] == "expired"
    html = page(client, later.code).get_data(as_text=True)
    assert "Not yet valid" in html and "Valid from" in html


def test_codes_may_be_typed_in_lower_case_and_without_dashes(client, holder, program):
    cert = make_certificate(holder, program, TODAY)
    typed = cert.code.lower().replace("-", "")
    response = page(client, typed)
    assert response.status_code == 200 and cert.code in response.get_data(as_text=True)
    assert api(client, typed).get_json()["holder"] == "欧**华"


def test_the_form_sends_a_typed_code_to_its_page(client, holder, program):
    cert = make_certificate(holder, program, TODAY)
    response = client.get("/verify", query_string={"code": " " + cert.code.lower() + " "})
    assert response.headers["Location"].endswith(f"/verify/{cert.code}")
    form = client.get("/verify?lang=en").get_data(as_text=True)
    assert 'name="code"' in form and "Verification code" in form


def test_the_form_explains_a_code_of_the_wrong_shape(client):
    response = client.get("/verify?lang=en&code=12345")
    assert response.status_code == 200
    assert "A code has 16 letters and digits" in response.get_data(as_text=True)


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "nonsense", "0" * 40])
def test_an_unknown_code_is_404_on_page_and_api(client, holder, program, code):
    make_certificate(holder, program, TODAY)
    response = page(client, code)
    assert response.status_code == 404
    assert "No certificate has this code." in response.get_data(as_text=True)
    response = api(client, code)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_no_public_answer_contains_the_full_name_or_the_number(client, holder, program):
    cert = make_certificate(holder, program, TODAY)
    for response in (page(client, cert.code), client.get(f"/verify/{cert.code}"),
                     api(client, cert.code)):
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert FULL_NAME not in body and "阳文" not in body and holder.number not in body
        assert "\\u6b27\\u9633" not in body  # nor escaped into the JSON


def test_the_api_answers_exactly_the_five_fields_and_takes_as_of(client, holder, program):
    cert = make_certificate(holder, program, date(2026, 9, 1), date(2027, 9, 1))
    body = api(client, cert.code, as_of="2028-01-01").get_json()
    assert sorted(body) == ["expires", "holder", "issued", "program", "status"]
    assert body["status"] == "expired"
    bad = api(client, cert.code, as_of="next tuesday")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"


def test_the_api_is_documented_as_public(app):
    operation = OPENAPI["paths"]["/certificates/{code}"]["get"]
    assert operation["security"] == []
    schema = OPENAPI["components"]["schemas"]["CertificateVerification"]
    assert set(schema["required"]) == {"status", "program", "holder", "issued", "expires"}


def test_page_and_api_share_one_rate_limit_against_enumeration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    assert page(client, "AAAA-AAAA-AAAA-AAAA").status_code == 404
    assert api(client, "AAAA-AAAA-AAAA-AAAB").status_code == 404
    assert page(client, "AAAA-AAAA-AAAA-AAAC").status_code == 404
    blocked = api(client, "AAAA-AAAA-AAAA-AAAD")
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["message"]
    assert page(client, "AAAA-AAAA-AAAA-AAAE").status_code == 429
