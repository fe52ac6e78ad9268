"""Photos and documents without identifying metadata.

The repository may be public, and every published file is read by strangers: a photo
can carry where it was taken (GPS), the camera's serial number, its owner's name and a
small preview of itself that still shows what was cropped or blurred; a PDF names its
author and the programs that made it. This module

- **inspects** a source file and lists what would identify a person, a place or a
  device (`inspect_file`, used by the content check, `media_problems`);
- makes the **published copy** of a raster image with no metadata at all, its EXIF
  orientation applied (`published_image`, used by `plugins/image_privacy`, which
  keeps these copies in a cache by the source's digest, `ImageCache`);
- **scrubs** a source in place (`scrub_file`, for `invoke scrub-images`).

JPEG, PNG and WebP are containers of chunks (JPEG's APPn/COM segments, PNG's chunks,
WebP's RIFF chunks), and metadata lives in chunks of its own. So both the scrub and the
published copy of an upright image drop those chunks and copy every other byte as it
is: nothing is decoded or encoded again, the pixels stay exactly the same (Pillow can
only drop JPEG metadata by encoding the image again, a generation loss on every photo).
A scrubbed source keeps its orientation as a minimal EXIF block holding nothing else,
so it needs no re-encoding either. Only the published copy of an image that must be
turned (EXIF orientation other than 1) is decoded, turned with Pillow's
`ImageOps.exif_transpose` and encoded again: a JPEG with the source's own quantisation
tables (about its quality), a lossless WebP losslessly, a PNG always losslessly.
`open_upright` and `encode_clean` are that path, for resized copies later.

Kept: the pixels, ICC colour profiles (a phone's Display P3 photo looks washed out
without its profile, and a profile describes colours, not people), and in JPEG the
JFIF and Adobe segments the decoder needs. Dropped: EXIF (with GPS, serial numbers,
maker notes and the thumbnail), XMP, IPTC and Photoshop blocks, comments, JFXX and MPF
preview images, PNG text/eXIf/tIME and unknown chunks, WebP EXIF/XMP and unknown
chunks, and anything after the end of the image (phones append videos there).

PDFs (pikepdf): the document information keeps only its /Title; /Author, /Creator,
/Producer, /Keywords, /Subject, dates and any other field go, and so do XMP streams
(the document's and its pages' and images') and /PieceInfo (editors' private data).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import re
import shutil
import struct
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from xml.etree import ElementTree

from .errors import Problem
from .messages import msg

RASTER_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
DOCUMENT_FORMATS = {".pdf": "PDF"}
MEDIA_FORMATS = {**RASTER_FORMATS, **DOCUMENT_FORMATS}
CHECK_CACHE = "media-check.pickle"
SCRUB_HINT = "run `invoke scrub-images` to remove it"


class MediaError(Exception):
    """A file this module cannot read or write (corrupt, truncated, encrypted)."""


def media_format(path: Path | str) -> str | None:
    """"JPEG", "PNG", "WEBP", "PDF", or None for any other file."""
    return MEDIA_FORMATS.get(Path(path).suffix.lower())


def _pipeline_key() -> str:
    """This module and the libraries it uses: a change of either invalidates the caches."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("pillow", "pikepdf"):
        try:
            digest.update(f"\0{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{package} -".encode())
    return digest.hexdigest()


# --- What is found ---------------------------------------------------------------

# What each kind of finding means for an editor, with "photo" or "document".
MESSAGES = {
    "gps": "the {noun} carries its GPS position",
    "serial": "the {noun} carries the camera's serial number",
    "makernote": "the {noun} carries the camera maker's notes, which often hold its serial number",
    "author": "the {noun} names its author or owner",
    "people": "the {noun} names the people in it",
    "thumbnail": "the {noun} carries a small preview of itself, which can show what was cropped or blurred",
    "creator": "the {noun} names the program or person that made it",
    "xmp": "the {noun} carries XMP metadata (authors, programs, edit history)",
    "other": "the {noun} carries other information about its origin",
    "unreadable": "the {noun}'s metadata could not be read",
}


@dataclass(frozen=True, order=True)
class Finding:
    kind: str  # a key of MESSAGES
    where: str  # the field, e.g. "EXIF GPS", "XMP dc:creator", "PDF /Author"


@dataclass
class Report:
    """What `inspect_bytes` found in one file."""

    format: str
    findings: list[Finding] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)  # every removable block, identifying or not
    orientation: int = 1

    def problems(self, path: str) -> list[Problem]:
        """One error per kind of finding: `path:1: metadata: the photo carries … (hint)`."""
        noun = "document" if self.format == "PDF" else "photo"
        by_kind: dict[str, list[str]] = {}
        for finding in self.findings:
            by_kind.setdefault(finding.kind, [])
            if finding.where not in by_kind[finding.kind]:
                by_kind[finding.kind].append(finding.where)
        return [
            Problem(path, 1, "metadata",
                    f"{MESSAGES[kind].format(noun=noun)}, in {', '.join(wheres)}", SCRUB_HINT)
            for kind, wheres in sorted(by_kind.items())
        ]


# --- EXIF, XMP, IPTC ---------------------------------------------------------------

EXIF_PREFIX = b"Exif\x00\x00"
ORIENTATION = 0x0112
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
# The GPS tags that say where: latitude, longitude, altitude, destination, area.
GPS_POSITION_TAGS = {0x02: "GPSLatitude", 0x04: "GPSLongitude", 0x06: "GPSAltitude",
                     0x14: "GPSDestLatitude", 0x16: "GPSDestLongitude", 0x1C: "GPSAreaInformation"}
IFD0_TAGS = {0x013B: ("author", "Artist"), 0x8298: ("author", "Copyright"),
             0x9C9D: ("author", "XPAuthor"), 0x013C: ("author", "HostComputer"),
             0xC62F: ("serial", "CameraSerialNumber")}
EXIF_IFD_TAGS = {0xA430: ("author", "CameraOwnerName"), 0xA431: ("serial", "BodySerialNumber"),
                 0xA435: ("serial", "LensSerialNumber"), 0x927C: ("makernote", "MakerNote")}


def _has_value(value) -> bool:
    if isinstance(value, bytes):
        return bool(value.strip(b"\x00 \t\r\n"))
    if isinstance(value, str):
        return bool(value.strip("\x00 \t\r\n"))
    return value is not None


def exif_orientation(blob: bytes | None) -> int:
    """The orientation (1-8) an EXIF block asks for; 1 if none or unreadable."""
    if not blob:
        return 1
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a damaged block is reported by `_exif_findings`
            exif = Image.Exif()
            exif.load(blob)
            value = exif.get(ORIENTATION, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _exif_findings(blob: bytes, where: str = "EXIF") -> list[Finding]:
    from PIL import ExifTags, Image

    found = []
    try:
        with warnings.catch_warnings(record=True) as damaged:
            warnings.simplefilter("always")
            exif = Image.Exif()
            exif.load(blob)
            ifds = exif.get_ifd(EXIF_IFD), exif.get_ifd(GPS_IFD), exif.get_ifd(ExifTags.IFD.IFD1)
        if damaged:  # Pillow read what it could: what it could not may be anything
            found.append(Finding("unreadable", where))
        sub, gps, thumbnail = ifds
        for tag, (kind, name) in IFD0_TAGS.items():
            if _has_value(exif.get(tag)):
                found.append(Finding(kind, f"{where} {name}"))
        for tag, (kind, name) in EXIF_IFD_TAGS.items():
            if _has_value(sub.get(tag)):
                found.append(Finding(kind, f"{where} {name}"))
        if any(_has_value(gps.get(tag)) for tag in GPS_POSITION_TAGS):
            found.append(Finding("gps", f"{where} GPS"))
        if thumbnail.get(0x0201) or thumbnail.get(0x0111):  # JPEG or strip thumbnail
            found.append(Finding("thumbnail", f"{where} thumbnail"))
    except Exception:
        found.append(Finding("unreadable", where))
    return found


# XMP properties by namespace and name (whatever prefix the file uses).
XMP_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "exifEX": "http://cipa.jp/exif/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
    "MPReg": "http://ns.microsoft.com/photo/1.2/t/Region#",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
XMP_PROPERTIES = {
    "author": ["dc:creator", "dc:rights", "xmpRights:Owner", "photoshop:AuthorsPosition",
               "photoshop:CaptionWriter", "Iptc4xmpCore:CreatorContactInfo", "tiff:Artist",
               "tiff:Copyright", "aux:OwnerName", "exifEX:CameraOwnerName", "plus:ImageCreator",
               "plus:CopyrightOwner"],
    "serial": ["aux:SerialNumber", "aux:LensSerialNumber", "exifEX:BodySerialNumber",
               "exifEX:LensSerialNumber", "exif:BodySerialNumber"],
    "gps": ["exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSAltitude", "exif:GPSDestLatitude",
            "exif:GPSDestLongitude", "exif:GPSAreaInformation"],
    "people": ["Iptc4xmpExt:PersonInImage", "mwg-rs:Name", "MPReg:PersonDisplayName"],
}
_XMP_LOOKUP = {
    f"{{{XMP_NS[name.partition(':')[0]]}}}{name.partition(':')[2]}": (kind, name)
    for kind, names in XMP_PROPERTIES.items()
    for name in names
}


def _xmp_findings(packet: bytes, where: str = "XMP") -> list[Finding]:
    try:
        root = ElementTree.fromstring(packet.strip(b"\x00 \t\r\n"))
    except ElementTree.ParseError:
        return [Finding("unreadable", where)]
    found = set()
    for element in root.iter():
        hit = _XMP_LOOKUP.get(element.tag)
        if hit and "".join(element.itertext()).strip():
            found.add(Finding(hit[0], f"{where} {hit[1]}"))
        for attribute, value in element.attrib.items():
            hit = _XMP_LOOKUP.get(attribute)
            if hit and value.strip():
                found.add(Finding(hit[0], f"{where} {hit[1]}"))
    return sorted(found)


# IPTC-IIM datasets of record 2 that name people.
IPTC_AUTHOR = {80: "By-line", 85: "By-line Title", 116: "Copyright Notice", 118: "Contact",
               122: "Writer/Editor"}


def _iptc_findings(data: bytes) -> list[Finding]:
    found, pos = set(), 0
    while pos + 5 <= len(data) and data[pos] == 0x1C:
        record, dataset, size = data[pos + 1], data[pos + 2], int.from_bytes(data[pos + 3:pos + 5], "big")
        if size & 0x8000:  # extended length: not used for text; stop reading
            break
        value = data[pos + 5:pos + 5 + size]
        if record == 2 and dataset in IPTC_AUTHOR and _has_value(value):
            found.add(Finding("author", f"IPTC {IPTC_AUTHOR[dataset]}"))
        pos += 5 + size
    return sorted(found)


def _photoshop_findings(data: bytes) -> list[Finding]:
    """A Photoshop image resource block (JPEG APP13): IPTC, thumbnails, EXIF, XMP."""
    found, pos = [], 0
    try:
        while pos + 12 <= len(data) and data[pos:pos + 4] == b"8BIM":
            resource = int.from_bytes(data[pos + 4:pos + 6], "big")
            name_length = data[pos + 6]
            pos += 7 + name_length + ((name_length + 1) % 2)  # Pascal string, padded to even
            size = int.from_bytes(data[pos:pos + 4], "big")
            body = data[pos + 4:pos + 4 + size]
            pos += 4 + size + size % 2
            if resource == 0x0404:
                found += _iptc_findings(body)
            elif resource in (0x0409, 0x040C):
                found.append(Finding("thumbnail", "Photoshop thumbnail"))
            elif resource in (0x0422, 0x0423):
                found += _exif_findings(body, "Photoshop EXIF")
            elif resource == 0x0424:
                found += _xmp_findings(body, "Photoshop XMP")
    except IndexError:
        found.append(Finding("unreadable", "Photoshop/IPTC"))
    return found


# --- JPEG ----------------------------------------------------------------------------

XMP_JPEG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_JPEG_EXTENDED = b"http://ns.adobe.com/xmp/extension/\x00"
PHOTOSHOP_JPEG = b"Photoshop 3.0\x00"
SOI, EOI, SOS, COM, APP0, APP15 = 0xD8, 0xD9, 0xDA, 0xFE, 0xE0, 0xEF


@dataclass
class _Segment:
    marker: int | None  # None: entropy-coded data after a SOS segment
    raw: bytes  # the whole segment, marker included

    @property
    def payload(self) -> bytes:
        return self.raw[4:] if self.marker is not None and len(self.raw) > 4 else b""


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data that starts at `pos` ends (at the next marker)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            pos += 2
            continue
        return pos


def _jpeg_segments(data: bytes) -> tuple[list[_Segment], bytes]:
    """The segments of a JPEG, in order, and whatever follows its end (EOI)."""
    if data[:2] != b"\xff\xd8":
        raise MediaError("not a JPEG file")
    segments, pos = [_Segment(SOI, data[:2])], 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise MediaError(f"damaged JPEG (no marker at byte {pos})")
        while pos + 1 < len(data) and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 1 >= len(data):
            break
        marker = data[pos + 1]
        if marker == EOI:
            segments.append(_Segment(EOI, b"\xff\xd9"))
            return segments, data[pos + 2:]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            segments.append(_Segment(marker, data[pos:pos + 2]))
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise MediaError(f"damaged JPEG (segment at byte {pos} runs past the end)")
        segments.append(_Segment(marker, data[pos:end]))
        pos = end
        if marker == SOS:
            scan_end = _scan_end(data, pos)
            segments.append(_Segment(None, data[pos:scan_end]))
            pos = scan_end
    return segments, b""  # no EOI: a truncated file, kept as it is


def _jpeg_keeps(segment: _Segment) -> bool:
    """Image data and what decoding needs: JFIF, ICC profile, Adobe colour transform."""
    marker, payload = segment.marker, segment.payload
    if marker is None or not (APP0 <= marker <= APP15 or marker == COM):
        return True
    return ((marker == APP0 and payload.startswith(b"JFIF\x00"))
            or (marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"))
            or (marker == 0xEE and payload.startswith(b"Adobe")))


def _jpeg_label(segment: _Segment) -> str:
    marker, payload = segment.marker, segment.payload
    if marker == COM:
        return "comment"
    if marker == 0xE1 and payload.startswith(EXIF_PREFIX):
        return "EXIF"
    if marker == 0xE1 and payload.startswith((XMP_JPEG, XMP_JPEG_EXTENDED)):
        return "XMP"
    if marker == 0xED:
        return "IPTC/Photoshop"
    if marker == APP0:
        return "JFIF thumbnail"
    if marker == 0xE2 and payload.startswith(b"MPF\x00"):
        return "MPF preview images"
    return f"APP{marker - APP0}"


def _inspect_jpeg(data: bytes, report: Report) -> None:
    segments, trailer = _jpeg_segments(data)
    extended_xmp: dict[bytes, bytes] = {}
    for segment in segments:
        if _jpeg_keeps(segment):
            continue
        report.metadata.append(_jpeg_label(segment))
        marker, payload = segment.marker, segment.payload
        if marker == 0xE1 and payload.startswith(EXIF_PREFIX):
            report.findings += _exif_findings(payload)
            if report.orientation == 1:
                report.orientation = exif_orientation(payload)
        elif marker == 0xE1 and payload.startswith(XMP_JPEG):
            report.findings += _xmp_findings(payload[len(XMP_JPEG):])
        elif marker == 0xE1 and payload.startswith(XMP_JPEG_EXTENDED):
            body = payload[len(XMP_JPEG_EXTENDED):]
            guid = body[:32]  # then full length and offset (4 bytes each), then the part
            extended_xmp[guid] = extended_xmp.get(guid, b"") + body[40:]
        elif marker == 0xED and payload.startswith(PHOTOSHOP_JPEG):
            report.findings += _photoshop_findings(payload[len(PHOTOSHOP_JPEG):])
        elif marker == APP0 and payload.startswith(b"JFXX"):
            report.findings.append(Finding("thumbnail", "JFIF thumbnail"))
        elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
            report.findings.append(Finding("thumbnail", "MPF preview images"))
    for packet in extended_xmp.values():
        report.findings += _xmp_findings(packet, "extended XMP")
    if trailer.strip(b"\x00"):
        report.metadata.append(f"{len(trailer)} bytes after the end of the image")
        report.findings.append(Finding("other", "data after the end of the image"))


def _strip_jpeg(data: bytes, orientation: int | None) -> tuple[bytes, list[str]]:
    segments, trailer = _jpeg_segments(data)
    out, removed = [], []
    for segment in segments:
        if _jpeg_keeps(segment):
            out.append(segment.raw)
        else:
            removed.append(_jpeg_label(segment))
    if orientation and orientation != 1:
        block = EXIF_PREFIX + minimal_exif(orientation)
        app1 = b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
        after_jfif = 2 if len(out) > 1 and out[1].startswith(b"\xff\xe0") else 1
        out.insert(after_jfif, app1)
    if trailer:
        removed.append(f"{len(trailer)} bytes after the end of the image")
    return b"".join(out), removed


def minimal_exif(orientation: int) -> bytes:
    """A TIFF-structured EXIF block with the orientation and nothing else (26 bytes)."""
    entry = struct.pack(">HHIHH", ORIENTATION, 3, 1, orientation, 0)
    return b"MM\x00\x2a" + struct.pack(">IH", 8, 1) + entry + struct.pack(">I", 0)


# --- PNG -----------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Everything a PNG's image is made of; any other chunk is dropped.
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
            b"sBIT", b"bKGD", b"pHYs", b"hIST", b"sPLT", b"cICP", b"mDCv", b"cLLi",
            b"acTL", b"fcTL", b"fdAT"}
PNG_TEXT = (b"tEXt", b"zTXt", b"iTXt")
PNG_AUTHOR_KEYWORDS = {"author", "artist", "copyright", "creator", "owner", "photographer",
                       "by-line", "byline"}


def _png_chunks(data: bytes) -> tuple[list[tuple[bytes, bytes, bytes]], bytes]:
    """(type, data, the whole chunk) of every chunk, and whatever follows IEND."""
    if not data.startswith(PNG_SIGNATURE):
        raise MediaError("not a PNG file")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise MediaError(f"damaged PNG (chunk {kind!r} runs past the end)")
        chunks.append((kind, data[pos + 8:pos + 8 + length], data[pos:end]))
        pos = end
        if kind == b"IEND":
            return chunks, data[pos:]
    raise MediaError("damaged PNG (no IEND chunk)")


def _png_text(kind: bytes, body: bytes) -> tuple[str, bytes]:
    """The keyword and text of a tEXt, zTXt or iTXt chunk."""
    keyword, _, rest = body.partition(b"\x00")
    if kind == b"zTXt":
        rest = zlib.decompress(rest[1:])
    elif kind == b"iTXt":
        compressed, rest = rest[:1] == b"\x01", rest[2:]
        _language, _, rest = rest.partition(b"\x00")
        _translated, _, rest = rest.partition(b"\x00")
        if compressed:
            rest = zlib.decompress(rest)
    return keyword.decode("latin-1"), rest


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick's "Raw profile type …" text: a name, a length, then hexadecimal."""
    lines = text.strip().split(b"\n")
    return bytes.fromhex(b"".join(lines[2:]).decode("ascii"))


def _png_label(kind: bytes, body: bytes) -> str:
    if kind in PNG_TEXT:
        keyword = body.partition(b"\x00")[0].decode("latin-1")
        return f"{kind.decode('latin-1')} {keyword}"
    return kind.decode("latin-1")


def _inspect_png(data: bytes, report: Report) -> None:
    chunks, trailer = _png_chunks(data)
    for kind, body, _raw in chunks:
        if kind in PNG_KEPT:
            continue
        label = _png_label(kind, body)
        report.metadata.append(label)
        if kind == b"eXIf":
            report.findings += _exif_findings(body, "eXIf")
            if report.orientation == 1:
                report.orientation = exif_orientation(body)
        elif kind in PNG_TEXT:
            try:
                keyword, text = _png_text(kind, body)
                lower = keyword.lower()
                if lower in PNG_AUTHOR_KEYWORDS and _has_value(text):
                    report.findings.append(Finding("author", label))
                elif keyword == "XML:com.adobe.xmp":
                    report.findings += _xmp_findings(text, f"{kind.decode()} XMP")
                elif lower.startswith("raw profile type "):
                    profile, name = _raw_profile(text), lower.rsplit(" ", 1)[1]
                    if name in ("exif", "app1") and EXIF_PREFIX in profile[:8]:
                        report.findings += _exif_findings(profile, label)
                    elif name == "xmp":
                        report.findings += _xmp_findings(profile, label)
                    elif name in ("iptc", "8bim"):
                        report.findings += _photoshop_findings(profile[profile.find(b"8BIM"):])
            except (ValueError, zlib.error, UnicodeDecodeError):
                report.findings.append(Finding("unreadable", label))
    if trailer:
        report.metadata.append(f"{len(trailer)} bytes after the end of the image")
        report.findings.append(Finding("other", "data after the end of the image"))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _strip_png(data: bytes, orientation: int | None) -> tuple[bytes, list[str]]:
    chunks, trailer = _png_chunks(data)
    out, removed = [PNG_SIGNATURE], []
    for kind, body, raw in chunks:
        if kind in PNG_KEPT:
            out.append(raw)
            if kind == b"IHDR" and orientation and orientation != 1:
                out.append(_png_chunk(b"eXIf", minimal_exif(orientation)))
        else:
            removed.append(_png_label(kind, body))
    if trailer:
        removed.append(f"{len(trailer)} bytes after the end of the image")
    return b"".join(out), removed


# --- WebP ----------------------------------------------------------------------------

WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
VP8X_EXIF, VP8X_XMP = 0x08, 0x04


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MediaError("not a WebP file")
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    chunks, pos = [], 12
    while pos + 8 <= end:
        kind, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if pos + 8 + size > end:
            raise MediaError(f"damaged WebP (chunk {kind!r} runs past the end)")
        chunks.append((kind, data[pos + 8:pos + 8 + size]))
        pos += 8 + size + size % 2
    return chunks


def _webp_label(kind: bytes) -> str:
    return kind.decode("latin-1").strip()


def _inspect_webp(data: bytes, report: Report) -> None:
    for kind, body in _webp_chunks(data):
        if kind in WEBP_KEPT:
            continue
        report.metadata.append(_webp_label(kind))
        if kind == b"EXIF":
            report.findings += _exif_findings(body)
            if report.orientation == 1:
                report.orientation = exif_orientation(body)
        elif kind == b"XMP ":
            report.findings += _xmp_findings(body)


def _webp_riff(chunks: Iterable[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(kind + len(data).to_bytes(4, "little") + data + b"\x00" * (len(data) % 2)
                    for kind, data in chunks)
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body


def _strip_webp(data: bytes, orientation: int | None) -> tuple[bytes, list[str]]:
    chunks, kept, removed = _webp_chunks(data), [], []
    for kind, body in chunks:
        if kind in WEBP_KEPT:
            kept.append((kind, body))
        else:
            removed.append(_webp_label(kind))
    exif = orientation and orientation != 1 and kept and kept[0][0] == b"VP8X"
    if exif:
        kept.append((b"EXIF", minimal_exif(orientation)))
    if kept and kept[0][0] == b"VP8X":  # its flags must say which chunks follow
        flags = kept[0][1][0] & ~(VP8X_EXIF | VP8X_XMP) | (VP8X_EXIF if exif else 0)
        kept[0] = (b"VP8X", bytes([flags]) + kept[0][1][1:])
    if not removed and not exif:
        return data, []
    return _webp_riff(kept), removed


# --- Raster images -------------------------------------------------------------------

_INSPECT = {"JPEG": _inspect_jpeg, "PNG": _inspect_png, "WEBP": _inspect_webp}
_STRIP = {"JPEG": _strip_jpeg, "PNG": _strip_png, "WEBP": _strip_webp}


def strip_metadata(data: bytes, fmt: str, keep_orientation: int | None = None) -> tuple[bytes, list[str]]:
    """The image without any metadata block, every other byte as it was (so the same
    pixels), and the names of the blocks removed. With `keep_orientation` other than 1,
    a minimal EXIF block with that orientation only is written in their place."""
    out, removed = _STRIP[fmt](data, keep_orientation)
    return out, list(dict.fromkeys(removed))


def _animated(data: bytes, fmt: str) -> bool:
    if fmt == "PNG":
        return any(kind == b"acTL" for kind, _body, _raw in _png_chunks(data)[0])
    if fmt == "WEBP":
        return any(kind == b"ANIM" for kind, _body in _webp_chunks(data))
    return False


def open_upright(data: bytes):
    """The decoded image, turned as its EXIF orientation says, with no metadata left in
    `info` but its ICC profile and transparency (for `encode_clean`)."""
    from PIL import Image, ImageOps

    source = Image.open(io.BytesIO(data))
    upright = ImageOps.exif_transpose(source)
    keep = {key: source.info[key] for key in ("icc_profile", "transparency") if key in source.info}
    upright.info = keep
    return source, upright


def encode_clean(image, fmt: str, source=None, *, lossless: bool = False) -> bytes:
    """Encode `image` with no metadata but its ICC profile. With the decoded `source`
    JPEG, its quantisation tables (so about its quality) and chroma subsampling."""
    from PIL import JpegImagePlugin

    params: dict = {}
    if image.info.get("icc_profile"):
        params["icc_profile"] = image.info["icc_profile"]
    if fmt == "JPEG":
        params.update(optimize=True, quality=90)
        if source is not None and getattr(source, "quantization", None):
            sampling = JpegImagePlugin.get_sampling(source)
            turned = image.size != source.size
            params.update(qtables=source.quantization,
                          subsampling=0 if sampling < 0 or (sampling == 1 and turned) else sampling,
                          progressive=bool(source.info.get("progressive")))
            del params["quality"]
    elif fmt == "PNG":
        if "transparency" in image.info:
            params["transparency"] = image.info["transparency"]
    elif fmt == "WEBP":
        params.update(lossless=lossless, quality=100 if lossless else 90, exact=lossless, method=4)
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def published_image(data: bytes, fmt: str) -> bytes:
    """The copy of an image that is published: no metadata at all, turned upright.

    An upright image (orientation 1, or animated) is the source without its metadata
    blocks, byte for byte otherwise; only an image that must be turned is decoded,
    turned and encoded again (JPEG with its own quantisation tables, PNG and lossless
    WebP losslessly)."""
    from PIL import Image

    report = inspect_bytes(data, fmt)
    if report.orientation == 1 or _animated(data, fmt):
        return strip_metadata(data, fmt)[0]
    try:
        source, upright = open_upright(data)
        with source:
            lossless = fmt == "PNG" or (fmt == "WEBP" and any(
                kind == b"VP8L" for kind, _body in _webp_chunks(data)))
            encoded = encode_clean(upright, fmt, source, lossless=lossless)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaError(f"cannot decode the image: {error}") from error
    return strip_metadata(encoded, fmt)[0]  # Pillow may write a block of its own


# --- PDF -----------------------------------------------------------------------------

PDF_KEEP_INFO = {"/Title"}
# Word and others put the file's name, even its whole path, in /Title.
PDF_FILE_TITLE = re.compile(r"\\|^~?/|^Microsoft Word - |\.(docx?|odt|rtf|pages|xlsx?|ods|pptx?|odp|indd|txt)$",
                            re.IGNORECASE)
# Document information fields that say nothing about who or what made the file.
PDF_DESCRIPTIVE = {"/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate", "/Trapped"}
PDF_FIELDS = {"/Author": "author", "/Creator": "creator", "/Producer": "creator"}


def _pdf_open(data_or_path):
    import pikepdf

    try:
        source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
        return pikepdf.open(source)
    except pikepdf.PasswordError as error:
        raise MediaError("the PDF is encrypted (publish an unencrypted copy)") from error
    except pikepdf.PdfError as error:
        raise MediaError(f"damaged PDF: {error}") from error


def _pdf_metadata_objects(pdf) -> Iterator[tuple[str, object]]:
    """(name, object) of every object but the catalog that has /Metadata or /PieceInfo."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and (
                "/Metadata" in obj or "/PieceInfo" in obj):
            yield obj.get("/Type", "object"), obj


def _inspect_pdf(data: bytes, report: Report) -> None:
    with _pdf_open(data) as pdf:
        info = pdf.trailer.get("/Info")
        for key in sorted(info.keys()) if info is not None else ():
            value = str(info.get(key))
            if key == "/Title" and PDF_FILE_TITLE.search(value):
                report.metadata.append("PDF /Title (a file name)")
                report.findings.append(Finding("other", "PDF /Title (a file name)"))
                continue
            if key not in PDF_KEEP_INFO:
                report.metadata.append(f"PDF {key}")
            if key in PDF_DESCRIPTIVE or not _has_value(value):
                continue
            report.findings.append(Finding(PDF_FIELDS.get(key, "other"), f"PDF {key}"))
        if "/Metadata" in pdf.Root:
            report.metadata.append("XMP metadata")
            report.findings.append(Finding("xmp", "PDF XMP metadata"))
        if "/PieceInfo" in pdf.Root:
            report.metadata.append("PDF /PieceInfo")
        for kind, obj in _pdf_metadata_objects(pdf):
            if obj.objgen == pdf.Root.objgen:
                continue
            if "/Metadata" in obj:
                report.metadata.append(f"XMP metadata of a {str(kind).lstrip('/')}")
                report.findings.append(Finding("xmp", f"XMP metadata of a {str(kind).lstrip('/')}"))
            if "/PieceInfo" in obj:
                report.metadata.append("PDF /PieceInfo")
    report.metadata = list(dict.fromkeys(report.metadata))


def _scrub_pdf(path: Path, temporary: Path) -> list[str]:
    removed: list[str] = []
    with _pdf_open(path) as pdf:
        info = pdf.trailer.get("/Info")
        for key in list(info.keys()) if info is not None else ():
            if key not in PDF_KEEP_INFO or PDF_FILE_TITLE.search(str(info.get(key))):
                removed.append(key)
                del info[key]
        if "/Metadata" in pdf.Root:
            removed.append("XMP metadata")
        for _kind, obj in [(None, pdf.Root), *_pdf_metadata_objects(pdf)]:
            for name in ("/Metadata", "/PieceInfo"):
                if name in obj:
                    removed.append("XMP metadata" if name == "/Metadata" else name)
                    del obj[name]
        if removed:
            pdf.save(temporary, deterministic_id=True)
    return list(dict.fromkeys(removed))


# --- Files ---------------------------------------------------------------------------


def inspect_bytes(data: bytes, fmt: str) -> Report:
    """Every metadata block of a file and what in it identifies someone or something."""
    report = Report(fmt)
    if fmt == "PDF":
        import pikepdf

        try:
            _inspect_pdf(data, report)
        except pikepdf.PdfError as error:  # a damaged object, read only when reached
            raise MediaError(f"damaged PDF: {error}") from error
    else:
        _INSPECT[fmt](data, report)
    report.findings = sorted(set(report.findings))
    report.metadata = list(dict.fromkeys(report.metadata))
    return report


def inspect_file(path: Path) -> Report:
    fmt = media_format(path)
    if fmt is None:
        raise MediaError(f"{path.suffix} files are not inspected")
    return inspect_bytes(path.read_bytes(), fmt)


def _temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def scrub_file(path: Path) -> list[str]:
    """Remove every metadata block from `path` in place (through a temporary file and
    `os.replace`), losslessly; the orientation stays as a minimal EXIF block. Returns
    what was removed, or [] when the file was already clean (and is then untouched)."""
    fmt = media_format(path)
    temporary = _temporary_beside(path)
    try:
        if fmt == "PDF":
            import pikepdf

            try:
                removed = _scrub_pdf(path, temporary)
            except pikepdf.PdfError as error:
                raise MediaError(f"damaged PDF: {error}") from error
        else:
            data = path.read_bytes()
            orientation = inspect_bytes(data, fmt).orientation
            cleaned, removed = strip_metadata(data, fmt, keep_orientation=orientation)
            if cleaned == data:
                return []
            temporary.write_bytes(cleaned)
        if removed:
            shutil.copymode(path, temporary)
            os.replace(temporary, path)
        return removed
    finally:
        temporary.unlink(missing_ok=True)


def media_files(roots: Iterable[Path]) -> list[Path]:
    """Every image and PDF under the folders, sorted (hidden folders such as .git skipped;
    hidden files not: they are committed too)."""
    found = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            folders = path.relative_to(root).parts[:-1]
            if media_format(path) and not any(part.startswith(".") for part in folders) and path.is_file():
                found.append(path)
    return sorted(found)


# What content/images/ and content/extra/ (STATIC_PATHS) may hold: the formats this
# module cleans or checks, SVG (sitebuild/svg.py) and plain text data. Any other file
# would be copied to readers as it is, with whatever it carries.
PLAIN_FORMATS = (".svg", ".csv", ".tsv", ".txt", ".json", ".asc")
# The other kinds: (suffixes, why a file of that kind is refused, what to do instead).
REFUSED_KINDS = (
    ((".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".pages", ".numbers",
      ".key"),
     msg("office files keep their authors, comments and earlier versions"),
     msg("export it as PDF and put the PDF here instead: the check looks at a PDF's metadata")),
    ((".heic", ".heif", ".tif", ".tiff", ".gif", ".bmp", ".avif", ".dng", ".raw", ".cr2", ".nef", ".arw"),
     msg("the build cannot remove this format's metadata (place, camera, owner)"),
     msg("save the picture as JPEG or PNG")),
    ((".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".mp3", ".m4a", ".wav", ".ogg", ".opus", ".aac"),
     msg("recordings keep where, when and on what they were made"),
     msg("publish it on a video or audio service and link to it from the text")),
    ((".html", ".htm", ".xhtml", ".js", ".mjs", ".css"),
     msg("HTML, CSS and JavaScript here would reach readers without the text's checks"),
     msg("write the page in Markdown in a section folder")),
    ((".md", ".markdown"),
     msg("a Markdown file here is copied as it is, not made into a page"),
     msg("move it into a section folder such as content/ar/news/, or out of content/")),
    ((".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"),
     msg("an archive is published unopened, whatever it holds"),
     msg("publish the files themselves")),
)


def static_files(content_root: Path, settings: dict) -> list[str]:
    """The files under STATIC_PATHS that Pelican copies (content-relative paths): hidden
    files and folders are not content (`IGNORE_FILES`, sitebuild/languages.py)."""
    found = set()
    for folder in settings.get("STATIC_PATHS", []):
        base = content_root / folder
        for path in [base] if base.is_file() else base.rglob("*"):
            relative = path.relative_to(content_root)
            if not any(part.startswith(".") for part in relative.parts) and path.is_file():
                found.add(relative.as_posix())
    return sorted(found)


def static_file_problems(site) -> list[Problem]:
    """An error for each file under STATIC_PATHS of a kind the build cannot vouch for
    (the files that `{static}` and `{attach}` links reach elsewhere: sitebuild/check.py)."""
    problems = []
    for relative in static_files(site.content_root, site.settings):
        refused = refused_file(relative, site.settings)
        if refused:
            problems.append(Problem(_display(site.content_root / relative, site.root), 1, "file", *refused))
    return problems


def refused_file(name: str, settings: dict) -> tuple[str, str] | None:
    """Why a file of this name cannot be published from content/, and what to do; None
    when it can (see PLAIN_FORMATS; and PUBLISH_UNCHECKED, the kinds a site accepts)."""
    suffix = Path(name).suffix.lower()
    if suffix in MEDIA_FORMATS or suffix in PLAIN_FORMATS or suffix in settings.get("PUBLISH_UNCHECKED", ()):
        return None
    why, fix = next(((why, fix) for suffixes, why, fix in REFUSED_KINDS if suffix in suffixes), (
        msg("the build cannot check what '{suffix}' files carry", suffix=suffix or Path(name).name),
        msg("publish it as PDF, JPEG, PNG, WebP, SVG, CSV or plain text")))
    return msg("cannot be published: {why}", why=why), fix


def source_roots(site) -> list[Path]:
    """Where the site's images and documents come from: content/ and the theme's static files."""
    return [site.content_root, site.theme / "static"]


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


# --- Caches --------------------------------------------------------------------------


class Digests:
    """sha256 of files, remembered by path, size, modification time and inode: a file
    that did not change is not read again (a thousand photos are gigabytes)."""

    def __init__(self, known: dict | None = None):
        self.known: dict[str, list] = known or {}
        self.used: dict[str, list] = {}

    def of(self, path: Path) -> str:
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self.known.get(str(path))
        if known and known[:3] == signature:
            digest = known[3]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.used[str(path)] = [*signature, digest]
        return digest


class _CheckMemo:
    """Each file's findings by its digest, in CACHE_PATH/media-check.pickle, for as long
    as this module and its libraries are the same (the check runs on every build)."""

    def __init__(self, cache_path: Path):
        self.path = cache_path / CHECK_CACHE
        self.key = _pipeline_key()
        self.found: dict[str, Report | str] = {}
        digests = None
        try:
            key, digests, found = pickle.loads(self.path.read_bytes())
            if key == self.key:
                self.found = found
            else:
                digests = None
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError):
            pass
        self.digests = Digests(digests)
        self.used: dict[str, Report | str] = {}

    def report(self, path: Path, fmt: str) -> Report | str:
        """The file's report, or the text of the error that stopped reading it."""
        key = f"{fmt}:{self.digests.of(path)}"
        found = self.found.get(key)
        if found is None:
            try:
                found = inspect_bytes(path.read_bytes(), fmt)
            except MediaError as error:
                found = str(error)
        self.used[key] = found
        return found

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps((self.key, self.digests.used, self.used)))
            os.replace(partial, self.path)
        except OSError:  # a read-only cache folder: the next check starts afresh
            pass


def media_problems(site) -> list[Problem]:
    """The content check's part: every image or PDF under content/ and the theme's
    static files that carries identifying metadata is an error."""
    memo = _CheckMemo(Path(site.settings["CACHE_PATH"]))
    problems = []
    for path in media_files(source_roots(site)):
        shown = _display(path, site.root)
        report = memo.report(path, media_format(path))
        if isinstance(report, str):
            noun = "document" if media_format(path) == "PDF" else "image"
            problems.append(Problem(shown, 1, "metadata", f"the {noun} cannot be read: {report}",
                                    "save it again from its program, or remove it"))
        else:
            problems += report.problems(shown)
    memo.save()
    return problems


# What a scrubbed file carried, in the line `invoke scrub-images` prints for it.
SHORT = {"gps": "GPS position", "serial": "camera serial number", "makernote": "maker notes",
         "author": "author or owner", "people": "names of people", "thumbnail": "thumbnail",
         "creator": "program or author", "xmp": "XMP", "other": "other origin data",
         "unreadable": "unreadable metadata"}


def scrub_sources(site) -> tuple[list[str], list[Problem]]:
    """`invoke scrub-images`: every image or PDF the check reports is scrubbed in place
    (see `scrub_file`). Returns one line per file changed, and the files that could not be."""
    lines, problems = [], []
    for path in media_files(source_roots(site)):
        shown, fmt = _display(path, site.root), media_format(path)
        try:
            report = inspect_bytes(path.read_bytes(), fmt)
            removed = scrub_file(path) if report.findings else []
        except (MediaError, OSError) as error:
            problems.append(Problem(shown, 1, "metadata", f"cannot scrub it: {error}",
                                    "save it again from its program, or remove it"))
            continue
        if removed:
            carried = ", ".join(dict.fromkeys(SHORT[finding.kind] for finding in report.findings))
            kept = f"; kept its orientation ({report.orientation})" if report.orientation != 1 else ""
            lines.append(f"{shown}: removed {', '.join(removed)} (it carried: {carried}){kept}")
    return lines, problems


class ImageCache:
    """The published copies of raster images, made once per source content.

    Kept in `folder` as <sha256 of the source>.<suffix>, with an index of each copy's
    size and modification time: a copy that is not exactly as it was written is made
    again (the published output links to these files, so nothing may change them). The
    whole folder is emptied when this module or Pillow changes."""

    INDEX = "index.json"

    def __init__(self, folder: Path):
        self.folder = folder
        self.key = _pipeline_key()
        self.files: dict[str, list[int]] = {}
        sources = None
        try:
            saved = json.loads((folder / self.INDEX).read_text(encoding="utf-8"))
            if saved.get("key") == self.key:
                self.files, sources = saved["files"], saved["sources"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.digests = Digests(sources)
        self.used: set[str] = set()
        self.made = 0  # copies made by this run (the others came from the cache)

    def copy_of(self, source: Path) -> Path:
        """The published copy of `source`, made now if the cache does not have it."""
        fmt = RASTER_FORMATS[source.suffix.lower()]
        name = f"{self.digests.of(source)}{source.suffix.lower()}"
        path = self.folder / name
        self.used.add(name)
        known = self.files.get(name)
        if known is not None:
            try:
                stat = path.stat()
                if [stat.st_size, stat.st_mtime_ns] == known:
                    return path
            except OSError:
                pass
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = _temporary_beside(path)
        temporary.write_bytes(published_image(source.read_bytes(), fmt))
        os.replace(temporary, path)
        stat = path.stat()
        self.files[name] = [stat.st_size, stat.st_mtime_ns]
        self.made += 1
        return path

    def publish(self, source: Path, target: Path) -> None:
        """Put the published copy of `source` at `target`: a new file (a hard link to the
        cached copy, or a copy of it), never a write into an existing one."""
        copy = self.copy_of(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _temporary_beside(target)
        temporary.unlink(missing_ok=True)
        try:
            os.link(copy, temporary)
        except OSError:  # another file system, or no hard links
            shutil.copy2(copy, temporary)
        os.replace(temporary, target)

    def save(self) -> None:
        """Write the index; copies of sources this run did not publish are deleted."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name != self.INDEX and path.name not in self.used:
                path.unlink(missing_ok=True)
        files = {name: self.files[name] for name in sorted(self.used) if name in self.files}
        index = {"key": self.key, "files": files, "sources": self.digests.used}
        temporary = _temporary_beside(self.folder / self.INDEX)
        temporary.write_text(json.dumps(index), encoding="utf-8")
        os.replace(temporary, self.folder / self.INDEX)


__all__ = [
    "Finding", "ImageCache", "MediaError", "Report", "encode_clean", "inspect_bytes",
    "inspect_file", "media_files", "media_format", "media_problems", "minimal_exif",
    "open_upright", "published_image", "scrub_file", "scrub_sources", "strip_metadata",
]
