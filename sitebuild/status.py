"""The editors' dashboard: what is not published yet, and what needs translating.

`invoke status` prints it; the preview serves it as a page at /_status/ (never
written into any output, so never published). Per language:

- drafts, and embargoed items with their release time;
- items without a translation in another language;
- translations older than their original (the original's file changed after the
  translation's: from git history, or the file's modification time for changes
  not committed yet);
- meeting accounts without their optional fields (requests, outcomes, follow-ups).

The original of a translation is its version in the first language of LANGUAGES.
"""

from __future__ import annotations

import html
import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.support import NullTranslations

from .config import Site
from .inventory import SourceItem, read_inventory
from .meetings import MEETING_FIELDS
from .meetings import SECTION as MEETINGS_SECTION
from .messages import msg, translate
from .publication import DRAFT, EMBARGO, item_date

OPTIONAL_MEETING_FIELDS = [name for name, required in MEETING_FIELDS.items() if not required]


@dataclass
class Entry:
    path: str
    title: str
    detail: str = ""


@dataclass
class LanguageStatus:
    code: str
    name: str
    drafts: list[Entry] = field(default_factory=list)
    embargoed: list[Entry] = field(default_factory=list)
    untranslated: list[Entry] = field(default_factory=list)
    outdated: list[Entry] = field(default_factory=list)
    incomplete_meetings: list[Entry] = field(default_factory=list)

    SECTIONS = (
        ("drafts", msg("Drafts (not published)")),
        ("embargoed", msg("Embargoed (published after their date)")),
        ("untranslated", msg("Without a translation")),
        ("outdated", msg("Translations older than their original")),
        ("incomplete_meetings", msg("Meeting accounts without optional fields")),
    )


def _git_times(root: Path) -> dict[str, float]:
    """Last commit time of every file in the repository's history (one `git log`)."""
    try:
        log = subprocess.run(["git", "log", "--format=@%ct", "--name-only", "--no-renames", "--", "."],
                             cwd=root, capture_output=True, text=True, check=True).stdout
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    times: dict[str, float] = {}
    current = 0.0
    for line in log.splitlines():
        if line.startswith("@"):
            current = float(line[1:])
        elif line.strip():
            times.setdefault(str(Path(top) / line), current)  # newest first: keep the first seen
    modified = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=root, capture_output=True,
                              text=True).stdout
    for line in modified.splitlines():  # changed since the last commit: its file's time
        path = Path(top) / line[3:].strip()
        if path.is_file():
            times[str(path)] = path.stat().st_mtime
    return times


def _changed_at(item: SourceItem, site: Site, git: dict[str, float]) -> float:
    path = (site.root / item.path).resolve() if not item.path.is_absolute() else item.path
    return git.get(str(path)) or os.stat(path).st_mtime


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def status_report(site: Site) -> list[LanguageStatus]:
    items = [item for item in read_inventory(site.content_root, site.root, site.languages, site.settings)
             if item.readable and item.language is not None]
    report = {lang.code: LanguageStatus(lang.code, lang.name) for lang in site.languages}
    by_key: dict[tuple[bool, str], dict[str, SourceItem]] = {}
    for item in items:
        by_key.setdefault((item.is_page, item.translation_key), {})[item.language.code] = item
    git = _git_times(site.root)
    primary = next(lang.code for lang in site.languages if lang.primary)
    for item in items:
        entry = Entry(str(item.path), item.title)
        status = report[item.language.code]
        if item.hold_back == DRAFT:
            status.drafts.append(entry)
        elif item.hold_back == EMBARGO:
            when = item_date(item.header.get("date"), site.settings.get("TIMEZONE"))
            status.embargoed.append(Entry(entry.path, entry.title, f"{when:%Y-%m-%d %H:%M %z}"))
        versions = by_key[(item.is_page, item.translation_key)]
        missing = [lang.name for lang in site.languages if lang.code not in versions]
        if missing:
            status.untranslated.append(Entry(entry.path, entry.title,
                                             msg("missing: {languages}", languages=", ".join(missing))))
        original = versions.get(primary)
        if original is not None and original is not item:
            source_time, own_time = _changed_at(original, site, git), _changed_at(item, site, git)
            if source_time > own_time:
                status.outdated.append(Entry(entry.path, entry.title,
                                             msg("{original} changed {then}, this translation {now}",
                                                 original=str(original.path), then=_when(source_time),
                                                 now=_when(own_time))))
        if item.kind == MEETINGS_SECTION:
            absent = [name for name in OPTIONAL_MEETING_FIELDS if not item.header.get(name)]
            if absent:
                status.incomplete_meetings.append(Entry(entry.path, entry.title,
                                                        msg("no {fields}", fields=", ".join(absent))))
    return list(report.values())


def sections(language: LanguageStatus, translations) -> list[tuple[str, list[tuple[Entry, str]]]]:
    """(heading, [(entry, detail)]) for each part of a language's report, translated."""
    return [(translate(heading, translations),
             [(entry, translate(entry.detail, translations) if entry.detail else "")
              for entry in getattr(language, attribute)])
            for attribute, heading in LanguageStatus.SECTIONS]


def as_text(report: list[LanguageStatus], translations=None) -> str:
    lines = []
    for language in report:
        lines.append(f"== {language.name} ({language.code})")
        for heading, entries in sections(language, translations or NullTranslations()):
            lines.append(f"{heading}: {len(entries)}")
            lines += [f"  {entry.path}: {entry.title}{f' — {detail}' if detail else ''}" for entry, detail in entries]
        lines.append("")
    return "\n".join(lines)


def as_html(report: list[LanguageStatus]) -> str:
    """A plain page for the preview (no script, no style from elsewhere)."""
    esc = html.escape
    parts = ['<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Editors' status — preview only</title></head><body>",
             "<h1>Editors' status</h1><p>Only the preview shows this page; it is never published.</p>"]
    for language in report:
        parts.append(f'<section lang="{esc(language.code)}"><h2>{esc(language.name)}</h2>')
        for heading, entries in sections(language, NullTranslations()):
            parts.append(f'<h3 lang="en">{esc(heading)} ({len(entries)})</h3><ul>')
            for entry, detail in entries:
                detail = f' — <span lang="en">{esc(detail)}</span>' if detail else ""
                parts.append(f'<li><code dir="ltr">{esc(entry.path)}</code>: <bdi>{esc(entry.title)}</bdi>{detail}</li>')
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
