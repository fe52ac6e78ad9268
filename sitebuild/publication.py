"""What a build publishes: drafts and embargoed items are held back from production.

An item is *held back* when it is a draft (`Status: draft`) or when its `Date` is
later than the build's time (an embargo: the first build after that moment
publishes it). A production build (`SHOW_UNPUBLISHED = False`, publishconf.py)
never hands a held-back item to Pelican: the `publication` plugin gives it
Pelican's `skip` status, so it has no page, listing entry, feed entry, sitemap
line, search document, JSON-LD or translation link. The preview
(`SHOW_UNPUBLISHED = True`, pelicanconf.py) shows them, each with a banner.

The driver (inventory, translation index, after-build check) and the plugin in
each language's run decide with the same function and the same build time
(`BUILD_TIME`, set once by the driver), so they can never disagree.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pelican.utils import get_date, set_date_tzinfo

from .media import PLAIN_FORMATS, static_files

DRAFT = "draft"
EMBARGO = "embargo"


def build_time(settings: dict) -> datetime:
    """The build's 'now' (an aware datetime), as set by the driver; else the clock."""
    value = settings.get("BUILD_TIME")
    return datetime.fromisoformat(value) if value else datetime.now(UTC)


def parse_date(text: str) -> datetime:
    """A header's date as Pelican reads it (ValueError if it is none); ISO 8601, as
    `invoke new` writes it, without dateutil's slower parser."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            return get_date(text)
        except OverflowError as error:
            raise ValueError(str(error)) from error


def item_date(value, timezone: str | None) -> datetime | None:
    """A `Date` (header text or Pelican's datetime) as an aware datetime, or None."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            return None  # the content check reports it
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = set_date_tzinfo(value, timezone)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def hold_back_reason(status: str, date, settings: dict) -> str | None:
    """DRAFT, EMBARGO or None: why a production build would not publish the item."""
    if str(status or "").strip().lower() == DRAFT:
        return DRAFT
    when = item_date(date, settings.get("TIMEZONE"))
    if when is not None and when > build_time(settings):
        return EMBARGO
    return None


def publishes_unpublished(settings: dict) -> bool:
    """Does this build show drafts and embargoed items (the preview)?"""
    return bool(settings.get("SHOW_UNPUBLISHED", False))


def held_back_files(items, content_root: Path, settings: dict) -> list[str]:
    """The files under STATIC_PATHS (content-relative paths) that held-back items use and
    nothing published does: a photo or report written for an embargoed item is published
    with it, not before it at a guessable address. Published means mentioned by a
    published item (in any form of its path: `{static}/images/x.jpg`, `/images/x.jpg`,
    `Image: images/x.jpg`), by a text file under STATIC_PATHS, a template or a setting;
    a file nothing mentions is published as before. Empty in the preview, which shows all."""
    if publishes_unpublished(settings):
        return []
    held = [item for item in items if item.hold_back and item.readable]
    files = static_files(content_root, settings) if held else []
    if not files:
        return []
    wanted = set()
    for item in held:
        wanted.update(_mentioned(files, item.text or ""))
        item.forget_text()
    if not wanted:
        return []
    used = _mentioned(wanted, repr(settings))
    for item in items:
        if not item.hold_back and item.readable and wanted - used:
            used |= _mentioned(wanted - used, item.text or "")
            item.forget_text()  # the driver keeps no file's text (sitebuild/inventory.py)
    # The text files that may be published (SVG, CSV, JSON…) can name an image in their turn.
    referrers = [content_root / path for path in files if path.endswith(PLAIN_FORMATS) and path not in wanted]
    if settings.get("THEME"):
        referrers += sorted(Path(settings["THEME"]).rglob("*.html"))
    for path in referrers:
        if wanted - used:
            used |= _mentioned(wanted - used, path.read_text(encoding="utf-8", errors="replace"))
    return sorted(wanted - used)


def _mentioned(paths, text: str) -> set[str]:
    """Which of `paths` the text mentions, as written or percent-encoded, not as a part
    of a longer name (images/x.jpg is not mentioned by images/x.jpg.bak or my-images/x.jpg)."""
    forms = {form: path for path in paths for form in (path, quote(path)) if form in text}
    if not forms:  # the common case, found by a plain substring search
        return set()
    pattern = re.compile("(?<![\\w.-])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
                         + ")(?![\\w.-])")
    return {forms[match] for match in pattern.findall(text)}
