"""The language of the case record.

Deadlines, events and notifications are the bureau's record: they are written in its language
(`settings.LANGUAGE_CODE`), whatever language the browser of the person who acted asked for, so
that the next reader does not find an English deadline on a Chinese file. Pages translate the
record's known vocabulary when they show it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def in_record_language() -> translation.override:
    """Render text for the record inside this block."""
    return translation.override(settings.LANGUAGE_CODE)


def record_text(text: str | Promise) -> str:
    """A label as the record stores it."""
    with in_record_language():
        return str(text)
