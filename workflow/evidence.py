"""Evidence uploads: size-limited, type sniffed from the bytes, images re-encoded.

Re-encoding drops EXIF (including a reporter's or inspector's GPS position), XMP, JPEG comments
and PNG text chunks, and neutralises files that are valid images and something else at once.
Only what changes how the picture looks survives: the ICC colour profile (the colour of a river
is evidence) and PNG transparency. PDFs are stored byte for byte. The sha256 is taken of the
stored bytes, and `stored_file_matches` checks a stored file against it before it is served.

An upload costs what it is worth. Every file of a request is sniffed and its image dimensions
read from the header before any is decoded: a picture over `ECOLOOP_MAX_IMAGE_PIXELS` (a phone
photo is 12–50 MP) or a request over `MAX_REQUEST_PIXELS` in all is refused without decoding a
pixel. Callers prepare files before they open a transaction (`prepare_all` passes a prepared file
through), so no database lock is held while an image is worked.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
import zlib
from collections.abc import Callable, Iterable
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
#: All the pictures of one request together: four 50 MP photos, or ten 20 MP ones.
MAX_REQUEST_PIXELS = 200_000_000
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


def max_pixels() -> int:
    """The largest picture accepted (ECOLOOP_MAX_IMAGE_PIXELS); beyond it a file is more likely a
    decompression bomb than a photograph."""
    return int(settings.ECOLOOP_MAX_IMAGE_PIXELS)


def _pixel_count(pixels: int) -> str:
    """5000 万, 2 亿: a pixel count as a Chinese reader says it."""
    if pixels >= 100_000_000 and pixels % 100_000_000 == 0:
        return _("%(n)d 亿") % {"n": pixels // 100_000_000}
    return _("%(n)d 万") % {"n": pixels // 10_000}


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("图片“%(name)s”分辨率过大（最大 %(limit)s像素），请缩小后再上传。")
        % {"name": name, "limit": _pixel_count(max_pixels())}
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(_("图片“%(name)s”已损坏，无法读取。") % {"name": name})


def _open_image(data: bytes, content_type: str, name: str) -> Image.Image:
    """Open with the one decoder the sniffed type names: the header only, no pixel is decoded.
    Pillow's own bomb check is left to `max_pixels` (its warning is silenced, its error is ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[content_type]])
        except Image.DecompressionBombError:
            raise _too_many_pixels(name) from None
        except _DECODE_ERRORS as exc:
            raise _damaged(name) from exc
    if image.width * image.height > max_pixels():
        image.close()
        raise _too_many_pixels(name)
    return image


def _pixels(data: bytes, content_type: str, name: str) -> int:
    """The picture's size from its header, refused if over the cap."""
    with _open_image(data, content_type, name) as image:
        return int(image.width * image.height)


def _reencode(data: bytes, content_type: str, name: str) -> bytes:
    image = _open_image(data, content_type, name)
    try:
        with image:
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
        raise _damaged(name) from exc


def _too_large(name: str, limit: int) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”超过 %(limit)s 的大小限制。")
        % {"name": name, "limit": filesizeformat(limit)}
    )


@dataclass(frozen=True)
class _Sniffed:
    """An upload read and typed, not yet decoded."""

    name: str
    data: bytes
    mime: str
    pixels: int


def _sniff(upload: UploadedFile) -> _Sniffed:
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
    _extension, is_image = ALLOWED_TYPES[mime]
    pixels = _pixels(data, mime, name) if is_image else 0
    return _Sniffed(name=name, data=data, mime=mime, pixels=pixels)


def _prepared(sniffed: _Sniffed) -> PreparedFile:
    extension, is_image = ALLOWED_TYPES[sniffed.mime]
    data = _reencode(sniffed.data, sniffed.mime, sniffed.name) if is_image else sniffed.data
    return PreparedFile(
        original_name=sniffed.name,
        content=data,
        content_type=sniffed.mime,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def prepare(upload: UploadedFile) -> PreparedFile:
    return _prepared(_sniff(upload))


def prepare_all(uploads: Iterable[UploadedFile | PreparedFile]) -> list[PreparedFile]:
    """Prepare every upload, or refuse them all with one message per bad file.

    Every file is sniffed and measured first, so a request over the file or pixel budget is
    refused before any picture is decoded. Files prepared already are passed through."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
    done = {i: u for i, u in enumerate(uploads) if isinstance(u, PreparedFile)}
    fresh = {i: u for i, u in enumerate(uploads) if not isinstance(u, PreparedFile)}
    sniffed = _every(fresh, _sniff)
    if sum(s.pixels for s in sniffed.values()) > MAX_REQUEST_PIXELS:
        raise ValidationError(
            _("这些图片的总分辨率过大（一次最多 %(limit)s像素），请分几次上传或缩小后再传。")
            % {"limit": _pixel_count(MAX_REQUEST_PIXELS)}
        )
    done |= _every(sniffed, _prepared)
    return [done[index] for index in range(len(uploads))]


def _every[In, Out](items: dict[int, In], step: Callable[[In], Out]) -> dict[int, Out]:
    """`step` on every item, or one ValidationError naming every item that failed."""
    done: dict[int, Out] = {}
    errors: list[ValidationError] = []
    for index, item in items.items():
        try:
            done[index] = step(item)
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return done


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
