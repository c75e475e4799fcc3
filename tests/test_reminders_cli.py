"""`flask certs remind`: counts on stdout, exit 1 when mail failed, nothing sent twice."""
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import ExpiryNotice
from tests.test_reminders import EXPIRES
from tests.test_reminders import HOLDER
from tests.test_reminders import certify
from tests.test_reminders import world  # noqa: F401  (a fixture)

WEEK_BEFORE = (EXPIRES - timedelta(days=7)).isoformat()


def remind(runner, *args):
    return runner.invoke(args=["certs", "remind", *args])


def test_the_command_mails_once_and_prints_its_counts(runner, world, smtp_server):  # noqa: F811
    certify(world["S001"], world["program"])
    result = remind(runner, "--as-of", WEEK_BEFORE)
    assert result.exit_code == 0, result.output
    assert ("notices created 1, mails sent 1, failed 0, no address 0, digests sent 2, "
            "digests failed 0") in result.output
    assert len(smtp_server.to(HOLDER)) == 1
    again = remind(runner, "--as-of", WEEK_BEFORE)
    assert "notices created 0, mails sent 0" in again.output and again.exit_code == 0
    assert len(smtp_server.messages) == 3, "the holder and two admins, once each"


def test_a_dry_run_counts_but_sends_and_writes_nothing(runner, world, smtp_server):  # noqa: F811
    certify(world["S001"], world["program"])
    result = remind(runner, "--as-of", WEEK_BEFORE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "notices created 1, mails sent 1" in result.output and "dry run" in result.output
    assert smtp_server.messages == []
    assert db.session.scalars(select(ExpiryNotice)).all() == []


def test_a_dead_mail_server_exits_1_but_keeps_the_record(runner, world, smtp_server):  # noqa: F811
    certify(world["S001"], world["program"])
    smtp_server.stop()
    result = remind(runner, "--as-of", WEEK_BEFORE)
    assert result.exit_code == 1
    assert "mails sent 0, failed 1" in result.output
    assert "retried on the next run" in result.output
    db.session.expire_all()
    notice = db.session.scalar(select(ExpiryNotice))
    assert notice.mail_status == "failed" and notice.threshold == 7

    smtp_server.start()
    result = remind(runner, "--as-of", WEEK_BEFORE)
    assert result.exit_code == 0 and "mails sent 1, failed 0" in result.output
    assert len(smtp_server.to(HOLDER)) == 1


def test_a_bad_date_is_a_usage_error(runner, app):
    result = remind(runner, "--as-of", "28/12/2026")
    assert result.exit_code == 2 and "--as-of" in result.output
