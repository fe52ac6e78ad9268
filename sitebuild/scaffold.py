"""`invoke new`: a correctly named content file with every required field filled in.

New files start as `Status: draft` (visible in the preview under /drafts/, never
published), so placeholders cannot reach readers; the editor deletes that line
when the text is ready.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import Site
from .errors import BuildError
from .inventory import PAGES_FOLDER, item_slug, parse_header
from .meetings import LIST_FIELDS
from .meetings import SECTION as MEETINGS_SECTION

PAGE_KIND = "page"

PLACEHOLDERS = {
    "rtl": {"title": "اكتب العنوان بهذه اللغة", "summary": "اكتب ملخصاً من جملة أو جملتين.",
            "body": "اكتب النص هنا.", "value": "…"},
    "ltr": {"title": "Write the title in this language", "summary": "Write a one- or two-sentence summary.",
            "body": "Write the text here.", "value": "…"},
}


def _folder(kind: str, site: Site) -> str:
    if kind == PAGE_KIND:
        return PAGES_FOLDER
    if kind not in site.settings["SECTIONS"]:
        kinds = ", ".join([*site.settings["SECTIONS"], PAGE_KIND])
        raise BuildError(f"new: unknown kind '{kind}' (use one of: {kinds})")
    return kind


def _header(kind: str, lang, title: str, slug: str, now: datetime, translation_key: str) -> str:
    words = PLACEHOLDERS[lang.dir]
    lines = [f"Title: {title}"]
    if kind != PAGE_KIND:
        lines.append(f"Date: {now.isoformat(sep=' ', timespec='seconds')}")
    lines += [f"Slug: {slug}", f"Lang: {lang.code}"]
    if translation_key:
        lines.append(f"Translation_Key: {translation_key}")
    lines.append("Status: draft")
    if kind != PAGE_KIND:
        lines += [f"Summary: {words['summary']}", "Tags: ", "Authors: "]
    if kind == MEETINGS_SECTION:
        lines += [f"Meeting_Date: {now.date().isoformat()}", f"Place: {words['value']}",
                  f"Counterpart: {words['value']}"]
        lines += [f"{name.title()}: {words['value']}" for name in LIST_FIELDS]
    return "\n".join(lines) + "\n\n" + words["body"] + "\n"


def new_content(site: Site, kind: str, lang_code: str, title: str, *, slug: str = "",
                translation_of: str = "", both: bool = False, now: datetime | None = None) -> list[Path]:
    """Write the new file (and with `both`, its translations); return their paths."""
    languages = {lang.code: lang for lang in site.languages}
    if lang_code not in languages:
        raise BuildError(f"new: --lang must be one of {', '.join(languages)}, not '{lang_code}'")
    if not title.strip():
        raise BuildError("new: --title is empty")
    folder = _folder(kind, site)
    now = now or datetime.now(ZoneInfo(site.settings.get("TIMEZONE") or "UTC"))
    if translation_of:
        originals = [
            path for path in site.content_root.glob(f"*/{folder}/*.md")
            if translation_of in (path.stem, parse_header(path.read_text("utf-8")).get("slug"))
        ]
        if not originals:
            raise BuildError(f"new: --translation-of '{translation_of}': no {kind} has that slug")
        slug = slug or translation_of
    slug = slug or item_slug(parse_header(f"Title: {title}\n"), site.settings)
    targets = [lang_code] + ([c for c in languages if c != lang_code] if both else [])
    paths = [site.content_root / code / folder / f"{slug}.md" for code in targets]
    for path in paths:
        if path.exists():
            raise BuildError(f"new: {path} already exists; choose another --slug (nothing was written)")
    for code, path in zip(targets, paths, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        # The title given is in --lang; the other languages' files get a placeholder to translate.
        own_title = title if code == lang_code else PLACEHOLDERS[languages[code].dir]["title"]
        path.write_text(_header(kind, languages[code], own_title, slug, now, ""), encoding="utf-8")
    return paths
