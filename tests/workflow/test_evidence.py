"""Evidence uploads: what is stored carries no one's position, and what is refused says why in
Chinese and leaves the case as it was (DESIGN.md §6)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from tests.conftest import photo_bytes
from tests.factories import MONDAY, assign_to, open_item
from workflow import evidence
from workflow.models import Attachment, Case, CaseEvent
from workflow.transitions import InvalidTransition, transition_case

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def case(dispatcher: Any, handler: Any, district: Any, town: Any) -> Case:
    """An item the town's handler is rectifying: 记录整改进展 needs a note and evidence."""
    item = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(item, dispatcher=dispatcher, unit=town)
    item.refresh_from_db()
    transition_case(item, "sign", actor=handler, now=MONDAY + dt.timedelta(hours=1))
    item.refresh_from_db()
    return item


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def record_progress(case: Case, handler: Any, *files: SimpleUploadedFile) -> CaseEvent:
    return transition_case(
        case,
        "record_progress",
        actor=handler,
        note="已封堵排污口",
        files=list(files),
        now=MONDAY + dt.timedelta(days=1),
    )


def refused(case: Case, handler: Any, *files: SimpleUploadedFile) -> list[str]:
    with pytest.raises(InvalidTransition) as failure:
        record_progress(case, handler, *files)
    assert failure.value.message == "上传的文件未通过检查。"
    return failure.value.errors["files"]


def stored(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as f:
        return f.read()


def image(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


# --- what is stored ---------------------------------------------------------------------------


def test_the_gps_position_and_camera_are_stripped_from_an_uploaded_photo(case, handler):
    # given a phone photo that records where it was taken
    original = photo_bytes(with_gps=True)
    assert image(original).getexif().get_ifd(0x8825), "the fixture must carry GPS"

    # when the handler uploads it
    event = record_progress(case, handler, upload("现场照片.jpg", original))

    # then the stored photo has no EXIF at all: no position, no camera
    attachment = event.attachments.get()
    content = stored(attachment)
    assert not image(content).getexif()
    assert b"TestCam" not in content
    assert b"Exif" not in content
    # and it is the record's file, as a JPEG under the uploader's name
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.content_type, attachment.original_name) == ("image/jpeg", "现场照片.jpg")
    assert attachment.size == len(content)


def test_a_jpeg_comment_naming_the_photographer_is_not_kept(case, handler):
    # given a JPEG whose comment names who took it and where
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(
        out, format="JPEG", comment="拍摄：张三 37.85N".encode()
    )

    # when / then
    attachment = record_progress(case, handler, upload("a.jpg", out.getvalue())).attachments.get()
    assert "张三".encode() not in stored(attachment)


def test_exif_and_text_chunks_are_stripped_from_a_png_but_transparency_is_kept(case, handler):
    # given a PNG with an eXIf chunk and an XMP text chunk holding a position
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (37.0, 51.0, 0.0)}
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude 37,51N</x:xmpmeta>")
    picture = Image.new("RGBA", (32, 24), (0, 120, 60, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG", exif=exif, pnginfo=text)
    assert b"eXIf" in out.getvalue() and b"GPSLatitude" in out.getvalue()

    # when it is uploaded
    attachment = record_progress(case, handler, upload("图.png", out.getvalue())).attachments.get()

    # then neither survives, and the transparent pixels stay transparent
    content = stored(attachment)
    assert b"eXIf" not in content and b"GPSLatitude" not in content
    kept = image(content)
    assert kept.mode == "RGBA" and kept.getpixel((0, 0))[3] == 0


def test_a_photo_taken_sideways_is_stored_upright(case, handler):
    # given a photo whose EXIF says "rotate 90° to view" (orientation 6)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, format="JPEG", exif=exif)

    # when / then the rotation is applied before the EXIF is dropped
    attachment = record_progress(
        case, handler, upload("竖拍.jpg", out.getvalue())
    ).attachments.get()
    assert image(stored(attachment)).size == (48, 64)


def test_a_pdf_is_accepted_and_stored_byte_for_byte(case, handler):
    # when an inspection report in PDF is uploaded
    event = record_progress(case, handler, upload("监测报告.pdf", PDF))

    # then the stored file is exactly the uploaded one
    attachment = event.attachments.get()
    assert stored(attachment) == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.content_type, attachment.extension) == ("application/pdf", ".pdf")


def test_a_webp_photo_is_accepted(case, handler):
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(out, format="WEBP")

    attachment = record_progress(case, handler, upload("a.webp", out.getvalue())).attachments.get()

    assert image(stored(attachment)).format == "WEBP"


def test_a_phone_photo_with_a_second_picture_inside_keeps_the_photograph(case, handler):
    # given an MPO JPEG (a photo plus a preview, as some phones write)
    out = io.BytesIO()
    photo, preview = Image.new("RGB", (64, 48), "green"), Image.new("RGB", (16, 12), "red")
    photo.save(out, format="MPO", save_all=True, append_images=[preview])

    # when / then it is accepted, as the photograph alone
    attachment = record_progress(case, handler, upload("a.jpg", out.getvalue())).attachments.get()
    kept = image(stored(attachment))
    assert (kept.format, kept.size, getattr(kept, "n_frames", 1)) == ("JPEG", (64, 48), 1)


def test_a_file_name_with_a_windows_path_keeps_only_the_name(case, handler):
    # An old browser sends the whole path, which may name the user's own folder.
    name = "C:\\Users\\张三\\Desktop\\整改照片.jpg"

    attachment = record_progress(case, handler, upload(name, photo_bytes())).attachments.get()

    assert attachment.original_name == "整改照片.jpg"


# --- what is refused --------------------------------------------------------------------------


def test_a_program_renamed_to_jpg_is_refused_in_chinese(case, handler):
    errors = refused(case, handler, upload("整改照片.jpg", EXE))

    assert errors == ["文件“整改照片.jpg”的类型不受支持，只接受 JPEG、PNG、WebP 图片和 PDF 文档。"]


def test_a_file_over_the_size_limit_is_refused(case, handler, settings):
    settings.ECOLOOP_MAX_UPLOAD_BYTES = 1024
    errors = refused(case, handler, upload("大.pdf", PDF + b"0" * 2048))

    assert errors == ["文件“大.pdf”超过 1.0\xa0KB 的大小限制。"]


def test_an_empty_file_is_refused(case, handler):
    assert refused(case, handler, upload("空.jpg", b"")) == ["文件“空.jpg”是空文件。"]


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0" + b"\x00garbage" * 40,
        photo_bytes()[:300],
    ],
    ids=["jpeg header then garbage", "truncated jpeg"],
)
def test_a_corrupt_image_is_refused(case, handler, content):
    assert refused(case, handler, upload("坏.jpg", content)) == ["图片“坏.jpg”已损坏，无法读取。"]


def bomb_png(width: int, height: int) -> bytes:
    """A huge picture that compresses to almost nothing (a decompression bomb's shape)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "size", [(12000, 10000), (30000, 30000)], ids=["120 MP", "900 MP beyond Pillow's own cap"]
)
def test_an_image_too_large_to_decode_safely_is_refused_from_its_header(case, handler, size):
    content = bomb_png(*size)
    assert len(content) < 200_000
    with mock.patch.object(evidence, "_reencode") as reencode:
        errors = refused(case, handler, upload("大图.png", content))
    assert errors == ["图片“大图.png”分辨率过大（最大 5000 万像素），请缩小后再上传。"]
    assert not reencode.called  # not a pixel was decoded


def test_the_pixel_cap_is_a_setting(case, handler, settings):
    settings.ECOLOOP_MAX_IMAGE_PIXELS = 1_000_000
    errors = refused(case, handler, upload("大图.png", bomb_png(1001, 1000)))
    assert errors == ["图片“大图.png”分辨率过大（最大 100 万像素），请缩小后再上传。"]


def test_one_request_has_a_budget_of_pixels_in_all(case, handler):
    # given five 45 MP pictures, each under the cap, 225 MP together
    files = [upload(f"{i}.png", bomb_png(9000, 5000)) for i in range(5)]
    with mock.patch.object(evidence, "_reencode") as reencode:
        errors = refused(case, handler, *files)
    assert errors == ["这些图片的总分辨率过大（一次最多 2 亿像素），请分几次上传或缩小后再传。"]
    assert not reencode.called


def test_an_animated_webp_is_refused(case, handler):
    frames = [Image.new("RGB", (16, 16), (i * 60, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:])

    assert refused(case, handler, upload("动图.webp", out.getvalue())) == [
        "图片“动图.webp”是动图，请上传静态照片。"
    ]


def test_more_than_ten_files_at_once_are_refused(case, handler):
    files = [upload(f"{i}.jpg", photo_bytes()) for i in range(11)]

    assert refused(case, handler, *files) == ["一次最多上传 10 个文件。"]


def test_every_bad_file_is_named_in_one_refusal(case, handler):
    errors = refused(
        case, handler, upload("好.jpg", photo_bytes()), upload("空.pdf", b""), upload("x.jpg", EXE)
    )

    assert len(errors) == 2
    assert "空.pdf" in errors[0] and "x.jpg" in errors[1]


def test_a_refused_upload_leaves_the_case_untouched(case, handler, settings):
    # given the case as it stands, and a batch with one good photo and one program
    state, events = case.state, CaseEvent.objects.filter(case=case).count()

    # when the upload is refused
    refused(case, handler, upload("好.jpg", photo_bytes()), upload("坏.jpg", EXE))

    # then nothing of it was written: no event, no evidence record, no file, same state
    case.refresh_from_db()
    assert case.state == state
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not Attachment.objects.filter(case=case).exists()
    evidence_dir = settings.MEDIA_ROOT / "evidence"
    assert not evidence_dir.exists() or not any(evidence_dir.rglob("*.*"))
