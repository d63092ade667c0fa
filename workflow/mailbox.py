"""Messages the embedded default writes to files instead of sending: one readable file each.

A newcomer's demo has no mail server and no SMS provider, yet every message the product would
send should be there to read. Printing them would put reporters' addresses and tracking codes on
the terminal and in the worker's log; writing them as plain UTF-8 files under `var/mail/` and
`var/sms/` keeps them readable (no MIME, no base64) and out of every log.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

_sequence = itertools.count(1)
_sequence_lock = threading.Lock()


def write_message(folder: Path, headers: Sequence[tuple[str, str]], body: str) -> Path:
    """Write one message as `<timestamp>-<pid>-<n>.txt`: headers, a blank line, the body."""
    folder.mkdir(parents=True, exist_ok=True)
    with _sequence_lock:
        number = next(_sequence)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{os.getpid()}-{number:05d}.txt"
    lines = [f"{name}: {value}" for name, value in headers]
    path.write_text("\n".join([*lines, "", body.rstrip("\n"), ""]), encoding="utf-8")
    return path


class EmailFileBackend(BaseEmailBackend):
    """Django e-mail backend: `MAILERS = {"default": {"BACKEND": …, "OPTIONS": {"folder": …}}}`."""

    def __init__(self, *, folder: str | os.PathLike[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder = Path(folder)

    def send_messages(self, email_messages: Iterable[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            headers = [
                ("From", str(message.from_email)),
                ("To", ", ".join(str(to) for to in message.to)),
                ("Subject", str(message.subject)),
                ("Date", dt.datetime.now().astimezone().isoformat(timespec="seconds")),
            ]
            if message.cc:
                headers.append(("Cc", ", ".join(str(cc) for cc in message.cc)))
            body = str(message.body)
            for attachment in message.attachments:
                name = getattr(attachment, "filename", None) or "attachment"
                body += f"\n[attachment: {name}]"
            write_message(self.folder, headers, body)
            sent += 1
        return sent
