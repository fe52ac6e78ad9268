"""SVG files: no active content, nothing loaded from elsewhere, no editor's metadata.

An SVG is a document, not a picture: opened at its own address it runs its
`<script>`s and `onload=`s with the site's origin (on hosts that cannot send the
Content-Security-Policy header, GitHub Pages among them), and it can load images,
fonts and styles from any site. Drawing programs also write who made it and where
it was saved (`sodipodi:docname`, `inkscape:export-filename` with the path of the
author's home folder, `<metadata>` with the author's name).

The content check refuses active content and outside references (the fix is to
export the drawing again without them) and reports editor metadata, which
`invoke scrub-images` removes. Parsed with lxml without resolving entities or
reaching the network.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from .errors import Problem
from .messages import msg

EDITOR_NAMESPACES = {
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.inkscape.org/namespaces/inkscape",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
    "http://www.bohemiancoding.com/sketch/ns",
}
ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href"}
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?P<url>[^'\")\s]+)|@import\s+['\"](?P<import>[^'\"]+)", re.I)
SAFE_SCHEMES = ("#", "data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False)


def _local(name: str) -> str:
    return etree.QName(name).localname if isinstance(name, str) else ""


def _namespace(name: str) -> str:
    return etree.QName(name).namespace or "" if isinstance(name, str) else ""


def _outside(value: str) -> bool:
    """Does a reference lead elsewhere than into this file (or an embedded image)?"""
    value = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
    return bool(value) and not value.startswith(SAFE_SCHEMES)


def inspect_svg(data: bytes) -> tuple[list[str], list[str]]:
    """(active content or outside references, editor metadata) found in an SVG file."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        return [f"it cannot be read as XML ({error.msg})"], []
    active, metadata = [], []
    for element in root.iter():
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment) and element.text and element.text.strip():
                metadata.append("a comment")
            continue
        name = _local(element.tag)
        if name in ACTIVE_ELEMENTS:
            active.append(f"<{name}>")
        if name == "metadata" or _namespace(element.tag) in EDITOR_NAMESPACES:
            metadata.append(f"<{name}>")
        if name == "style" and element.text:
            active += [f"a style loading {m['url'] or m['import']}" for m in CSS_URL.finditer(element.text)
                       if _outside(m["url"] or m["import"])]
        for attribute, value in element.attrib.items():
            local = _local(attribute)
            if local.lower().startswith("on"):
                active.append(f"{local}= on <{name}>")
            elif attribute in LINK_ATTRIBUTES and _outside(value):
                active.append(f"<{name}> pointing to {value[:60]}")
            elif local == "style":
                active += [f"a style loading {m['url']}" for m in CSS_URL.finditer(value) if _outside(m["url"] or "")]
            elif _namespace(attribute) in EDITOR_NAMESPACES:
                metadata.append(f"{etree.QName(attribute).localname}=")
    return list(dict.fromkeys(active)), list(dict.fromkeys(metadata))


def scrub_svg(data: bytes) -> bytes:
    """The SVG without `<metadata>`, comments and drawing programs' own elements and attributes."""
    root = etree.fromstring(data, _parser())
    for element in list(root.iter()):
        parent = element.getparent()
        if parent is None:
            continue
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment):
                parent.remove(element)
        elif _local(element.tag) == "metadata" or _namespace(element.tag) in EDITOR_NAMESPACES:
            parent.remove(element)
    for element in root.iter():
        if isinstance(element.tag, str):
            for attribute in [a for a in element.attrib if _namespace(a) in EDITOR_NAMESPACES]:
                del element.attrib[attribute]
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def svg_files(roots: list[Path]) -> list[Path]:
    return sorted(path for root in roots if root.is_dir() for path in root.rglob("*.svg")
                  if path.is_file() and not path.is_symlink())


def svg_problems(roots: list[Path], shown_from: Path) -> list[Problem]:
    problems = []
    for path in svg_files(roots):
        shown = os.path.relpath(path, shown_from) if path.is_relative_to(shown_from) else str(path)
        active, metadata = inspect_svg(path.read_bytes())
        if active:
            problems.append(Problem(shown, 1, "svg", msg("the drawing has active content or loads from "
                                                         "elsewhere: {found}", found=", ".join(active)),
                                    msg("export it again as a plain SVG (Inkscape: Save As → Optimized SVG), "
                                        "or as a PNG")))
        if metadata:
            problems.append(Problem(shown, 1, "metadata", msg("the drawing carries its program's metadata: "
                                                              "{found}", found=", ".join(metadata)),
                                    msg("run `invoke scrub-images` to remove it")))
    return problems


def scrub_svg_files(roots: list[Path], shown_from: Path) -> list[str]:
    """`invoke scrub-images`: the SVGs that carry metadata (not those with active content:
    the check sends those back to their program)."""
    lines = []
    for path in svg_files(roots):
        data = path.read_bytes()
        active, metadata = inspect_svg(data)
        if metadata and not active:
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(scrub_svg(data))
            os.replace(temporary, path)
            shown = os.path.relpath(path, shown_from) if path.is_relative_to(shown_from) else str(path)
            lines.append(f"{shown}: removed {', '.join(metadata)}")
    return lines
