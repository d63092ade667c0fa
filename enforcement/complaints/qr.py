"""The QR code of a complaint's tracking URL for the receipt, drawn here (no web service)."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe

from enforcement.complaints.services import tracking_url
from enforcement.models import Complaint


def tracking_qr_svg(complaint: Complaint, *, standalone: bool = True) -> str:
    """An SVG of the tracking URL; `standalone` False leaves out the XML declaration so the
    markup can sit inside a page."""
    code = segno.make(tracking_url(complaint), error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=standalone,
        svgns=True,
        # Inside a page the stylesheet sizes it (a viewBox instead of a fixed width and height).
        omitsize=not standalone,
        svgclass="qr",
        lineclass=None,
    )
    return out.getvalue().decode("ascii")


def inline_qr(complaint: Complaint) -> SafeString:
    # Safe: segno draws only paths from the URL's bits; no text of the URL or the reporter's
    # input is written into the markup.
    return mark_safe(tracking_qr_svg(complaint, standalone=False))
