"""Expiry reminders against a real SMTP server: each threshold mailed once, nothing lost
when the server fails or the run crashes, and each admin's digest holds only their scope."""
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import DigestItem
from models import ExpiryNotice
from models import Program
from models.base import utcnow
from services import reminder_mail
from services.certificate_codes import new_code
from services.reminders import remind

EXPIRES = date(2026, 12, 28)
HOLDER = "s001@example.edu.cn"


@pytest.fixture
def world(make_unit, make_person, make_user):
    """Two colleges under one university, a holder in each, admins at each level."""
    uni = make_unit("U1")
    c1, c2 = make_unit("C1", "college", uni), make_unit("C2", "college", uni)
    dorm = make_unit("D1", "dorm", make_unit("K1", "class", c1), name="梅园一舍")
    k2 = make_unit("K2", "class", c2, name="心理学2026级")
    people = {
        "S001": make_person("S001", name="李明", role="dorm_informant", unit=dorm, email=HOLDER),
        "S002": make_person("S002", name="王芳", role="dorm_informant", unit=k2,
                            email="s002@example.edu.cn"),
    }
    for email, grant in (("c1@example.edu.cn", ("admin", "C1")), ("c2@example.edu.cn", ("admin", "C2")),
                         ("uni@example.edu.cn", ("admin", "U1")),
                         ("trainer@example.edu.cn", ("trainer", "C1"))):
        make_user(email, grant=grant)
    program = Program(code="informant_basic", title="学生信息员基础认证",
                      title_en="Student informant basics", roles=["dorm_informant"],
                      requires={}, valid_months=12)
    db.session.add(program)
    db.session.commit()
    return {"program": program, **people}


def certify(person, program, expires=EXPIRES, issued=None, **fields) -> Certificate:
    cert = Certificate(code=new_code(), person=person, program=program,
                       issued=issued or expires.replace(year=expires.year - 1), expires=expires,
                       **fields)
    db.session.add(cert)
    db.session.commit()
    return cert


def run(as_of: date, **kwargs):
    return remind(as_of, checkpoint=db.session.commit, **kwargs)


def notices() -> list[tuple[str, int, str]]:
    db.session.expire_all()
    return [(n.person.number, n.threshold, n.mail_status) for n in db.session.scalars(
        select(ExpiryNotice).order_by(ExpiryNotice.person_id, ExpiryNotice.threshold.desc()))]


@pytest.mark.parametrize(("days_before", "threshold"), [
    (91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7), (0, 0), (-7, 0), (-8, None),
])
def test_the_threshold_crossed_last_is_mailed_and_no_stale_ones(world, smtp_server, days_before,
                                                                 threshold):
    certify(world["S001"], world["program"])
    report = run(EXPIRES - timedelta(days=days_before))
    if threshold is None:
        assert notices() == [] and smtp_server.messages == []
        return
    assert notices() == [("S001", threshold, "sent")], "only the latest threshold, never 90+30+7"
    assert report.notices == 1 and report.sent == 1 and report.ok
    [mail] = smtp_server.to(HOLDER)
    assert "2026-12-28" in mail["Subject"]
    if threshold:
        assert f"还有 {days_before} 天" in mail.get_content()
    else:
        assert "已于 2026-12-28 到期" in mail["Subject"] and "expired on 2026-12-28" in mail.get_content()


def test_a_daily_cron_mails_90_30_7_and_expiry_once_each(world, smtp_server):
    certify(world["S001"], world["program"])
    day = EXPIRES - timedelta(days=100)
    while day <= EXPIRES + timedelta(days=10):
        run(day)
        run(day)  # the command run twice on the same day sends nothing more
        day += timedelta(days=1)
    subjects = [m["Subject"] for m in smtp_server.to(HOLDER)]
    assert len(subjects) == 4, subjects
    assert notices() == [("S001", t, "sent") for t in (90, 30, 7, 0)]
    assert subjects[-1].startswith("【守望】证书已到期")


def test_the_mail_is_chinese_with_an_english_line_and_says_nothing_else(world, smtp_server, app):
    cert = certify(world["S001"], world["program"])
    run(EXPIRES - timedelta(days=30))
    [raw] = [r for r in smtp_server.raw if f"To: {HOLDER}".encode() in r]
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0].lower(), "the subject is RFC 2047 encoded"
    [mail] = smtp_server.to(HOLDER)
    assert mail["Subject"] == "【守望】证书到期提醒：您的《学生信息员基础认证》将于 2026-12-28 到期"
    assert mail["From"] == app.config["MAIL_FROM"] and mail["Message-ID"].startswith("<shouwang.notice.")
    body = mail.get_content()
    assert body.startswith("李明，您好：")
    assert "您的《学生信息员基础认证》证书将于 2026-12-28 到期（还有 30 天）" in body
    assert f"{app.config['BASE_URL']}/certification" in body and f"证书验证码：{cert.code}" in body
    assert 'Your certificate "Student informant basics" expires on 2026-12-28 (30 days left)' in body
    assert "梅园" not in body and "心理" not in body, "no unit, role or training details"


def test_a_server_stopped_mid_run_loses_nothing_and_a_rerun_sends_only_the_missing(
        world, smtp_server, monkeypatch):
    certify(world["S001"], world["program"])
    certify(world["S002"], world["program"])
    original = reminder_mail.send_mail

    def stop_after_first(*args, **kwargs):
        original(*args, **kwargs)
        smtp_server.stop()  # the server goes away after the first message

    monkeypatch.setattr(reminder_mail, "send_mail", stop_after_first)
    report = run(EXPIRES - timedelta(days=7))
    monkeypatch.undo()
    assert (report.sent, report.failed, report.digests_sent, report.digests_failed) == (1, 1, 0, 3)
    assert notices() == [("S001", 7, "sent"), ("S002", 7, "failed")]
    failed = db.session.scalar(select(ExpiryNotice).where(ExpiryNotice.mail_status == "failed"))
    assert failed.mail_attempts == 1 and "Could not connect to the mail server" in failed.mail_error
    assert db.session.scalar(select(db.func.count()).select_from(DigestItem)
                             .where(DigestItem.sent_at.is_(None))) == 4, "digests still owed"

    smtp_server.start()
    smtp_server.clear()
    report = run(EXPIRES - timedelta(days=6))
    assert [m["To"] for m in smtp_server.messages if "汇总" not in m["Subject"]] == ["s002@example.edu.cn"]
    assert report.sent == 1 and report.digests_sent == 3 and report.ok
    assert notices() == [("S001", 7, "sent"), ("S002", 7, "sent")]
    smtp_server.clear()
    run(EXPIRES - timedelta(days=5))
    assert smtp_server.messages == []


def test_a_crash_halfway_keeps_what_was_sent_and_the_rest_goes_next_time(world, smtp_server,
                                                                          monkeypatch):
    for number in ("S001", "S002"):
        certify(world[number], world["program"])
    original, calls = reminder_mail.send_mail, []

    def crash_on_second(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise RuntimeError("power cut")
        original(*args, **kwargs)

    monkeypatch.setattr(reminder_mail, "send_mail", crash_on_second)
    with pytest.raises(RuntimeError):
        run(EXPIRES - timedelta(days=30))
    db.session.rollback()
    monkeypatch.undo()
    assert notices() == [("S001", 30, "sent"), ("S002", 30, "pending")]
    run(EXPIRES - timedelta(days=30))
    holders = sorted(m["To"] for m in smtp_server.messages if "汇总" not in m["Subject"])
    assert holders == ["s001@example.edu.cn", "s002@example.edu.cn"], "each exactly once"


def test_a_refusing_server_is_retried_then_given_up_after_five_runs(world, smtp_server):
    certify(world["S001"], world["program"])
    smtp_server.refuse()
    for offset in range(reminder_mail.MAX_ATTEMPTS):
        report = run(EXPIRES - timedelta(days=30 - offset))
        assert report.failed == 1
    assert report.gave_up == 1
    notice = db.session.scalar(select(ExpiryNotice))
    assert (notice.mail_status, notice.mail_attempts) == ("failed", 5)
    assert "451" in notice.mail_error
    smtp_server.refuse(False)
    report = run(EXPIRES - timedelta(days=20))
    assert report.failed == 0 and smtp_server.to(HOLDER) == []


def test_revoked_and_renewed_certificates_get_no_reminder(world, smtp_server, make_person):
    certify(world["S001"], world["program"], revoked_at=utcnow(), revoke_reason="作弊")
    renewed = certify(world["S002"], world["program"])
    certify(world["S002"], world["program"], issued=EXPIRES, expires=date(2027, 12, 28),
            renews_id=renewed.id)
    report = run(EXPIRES - timedelta(days=7))
    assert notices() == [] and smtp_server.messages == [] and report.notices == 0


def test_a_revoked_renewal_does_not_silence_the_old_certificate(world, smtp_server):
    old = certify(world["S001"], world["program"])
    certify(world["S001"], world["program"], issued=EXPIRES, expires=date(2027, 12, 28),
            renews_id=old.id, revoked_at=utcnow())
    run(EXPIRES - timedelta(days=7))
    assert notices() == [("S001", 7, "sent")]


def test_without_an_address_the_login_is_used_else_none_is_recorded(world, smtp_server,
                                                                     make_person, make_user):
    nobody = make_person("S003", name="赵六")
    with_login = make_person("S004", name="钱七")
    make_user("qian@example.edu.cn", person=with_login)
    certify(nobody, world["program"])
    certify(with_login, world["program"])
    report = run(EXPIRES - timedelta(days=7))
    assert notices() == [("S003", 7, "none"), ("S004", 7, "sent")]
    assert report.no_address == 1 and len(smtp_server.to("qian@example.edu.cn")) == 1


def digest_for(smtp_server, address):
    return [m for m in smtp_server.to(address) if "汇总" in m["Subject"]]


def test_each_admin_gets_one_digest_of_their_own_scope_once(world, smtp_server):
    certify(world["S001"], world["program"])
    certify(world["S002"], world["program"], expires=EXPIRES + timedelta(days=3))
    report = run(EXPIRES - timedelta(days=30))
    assert report.digests_sent == 3

    [c1] = digest_for(smtp_server, "c1@example.edu.cn")
    body = c1.get_content()
    assert c1["Subject"] == "【守望】证书到期提醒汇总：1 张证书即将到期或已到期"
    assert "1. 李明（S001） · 梅园一舍 · 《学生信息员基础认证》 · 2026-12-28 到期 · 还有 30 天" in body
    assert "王芳" not in body and "S002" not in body
    [c2] = digest_for(smtp_server, "c2@example.edu.cn")
    assert "王芳（S002）" in c2.get_content() and "李明" not in c2.get_content()
    [uni] = digest_for(smtp_server, "uni@example.edu.cn")
    assert uni.get_content().index("李明") < uni.get_content().index("王芳"), "soonest first"
    assert digest_for(smtp_server, "trainer@example.edu.cn") == [], "admins only"

    smtp_server.clear()
    run(EXPIRES - timedelta(days=29))
    assert smtp_server.messages == [], "sent once"
    run(EXPIRES - timedelta(days=7))
    assert len(digest_for(smtp_server, "c1@example.edu.cn")) == 1, "the next threshold, next digest"


def test_a_failed_digest_stays_owed_and_goes_next_run(world, smtp_server):
    certify(world["S001"], world["program"])
    smtp_server.refuse()
    report = run(EXPIRES - timedelta(days=30))
    assert report.digests_failed == 2 and not report.ok
    smtp_server.refuse(False)
    report = run(EXPIRES - timedelta(days=29))
    assert report.digests_sent == 2 and report.sent == 1
    assert len(digest_for(smtp_server, "c1@example.edu.cn")) == 1


def test_a_dry_run_sends_nothing_and_writes_nothing(world, smtp_server):
    certify(world["S001"], world["program"])
    report = remind(EXPIRES - timedelta(days=7), send=False)
    db.session.rollback()
    assert (report.notices, report.sent, report.digests_sent) == (1, 1, 2)
    assert notices() == [] and smtp_server.messages == []
