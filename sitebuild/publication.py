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

from datetime import UTC, datetime

from pelican.utils import get_date, set_date_tzinfo

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
