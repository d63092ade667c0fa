"""The embedded default writes each message it would send as a readable file, never to a log."""

from __future__ import annotations

from pathlib import Path

from django.core.mail import EmailMessage

from workflow.mailbox import EmailFileBackend
from workflow.sms import FileBackend


def test_an_email_is_one_readable_utf8_file_with_its_headers_and_body(tmp_path: Path):
    # given the file backend of the local settings
    backend = EmailFileBackend(folder=tmp_path / "mail")
    message = EmailMessage(
        subject="您反映的问题已收到，查询码 AB12-CD34-EF56",
        body="可凭查询码查询办理进展。",
        from_email="ecoloop@localhost",
        to=["reporter@example.org"],
    )
    # when it sends
    assert backend.send_messages([message]) == 1
    # then the folder holds one file a person can read as it is: no MIME, no base64
    (written,) = (tmp_path / "mail").iterdir()
    text = written.read_text(encoding="utf-8")
    assert "To: reporter@example.org" in text
    assert "Subject: 您反映的问题已收到，查询码 AB12-CD34-EF56" in text
    assert text.rstrip().endswith("可凭查询码查询办理进展。")
    assert "base64" not in text and "Content-Transfer-Encoding" not in text


def test_two_messages_never_share_a_file(tmp_path: Path):
    backend = EmailFileBackend(folder=tmp_path)
    messages = [EmailMessage(subject=f"第{n}封", body="正文", to=["a@example.org"]) for n in (1, 2)]
    assert backend.send_messages(messages) == 2
    assert len(list(tmp_path.iterdir())) == 2


def test_a_text_message_is_a_file_with_its_number_template_and_parameters(tmp_path: Path):
    backend = FileBackend(folder=tmp_path / "sms")
    provider_id = backend.send(
        "13800000001", "COMPLAINT_STATUS", {"code": "AB12", "state": "已受理"}
    )
    (written,) = (tmp_path / "sms").iterdir()
    assert provider_id == f"file-{written.stem}"
    text = written.read_text(encoding="utf-8")
    assert "To: 13800000001" in text
    assert "Template: COMPLAINT_STATUS" in text
    assert "state: 已受理" in text
