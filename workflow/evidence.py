"""Evidence uploads: size-limited, type sniffed from the bytes, images re-encoded.

Re-encoding drops EXIF (including a reporter's or inspector's GPS position) and neutralises files
that are valid images and something else at once. The sha256 is taken of the stored bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: Sniffed MIME type → (stored extension, is an image to re-encode).
ALLOWED_TYPES: dict[str, tuple[str, bool]] = {
    "image/jpeg": (".jpg", True),
    "image/png": (".png", True),
    "image/webp": (".webp", True),
    "application/pdf": (".pdf", False),
}
MAX_PIXELS = 40_000_000
MAX_FILES = 10


@dataclass(frozen=True)
class PreparedFile:
    original_name: str
    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _reencode(data: bytes, content_type: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("图片“%(name)s”尺寸过大。") % {"name": name})
            image.load()
            # Apply the orientation the EXIF asked for before the EXIF is dropped.
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/jpeg":
                upright.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
            elif content_type == "image/png":
                upright.save(out, format="PNG", optimize=True)
            else:
                upright.save(out, format="WEBP", quality=88)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("图片“%(name)s”已损坏，无法读取。") % {"name": name}) from exc


def prepare(upload: UploadedFile) -> PreparedFile:
    name = (upload.name or "file")[-200:]
    limit = settings.ECOLOOP_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(limit)s 的大小限制。")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(limit)s 的大小限制。")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("文件“%(name)s”的类型不受支持，只接受 JPEG、PNG、WebP 图片和 PDF 文档。")
            % {"name": name}
        )
    extension, is_image = ALLOWED_TYPES[mime]
    if is_image:
        data = _reencode(data, mime, name)
    return PreparedFile(
        original_name=name,
        content=data,
        content_type=mime,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def prepare_all(uploads: Iterable[UploadedFile]) -> list[PreparedFile]:
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
    errors: list[ValidationError] = []
    prepared: list[PreparedFile] = []
    for upload in uploads:
        try:
            prepared.append(prepare(upload))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return prepared
