"""Photos and documents without identifying metadata (sitebuild/media.py, plugins/image_privacy,
plugins/download_labels, `python -m sitebuild scrub-images`).

Every fixture is made here with Pillow and pikepdf; no file with metadata is committed.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms, PngImagePlugin

from sitebuild.errors import BuildError
from sitebuild.media import (
    MediaError,
    inspect_bytes,
    inspect_file,
    published_image,
    scrub_file,
    strip_metadata,
)
from tests.conftest import ROOT, build_site, write_config

# --- Fixtures: EXIF blocks written by hand (Pillow cannot write an EXIF thumbnail) ---

ASCII, SHORT, LONG, RATIONAL = 2, 3, 4, 5
ARTIST, COPYRIGHT, MAKE, MODEL, ORIENTATION = 0x013B, 0x8298, 0x010F, 0x0110, 0x0112
DATETIME_ORIGINAL, BODY_SERIAL, EXIF_IFD, GPS_IFD = 0x9003, 0xA431, 0x8769, 0x8825
THUMBNAIL_OFFSET, THUMBNAIL_LENGTH = 0x0201, 0x0202


def text(tag, value):
    data = value.encode() + b"\x00"
    return (tag, ASCII, len(data), data)


def short(tag, value):
    return (tag, SHORT, 1, struct.pack(">H", value))


def long(tag, value):
    return (tag, LONG, 1, struct.pack(">I", value))


def rationals(tag, *pairs):
    return (tag, RATIONAL, len(pairs), b"".join(struct.pack(">II", n, d) for n, d in pairs))


def _ifd(entries, offset):
    entries = sorted(entries)
    head, extra = struct.pack(">H", len(entries)), b""
    data_at = offset + 2 + 12 * len(entries) + 4
    for tag, kind, count, data in entries:
        if len(data) <= 4:
            value = data.ljust(4, b"\x00")
        else:
            value = struct.pack(">I", data_at + len(extra))
            extra += data + b"\x00" * (len(data) % 2)
        head += struct.pack(">HHI", tag, kind, count) + value
    return head + struct.pack(">I", 0), extra


def exif_block(ifd0, exif=(), gps=(), thumbnail=None) -> bytes:
    """b"Exif\\0\\0" + a big-endian TIFF: IFD0, its Exif and GPS IFDs, IFD1 with a JPEG thumbnail."""

    def layout(offsets):
        parts, position = {}, 8
        first = list(ifd0)
        if exif:
            first.append(long(EXIF_IFD, offsets.get("exif", 0)))
        if gps:
            first.append(long(GPS_IFD, offsets.get("gps", 0)))
        tables = [("ifd0", first), ("exif", list(exif)), ("gps", list(gps))]
        if thumbnail:
            tables.append(("ifd1", [long(THUMBNAIL_OFFSET, offsets.get("thumb", 0)),
                                    long(THUMBNAIL_LENGTH, len(thumbnail))]))
        for name, entries in tables:
            if entries:
                offsets[name] = position
                head, extra = _ifd(entries, position)
                parts[name] = (head, extra)
                position += len(head) + len(extra)
        offsets["thumb"] = position
        return parts

    offsets: dict = {}
    layout(offsets)
    parts = layout(offsets)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8)
    for name in ("ifd0", "exif", "gps", "ifd1"):
        if name in parts:
            head, extra = parts[name]
            if name == "ifd0" and "ifd1" in parts:  # IFD0's "next IFD" is IFD1
                head = head[:-4] + struct.pack(">I", offsets["ifd1"])
            tiff += head + extra
    return b"Exif\x00\x00" + tiff + (thumbnail or b"")


def photo(size=(96, 64), **save) -> bytes:
    """A JPEG with some detail (a gradient and a square), saved with `save` options."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((200, 30, 30), (4, 4, 24, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, **save)
    return out.getvalue()


def with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """`jpeg` with one more APPn segment right after SOI."""
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def iptc(*datasets) -> bytes:
    """A Photoshop 3.0 block (JPEG APP13) holding IPTC-IIM datasets of record 2."""
    iim = b"".join(b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value
                   for number, value in datasets)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) % 2)
    return b"Photoshop 3.0\x00" + resource


def xmp(*properties: str) -> bytes:
    body = "".join(properties)
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        f' xmp:Rating="3">{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


DC_CREATOR = "<dc:creator><rdf:Seq><rdf:li>Ahmad Example</rdf:li></rdf:Seq></dc:creator>"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def identifying_jpeg() -> bytes:
    """GPS position, camera make/model and serial number, Artist, and a thumbnail."""
    thumbnail = photo((16, 12))
    block = exif_block(
        [text(MAKE, "Canon"), text(MODEL, "EOS 80D"), text(ARTIST, "Ahmad Example")],
        exif=[text(BODY_SERIAL, "012345678901"), text(DATETIME_ORIGINAL, "2021:01:26 10:00:00")],
        gps=[text(0x01, "N"), rationals(0x02, (33, 1), (30, 1), (0, 1)),
             text(0x03, "E"), rationals(0x04, (36, 1), (17, 1), (0, 1))],
        thumbnail=thumbnail,
    )
    return photo(exif=block)


def upright_jpeg_with_harmless_metadata() -> bytes:
    """Camera model and date in EXIF, XMP, an IPTC caption, a comment: nothing identifying."""
    block = exif_block([text(MODEL, "Pixel 7"), short(ORIENTATION, 1)],
                       exif=[text(DATETIME_ORIGINAL, "2021:01:26 10:00:00")])
    jpeg = photo(exif=block, icc_profile=SRGB, comment=b"taken at the vigil")
    jpeg = with_segment(jpeg, 0xED, iptc((120, b"Families at the vigil")))
    return with_segment(jpeg, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp())


def turned_jpeg() -> bytes:
    """96 x 64 pixels stored, to be shown 64 x 96 (orientation 6), model and date only."""
    block = exif_block([text(MODEL, "Pixel 7"), short(ORIENTATION, 6)],
                       exif=[text(DATETIME_ORIGINAL, "2021:01:26 10:00:00")])
    return photo(exif=block)


def png(author: str | None, orientation: int = 1, size=(40, 20)) -> bytes:
    image = Image.new("RGBA", size, (10, 120, 200, 255))
    image.paste((255, 255, 0, 128), (0, 0, 10, 10))
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Example Paint")
    info.add_itxt("XML:com.adobe.xmp", xmp().decode())
    if author:
        info.add_text("Author", author)
    exif = Image.Exif()
    exif[MODEL] = "Scanner"
    exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def webp(identifying: bool) -> bytes:
    image = Image.new("RGB", (30, 20), (0, 90, 40))
    exif = Image.Exif()
    exif[MODEL] = "Pixel 7"
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, exif=exif, xmp=xmp(DC_CREATOR if identifying else ""))
    return out.getvalue()


def pdf(author: str | None, title: str | None = None) -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    if title:
        document.docinfo["/Title"] = title
    if author:
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [author]
        document.docinfo["/Title"] = "Report"
        document.docinfo["/Author"] = author
        document.docinfo["/Creator"] = "Microsoft Word"
    out = io.BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


def pixels(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA")


def same_pixels(a: bytes, b: bytes) -> bool:
    return ImageChops.difference(pixels(a), pixels(b)).getbbox() is None


METADATA_MARKERS = (b"Exif", b"http://ns.adobe.com/xap/1.0/", b"Photoshop 3.0", b"tEXt", b"iTXt",
                    b"zTXt", b"eXIf", b"XMP ", b"Ahmad", b"Pixel 7", b"vigil")


def assert_no_metadata(data: bytes) -> None:
    for marker in METADATA_MARKERS:
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Software", "Author"} & set(image.info)


def big_pdf() -> bytes:
    """A clean PDF of about 1.2 MB (a page whose content stream is one long comment)."""
    document = pikepdf.new()
    document.add_blank_page()
    page = document.pages[0]
    page.Contents = document.make_stream(b"%" + os.urandom(600_000).hex().encode() + b"\n")
    out = io.BytesIO()
    document.save(out, compress_streams=False, deterministic_id=True)
    return out.getvalue()


# --- The module, without a build -------------------------------------------------------


def test_identifying_metadata_is_found_in_every_format():
    def found(data, fmt):
        return {(f.kind, f.where) for f in inspect_bytes(data, fmt).findings}

    assert found(identifying_jpeg(), "JPEG") == {
        ("gps", "EXIF GPS"), ("serial", "EXIF BodySerialNumber"), ("author", "EXIF Artist"),
        ("thumbnail", "EXIF thumbnail")}
    byline = with_segment(photo(), 0xED, iptc((80, b"Ahmad Example"), (120, b"a caption")))
    assert found(byline, "JPEG") == {("author", "IPTC By-line")}
    assert found(png("Ahmad Example"), "PNG") == {("author", "tEXt Author")}
    assert found(webp(True), "WEBP") == {("author", "XMP dc:creator")}
    assert found(pdf("Ahmad Example"), "PDF") == {
        ("author", "PDF /Author"), ("creator", "PDF /Creator"), ("xmp", "PDF XMP metadata")}
    # Word writes the document's file name, even its path, as the title.
    assert found(pdf(None, "C:\\Users\\Ahmad\\Desktop\\report.docx"), "PDF") == {
        ("other", "PDF /Title (a file name)")}
    assert found(pdf(None, "Annual report 2021/2022"), "PDF") == set()
    # Camera model, date, orientation, captions, XMP ratings identify nobody.
    for data, fmt in ((upright_jpeg_with_harmless_metadata(), "JPEG"), (turned_jpeg(), "JPEG"),
                      (png(None, 8), "PNG"), (webp(False), "WEBP"), (pdf(None), "PDF")):
        assert found(data, fmt) == set()


def test_a_damaged_file_is_an_error_not_a_crash():
    for data, fmt in ((b"\xff\xd8\xff\xe1\x40\x00Exif", "JPEG"), (b"\x89PNG\r\n\x1a\n\x00", "PNG"),
                      (b"%PDF-1.4 nothing else", "PDF")):
        with pytest.raises(MediaError):
            inspect_bytes(data, fmt)


def test_the_published_copy_has_no_metadata_and_is_upright():
    upright = upright_jpeg_with_harmless_metadata()
    copy = published_image(upright, "JPEG")
    assert_no_metadata(copy)
    assert same_pixels(copy, upright)  # not encoded again: only metadata blocks were dropped
    with Image.open(io.BytesIO(copy)) as image:
        assert image.info["icc_profile"] == SRGB  # colours are kept
    turned = published_image(turned_jpeg(), "JPEG")
    assert_no_metadata(turned)
    assert pixels(turned).size == (64, 96)
    identifying = published_image(identifying_jpeg(), "JPEG")
    assert_no_metadata(identifying)
    assert b"EOS 80D" not in identifying and b"0123456789" not in identifying


def test_scrubbing_is_lossless_and_keeps_only_the_orientation(tmp_path):
    cases = {"gps.jpg": identifying_jpeg(), "turned.jpg": turned_jpeg(), "author.png": png("Ahmad", 8),
             "creator.webp": webp(True), "author.pdf": pdf("Ahmad Example"),
             "path.pdf": pdf(None, "/home/ahmad/report.odt")}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert scrub_file(path), name
        after = path.read_bytes()
        assert inspect_file(path).findings == []
        assert scrub_file(path) == [] and path.read_bytes() == after  # a second scrub: nothing
        if path.suffix == ".pdf":
            with pikepdf.open(path) as document:
                title = {} if name == "path.pdf" else {"/Title": "Report"}
                assert dict(document.trailer.get("/Info", {})) == title
                assert "/Metadata" not in document.Root
            continue
        assert same_pixels(after, data), name
        for marker in (b"Ahmad", b"Canon", b"0123456789", b"http://ns.adobe.com/xap/1.0/", b"tEXt"):
            assert marker not in after, (name, marker)
    assert inspect_file(tmp_path / "turned.jpg").orientation == 6
    assert inspect_file(tmp_path / "author.png").orientation == 8
    assert strip_metadata((tmp_path / "turned.jpg").read_bytes(), "JPEG")[1] == ["EXIF"]


# --- A production build ----------------------------------------------------------------

ARTICLE = """Title: {title}
Date: 2021-03-01 10:00:00+02:00
Slug: media-check
Lang: {lang}
Summary: {title}.
Tags: test
Authors: Media Office

![{alt}]({{static}}/images/vigil.jpg)

![{alt}]({{static}}/images/turned.jpg)

![{alt}]({{static}}/images/scan.png)

![{alt}]({{static}}/images/banner.webp)

{read} [{report}]({{static}}/files/report.pdf).
"""


def _media_site(tmp_path: Path) -> Path:
    """Copies of the content and the theme with images whose metadata identifies nobody."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    images, files = tmp_path / "content" / "images", tmp_path / "content" / "files"
    files.mkdir()
    (images / "vigil.jpg").write_bytes(upright_jpeg_with_harmless_metadata())
    (images / "turned.jpg").write_bytes(turned_jpeg())
    (images / "scan.png").write_bytes(png(None, 8))
    (images / "banner.webp").write_bytes(webp(False))
    (files / "report.pdf").write_bytes(big_pdf())
    (tmp_path / "theme" / "static" / "img" / "texture.png").write_bytes(png(None))
    (tmp_path / "content" / "en" / "news" / "media-check.md").write_text(ARTICLE.format(
        title="Photos and a report", lang="en", alt="A photo", read="Read", report="the report"),
        encoding="utf-8")
    (tmp_path / "content" / "ar" / "news" / "media-check.md").write_text(ARTICLE.format(
        title="صور وتقرير", lang="ar", alt="صورة", read="اقرأ", report="التقرير")
        + "\n[البيانات]({attach}/files/data.csv)\n", encoding="utf-8")
    (files / "data.csv").write_text("a,b\n" * 625, encoding="utf-8")  # 2,500 bytes
    return tmp_path


@pytest.fixture(scope="module")
def media_build(tmp_path_factory):
    folder = _media_site(tmp_path_factory.mktemp("media"))
    paths = {"PATH": folder / "content", "THEME": folder / "theme"}
    first = build_site(folder, base="publishconf", **paths)
    cache = folder / ".cache" / "ar" / "images"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.iterdir()}
    second = build_site(folder, base="publishconf", **paths)
    return folder, first, second, before


def test_published_images_carry_no_metadata_and_are_upright(media_build):
    folder, _first, site, _before = media_build
    images, sources = site.root / "images", folder / "content" / "images"
    for name in ("vigil.jpg", "turned.jpg", "scan.png", "banner.webp"):
        assert_no_metadata((images / name).read_bytes())
    assert_no_metadata((site.root / "theme" / "img" / "texture.png").read_bytes())
    assert same_pixels((images / "vigil.jpg").read_bytes(), (sources / "vigil.jpg").read_bytes())
    assert same_pixels((images / "banner.webp").read_bytes(), (sources / "banner.webp").read_bytes())
    with Image.open(images / "vigil.jpg") as image:
        assert image.info["icc_profile"] == SRGB
    with Image.open(images / "turned.jpg") as image:
        assert image.size == (64, 96)  # stored 96 x 64 with orientation 6
    with Image.open(images / "scan.png") as image, Image.open(sources / "scan.png") as source:
        assert image.size == (20, 40)
        upright = source.transpose(Image.Transpose.ROTATE_90)  # orientation 8, losslessly
        assert ImageChops.difference(image.convert("RGBA"), upright.convert("RGBA")).getbbox() is None
    # Documents and the clean theme image are published as they are.
    assert (site.root / "files" / "report.pdf").read_bytes() == (folder / "content" / "files" / "report.pdf").read_bytes()
    assert (site.root / "theme" / "img" / "share.png").read_bytes() == (ROOT / "theme" / "static" / "img" / "share.png").read_bytes()


def test_a_rebuild_takes_the_clean_copies_from_the_cache(media_build):
    folder, _first, site, before = media_build
    cache = folder / ".cache" / "ar" / "images"
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.iterdir()}
    copies = {name for name in after if name != "index.json"}
    rasters = [p for p in (folder / "content" / "images").iterdir() if p.suffix in (".jpg", ".png", ".webp")]
    assert len(copies) == len(rasters) + 2  # the content images, the theme's texture.png and share.png
    assert {name: after[name] for name in copies} == {name: before[name] for name in copies}
    turned = [name for name in copies if (cache / name).read_bytes() == (site.root / "images" / "turned.jpg").read_bytes()]
    assert len(turned) == 1
    assert (site.root / "images" / "turned.jpg").stat().st_ino == after[turned[0]][0]  # linked, not written


def _label(site, page: str, href_end: str):
    links = [a for a in site.tree(page).iter("a") if a.get("href", "").endswith(href_end)]
    assert len(links) == 1, page
    labels = links[0].findall("bdi")
    assert len(labels) == 1 and labels[0].get("class") == "file-info"
    return labels[0]


def test_download_links_show_type_and_size_in_each_language(media_build):
    folder, _first, site, _before = media_build
    size = (folder / "content" / "files" / "report.pdf").stat().st_size
    assert 1_000_000 < size < 1_950_000
    megabytes = f"{size / 1_000_000:.1f}"
    english = _label(site, "en/news/media-check/index.html", "files/report.pdf")
    assert english.text == f"(PDF, {megabytes} MB)" and english.get("dir") == "ltr"
    arabic = _label(site, "news/media-check/index.html", "files/report.pdf")
    assert arabic.text == f"(PDF، {megabytes} م.ب)" and arabic.get("dir") == "rtl"
    attached = _label(site, "news/media-check/index.html", "data.csv")
    assert attached.text == "(CSV، 2.5 كيلوبايت)"
    # Images are shown, not downloaded: no label.
    body = site.text("en/news/media-check/index.html")
    assert body.count('class="file-info"') == 1


def test_arabic_indic_digits_in_the_label():
    from plugins import download_labels

    assert download_labels.file_size(1_234_567, "ar", "arab") == "١٫٢ م.ب"
    assert download_labels.file_size(2_500, "en", "latin") == "2.5 kB"
    assert download_labels.file_size(512, "en", "latin") == "512 bytes"


# --- The check and `scrub-images` ------------------------------------------------------


def _sitebuild(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitebuild", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_the_check_stops_the_build_until_scrub_images_cleans_the_sources(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "files").mkdir()
    sources = {"images/gps.jpg": identifying_jpeg(), "images/author.png": png("Ahmad Example"),
               "images/creator.webp": webp(True), "files/authored.pdf": pdf("Ahmad Example"),
               "images/harmless.jpg": upright_jpeg_with_harmless_metadata()}
    for name, data in sources.items():
        (content / name).write_bytes(data)
    config = write_config(tmp_path, base="publishconf", PATH=content)

    checked = _sitebuild("check", "--config", str(config))
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if ": metadata: " in line]
    fix = "(run `invoke scrub-images` to remove it)"
    for expected in (
        "content/images/gps.jpg:1: metadata: the photo carries its GPS position, in EXIF GPS",
        "content/images/gps.jpg:1: metadata: the photo carries the camera's serial number, in EXIF BodySerialNumber",
        "content/images/gps.jpg:1: metadata: the photo names its author or owner, in EXIF Artist",
        "content/images/author.png:1: metadata: the photo names its author or owner, in tEXt Author",
        "content/images/creator.webp:1: metadata: the photo names its author or owner, in XMP dc:creator",
        "content/files/authored.pdf:1: metadata: the document names its author or owner, in PDF /Author",
        "content/files/authored.pdf:1: metadata: the document carries XMP metadata (authors, programs, edit history), in PDF XMP metadata",
    ):
        assert f"{expected} {fix}" in lines
    assert not any("harmless.jpg" in line for line in lines)
    with pytest.raises(BuildError) as stopped:
        build_site(tmp_path, base="publishconf", PATH=content)
    assert {p.path for p in stopped.value.problems if p.field == "metadata"} == {
        "content/images/gps.jpg", "content/images/author.png", "content/images/creator.webp",
        "content/files/authored.pdf"}
    assert not (tmp_path / "output").exists()

    scrubbed = _sitebuild("scrub-images", "--config", str(config))
    assert scrubbed.returncode == 0, scrubbed.stdout + scrubbed.stderr
    changed = scrubbed.stdout.splitlines()[:-1]
    assert sorted(line.split(":")[0] for line in changed) == [
        "content/files/authored.pdf", "content/images/author.png", "content/images/creator.webp",
        "content/images/gps.jpg"]  # the harmless photo is not touched
    assert ("content/images/gps.jpg: removed EXIF (it carried: author or owner, GPS position, "
            "camera serial number, thumbnail)") in changed
    assert (content / "images" / "harmless.jpg").read_bytes() == sources["images/harmless.jpg"]
    assert same_pixels((content / "images" / "gps.jpg").read_bytes(), sources["images/gps.jpg"])

    after = {name: (content / name).read_bytes() for name in sources}
    again = _sitebuild("scrub-images", "--config", str(config))
    assert again.stdout.splitlines() == ["scrub-images: 0 file(s) rewritten without identifying metadata"]
    assert {name: (content / name).read_bytes() for name in sources} == after
    checked = _sitebuild("check", "--config", str(config))
    assert ": metadata: " not in checked.stdout and checked.returncode == 0, checked.stdout
