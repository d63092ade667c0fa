"""The evidence download: for people who may see the case, checked against its sha256, not cached.

The files live outside any URL space (MEDIA_ROOT is not served); this view is the only way out.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from workflow import evidence
from workflow.models import Attachment
from workflow.permissions import can_view_case

logger = logging.getLogger(__name__)

#: Extensions a download name may keep for each stored type; any other gets the stored one, so
#: a JPEG uploaded as "scan.png" is saved by the browser as "scan.jpg".
NAME_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}
_QUOTABLE = re.compile(r"^[\t \x21-\x7e]*$")


@login_required
@require_safe
def attachment_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve one evidence file.

    1. 404 unless the user may see the case: an attachment of another district does not exist.
    2. Hash the stored file; a file that no longer matches the sha256 recorded at upload (and in
       the case's hash chain) is refused with 409 and logged, never served.
    3. Stream it inline, typed by what was sniffed at upload, never sniffed again by the browser
       and never kept in a shared cache.

    With `settings.ECOLOOP_X_ACCEL_REDIRECT_PREFIX` set (production behind nginx, default off),
    step 3 hands the file to nginx, so a slow download does not hold a worker. Checking the hash
    still reads the file once here. nginx keeps the Content-Type, Content-Disposition and
    Cache-Control sent from here but not X-Content-Type-Options, so its internal location adds it:

        location /protected-evidence/ {          # ECOLOOP_X_ACCEL_REDIRECT_PREFIX
            internal;
            alias /var/lib/ecoloop/media/;        # MEDIA_ROOT, with the trailing slash
            add_header X-Content-Type-Options nosniff always;
        }
    """
    attachment = (
        Attachment.objects.select_related("case__jurisdiction", "case__responsible_unit")
        .filter(pk=pk)
        .first()
    )
    if attachment is None or not can_view_case(request.user, attachment.case):
        raise Http404(_("附件不存在或您无权查看。"))

    stored_name = attachment.file.name or ""
    try:
        stream = attachment.file.storage.open(stored_name, "rb")
    except OSError:
        return _refuse(request, attachment, found="missing")
    try:
        found = evidence.sha256_of(stream)
        if found != attachment.sha256:
            stream.close()
            return _refuse(request, attachment, found=found)
        stream.seek(0)
    except BaseException:
        stream.close()
        raise

    content_type = attachment.content_type
    if content_type not in evidence.ALLOWED_TYPES:
        # Not something the upload check lets in: never let the browser render it.
        content_type = "application/octet-stream"
    prefix = getattr(settings, "ECOLOOP_X_ACCEL_REDIRECT_PREFIX", "")
    response: HttpResponseBase
    if prefix:
        stream.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(stored_name)}"
    else:
        response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = _content_disposition(
        download_name(attachment), inline=content_type != "application/octet-stream", pk=pk
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def download_name(attachment: Attachment) -> str:
    """The uploader's file name, with an extension that matches what is served."""
    name = attachment.original_name
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix.lower()}" in NAME_EXTENSIONS.get(attachment.content_type, ()):
        return name
    return (stem if dot and stem else name) + attachment.extension


def _content_disposition(name: str, *, inline: bool, pk: int) -> str:
    if _QUOTABLE.match(name):
        header = content_disposition_header(not inline, name)
        assert header is not None
        return header
    # RFC 6266 §4.3: an ASCII fallback for old clients, then the real name (RFC 5987).
    disposition = "inline" if inline else "attachment"
    extension = name.rpartition(".")[2] if "." in name else ""
    fallback = (
        f"evidence-{pk}.{extension}" if extension.isascii() and extension else f"evidence-{pk}"
    )
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _refuse(request: HttpRequest, attachment: Attachment, *, found: str) -> HttpResponse:
    # Evidence that changed after it was recorded must not be shown as if it were the original.
    # The log names the case and the stored path, never the uploader's file name (it may carry
    # a reporter's name).
    logger.error(
        "evidence integrity failure: attachment %s of case %s, stored file %s, expected sha256 "
        "%s, found %s; requested by user %s",
        attachment.pk,
        attachment.case.case_no,
        attachment.file.name,
        attachment.sha256,
        found,
        getattr(request.user, "pk", None),
    )
    message = _(
        "该附件的存储文件已缺失或与登记时的校验值（SHA-256）不符，可能已被篡改，系统已停止提供"
        "下载。请联系系统管理员核查。"
    )
    response = HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
