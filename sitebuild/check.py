"""The content check: every problem an editor can fix, one line each.

Run by `invoke check` and by every build (while the languages build). Each problem reads
`path:line: field: what is wrong (how to fix)`. Errors stop the build;
warnings are printed and the build goes on.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.utils import get_date

from plugins.meetings import MEETING_FIELDS, meeting_problems
from plugins.meetings import SECTION as MEETINGS_SECTION

from .cache import stable_repr
from .config import Site
from .errors import Problem
from .inventory import PAGES_FOLDER, SourceItem

CHECK_CACHE = "content-check.pickle"
RESERVED_SLUGS = {"tags", "sections", "archives", "drafts", "page", "feeds", "theme", "images",
                  "extra", "search"}
STATUSES = ("published", "draft", "hidden")
KNOWN_FIELDS = {
    "title", "date", "modified", "slug", "lang", "summary", "tags", "authors", "author",
    "status", "template", "translation_key", "category", "source", "source_url",
    "disclaimer", "image", "image_alt",
    *MEETING_FIELDS,
}
# Fields whose line, when present, must have a value (an empty one means something else to Pelican).
# (An empty Title, Date or Lang is reported as missing.)
NOT_EMPTY = ("modified", "slug", "status", "template", "category", "translation_key")
SLUG_OK = re.compile(r"^[\w-]+$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTRASITE_LINK = re.compile(r"\{(?P<what>filename|static|attach)\}(?P<target>[^\s)\"'>]+)")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)")
RAW_IMG = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HAS_ALT = re.compile(r"\balt\s*=\s*(\"[^\"]+\"|'[^']+'|[^\s\"'>]+)", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<\s*script\b", re.IGNORECASE)
IFRAME_TAG = re.compile(r"<\s*(iframe|embed|object)\b[^>]*?(?:\bsrc|\bdata)\s*=\s*[\"']?(?P<src>[^\"'\s>]*)",
                        re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:|\]\(\s*javascript:",
                            re.IGNORECASE)
# JAVASCRIPT_URL has no fixed prefix, so the regex engine tries it at every offset
# (half the content check's time); a text without this word cannot match it.
JAVASCRIPT_WORD = re.compile("javascript:", re.IGNORECASE)


def _problem(item: SourceItem, field: str, message: str, hint: str = "", severity="error"):
    return Problem(str(item.path), item.header.line_of(field), field, message, hint, severity)


def _line_problem(item: SourceItem, offset: int, field: str, message: str, hint: str = "",
                  severity: str = "error") -> Problem:
    line = item.text.count("\n", 0, offset) + 1
    return Problem(str(item.path), line, field, message, hint, severity)


def _check_placement(item: SourceItem, site: Site) -> list[Problem]:
    sections = site.settings["SECTIONS"]
    where = f"content/{item.folder_lang}/<section>/, one of: {', '.join(sections)}, or pages"
    if not item.kind:
        return [Problem(str(item.path), 1, "folder", "the file is not inside a section folder",
                        f"move it into {where}")]
    if item.kind != PAGES_FOLDER and item.kind not in sections:
        return [Problem(str(item.path), 1, "folder", f"unknown section '{item.kind}'",
                        f"move it into {where}, or add '{item.kind}' to SECTIONS in pelicanconf.py")]
    category = item.header.get("category")
    if category and category != item.kind:
        return [_problem(item, "category", f"'{category}' differs from the folder '{item.kind}'",
                         "the section comes from the folder: remove this line or move the file")]
    return []


def _check_fields(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    codes = [lang.code for lang in site.languages]
    if not item.title:
        problems.append(_problem(item, "title", "missing", "add a line `Title: ...` at the top"))
    lang = item.header.get("lang")
    if not lang:
        problems.append(_problem(item, "lang", "missing", f"add a line `Lang: {item.folder_lang}`"))
    elif lang not in codes:
        problems.append(_problem(item, "lang", f"'{lang}' is not a language of this site",
                                 f"use one of: {', '.join(codes)}"))
    elif lang != item.folder_lang:
        problems.append(_problem(item, "lang", f"'{lang}' does not match the folder "
                                 f"content/{item.folder_lang}/",
                                 f"write `Lang: {item.folder_lang}` or move the file"))
    if item.header.get("slug") and not SLUG_OK.match(item.slug):
        problems.append(_problem(item, "slug", f"'{item.slug}' has spaces or punctuation",
                                 "use letters, digits and hyphens, e.g. caesar-meeting-2021"))
    elif not item.slug:
        problems.append(_problem(item, "slug", "no slug could be made from the title",
                                 "add a line `Slug: some-words`"))
    if item.status not in STATUSES:
        problems.append(_problem(item, "status", f"'{item.status}' is not a status",
                                 f"use one of: {', '.join(STATUSES)}"))
    template = item.header.get("template")
    if template and not (site.theme / "templates" / f"{template}.html").is_file():
        problems.append(_problem(item, "template", f"there is no template '{template}'",
                                 "remove the line, or use one of the theme's templates"))
    source_url = item.header.get("source_url")
    if source_url and urlsplit(source_url).scheme not in ("http", "https"):
        problems.append(_problem(item, "source_url", f"'{source_url}' is not a web address",
                                 "write the full address, starting with https://"))
    disclaimer = item.header.get("disclaimer")
    if disclaimer and disclaimer not in ("show", "hide"):
        problems.append(_problem(item, "disclaimer", f"'{disclaimer}' is not show or hide",
                                 "write `Disclaimer: show` or `Disclaimer: hide`"))
    if "،" in item.header.get("tags"):
        problems.append(_problem(item, "tags", "tags are separated by the Arabic comma ،",
                                 "separate tags with a Latin comma , so that each becomes its own tag",
                                 "warning"))
    for key in NOT_EMPTY:
        if key in item.header.values and not item.header.get(key):
            problems.append(_problem(item, key, "is empty", f"fill it in, or delete the `{key.title()}:` line"))
    for key, values in item.header.values.items():
        if len(values) > 1 and key not in MEETING_FIELDS:
            problems.append(_problem(item, key, "has more than one value line",
                                     f"keep one `{key.title()}:` line; indented lines continue a value"))
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
            hint = f"did you mean `{close[0].title()}`?" if close else "it will be ignored"
            problems.append(_problem(item, key, "unknown field", hint, "warning"))
    if item.kind == MEETINGS_SECTION:
        problems += [
            _problem(item, name, message, f"write `{name.title()}: ...` in the header (README: Meeting accounts)")
            for name, message in meeting_problems(item.header.values)
        ]
    return problems


def _check_dates(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    for field in ("date", "modified"):
        value = item.header.get(field)
        if not value:
            if field == "date" and not item.is_page:
                problems.append(_problem(item, "date", "missing",
                                         "add a line like `Date: 2021-01-28 10:00:00+02:00`"))
            continue
        try:
            date = get_date(value)
        except (ValueError, OverflowError):
            problems.append(_problem(item, field, f"'{value}' is not a date",
                                     "write YYYY-MM-DD HH:MM:SS+HH:MM, e.g. 2021-01-28 10:00:00+02:00"))
            continue
        if isinstance(date, datetime) and date.tzinfo is None and not site.settings.get("TIMEZONE"):
            problems.append(_problem(item, field, "has no timezone and TIMEZONE is not set",
                                     "add the offset, e.g. +02:00"))
    return problems


def _link_target(item: SourceItem, target: str, content_root: Path) -> Path:
    path = unquote(urlsplit(target).path)
    if path.startswith("/"):
        return content_root / path.lstrip("/")
    return (content_root / item.source_path).parent / path


def _check_body(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    text = item.text
    if not text[item.header_end:].strip():
        problems.append(Problem(str(item.path), item.header.body_line, "body", "the file has no text",
                                "write the text after one blank line below the header"))
    for match in CONTROL_CHARACTERS.finditer(text):
        problems.append(_line_problem(item, match.start(), "text",
                                      f"invisible control character U+{ord(match.group()):04X}",
                                      "delete it (it often comes from copying from a PDF or a chat app)"))
    for match in MARKDOWN_IMAGE.finditer(text):
        if not match["alt"].strip():
            problems.append(_line_problem(item, match.start(), "image",
                                          f"image {match['src']} has no alt text",
                                          "describe the image: ![what it shows](...)"))
    for match in RAW_IMG.finditer(text):
        if not HAS_ALT.search(match["attrs"]):
            problems.append(_line_problem(item, match.start(), "image", "<img> has no alt text",
                                          'add alt="what it shows"'))
    problems += _check_active_content(item, site)
    return problems


def _check_links(item: SourceItem, site: Site) -> list[Problem]:
    """{filename} and {static} links whose target is missing (the only check that
    depends on other files: never taken from the cache)."""
    problems = []
    for match in INTRASITE_LINK.finditer(item.text or ""):
        target = _link_target(item, match["target"], site.content_root)
        if not target.is_file():
            problems.append(_line_problem(item, match.start(), "link",
                                          f"{{{match['what']}}}{match['target']} points at nothing",
                                          "check the file name and folder; paths start at content/"))
    return problems


# Header fields that are rendered as Markdown (others are printed as escaped text).
RENDERED_FIELDS = {"summary"}


def _check_active_content(item: SourceItem, site: Site) -> list[Problem]:
    """Scripts and third-party embeds would run code or leak readers' visits.

    Only the body and Markdown-rendered fields can carry markup; a title such as
    `<script>` is printed as text and is fine.
    """
    problems = []
    text = _rendered_text(item)
    trusted = tuple(site.settings.get("TRUSTED_EMBEDS", ()))
    for match in SCRIPT_TAG.finditer(text):
        problems.append(_line_problem(item, match.start(), "html", "raw <script> in the text",
                                      "remove it: pages must work without scripts"))
    for match in IFRAME_TAG.finditer(text):
        if not (trusted and match["src"].startswith(trusted)):
            problems.append(_line_problem(item, match.start(), "html",
                                          f"embedded {match.group(1).lower()} from {match['src'] or 'nowhere'}",
                                          "link to it instead, or add its address to TRUSTED_EMBEDS"))
    for match in EVENT_ATTRIBUTE.finditer(text):
        problems.append(_line_problem(item, match.start(), "html", f"{match.group(1)}= attribute runs a script",
                                      "remove the attribute"))
    for match in JAVASCRIPT_URL.finditer(text) if JAVASCRIPT_WORD.search(text) else ():
        problems.append(_line_problem(item, match.start(), "html", "javascript: link",
                                      "link to a normal web address"))
    return problems


def _rendered_text(item: SourceItem) -> str:
    """The text with plain-text header lines blanked (same length, so offsets keep their line)."""
    lines = item.text.split("\n")
    for number, field in item.header.field_of_line.items():
        if field not in RENDERED_FIELDS:
            lines[number - 1] = " " * len(lines[number - 1])
    return "\n".join(lines)


def _check_item(item: SourceItem, site: Site) -> list[Problem]:
    if not item.supported:
        return [Problem(str(item.path), 1, "file", f"'{item.path.suffix}' files are not published",
                        "save the text as Markdown (.md); put images in content/images/")]
    if item.text is None:
        return [Problem(str(item.path), 1, "encoding", "the file is not UTF-8 text",
                        "save it as UTF-8 (in most editors: Save with encoding → UTF-8)")]
    return (_check_placement(item, site) + _check_fields(item, site)
            + _check_dates(item, site) + _check_body(item, site))


def _check_collisions(items: list[SourceItem], site: Site) -> list[Problem]:
    problems = []
    by_output: dict[str, list[SourceItem]] = defaultdict(list)
    by_key: dict[tuple[str, bool, str], list[SourceItem]] = defaultdict(list)
    languages_by_key: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for item in items:
        if item.text is None or not item.slug:
            continue
        by_output[item.save_as].append(item)
        by_key[(item.language.code, item.is_page, item.translation_key)].append(item)
        languages_by_key[(item.is_page, item.translation_key)].add(item.language.code)
        if item.is_page and (item.slug in RESERVED_SLUGS or item.slug in site.settings["SECTIONS"]):
            problems.append(_problem(item, "slug", f"'{item.slug}' is reserved for a listing",
                                     "choose another `Slug:`"))
    for same in by_output.values():
        for item in same[1:]:
            problems.append(_problem(item, "slug", f"'{item.slug}' is already used by {same[0].path}",
                                     "give one of them another `Slug:`"))
    for (_code, _page, key), same in by_key.items():
        if len(same) > 1 and same[0].save_as != same[1].save_as:
            for item in same:
                others = ", ".join(str(other.path) for other in same if other is not item)
                problems.append(_problem(item, "translation_key",
                                         f"'{key}' is claimed by {others} too",
                                         "an item has one translation per language: change one key"))
    for item in items:
        explicit = item.header.get("translation_key")
        if explicit and languages_by_key[(item.is_page, explicit)] == {item.language.code}:
            problems.append(_problem(item, "translation_key",
                                     f"no item in another language has the key '{explicit}'",
                                     "use the translation's slug or Translation_Key", "warning"))
    return problems


class _Remembered:
    """Each file's own problems from the last check, by the file's path and text, kept
    in CACHE_PATH/content-check.pickle for as long as the settings, the theme's
    templates and this module are the same (4,000 files: 1.2 s → 0.1 s)."""

    def __init__(self, site: Site):
        self.path = Path(site.settings["CACHE_PATH"]) / CHECK_CACHE
        templates = sorted(p.name for p in (site.theme / "templates").rglob("*.html"))
        self.key = hashlib.sha256(
            f"{stable_repr(site.settings)}\0{templates}\0".encode() + Path(__file__).read_bytes()
        ).hexdigest()
        self.found: dict[str, list[Problem]] = {}
        self.used: dict[str, list[Problem]] = {}
        try:
            key, found = pickle.loads(self.path.read_bytes())
            if key == self.key:
                self.found = found
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError):
            pass

    def problems(self, item: SourceItem, site: Site) -> list[Problem]:
        key = hashlib.sha1(f"{item.path}\0{item.folder_lang}\0{item.text}".encode("utf-8", "surrogatepass"))
        key = key.hexdigest()
        found = self.found.get(key)
        if found is None:
            found = _check_item(item, site)
        self.used[key] = found
        return found

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps((self.key, self.used)))
            os.replace(partial, self.path)
        except OSError:  # a read-only cache folder: the next check starts afresh
            pass


def check_content(items: list[SourceItem], site: Site) -> list[Problem]:
    remembered = _Remembered(site)
    problems = []
    for item in items:
        problems += remembered.problems(item, site) + _check_links(item, site)
    problems += _check_collisions(items, site)
    remembered.save()
    return sorted(problems)
