"""The content check: every problem an editor can fix, one line each.

Run by `invoke check` and at the start of every build. Errors stop the build;
warnings are printed and the build goes on.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pelican.utils import get_date

from plugins.meetings import SECTION as MEETINGS_SECTION
from plugins.meetings import meeting_problems

from .config import Site
from .errors import Problem
from .inventory import PAGES_FOLDER, SourceItem

RESERVED_SLUGS = {"tags", "sections", "archives", "drafts", "page", "feeds", "theme", "images"}


def _problem(item: SourceItem, field: str, message: str, hint: str = "", severity="error"):
    return Problem(str(item.path), item.header.line_of(field), field, message, hint, severity)


def _check_item(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    if item.text is None:
        return [Problem(str(item.path), 1, "encoding", "the file is not UTF-8 text",
                        "save it as UTF-8 in your editor")]
    sections = site.settings["SECTIONS"]
    if not item.kind:
        problems.append(Problem(str(item.path), 1, "folder",
                                "the file is not inside a section folder",
                                f"move it into content/{item.folder_lang}/<section>/, "
                                f"one of: {', '.join(sections)}, or pages"))
    elif item.kind != PAGES_FOLDER and item.kind not in sections:
        problems.append(Problem(str(item.path), 1, "folder",
                                f"unknown section '{item.kind}'",
                                f"use one of: {', '.join(sections)}, or pages; "
                                f"or add it to SECTIONS in pelicanconf.py"))
    if not item.title:
        problems.append(_problem(item, "title", "missing", "add a line `Title: ...` at the top"))
    lang = item.header.get("lang")
    if lang and lang != item.folder_lang:
        problems.append(_problem(item, "lang", f"'{lang}' does not match the folder "
                                 f"content/{item.folder_lang}/",
                                 f"write `Lang: {item.folder_lang}` or move the file"))
    problems += _check_date(item, site)
    if item.kind == MEETINGS_SECTION:
        problems += [
            _problem(item, name, message, f"write `{name.title()}: ...` in the header; README: Meeting accounts")
            for name, message in meeting_problems(item.header.values)
        ]
    return problems


def _check_date(item: SourceItem, site: Site) -> list[Problem]:
    value = item.header.get("date")
    if not value:
        if item.is_page:
            return []
        return [_problem(item, "date", "missing",
                         "add a line like `Date: 2021-01-28 10:00:00+02:00`")]
    try:
        date = get_date(value)
    except (ValueError, OverflowError):
        return [_problem(item, "date", f"'{value}' is not a date",
                         "write it as YYYY-MM-DD HH:MM:SS+HH:MM, e.g. 2021-01-28 10:00:00+02:00")]
    if isinstance(date, datetime) and date.tzinfo is None and not site.settings.get("TIMEZONE"):
        return [_problem(item, "date", "has no timezone and TIMEZONE is not set",
                         "add the offset, e.g. +02:00")]
    return []


def _check_collisions(items: list[SourceItem], site: Site) -> list[Problem]:
    problems = []
    by_url: dict[str, list[SourceItem]] = defaultdict(list)
    by_key: dict[tuple[str, str, str], list[SourceItem]] = defaultdict(list)
    for item in items:
        if item.text is None or not item.slug:
            continue
        by_url[item.save_as].append(item)
        by_key[(item.language.code, str(item.is_page), item.translation_key)].append(item)
        if item.is_page and (item.slug in RESERVED_SLUGS or item.slug in site.settings["SECTIONS"]):
            problems.append(_problem(item, "slug", f"'{item.slug}' is reserved for a listing",
                                     "choose another `Slug:`"))
    for same in by_url.values():
        for item in same[1:]:
            problems.append(_problem(item, "slug", f"'{item.slug}' is already used by {same[0].path}",
                                     "give one of them another `Slug:`"))
    for (_code, _page, key), same in by_key.items():
        if len(same) > 1 and same[0].save_as != same[1].save_as:
            for item in same[1:]:
                problems.append(_problem(item, "translation_key",
                                         f"'{key}' is claimed by {same[0].path} too",
                                         "each item may have one translation per language"))
    return problems


def check_content(items: list[SourceItem], site: Site) -> list[Problem]:
    problems = []
    for item in items:
        problems += _check_item(item, site)
    problems += _check_collisions(items, site)
    return sorted(problems)
