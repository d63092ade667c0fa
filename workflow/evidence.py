"""Evidence uploads: size-limited, type sniffed from the bytes, images re-encoded.

Re-encoding drops EXIF (including a reporter's or inspector's GPS position), XMP, JPEG comments
and PNG text chunks, and neutralises files that are valid images and something else at once.
Only what changes how the picture looks survives: the ICC colour profile (the colour of a river
is evidence) and PNG transparency. PDFs are stored byte for byte. The sha256 is taken of the
stored bytes, and `stored_file_matches` checks a stored file against it before it is served.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

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
#: The Pillow decoder each sniffed image type may be opened with, and no other.
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
#: Image metadata kept through re-encoding: it changes how the picture looks, and says nothing
#: about who took it or where.
KEPT_INFO = ("icc_profile", "transparency")
# 108 MP phone cameras exist; beyond that a picture is more likely a decompression bomb.
MAX_PIXELS = 110_000_000
MAX_FILES = 10
MAX_NAME_LENGTH = 200
CHUNK_SIZE = 64 * 1024

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# What a broken or hostile file makes Pillow raise while decoding.
_DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    OSError,
    ValueError,
    EOFError,
    SyntaxError,
    struct.error,
    zlib.error,
)


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


def clean_name(name: str | None) -> str:
    """The uploader's file name as shown back to users: no path, no control characters."""
    name = _CONTROL_CHARACTERS.sub("", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-MAX_NAME_LENGTH:] or "file"


def _open_image(data: bytes, content_type: str) -> Image.Image:
    """Open with the one decoder the sniffed type names. MAX_PIXELS is checked by the caller:
    Pillow's own warning (from 89 MP) is silenced so a legitimate 108 MP photo logs nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=[PIL_FORMATS[content_type]])


def _reencode(data: bytes, content_type: str, name: str) -> bytes:
    try:
        with _open_image(data, content_type) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("图片“%(name)s”尺寸过大。") % {"name": name})
            # A phone's JPEG may carry a second picture (MPO: depth map, preview); the first is
            # the photograph. An animated PNG or WebP has no single picture to keep.
            if content_type != "image/jpeg" and getattr(image, "n_frames", 1) > 1:
                raise ValidationError(_("图片“%(name)s”是动图，请上传静态照片。") % {"name": name})
            image.load()
            # Apply the orientation the EXIF asked for before the EXIF is dropped.
            upright = ImageOps.exif_transpose(image)
            upright.info = {k: image.info[k] for k in KEPT_INFO if k in image.info}
            # JPEG and WebP write an ICC profile only when asked to; PNG takes it from `info`.
            icc = {k: v for k, v in upright.info.items() if k == "icc_profile"}
            out = io.BytesIO()
            if content_type == "image/jpeg":
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                upright.save(out, format="JPEG", quality=88, optimize=True, **icc)
            elif content_type == "image/png":
                upright.save(out, format="PNG", optimize=True)
            else:
                upright.save(out, format="WEBP", quality=88, **icc)
            return out.getvalue()
    except _DECODE_ERRORS as exc:
        raise ValidationError(_("图片“%(name)s”已损坏，无法读取。") % {"name": name}) from exc


def _too_large(name: str, limit: int) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”超过 %(limit)s 的大小限制。")
        % {"name": name, "limit": filesizeformat(limit)}
    )


def prepare(upload: UploadedFile) -> PreparedFile:
    name = clean_name(upload.name)
    limit = settings.ECOLOOP_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(name, limit)
    # A form may have read the file already (Django's ImageField does).
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, limit)
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
    """Prepare every upload, or refuse them all with one message per bad file."""
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


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def stored_file_matches(attachment: Any) -> bool:
    """Whether the stored file of an Attachment still has the sha256 recorded at upload."""
    try:
        with attachment.file.open("rb") as stream:
            return sha256_of(stream) == attachment.sha256
    except FileNotFoundError:
        return False
