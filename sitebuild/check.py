"""The content check: every problem an editor can fix, one line each.

Run by `invoke check` and by every build (while the languages build). Each problem reads
`path:line: field: what is wrong (how to fix)`. Errors stop the build;
warnings are printed and the build goes on.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from babel.core import get_global

from .cache import NOT_IN_CACHE_KEY, hash_files, stable_repr
from .config import MAX_SLUG_LENGTH, SHORTEN_SLUG, Site
from .corrections import parse_corrections
from .errors import Problem
from .inventory import META_LINE, PAGES_FOLDER, SourceItem, item_slug
from .languages import markdown_settings, reserved_segments
from .limits import limit_problem
from .media import media_problems, refused_file, source_roots, static_file_problems
from .meetings import MEETING_FIELDS, meeting_problems
from .meetings import SECTION as MEETINGS_SECTION
from .messages import msg
from .publication import DRAFT, EMBARGO, item_date, parse_date
from .rendering import ItemRenderer
from .sanitize import html_problems
from .scaffold import PLACEHOLDERS
from .search import clean
from .search import words as word_runs
from .svg import svg_problems

CHECK_CACHE = "content-check.pickle"
STATUSES = ("published", "draft", "hidden")
KNOWN_FIELDS = {
    "title", "date", "modified", "slug", "lang", "summary", "tags", "authors", "author",
    "status", "template", "translation_key", "category", "source", "source_url",
    "disclaimer", "image", "image_alt", "script_check", "correction",
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


def _problem(item: SourceItem, field: str, message: str, hint: str = "", severity="error"):
    return Problem(str(item.path), item.header.line_of(field), field, message, hint, severity)


def _line_problem(item: SourceItem, offset: int, field: str, message: str, hint: str = "",
                  severity: str = "error") -> Problem:
    line = item.text.count("\n", 0, offset) + 1
    return Problem(str(item.path), line, field, message, hint, severity)


def _check_placement(item: SourceItem, site: Site) -> list[Problem]:
    sections = site.settings["SECTIONS"]
    where = f"content/{item.folder_lang}/<section>/"
    choices = ", ".join([*sections, PAGES_FOLDER])
    if not item.kind:
        return [Problem(str(item.path), 1, "folder", msg("the file is not inside a section folder"),
                        msg("move it into {where}, one of: {choices}", where=where, choices=choices))]
    if item.kind != PAGES_FOLDER and item.kind not in sections:
        return [Problem(str(item.path), 1, "folder", msg("unknown section '{section}'", section=item.kind),
                        msg("move it into {where}, one of: {choices}; or add '{section}' to SECTIONS in "
                            "pelicanconf.py", where=where, choices=choices, section=item.kind))]
    category = item.header.get("category")
    if category and category != item.kind:
        return [_problem(item, "category", msg("'{category}' differs from the folder '{folder}'",
                                               category=category, folder=item.kind),
                         msg("the section comes from the folder: remove this line or move the file"))]
    return []


def _unshortened_slug(item: SourceItem, site: Site) -> str:
    subs = [sub for sub in site.settings["SLUG_REGEX_SUBSTITUTIONS"] if sub not in SHORTEN_SLUG]
    return item_slug(item.header, {**site.settings, "SLUG_REGEX_SUBSTITUTIONS": subs})


def _title_rule(item: SourceItem, site: Site):
    if not item.title:
        yield _problem(item, "title", msg("missing"), msg("add a line `Title: ...` at the top"))


def _lang_rule(item: SourceItem, site: Site):
    codes = [lang.code for lang in site.languages]
    lang = item.header.get("lang")
    if not lang:
        yield _problem(item, "lang", msg("missing"), msg("add a line `Lang: {code}`", code=item.folder_lang))
    elif lang not in codes:
        yield _problem(item, "lang", msg("'{value}' is not a language of this site", value=lang),
                       msg("use one of: {choices}", choices=", ".join(codes)))
    elif lang != item.folder_lang:
        yield _problem(item, "lang", msg("'{value}' does not match the folder content/{code}/",
                                         value=lang, code=item.folder_lang),
                       msg("write `Lang: {code}` or move the file", code=item.folder_lang))


def _slug_rule(item: SourceItem, site: Site):
    explicit = item.header.get("slug")
    invisible = sorted({f"U+{ord(c):04X}" for c in item.slug if unicodedata.category(c) == "Cf"})
    if explicit and invisible:
        yield _problem(item, "slug", msg("contains invisible direction marks ({marks})", marks=", ".join(invisible)),
                       msg("delete the line's text and type the slug again in Latin letters"))
    elif explicit and not SLUG_OK.match(item.slug):
        yield _problem(item, "slug", msg("'{slug}' has spaces or punctuation", slug=item.slug),
                       msg("use letters, digits and hyphens, e.g. caesar-meeting-2021"))
    elif explicit and len(item.slug) > MAX_SLUG_LENGTH:
        yield _problem(item, "slug", msg("is {length} characters long", length=len(item.slug)),
                       msg("keep it under {limit}: a few words are enough", limit=MAX_SLUG_LENGTH))
    elif item.slug and not explicit and item.slug != _unshortened_slug(item, site):
        yield _problem(item, "title", msg("is long: its address was shortened to '{slug}'", slug=item.slug),
                       msg("add a line `Slug: a-few-english-words` for a clearer address"), "notice")
    elif not item.slug:
        yield _problem(item, "slug", msg("no slug could be made from the title"), msg("add a line `Slug: some-words`"))


def _status_rule(item: SourceItem, site: Site):
    if item.status not in STATUSES:
        yield _problem(item, "status", msg("'{value}' is not a status", value=item.status),
                       msg("use one of: {choices}", choices=", ".join(STATUSES)))
    elif item.status == "hidden":  # Pelican's word for "unlisted", easily read as "private"
        yield _problem(item, "status", msg("hidden items are published at their address, only left out of "
                                           "listings, feeds and search: anyone with the link can read them"),
                       msg("for a text that must not be published yet, write `Status: draft`"), "notice")


def _template_rule(item: SourceItem, site: Site):
    template = item.header.get("template")
    if template and not (site.theme / "templates" / f"{template}.html").is_file():
        yield _problem(item, "template", msg("there is no template '{name}'", name=template),
                       msg("remove the line, or use one of the theme's templates"))


def _source_url_rule(item: SourceItem, site: Site):
    source_url = item.header.get("source_url")
    if source_url and urlsplit(source_url).scheme not in ("http", "https"):
        yield _problem(item, "source_url", msg("'{value}' is not a web address", value=source_url),
                       msg("write the full address, starting with https://"))


def _disclaimer_rule(item: SourceItem, site: Site):
    disclaimer = item.header.get("disclaimer")
    if disclaimer and disclaimer not in ("show", "hide"):
        yield _problem(item, "disclaimer", msg("'{value}' is not show or hide", value=disclaimer),
                       msg("write `Disclaimer: show` or `Disclaimer: hide`"))


def _tags_rule(item: SourceItem, site: Site):
    if "،" in item.header.get("tags"):
        yield _problem(item, "tags", msg("tags are separated by the Arabic comma ،"),
                       msg("separate tags with a Latin comma , so that each becomes its own tag"), "warning")


def _header_lines_rule(item: SourceItem, site: Site):
    """Empty, repeated and unknown fields."""
    for key in NOT_EMPTY:
        if key in item.header.values and not item.header.get(key):
            yield _problem(item, key, msg("is empty"), msg("fill it in, or delete the `{field}:` line",
                                                           field=key.title()))
    for key, values in item.header.values.items():
        if len(values) > 1 and key not in MEETING_FIELDS and key != "correction":
            yield _problem(item, key, msg("has more than one value line"),
                           msg("keep one `{field}:` line; indented lines continue a value", field=key.title()))
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
            hint = msg("did you mean `{field}`?", field=close[0].title()) if close else msg("it will be ignored")
            yield _problem(item, key, msg("unknown field"), hint, "warning")


def _correction_rule(item: SourceItem, site: Site):
    if item.header.values.get("correction"):
        for message in parse_corrections(item.header.values["correction"])[1]:
            yield _problem(item, "correction", message, msg("one line per correction (README: Corrections)"))


def _meeting_rule(item: SourceItem, site: Site):
    if item.kind == MEETINGS_SECTION:
        for name, message in meeting_problems(item.header.values):
            yield _problem(item, name, message,
                           msg("write `{field}: ...` in the header (README: Meeting accounts)", field=name.title()))


# The header's rules, in the order their problems are listed: each yields the problems
# of one field (or one kind of header line). A new field's check is one more rule.
FIELD_RULES = (_title_rule, _lang_rule, _slug_rule, _status_rule, _template_rule, _source_url_rule,
               _disclaimer_rule, _tags_rule, _header_lines_rule, _correction_rule, _meeting_rule)


def _check_fields(item: SourceItem, site: Site) -> list[Problem]:
    return [problem for rule in FIELD_RULES for problem in rule(item, site)]


NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


def _ambiguous_readings(value: str) -> tuple[str, str] | None:
    """`3/1/2021` is 3 January in most of the world and March 1 in the United States:
    both readings, in words, when a numeric date has both."""
    match = NUMERIC_DATE.match(value)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    year += 2000 if year < 100 else 0
    if first == second or first > 12 or second > 12:
        return None
    try:
        day_first, month_first = date(year, second, first), date(year, first, second)
    except ValueError:
        return None
    return f"{day_first:%-d %B %Y}", f"{month_first:%B %-d, %Y}"


def _check_dates(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    for field in ("date", "modified"):
        value = item.header.get(field)
        if not value:
            if field == "date" and not item.is_page:
                problems.append(_problem(item, "date", msg("missing"),
                                         msg("add a line like `Date: 2021-01-28 10:00:00+02:00`")))
            continue
        readings = _ambiguous_readings(value)
        if readings:
            problems.append(_problem(item, field, msg("'{value}' can be read as {first} (day/month) or as "
                                                      "{second} (month/day)", value=value, first=readings[0],
                                                      second=readings[1]),
                                     msg("write the date as YYYY-MM-DD, e.g. 2021-01-03")))
            continue
        try:
            parsed = parse_date(value)
        except ValueError:
            problems.append(_problem(item, field, msg("'{value}' is not a date", value=value),
                                     msg("write YYYY-MM-DD HH:MM:SS+HH:MM, e.g. 2021-01-28 10:00:00+02:00")))
            continue
        if isinstance(parsed, datetime) and parsed.tzinfo is None and not site.settings.get("TIMEZONE"):
            problems.append(_problem(item, field, msg("has no timezone and TIMEZONE is not set"),
                                     msg("add the offset, e.g. +02:00")))
    return problems


def _link_target(item: SourceItem, target: str, content_root: str) -> str:
    """The normalised path a link leads to (a string: this runs for every link on every build)."""
    path = unquote(urlsplit(target).path)
    if path.startswith("/"):
        return os.path.normpath(os.path.join(content_root, path.lstrip("/")))
    return os.path.normpath(os.path.join(content_root, os.path.dirname(item.source_path), path))


def _inside(path: Path, folder: Path) -> bool:
    """Is `path`, with every `..` resolved, inside `folder`? (Links are refused on their own.)"""
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(folder))


def _check_body(item: SourceItem, site: Site) -> list[Problem]:
    problems = []
    text = item.text
    if not text[item.header_end:].strip():
        problems.append(Problem(str(item.path), item.header.body_line, "body", msg("the file has no text"),
                                msg("write the text after one blank line below the header")))
    for match in CONTROL_CHARACTERS.finditer(text):
        problems.append(_line_problem(item, match.start(), "text",
                                      msg("invisible control character {code}", code=f"U+{ord(match.group()):04X}"),
                                      msg("delete it (it often comes from copying from a PDF or a chat app)")))
    for match in MARKDOWN_IMAGE.finditer(text):
        if not match["alt"].strip():
            problems.append(_line_problem(item, match.start(), "image",
                                          msg("image {src} has no alt text", src=match["src"]),
                                          msg("describe the image: ![what it shows](...)")))
    for match in RAW_IMG.finditer(text):
        if not HAS_ALT.search(match["attrs"]):
            problems.append(_line_problem(item, match.start(), "image", msg("<img> has no alt text"),
                                          msg('add alt="what it shows"')))
    return problems


class _Items:
    """Every item by its source path, and by translation key and language (for links)."""

    def __init__(self, items: list[SourceItem]):
        self.by_source = {item.source_path: item for item in items if item.readable}
        self.by_key = {(item.is_page, item.translation_key, item.language.code): item
                       for item in self.by_source.values()}


def _check_links(item: SourceItem, site: Site, known: _Items) -> list[Problem]:
    """{filename} and {static} links whose target is missing (the only check that
    depends on other files: never taken from the cache)."""
    problems = []
    root = os.path.normpath(site.content_root)
    for match in INTRASITE_LINK.finditer(item.text or ""):
        target = _link_target(item, match["target"], root)
        link = f"{{{match['what']}}}{match['target']}"
        if not target.startswith(root + os.sep):
            problems.append(_line_problem(item, match.start(), "link", msg("{link} leads outside content/", link=link),
                                          msg("only files inside content/ can be published: copy the file there")))
            continue
        if not os.path.isfile(target):
            problems.append(_line_problem(item, match.start(), "link", msg("{link} points at nothing", link=link),
                                          msg("check the file name and folder; paths start at content/")))
            continue
        relative = target[len(root) + 1:]
        refused = refused_file(relative, site.settings) if match["what"] != "filename" else None
        if refused and not _in_static_paths(relative, site):  # those are reported once, as files
            problems.append(_line_problem(item, match.start(), "link", *refused))
        linked = known.by_source.get(relative)
        if linked is None or match["what"] != "filename":
            continue
        if linked.hold_back and not site.settings["SHOW_UNPUBLISHED"] and not item.hold_back:
            message = (msg("{link} is a draft, so it is not published", link=link) if linked.hold_back == DRAFT
                       else msg("{link} is embargoed, so it is not published yet", link=link))
            problems.append(_line_problem(item, match.start(), "link", message,
                                          msg("remove the link until it is published")))
        own = known.by_key.get((linked.is_page, linked.translation_key, item.language.code))
        if linked.language.code != item.language.code and own is not None:
            problems.append(_line_problem(item, match.start(), "link",
                                          msg("{link} is the {language} version", link=link,
                                              language=linked.language.name),
                                          msg("this item's language has it too: {link}",
                                              link="{filename}/" + own.source_path),
                                          "warning"))
    return problems


def _in_static_paths(relative: str, site: Site) -> bool:
    return any(relative == folder or relative.startswith(folder.rstrip("/") + "/")
               for folder in site.settings.get("STATIC_PATHS", []))


class _HtmlCheck:
    """What the sanitiser (sitebuild/sanitize.py) would remove from an item's HTML: its
    body and header fields rendered by the build's own Markdown reader and settings for
    the item's language. (A build does not render here: its reader reports the same.)"""

    def __init__(self, site: Site):
        self.site = site
        self.renderers: dict[str, ItemRenderer] = {}

    def problems(self, item: SourceItem) -> list[Problem]:
        if not item.supported or item.text is None or limit_problem(str(item.path), item.text, self.site.settings):
            return []  # reported as such by _check_item
        code = item.language.code
        if code not in self.renderers:
            markdown = copy.deepcopy(markdown_settings(self.site.settings["MARKDOWN"], item.language))
            self.renderers[code] = ItemRenderer(markdown, self.site.settings["FORMATTED_FIELDS"])
        text = item.text.removeprefix("\ufeff")  # as Pelican opens it
        return html_problems(str(item.path), text, self.renderers[code].render(text))


def _check_image_field(item: SourceItem, site: Site) -> list[Problem]:
    """`Image:` (the picture social apps show) is a path under content/, e.g. images/x.png."""
    value = item.header.get("image")
    if not value:
        return []
    target = site.content_root / unquote(urlsplit(value).path).lstrip("/")
    if urlsplit(value).scheme or urlsplit(value).netloc or not _inside(target, site.content_root):
        return [_problem(item, "image", msg("'{value}' is not a file inside content/", value=value),
                         msg("put the picture in content/images/ and write `Image: images/name.jpg`"))]
    if not target.is_file():
        return [_problem(item, "image", msg("'{value}' points at nothing", value=value),
                         msg("check the file name; the path starts at content/, e.g. images/name.jpg"))]
    return []


def _check_item(item: SourceItem, site: Site) -> list[Problem]:
    if not item.supported:
        return [Problem(str(item.path), 1, "file", msg("'{suffix}' files are not published", suffix=item.path.suffix),
                        msg("save the text as Markdown (.md); put images in content/images/"))]
    if item.text is None:
        return [Problem(str(item.path), 1, "encoding", msg("the file is not UTF-8 text"),
                        msg("save it as UTF-8 (in most editors: Save with encoding → UTF-8)"))]
    beyond_limits = limit_problem(str(item.path), item.text, site.settings)
    if beyond_limits:  # nothing else reads a file that big or deep
        return [beyond_limits]
    if item.header.error:  # one message: every field would be "missing" otherwise
        return [Problem(str(item.path), item.header.error_line, "header",
                        msg("the YAML header cannot be read: {error}", error=item.header.error),
                        msg("put a value that contains a colon in quotes, or write the header as "
                            "`Field: value` lines without the --- lines"))]
    if not KNOWN_FIELDS.intersection(item.header.values):  # text pasted into an empty file
        return [Problem(str(item.path), 1, "header", msg("the file has no header: its first lines must give at "
                                                         "least Title, Date and Lang"),
                        msg('make the file with `invoke new --kind {kind} --lang {lang} --title "…"` and paste '
                            "the text under its header", kind=item.kind, lang=item.folder_lang))
                ] + _check_placement(item, site) + _check_pasted_edges(item)
    return (_check_placement(item, site) + _check_fields(item, site) + _check_header_end(item)
            + _check_dates(item, site) + _check_body(item, site) + _check_placeholders(item)
            + _check_script(item, site) + _check_pasted_edges(item))


def _check_header_end(item: SourceItem) -> list[Problem]:
    """An empty line inside the header ends it: the fields below would be printed as text."""
    lines = item.text.split("\n")
    start = item.header.body_line - 1
    following = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if following is None or following == start:
        return []
    match = META_LINE.match(lines[following])
    if match and match["key"].lower() in KNOWN_FIELDS:
        return [Problem(str(item.path), following, "header",
                        msg("an empty line ends the header before `{field}:` on line {line}, "
                            "which would be printed as text", field=match["key"], line=following + 1),
                        msg("delete the empty line {line}", line=following))]
    return []


def _check_placeholders(item: SourceItem) -> list[Problem]:
    """`invoke new` fills every field with a placeholder; a published item must not keep one."""
    if item.status == "draft":
        return []
    problems = []
    for words in PLACEHOLDERS.values():
        for kind in ("title", "summary", "body"):
            offset = item.text.find(words[kind])
            if offset >= 0:
                problems.append(_line_problem(item, offset, "text",
                                              msg("still has the placeholder «{words}»", words=words[kind]),
                                              msg("write your own text there, or put back `Status: draft`")))
    for key, values in item.header.values.items():
        if any(value.strip() == PLACEHOLDERS["ltr"]["value"] for value in values):
            problems.append(_problem(item, key, msg("still has the placeholder …"),
                                     msg("fill it in, or delete the line if the field is optional")))
    return problems


# Lines a news site adds below its articles: copied with the text, they would be published
# as this site's own words. Compared as plain words (`_plain`), in the last lines only.
FOOTER_PHRASES = (
    "لا تعبر بالضرورة عن", "لا يعبر بالضرورة عن", "لا تعكس بالضرورة", "لا يعكس بالضرورة",
    "تعبر عن رأي كاتبها", "تعبر عن رأي كتابها", "تعبر عن آراء كتابها", "يعبر عن رأي كاتبه",
    "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "حقوق النشر محفوظة",
    "do not necessarily reflect", "does not necessarily reflect", "not necessarily those of",
    "all rights reserved",
)
FOOTER_LINES = 3  # the last lines of the text where a footer is looked for
FOOTER_LENGTH = 200  # characters: a longer line is a paragraph of the text
NOT_SPACE = re.compile(r"\S")


def _plain(text: str) -> str:
    """Words only, as search compares them: no punctuation, case, tashkeel or tatweel."""
    return " ".join(clean(word) for word in word_runs(text))


_FOOTERS = tuple(_plain(phrase) for phrase in FOOTER_PHRASES)


def _check_pasted_edges(item: SourceItem) -> list[Problem]:
    """What a copy of a whole web page brings along: its headline as the first line of the
    text (the page shows the title above it) and the site's disclaimer or copyright line
    at the end. Warnings: the text is published, but most likely not as meant."""
    text, title = item.text, item.title
    found = NOT_SPACE.search(text, item.header_end)
    start = found.start() if found else len(text)
    end = text.find("\n", start) % (len(text) + 1)
    first = text[start:end]
    problems = []
    if title and first and len(first) <= 2 * len(title) + 20 and _plain(first) == _plain(title):
        problems.append(_line_problem(item, start, "text", msg("the first line of the text repeats the title"),
                                      msg("the page shows the title above the text: delete the line"), "warning"))
    last, at = [], len(text.rstrip())
    while len(last) < FOOTER_LINES and at > start:
        begin = text.rfind("\n", start, at) + 1 or start
        if text[begin:at].strip():
            last.append((begin, text[begin:at]))
        at = begin - 1
    for offset, line in reversed(last):
        if len(line) > FOOTER_LENGTH:
            continue
        plain = f" {_plain(line)} "
        if "©" in line or any(f" {phrase} " in plain for phrase in _FOOTERS):
            shown = line.strip() if len(line.strip()) <= 120 else line.strip()[:119] + "…"
            problems.append(_line_problem(
                item, offset, "text", msg("this line looks like another site's footer: «{line}»", line=shown),
                msg("it would be published as this site's words: delete it; a republished item names "
                    "where it came from in `Source:`"), "warning"))
    return problems


# The letters of each script (ISO 15924 code → its name and Unicode blocks of letters).
SCRIPTS = {
    "Arab": ("Arabic", re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f"
                                  "\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]")),
    "Latn": ("Latin", re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")),
    "Cyrl": ("Cyrillic", re.compile("[\u0400-\u04ff]")),
    "Hebr": ("Hebrew", re.compile("[\u05d0-\u05ea]")),
    "Grek": ("Greek", re.compile("[\u0370-\u03ff]")),
}


def _count(pattern: re.Pattern, text: str) -> int:
    return len(text) - len(pattern.sub("", text))
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\{\w+\}\S*|`[^`]*`")
MIN_LETTERS = 100
SAMPLE = 800  # characters of the text: enough to tell its script


def _check_script(item: SourceItem, site: Site) -> list[Problem]:
    """An English file that still holds the Arabic text (or the reverse) is published with
    the wrong language: a warning, unless `Script_Check: off` says the mix is meant."""
    if item.header.get("script_check").lower() == "off" or item.language is None:
        return []
    likely = get_global("likely_subtags").get(item.language.locale.split("_")[0], "")
    script = next((part for part in likely.split("_") if part in SCRIPTS), None)
    if not script:
        return []
    body = ADDRESSES.sub(" ", item.text[item.header_end:item.header_end + SAMPLE])
    expected_letters = _count(SCRIPTS[script][1], body)
    if expected_letters * 2 >= len(body):  # half of all characters: the common case, in one pass
        return []
    counts = {code: _count(pattern, body) for code, (_name, pattern) in SCRIPTS.items() if code != script}
    letters = expected_letters + sum(counts.values())
    if letters < MIN_LETTERS or expected_letters / letters >= 0.5:
        return []
    share = expected_letters / letters
    other = max(counts, key=counts.get)
    others, expected = SCRIPTS[other][0], SCRIPTS[script][0]
    return [Problem(str(item.path), item.header.body_line + 1, "lang",
                    msg("the text is mostly in {found} letters, not in the {expected} of Lang: {code} ({share})",
                        found=others, expected=expected, code=item.language.code, share=f"{share:.0%}"),
                    msg("put the translation in, or add `Script_Check: off` if the mix is meant"), "warning")]


def _check_collisions(items: list[SourceItem], site: Site) -> list[Problem]:
    problems = []
    reserved = reserved_segments(site.settings, site.languages) | set(site.settings["SECTIONS"])
    by_output: dict[str, list[SourceItem]] = defaultdict(list)
    by_key: dict[tuple[str, bool, str], list[SourceItem]] = defaultdict(list)
    languages_by_key: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for item in items:
        if not item.readable or not item.slug:
            continue
        by_output[item.save_as].append(item)
        by_key[(item.language.code, item.is_page, item.translation_key)].append(item)
        languages_by_key[(item.is_page, item.translation_key)].add(item.language.code)
        if item.is_page and item.slug.lower() in reserved:
            problems.append(_problem(item, "slug", msg("'{slug}' is reserved: the site uses /{slug}/ for a "
                                                       "listing, a language or its own files", slug=item.slug),
                                     msg("choose another `Slug:`")))
    for same in by_output.values():
        for item in same[1:]:
            problems.append(_problem(item, "slug", msg("'{slug}' is already used by {path}", slug=item.slug,
                                                       path=str(same[0].path)),
                                     msg("give one of them another `Slug:`")))
    for (_code, _page, key), same in by_key.items():
        if len(same) > 1 and same[0].save_as != same[1].save_as:
            for item in same:
                others = ", ".join(str(other.path) for other in same if other is not item)
                problems.append(_problem(item, "translation_key",
                                         msg("'{key}' is claimed by {others} too", key=key, others=others),
                                         msg("an item has one translation per language: change one key")))
    for item in items:
        explicit = item.header.get("translation_key")
        if explicit and languages_by_key[(item.is_page, explicit)] == {item.language.code}:
            problems.append(_problem(item, "translation_key",
                                     msg("no item in another language has the key '{key}'", key=explicit),
                                     msg("use the translation's slug or Translation_Key"), "warning"))
    return problems


class _Remembered:
    """Each file's own problems from the last check, by the file's path and text, kept
    in CACHE_PATH/content-check.pickle for as long as the settings, the theme's
    template names and the code of the check (this package and the plugins it asks)
    are the same (4,000 files: 1.2 s → 0.1 s)."""

    def __init__(self, site: Site):
        self.path = Path(site.settings["CACHE_PATH"]) / CHECK_CACHE
        templates = sorted(p.name for p in (site.theme / "templates").rglob("*.html"))
        settings = {k: v for k, v in site.settings.items() if k not in NOT_IN_CACHE_KEY}
        digest = hashlib.sha256(f"{stable_repr(settings)}\0{templates}\0".encode())
        for folder in (Path(__file__).parent, *map(Path, site.settings.get("PLUGIN_PATHS", []))):
            hash_files(digest, folder, "*.py")
        digest.update(f"markdown {version('markdown')} nh3 {version('nh3')}".encode())  # they render and clean
        self.key = digest.hexdigest()
        self.found: dict[str, list[Problem]] = {}
        self.used: dict[str, list[Problem]] = {}
        # What the sanitiser would remove, apart: a build's check does not render it.
        self.html_found: dict[str, list[Problem]] = {}
        self.html_used: dict[str, list[Problem]] = {}
        try:
            key, found, html_found = pickle.loads(self.path.read_bytes())
            if key == self.key:
                self.found, self.html_found = found, html_found
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError):
            pass

    def problems(self, item: SourceItem, site: Site, html: _HtmlCheck | None = None) -> list[Problem]:
        key = hashlib.sha1(f"{item.path}\0{item.folder_lang}\0{item.text}".encode("utf-8", "surrogatepass"))
        key = key.hexdigest()
        found = self.found.get(key)
        if found is None:
            found = _check_item(item, site)
        self.used[key] = found
        html_found = self.html_found.get(key)
        if html_found is None and html is not None:
            html_found = html.problems(item)
        if html_found is not None:  # kept for the next `invoke check`, also by a build's check
            self.html_used[key] = html_found
        return found + html_found if html is not None else found

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps((self.key, self.used, self.html_used)))
            os.replace(partial, self.path)
        except OSError:  # a read-only cache folder: the next check starts afresh
            pass


def _check_links_out(folder: Path, root: Path) -> list[Problem]:
    """Symbolic links under content/ or the theme: a link can lead anywhere on the
    machine that builds (/etc, a CI runner's secrets), and the build would publish it."""
    problems = []
    if not folder.is_dir():
        return problems
    for dirpath, dirnames, filenames in os.walk(folder):  # never follows links
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if path.is_symlink():
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                problems.append(Problem(
                    str(shown), 1, "symlink",
                    msg("is a link to {target}, which is never published", target=os.readlink(path)),
                    msg("replace the link by a copy of the file itself, inside the repository")))
    return problems


def _embargo_notices(items: list[SourceItem], site: Site) -> list[Problem]:
    """Items a production build holds back until their Date (sitebuild/publication.py)."""
    notices = []
    for item in items:
        if item.hold_back == EMBARGO:
            when = item_date(item.header.get("date"), site.settings.get("TIMEZONE"))
            notices.append(_problem(
                item, "date", msg("embargoed until {when}", when=f"{when:%Y-%m-%d %H:%M %z}"),
                msg("published by the first production build after that time"), "notice"))
    return notices


def check_content(items: list[SourceItem], site: Site, render_html: bool = True) -> list[Problem]:
    """Every problem of every item. `render_html=False` (the build's check, which runs
    alongside the languages' runs): no Markdown is rendered here, the build's reader
    reports what the sanitiser removes."""
    remembered = _Remembered(site)
    known = _Items(items)
    html = _HtmlCheck(site) if render_html else None
    problems = []
    for item in items:
        problems += remembered.problems(item, site, html)
        if item.readable:  # what depends on other files: never from the cache
            problems += _check_links(item, site, known) + _check_image_field(item, site)
        item.forget_text()  # read again if asked for: the driver keeps no file's text
    problems += _check_collisions(items, site) + _embargo_notices(items, site)
    for folder in (site.content_root, site.theme):
        problems += _check_links_out(folder, site.root)
    problems += media_problems(site)  # photos and PDFs with GPS, serial numbers, authors
    problems += static_file_problems(site)  # files of kinds nothing cleans or checks
    problems += svg_problems(source_roots(site), site.root)
    remembered.save()
    return sorted(problems)


def check_items(changed: list[SourceItem], items: list[SourceItem], site: Site) -> list[Problem]:
    """The problems of the `changed` items alone (the preview, after a save that changed
    only their text; `items` is the whole inventory, for their links). What depends on
    the other files or on the Markdown's HTML is left to the reader and the next full
    check."""
    known = _Items(items)
    problems = []
    for item in changed:
        problems += _check_item(item, site) + _check_links(item, site, known) + _check_image_field(item, site)
    return sorted(problems)
