"""Links to documents say what the reader is about to download: "Report (PDF, 1.2 MB)".

A link in an article or page to a file published from content/ (`{static}` or
`{attach}`) that is neither a page nor an image gets, inside the link, the file's type
and size, in the page's language: "(PDF, 1.2 MB)", «(PDF، 1.2 م.ب)». Sizes are decimal
(1 MB = 1,000,000 bytes), one decimal under 10, through Babel's CLDR units with the
language's `locale` and `digits` (LANGUAGES in pelicanconf.py); the words around them
come from the theme's catalog. The label is a `<bdi>` with the page's direction, so an
English type name and a number never reorder an Arabic line or the link around them.

The hook is `content_object_init`, sent when Pelican has made an article or page from
the reader's HTML and before anything reads it. There the links still read
`{static}/files/report.pdf`, so the file is found under content/ exactly as Pelican
will resolve it, and the size is read on every build: a Markdown extension would see
the links too, but its HTML is kept in Pelican's content cache, which knows nothing of
the linked file (a replaced PDF would keep its old size). The label is then part of the
item's HTML wherever it appears: the page, listings, feeds and the search index.
"""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from babel.support import NullTranslations, Translations
from babel.units import format_unit
from markupsafe import escape
from pelican import signals
from pelican.contents import Article, Page

from sitebuild.contracts import declare
from sitebuild.languages import to_digits

# Not labelled: pages (their links are {filename}) and images, which are shown, not downloaded.
NOT_DOWNLOADS = {".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".jpg", ".jpeg", ".png",
                 ".webp", ".gif", ".svg", ".avif", ".ico", ".bmp"}
DOUBLE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz")
UNITS = (("digital-gigabyte", 10**9), ("digital-megabyte", 10**6), ("digital-kilobyte", 10**3))


def file_type(name: str) -> str:
    """"PDF", "DOCX", "TAR.GZ": what readers see in their file manager."""
    lower = name.lower()
    for suffix in DOUBLE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:].upper()
    return os.path.splitext(lower)[1][1:].upper()


def file_size(size: int, locale: str, digits: str) -> str:
    """1234567 → "1.2 MB" (en), "1.2 م.ب" (ar), "١٫٢ م.ب" (ar with digits "arab")."""
    unit, value = "digital-byte", float(size)
    for name, scale in UNITS:
        if size >= scale * 0.9995:  # 999,600 bytes is "1 MB", not "1,000 kB"
            unit, value = name, size / scale
            break
    pattern = "#,##0.#" if unit != "digital-byte" and value < 9.95 else "#,##0"
    system = "arab" if digits == "arab" else "latn"
    length = "long" if unit == "digital-byte" else "short"  # "512 bytes", not "512 byte"
    text = format_unit(value, unit, length=length, format=pattern, locale=locale,
                       numbering_system=system)
    return to_digits(text, digits)


@cache
def _translations(catalogs: str, code: str, compiled: int) -> NullTranslations:
    return Translations.load(catalogs, [code])


def translations(settings: dict) -> NullTranslations:
    """The language's theme catalog (as babel_i18n loads it), loaded again when it was
    compiled again."""
    catalogs = Path(settings.get("COMPILED_CATALOGS") or Path(settings["THEME"]) / "translations")
    code = settings["LANGUAGE"]["code"]
    mo = catalogs / code / "LC_MESSAGES" / "messages.mo"
    return _translations(str(catalogs), code, mo.stat().st_mtime_ns if mo.is_file() else 0)


def label(path: Path, settings: dict) -> str:
    """The label's text for one file, e.g. "(PDF, 1.2 MB)"."""
    language = settings["LANGUAGE"]
    size = file_size(path.stat().st_size, language["locale"], language["digits"])
    # Translators: after a link to a document: its type (PDF, DOCX, ZIP…) and size.
    return translations(settings).gettext("(%(type)s, %(size)s)") % {"type": file_type(path.name), "size": size}


@cache
def _opening_link(intrasite: str) -> re.Pattern:
    """An <a> tag whose href is an intrasite link (`{static}…`, Pelican's INTRASITE_LINK_REGEX)."""
    return re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?P<quote>[\"'])" + intrasite
                      + r"(?P<value>.*?)(?P=quote)[^>]*>", re.IGNORECASE | re.DOTALL)


CLOSING_LINK = re.compile(r"</a\s*>", re.IGNORECASE)


def linked_file(instance, what: str, value: str) -> Path | None:
    """The file under content/ a `{static}`/`{attach}` link leads to, as Pelican finds it."""
    if what not in ("static", "attach"):
        return None
    path = unquote(urlsplit(html.unescape(value)).path)  # Markdown wrote `&` as `&amp;`
    relative = path[1:] if path.startswith("/") else os.path.join(instance.relative_dir, path)
    target = Path(instance.settings["PATH"], os.path.normpath(relative))
    if target.suffix.lower() in NOT_DOWNLOADS or not target.is_file():
        return None
    return target


def label_links(instance) -> None:
    if not isinstance(instance, (Article, Page)) or not instance._content:
        return
    body, settings = instance._content, instance.settings
    direction = settings["LANGUAGE"]["dir"]
    pieces, position = [], 0
    for match in _opening_link(settings["INTRASITE_LINK_REGEX"]).finditer(body):
        if match.start() < position:  # inside a link already labelled
            continue
        target = linked_file(instance, match["what"], match["value"])
        closing = CLOSING_LINK.search(body, match.end()) if target else None
        if closing is None:
            continue
        text = escape(label(target, settings))
        pieces += [body[position:closing.start()],
                   f' <bdi class="file-info" dir="{direction}">{text}</bdi>']
        position = closing.start()
    if pieces:
        instance._content = "".join(pieces) + body[position:]


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.content_object_init.connect(label_links)
