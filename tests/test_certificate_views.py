"""The certificate page, list and PDF: the holder and readers in scope see it in full,
everyone else gets 404; an admin in scope revokes with a reason (audited)."""
import io
from datetime import date
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Certificate
from services import pdf
from tests.certificate_factory import make_certificate
from tests.certificate_factory import make_program
from tests.statements import statements_of_get

TODAY = date.today()


@pytest.fixture
def world(make_unit, make_person, make_user):
    """A holder in college C1 with a current certificate renewing an older one, and users
    around them: the holder, C1's admin and auditor, C2's admin."""
    uni = make_unit("U1")
    c1, c2 = make_unit("C1", "college", uni), make_unit("C2", "college", uni)
    klass = make_unit("K1", "class", c1)
    holder = make_person("S2026001", "欧阳文华", role="class_psych_member", unit=klass)
    program = make_program(title_en="Student informant basics")
    old = make_certificate(holder, program, TODAY - timedelta(days=400), TODAY - timedelta(days=35))
    current = make_certificate(holder, program, TODAY - timedelta(days=35), renews=old)
    make_user("holder@example.edu.cn", person=holder)
    make_user("admin1@example.edu.cn", grant=("admin", c1.code))
    make_user("auditor1@example.edu.cn", grant=("auditor", c1.code))
    make_user("admin2@example.edu.cn", grant=("admin", c2.code))
    return {"holder": holder, "program": program, "old": old, "current": current, "c2": c2}


def test_the_holder_sees_their_certificate_in_full(client, auth, world):
    cert = world["current"]
    auth.login("holder@example.edu.cn")
    response = client.get(f"/certificates/{cert.code}?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "欧阳文华" in html and "Student informant basics" in html and "✓ Valid" in html
    assert "<svg" in html and f"/verify/{cert.code}" in html  # the QR code and its link
    assert world["old"].code in html and "Expired" in html    # the renewal chain
    assert f"/certificates/{cert.code}.pdf" in html
    assert "Revoke this certificate" not in html


def test_my_certificates_lists_mine_newest_first_with_status(client, auth, world, make_person):
    other = make_program(code="counselor", title="辅导员认证")
    make_certificate(make_person("S9", "别人"), other, TODAY)  # somebody else's
    auth.login("holder@example.edu.cn")
    html = client.get("/certificates?lang=en").get_data(as_text=True)
    assert html.index(world["current"].code) < html.index(world["old"].code)
    assert "✓ Valid" in html and "Expired" in html and "辅导员认证" not in html


def test_someone_without_certificates_is_told_how_they_come(client, auth, make_user):
    make_user("new@example.edu.cn")
    auth.login("new@example.edu.cn")
    assert "You have no certificates yet" in client.get("/certificates?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_an_admin_of_another_unit_gets_404(client, auth, world, suffix):
    auth.login("admin2@example.edu.cn")
    response = client.get(f"/certificates/{world['current'].code}{suffix}")
    assert response.status_code == 404
    assert "欧阳文华" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/certificates", "/certificates/{code}", "/certificates/{code}.pdf"])
def test_signing_in_is_required(client, world, path):
    response = client.get(path.format(code=world["current"].code))
    assert response.headers["Location"].startswith("/login")


def test_an_auditor_in_scope_reads_but_cannot_revoke(client, auth, world):
    cert = world["current"]
    auth.login("auditor1@example.edu.cn")
    html = client.get(f"/certificates/{cert.code}?lang=en").get_data(as_text=True)
    assert "欧阳文华" in html and "Revoke this certificate" not in html
    response = auth.post(f"/certificates/{cert.code}/revoke", {"reason": "不该"})
    assert response.status_code == 403
    assert db.session.get(Certificate, cert.id).revoked_at is None


def test_an_admin_in_scope_revokes_with_a_reason_and_it_is_audited(client, auth, world):
    cert = world["current"]
    auth.login("admin1@example.edu.cn")
    assert "Revoke this certificate" in client.get(f"/certificates/{cert.code}?lang=en").get_data(
        as_text=True)
    response = auth.post(f"/certificates/{cert.code}/revoke", {"reason": "培训记录造假"})
    assert response.headers["Location"].endswith(f"/certificates/{cert.code}")
    db.session.expire_all()
    stored = db.session.get(Certificate, cert.id)
    assert stored.revoked_at is not None and stored.revoke_reason == "培训记录造假"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoke"))
    assert event is not None and event.target_id == cert.code
    assert event.actor.email == "admin1@example.edu.cn" and event.detail["reason"] == "培训记录造假"
    html = client.get(f"/certificates/{cert.code}?lang=en").get_data(as_text=True)
    assert "培训记录造假" in html and "✗ Revoked" in html
    public = client.get(f"/api/v1/certificates/{cert.code}").get_json()
    assert public["status"] == "revoked"


def test_revoking_needs_a_reason(client, auth, world):
    cert = world["current"]
    auth.login("admin1@example.edu.cn")
    response = auth.post(f"/certificates/{cert.code}/revoke?lang=en", {"reason": "  "},
                         follow_redirects=True)
    assert "Give the reason for revoking the certificate." in response.get_data(as_text=True)
    assert db.session.get(Certificate, cert.id).revoked_at is None


def test_another_units_admin_cannot_revoke(client, auth, world):
    auth.login("admin2@example.edu.cn")
    response = auth.post(f"/certificates/{world['current'].code}/revoke", {"reason": "x"})
    assert response.status_code == 404


def needs_font(app):
    if pdf.find_font() is None:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk)")


def test_the_pdf_downloads_with_the_holder_and_code(app, client, auth, world):
    needs_font(app)
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in requirements-dev.txt")
    cert = world["current"]
    auth.login("holder@example.edu.cn")
    response = client.get(f"/certificates/{cert.code}.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and quote(f"证书-{cert.code}.pdf") in disposition
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = reader.pages[0].extract_text().replace("\x00", "")  # fpdf2 CMaps map to UTF-16
    for expected in ("欧阳文华", cert.code, "学生信息员基础认证", "守望 Shouwang", "/verify/"):
        assert expected in text, expected


def test_without_a_font_the_pdf_link_explains_and_returns_to_the_page(app, client, auth, world,
                                                                       monkeypatch):
    monkeypatch.setitem(app.config, "PDF_FONT", "/nonexistent/font.ttf")
    cert = world["current"]
    auth.login("holder@example.edu.cn")
    response = client.get(f"/certificates/{cert.code}.pdf?lang=en")
    assert response.headers["Location"].endswith(f"/certificates/{cert.code}")
    html = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "PDF needs a font with Chinese characters" in html


def test_the_page_issues_the_same_statements_for_a_short_and_a_long_history(client, auth, world,
                                                                              make_person):
    counts = []
    for size, number in ((2, "H2"), (12, "H12")):
        person = make_person(number, "王小二", role="class_psych_member",
                             unit=world["holder"].assignments[0].unit)
        start = TODAY - timedelta(days=365 * size)
        for n in range(size):
            last = make_certificate(person, world["program"], start + timedelta(days=365 * n),
                                    start + timedelta(days=365 * (n + 1)))
        auth.login("admin1@example.edu.cn")
        counts.append(statements_of_get(client, f"/certificates/{last.code}"))
        assert client.get(f"/certificates/{last.code}").get_data(as_text=True).count(
            "font-monospace small") == size
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8
