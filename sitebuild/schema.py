"""The site's own settings: each with its default and its rule, checked when settings load.

Pelican checks its own settings; these are the ones this generator adds
(pelicanconf.py documents them). A missing optional setting gets its default; a
wrong one stops the build before anything runs, naming the setting, what is wrong
and how to write it — not a `KeyError: 'name'` from deep inside a language's run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem

REQUIRED = object()  # a setting without a default


@dataclass(frozen=True)
class Setting:
    default: object
    rule: Callable[[object, dict], str | None]  # what is wrong with a value, or None
    example: str


def _per_language(value, settings, *, optional=False) -> str | None:
    """A table by language code; the first language must be there (the others fall back)."""
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        return "must be a table with one entry per language code"
    first = next(iter(settings.get("LANGUAGES", [])), {}).get("code")
    return f"has no text for {first}, the site's first language" if first and not value.get(first) else None


def _organisation(value, settings) -> str | None:
    if not isinstance(value, dict):
        return "must be a table with `name` (per language) and `logo`"
    if "name" not in value:
        return "has no `name`"
    wrong = _per_language(value["name"], settings)
    if wrong:
        return f"`name` {wrong}"
    if not isinstance(value.get("logo"), str) or not value["logo"]:
        return "has no `logo` (a path on the site, e.g. theme/img/logo.svg)"
    return None


def _email(value, settings) -> str | None:
    return None if isinstance(value, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else \
        "is not an e-mail address"


def _social_links(value, settings) -> str | None:
    if not isinstance(value, (list, tuple)):
        return "must be a list of (label, address) pairs"
    for entry in value:
        if not (isinstance(entry, (list, tuple)) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            return f"{entry!r} is not a (label, address) pair"
        if urlsplit(entry[1]).scheme != "https":
            return f"{entry[1]!r} is not an https:// address"
    return None


def _counterparts(value, settings) -> str | None:
    if not isinstance(value, dict):
        return "must be a table of slug → {language code: the body's name}"
    for slug, names in value.items():
        if not (isinstance(slug, str) and re.fullmatch(r"[a-z0-9-]+", slug)):
            return f"{slug!r}: use lower-case letters, digits and hyphens"
        if not (isinstance(names, dict) and names and all(isinstance(n, str) and n for n in names.values())):
            return f"{slug!r} must have a name per language, e.g. {{\"ar\": \"…\", \"en\": \"…\"}}"
    return None


def _authors_table(value, settings) -> str | None:
    if not isinstance(value, dict):
        return "must be a table of key → {\"type\": \"Organization\" or \"Person\", \"name\": {per language}}"
    for key, entry in value.items():
        if not isinstance(entry, dict) or entry.get("type", "Person") not in ("Organization", "Person"):
            return f"{key!r}: `type` must be \"Organization\" or \"Person\""
        names = entry.get("name")
        if not (isinstance(names, dict) and names and all(isinstance(n, str) and n for n in names.values())):
            return f"{key!r} needs `name`: the author's name per language, as articles write it in `Authors:`"
        if "url" in entry and urlsplit(str(entry["url"])).scheme != "https":
            return f"{key!r}: `url` is not an https:// address"
    return None


def _sections(value, settings) -> str | None:
    if not isinstance(value, (list, tuple)) or not value:
        return "must be a list of folder names"
    wrong = [name for name in value if not (isinstance(name, str) and re.fullmatch(r"[a-z0-9-]+", name))]
    return f"{', '.join(map(repr, wrong))}: use lower-case letters, digits and hyphens" if wrong else None


def _slug(value, settings) -> str | None:
    return None if isinstance(value, str) and re.fullmatch(r"[\w-]+", value) else "is not a slug"


def _disclaimer_on(value, settings) -> str | None:
    if value in ("all", "republished"):
        return None
    if isinstance(value, (list, tuple)) and all(name in settings.get("SECTIONS", []) for name in value):
        return None
    return "must be \"all\", \"republished\" or a list of sections"


def _onion(value, settings) -> str | None:
    if value is None:
        return None
    parts = urlsplit(str(value))
    return None if parts.scheme in ("http", "https") and parts.hostname and parts.hostname.endswith(".onion") \
        else "is not an http://….onion address"


def _date_pattern(value, settings) -> str | None:
    from babel.dates import format_date

    try:
        format_date(date(2021, 1, 26), str(value), locale="en")
    except (ValueError, TypeError) as error:
        return f"is not a Babel date pattern ({error})"
    return None


def _timezone(value, settings) -> str | None:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a time zone name"
    return None


def _suffixes(value, settings) -> str | None:
    if not isinstance(value, (list, tuple)):
        return "must be a list of file name endings"
    wrong = [entry for entry in value if not (isinstance(entry, str) and re.fullmatch(r"\.[a-z0-9]+", entry))]
    return f"{wrong[0]!r} is not an ending such as \".xlsx\" (a dot, then lower-case letters or digits)" \
        if wrong else None


def _positive_int(value, settings) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) and value > 0 else \
        "must be a whole number above 0"


def _boolean(value, settings) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _optional_text(value, settings) -> str | None:
    return None if value is None or (isinstance(value, str) and value.strip()) else "must be text, or None"


SETTINGS: dict[str, Setting] = {
    "ORGANISATION": Setting(REQUIRED, _organisation,
                            '{"name": {"ar": "…", "en": "…"}, "logo": "theme/img/logo.svg"}'),
    "SUBMISSION_EMAIL": Setting(REQUIRED, _email, '"submissions@your-organisation.org"'),
    "SECTIONS": Setting(REQUIRED, _sections, '["news", "statements", "reports", "meetings"]'),
    "SOCIAL_LINKS": Setting([], _social_links, '[("Telegram", "https://t.me/your_channel")]'),
    "COUNTERPARTS": Setting({}, _counterparts, '{"us-state-department": {"ar": "…", "en": "…"}}'),
    "AUTHORS_TABLE": Setting({}, _authors_table,
                             '{"media-office": {"type": "Organization", "name": {"ar": "…", "en": "…"}}}'),
    "CONTACT_PAGE_SLUG": Setting("contact", _slug, '"contact"'),
    "DISCLAIMER": Setting(None, lambda value, settings: _per_language(value, settings, optional=True),
                          '{"ar": "…", "en": "…"}'),
    "DISCLAIMER_ON": Setting("republished", _disclaimer_on, '"republished"'),
    "SHARE_IMAGE": Setting(None, _optional_text, '"theme/img/share.png"'),
    "ONION_LOCATION": Setting(None, _onion, '"http://example.onion"'),
    "DATE_PATTERN": Setting("d MMMM y", _date_pattern, '"d MMMM y"'),
    "TIMEZONE": Setting("UTC", _timezone, '"Asia/Damascus"'),
    "FEED_MAX_ITEMS": Setting(100, _positive_int, "20"),  # Pelican's default is 100
    "SHOW_UNPUBLISHED": Setting(False, _boolean, "False"),
    "PRECOMPRESS": Setting(False, _boolean, "False"),
    "MAX_SOURCE_BYTES": Setting(1024 * 1024, _positive_int, "1048576"),
    "MAX_NESTING": Setting(16, _positive_int, "16"),
    "MAX_HTML_NESTING": Setting(64, _positive_int, "64"),
    "PUBLISH_UNCHECKED": Setting([], _suffixes, '[".xlsx"]'),
    "SUBMISSION_SIGNAL": Setting(None, _optional_text, '"+44 7700 900000"'),
    "SUBMISSION_POSTAL_ADDRESS": Setting(None, lambda value, settings: _per_language(value, settings,
                                                                                        optional=True),
                                         '{"ar": "…", "en": "…"}'),
}


def apply_schema(settings: dict, where: str) -> list[Problem]:
    """Fill in defaults (in place) and return what is wrong, one Problem per setting."""
    problems = []
    for name, setting in SETTINGS.items():
        if name not in settings:
            if setting.default is REQUIRED:
                problems.append(Problem(where, 0, name, "is not set", f"add {name} = {setting.example}"))
                continue
            settings[name] = setting.default
        wrong = setting.rule(settings[name], settings)
        if wrong:
            problems.append(Problem(where, 0, name, wrong, f"write it like {name} = {setting.example}"))
    return problems
