"""services.mail against a real SMTP server: UTF-8 messages in, readable MailErrors out."""
import pytest

from services.mail import MailError
from services.mail import send_mail


def test_a_chinese_message_arrives_intact_with_its_html_part(smtp_server, app):
    send_mail("s001@example.edu.cn", "【守望】证书到期提醒", "李明，您好：\nHello.\n",
              html="<p>李明，您好</p>", message_id="<x.1@example.edu.cn>")
    [mail] = smtp_server.messages
    assert mail["Subject"] == "【守望】证书到期提醒" and mail["To"] == "s001@example.edu.cn"
    assert mail["Message-ID"] == "<x.1@example.edu.cn>"
    assert mail.get_body(("plain",)).get_content().splitlines() == ["李明，您好：", "Hello."]
    assert mail.get_body(("html",)).get_content().strip() == "<p>李明，您好</p>"


def test_no_server_is_a_readable_mail_error(smtp_server):
    smtp_server.stop()
    with pytest.raises(MailError) as caught:
        send_mail("s001@example.edu.cn", "主题", "正文")
    assert "Could not connect to the mail server 127.0.0.1:" in caught.value.message
    assert caught.value.status == 502


def test_a_refused_recipient_gives_the_servers_reply(smtp_server):
    smtp_server.refuse()
    with pytest.raises(MailError) as caught:
        send_mail("s001@example.edu.cn", "主题", "正文")
    assert "s001@example.edu.cn" in caught.value.message and "451" in caught.value.message
    assert smtp_server.messages == []


def test_starttls_against_a_server_without_it_fails_instead_of_sending_in_clear(smtp_server, app):
    app.config["MAIL_USE_TLS"] = True
    with pytest.raises(MailError, match="STARTTLS"):
        send_mail("s001@example.edu.cn", "主题", "正文")
    assert smtp_server.messages == []
