"""Sending e-mail over SMTP with the MAIL_* settings (SPEC §1).

One connection per message: reminders go out a few at a time from a daily cron job, and
a fresh connection means one broken message cannot poison the next. Every SMTP or
network failure becomes a MailError whose message a person can read; the caller keeps
its own record of what is still to be sent.
"""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid

from flask import current_app
from flask_babel import gettext as _

from services.errors import DomainError


class MailError(DomainError):
    """The mail server could not be reached or did not accept the message."""

    status = 502
    code = "mail_failed"


def build_message(to: str, subject: str, body: str, *, html: str | None = None,
                  message_id: str | None = None) -> EmailMessage:
    """A UTF-8 message (Chinese subjects are RFC 2047 encoded by EmailMessage)."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id or make_msgid(domain=sender_domain())
    message.set_content(body, charset="utf-8")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def sender_domain() -> str:
    """The domain of MAIL_FROM, for Message-IDs."""
    return current_app.config["MAIL_FROM"].rpartition("@")[2].strip(" >") or "localhost"


def send_mail(to: str, subject: str, body: str, *, html: str | None = None,
              message_id: str | None = None) -> None:
    """Deliver one message to the MAIL_SERVER, or raise MailError saying why not.

    :param message_id: a stable id (e.g. per reminder), so that a message sent twice
        after a crash between delivery and commit is shown once by mail clients.
    """
    message = build_message(to, subject, body, html=html, message_id=message_id)
    config = current_app.config
    server, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config.get("MAIL_TIMEOUT", 10))
    try:
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(server, port, timeout=timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(server, port, timeout=timeout)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(_("Could not connect to the mail server %(server)s:%(port)s: %(reason)s",
                          server=server, port=port, reason=describe(error))) from error
    try:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        smtp.close()
        raise MailError(_("The mail server did not accept the message to %(to)s: %(reason)s",
                          to=to, reason=describe(error))) from error
    try:  # delivered: a failing goodbye must not make the caller send it again
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def describe(error: Exception) -> str:
    """The server's reply or the socket error, in one line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [f"{code} {reply.decode(errors='replace')}"
                   for code, reply in error.recipients.values()]
        return "; ".join(replies) or type(error).__name__
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode(errors="replace")
        return f"{error.smtp_code} {reply}"
    return str(error) or type(error).__name__
