"""Every content file, read once: its metadata header, language, kind and URL.

The header is parsed with the same rules as Python-Markdown's `meta` extension
(which Pelican uses), but keeps line numbers so that problems name the line.
The inventory feeds the content check, the translation index that links items
across language runs, and the after-build check that nothing went missing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican.utils import slugify

from .frontmatter import BOM, canonical_source, read_yaml
from .languages import Language, url_patterns
from .publication import hold_back_reason, publishes_unpublished

META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
# Every suffix Pelican's Markdown reader takes; any other file in a language
# folder would be silently skipped, so the content check reports it.
CONTENT_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
PAGES_FOLDER = "pages"


@dataclass
class Header:
    """Metadata of one file: values (one list per key) and the line of each key."""

    values: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    field_of_line: dict[int, str] | None = None  # each header line's field, if asked for
    body_line: int = 1
    error: str = ""  # a header that cannot be read (invalid YAML front matter)
    error_line: int = 1

    def get(self, key: str, default: str = "") -> str:
        values = self.values.get(key)
        return values[0].strip() if values else default

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def parse_header(text: str, *, line_fields: bool = False) -> Header:
    """The header of a file's text, in any form editors write (sitebuild/frontmatter.py).
    `line_fields`: fill `field_of_line` too (the sanitiser's messages need it; the
    inventory, which the build's driver holds for every file, does not)."""
    front = read_yaml(text.split("\n"))
    if front is not None:
        return Header(values=front.values, lines=front.lines,
                      field_of_line={line: key for key, line in front.lines.items()} if line_fields else None,
                      body_line=front.body_line, error=front.error, error_line=front.error_line)
    return _parse_key_lines(canonical_source(text), line_fields)


def _parse_key_lines(text: str, line_fields: bool) -> Header:
    header = Header(field_of_line={} if line_fields else None)
    lines = text.split("\n")
    index, key = 0, None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            break
        match = META_LINE.match(line)
        if match:
            # Interned: one string per field name and per repeated value (a status, a tag),
            # not one per file. With `field_of_line` left out, the inventory of 20,004 files
            # took 60 MiB instead of 84 (bench/README.md).
            key = sys.intern(match.group("key").lower())
            header.values.setdefault(key, []).append(sys.intern(match.group("value").strip()))
            header.lines.setdefault(key, index + 1)
            if line_fields:
                header.field_of_line[index + 1] = key
        elif key and META_MORE.match(line):
            header.values[key].append(META_MORE.match(line).group("value").strip())
            if line_fields:
                header.field_of_line[index + 1] = key
        else:
            break
        index += 1
    header.body_line = index + 1
    return header


@dataclass
class SourceItem:
    """One content file as the build expects to publish it."""

    path: Path  # relative to the project (for messages)
    source_path: str  # relative to the content folder (Pelican's source path)
    language: Language | None
    folder_lang: str
    kind: str  # "page" or a section name ("news", "meetings", ...)
    header: Header
    file: Path  # the file itself (absolute)
    readable: bool  # a content file that decodes as UTF-8
    slug: str = ""
    url: str = ""
    save_as: str = ""
    hold_back: str | None = None  # why production would not publish it (sitebuild.publication)
    # The text is read when asked for and can be forgotten (`forget_text`): at 20,000 files
    # the build's driver would otherwise hold 170 MB of text while the languages build.
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str | None:
        """The file's text (without a byte-order mark), or None when it is not readable."""
        if self._text is None and self.readable:
            self._text = _decoded(self.file)
        return self._text

    def forget_text(self) -> None:
        self._text = None

    @property
    def title(self) -> str:
        return self.header.get("title")

    @property
    def status(self) -> str:
        return self.header.get("status", "published").lower()

    @property
    def translation_key(self) -> str:
        return self.header.get("translation_key") or self.slug

    @property
    def supported(self) -> bool:
        return self.path.suffix in CONTENT_SUFFIXES

    @property
    def is_page(self) -> bool:
        return self.kind == PAGES_FOLDER

    @property
    def header_end(self) -> int:
        """Offset in `text` where the body starts."""
        lines = self.text.split("\n")[: self.header.body_line - 1]
        return sum(len(line) + 1 for line in lines)


def item_slug(header: Header, settings: dict) -> str:
    """The slug Pelican will give the item (explicit `Slug:` or from the title)."""
    explicit = header.get("slug")
    if explicit:
        return explicit
    return slugify(
        header.get("title"),
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def item_urls(item: SourceItem) -> tuple[str, str]:
    patterns = url_patterns(item.language)
    if item.status == "draft":
        prefix = "DRAFT_PAGE" if item.is_page else "DRAFT"
    else:
        prefix = "PAGE" if item.is_page else "ARTICLE"
    values = {"slug": item.slug, "category": item.kind}
    return (
        patterns[f"{prefix}_URL"].format(**values),
        patterns[f"{prefix}_SAVE_AS"].format(**values),
    )


def read_inventory(
    content_root: Path, project_root: Path, languages: list[Language], settings: dict
) -> list[SourceItem]:
    """Every Markdown file under content/<lang>/, in a stable order.

    Files that cannot be decoded are returned with an empty header; the
    content check reports them.
    """
    by_code = {lang.code: lang for lang in languages}
    items = []
    for lang_dir in sorted(p for p in content_root.iterdir() if p.is_dir()):
        if lang_dir.name not in by_code:
            continue
        for path in sorted(lang_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                items.append(_read_item(path, lang_dir, by_code[lang_dir.name], content_root, project_root,
                                        settings))
    return items


def _decoded(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    return text[len(BOM):] if text.startswith(BOM) else text  # Windows Notepad's byte-order mark


def _read_item(path: Path, lang_dir: Path, language: Language, content_root: Path, project_root: Path,
               settings: dict) -> SourceItem:
    relative = path.relative_to(lang_dir)
    kind = relative.parts[0] if len(relative.parts) > 1 else ""
    text = _decoded(path) if path.suffix in CONTENT_SUFFIXES else None
    item = SourceItem(
        path=path.relative_to(project_root) if path.is_relative_to(project_root) else path,
        source_path=str(path.relative_to(content_root)),
        language=language,
        folder_lang=lang_dir.name,
        kind=kind,
        header=parse_header(text) if text is not None else Header(),
        file=path,
        readable=text is not None,
    )
    if text is not None:
        item.slug = item_slug(item.header, settings)
        item.url, item.save_as = item_urls(item)
        item.hold_back = hold_back_reason(item.status, item.header.get("date"), settings)
    return item


def reread_item(item: SourceItem, site) -> SourceItem:
    """`item` as its file is now (the preview, after a save)."""
    content_root = site.content_root
    return _read_item(content_root / item.source_path, content_root / item.folder_lang, item.language,
                      content_root, site.root, site.settings)


def same_place(old: SourceItem, new: SourceItem) -> bool:
    """Whether `new` is published where and as `old` was: only its text may differ."""
    return new.readable and all(
        getattr(old, name) == getattr(new, name) for name in ("slug", "url", "save_as", "hold_back", "status"))


def published_items(items: list[SourceItem], settings: dict) -> list[SourceItem]:
    """The items this build writes a page for: in production, none held back."""
    preview = publishes_unpublished(settings)
    return [item for item in items if item.readable and (preview or not item.hold_back)]


def translation_index(items: list[SourceItem]) -> dict[str, dict[str, dict[str, str]]]:
    """{translation key: {language code: {"url", "title", "source"}}} for the items given
    (`published_items`: in the preview drafts link to their translations too).

    A plain dict, so that it can be handed to every language's run as a setting.
    """
    index: dict[str, dict[str, dict[str, str]]] = {}
    for item in items:
        if not item.readable:
            continue
        key = ("page:" if item.is_page else "article:") + item.translation_key
        index.setdefault(key, {})[item.language.code] = {
            "url": item.url, "title": item.title, "source": item.source_path}
    return index


def section_index(items: list[SourceItem]) -> dict[str, list[str]]:
    """{language code: sorted sections that have at least one listed article}
    (of the items given: `published_items`)."""
    sections: dict[str, set[str]] = {}
    for item in items:
        if item.readable and not item.is_page and item.status == "published":
            sections.setdefault(item.language.code, set()).add(item.kind)
    return {code: sorted(kinds) for code, kinds in sections.items()}
