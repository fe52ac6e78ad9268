"""Pages whose inputs did not change are taken from the previous build, not rendered.

A cached rebuild still reads every item and runs every plugin (Pelican's content
cache only saves the Markdown), then renders every page again: that rendering is
most of its time. This plugin's writer gives each page a digest of what it shows;
when the previous build (the published output folder, `FINAL_OUTPUT_PATH`) has
the page with the same digest, untouched since, that file is hard-linked into the
new output instead of rendering the template and writing a new file (the link
costs a thirtieth of the write). Pelican still handles every page and sends its
signals; nothing in the build writes into an existing file in place, so the
published files are never changed, and an unchanged file keeps its modification
time (rsync sends only what changed).

A page's digest covers:
- the render key (`sitebuild.cache.render_key`: settings, templates, plugins, the
  driver's code, the theme's static files and catalogs, library versions);
- the site: for every article, page and draft its URL, title, dates, status,
  language, section, tags, authors, summary and translations, and the
  translation and section indexes — what menus, listings, archives and language
  switchers show, so a new title or tag renders every page again;
- the page's own variables (the arguments Pelican renders it with): an item in
  full (its HTML and all its metadata), the items listed on a paginated page in
  full, other lists of items by the fields above, sections and tags by name and URL.

So a template must get the body or any other field of an item it shows from its
own variables (`article`, `page`, `articles_page`…): an edit to one article renders
that article and the listing pages it is on, and nothing else.

The record of a run (page → digest, size, modification time) is written as
pending next to the language's content cache; the driver makes it current only
after the new output is in place (`sitebuild.cache.commit_render_records`), so a
failed build never leaves a record of files that were not published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from sitebuild.cache import RENDER_PENDING, RENDER_RECORD, render_key, stable_repr

_current: list = []  # the writer of the run in progress

SITE_LISTS = ("articles", "translations", "pages", "hidden_pages", "draft_pages", "drafts")
PAGINATION = ("_paginator", "_page", "_previous_page", "_next_page")
LIGHT_METADATA = ("date", "modified", "category", "tags", "authors", "summary", "url", "save_as")


def _hash(*parts: str) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class States:
    """Digests of the values pages are rendered with, each item's computed once.

    From `repr`: Pelican's values (dates, Markup, sections and tags, lists and dicts
    of them) show what they hold; a value whose repr has an address only makes the
    page render every time, never a stale page."""

    def __init__(self):
        self._light: dict[int, str] = {}
        self._full: dict[int, str] = {}
        self._lists: dict[int, tuple[list, str, int]] = {}  # the same lists come with many pages

    def light(self, item: Content) -> str:
        """What listings, menus and switchers show of an item."""
        found = self._light.get(id(item))
        if found is None:
            metadata = item.metadata
            # Not `url` and `save_as`: Pelican computes them on every call (slowly),
            # from the settings and the fields here.
            found = self._light[id(item)] = repr((
                type(item).__name__, item.source_path, item.slug, item.title, item.status,
                getattr(item, "lang", None), *(metadata.get(name) for name in LIGHT_METADATA),
                [t.source_path for t in getattr(item, "translations", [])],
            ))
        return found

    def full(self, item: Content) -> str:
        """Everything of an item: its light state, its HTML and all its metadata."""
        found = self._full.get(id(item))
        if found is None:
            found = self._full[id(item)] = _hash(self.light(item), item.content, repr(item.metadata))
        return found

    def value(self, value) -> str:
        if isinstance(value, Content):
            return self.full(value)
        if isinstance(value, Page):
            return repr((value.number, value.paginator.num_pages, value.full_name, value.base_url,
                         [self.full(item) for item in value.object_list]))
        if isinstance(value, Paginator):
            return repr((value.name, value.url, value.num_pages, value.count, value.per_page))
        if isinstance(value, URLWrapper):  # a section or tag: the same few objects
            known = self._light.get(id(value))
            if known is None:
                known = self._light[id(value)] = repr((type(value).__name__, value.name,
                                                       value.slug, value.url))
            return known
        if isinstance(value, (list, tuple)):
            known = self._lists.get(id(value))
            if known is None or known[0] is not value or len(value) != known[2]:
                state = _hash(*(self.light(v) if isinstance(v, Content) else self.value(v) for v in value))
                known = self._lists[id(value)] = (value, state, len(value))
            return known[1]
        return repr(value)

    def site(self, context: dict) -> str:
        settings = (context.get("TRANSLATION_INDEX"), context.get("SECTION_INDEX"))
        lists = [[self.light(item) for item in context.get(name) or []] for name in SITE_LISTS]
        return _hash(stable_repr(settings), stable_repr(lists))


class _Remembered:
    """A template that gives the previous build's page when its digest is unchanged."""

    def __init__(self, writer: RenderCacheWriter, template, variables: set[str]):
        self.writer, self.template, self.variables = writer, template, variables

    @property
    def name(self):
        return self.template.name

    def render(self, context: dict) -> str:
        name = context["output_file"]
        digest = self.writer.digest(self.template.name, name, context, self.variables)
        if self.writer.reuse(name, digest):
            return ""  # written nowhere: the page is linked (see RenderCacheWriter._open_w)
        return self.template.render(context)


class RenderCacheWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.states = States()
        self.key = render_key(self.settings)
        self.site_digest: str | None = None
        self.final = Path(self.settings["FINAL_OUTPUT_PATH"]) if self.settings.get("FINAL_OUTPUT_PATH") else None
        self.cache = Path(self.settings["CACHE_PATH"])
        self.digests: dict[str, str] = {}
        self.known: dict[str, list] = {}
        self.links: dict[str, Path] = {}  # output file → the previous build's file
        record = self.cache / RENDER_RECORD
        if self.final is not None and record.is_file():
            try:
                saved = json.loads(record.read_text(encoding="utf-8"))
            except ValueError:
                saved = {}
            if saved.get("key") == self.key and saved.get("output") == str(self.final):
                self.known = saved.get("pages", {})
        (self.cache / RENDER_PENDING).unlink(missing_ok=True)
        _current[:] = [self]  # for `save_record`, at the end of this run

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **variables):
        if self.final is not None:
            template = _Remembered(self, template, set(variables))
        return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                  override_output, url, **variables)

    def digest(self, template: str, name: str, context: dict, variables: set[str]) -> str:
        if self.site_digest is None:
            self.site_digest = self.states.site(context)
        paginated = {v for v in variables if f"{v}_page" in context}
        parts = [self.key, self.site_digest, template, name]
        for variable in sorted(variables | {v + end for v in paginated for end in PAGINATION}):
            parts.append(f"{variable}={self.states.value(context.get(variable))}")
        self.digests[name] = _hash(*parts)
        return self.digests[name]

    def reuse(self, name: str, digest: str) -> bool:
        """Whether page `name` is the previous build's file, untouched since: then it
        is hard-linked into the new output instead of written (a new file costs far
        more than a link). Nothing writes into an existing output file in place."""
        known = self.known.get(name)
        if not known or known[0] != digest:
            return False
        path = self.final / name
        try:
            stat = path.stat()
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != known[1:]:
            return False
        self.links[sanitised_join(self.output_path, name)] = path
        return True

    def _open_w(self, filename, encoding, override=False):
        source = self.links.pop(filename, None)
        if source is None or filename in self._written_files or filename in self._overridden_files:
            return super()._open_w(filename, encoding, override)  # Pelican's checks and errors
        self._written_files.add(filename)
        if override:
            self._overridden_files.add(filename)
        try:
            os.link(source, filename)
        except OSError:  # another file system, or no hard links: a copy
            shutil.copy2(source, filename)
        return open(os.devnull, "w", encoding=encoding)

    def save(self) -> None:
        """The record of this run, pending until the driver has published it."""
        pages = {}
        for name, digest in sorted(self.digests.items()):
            stat = (Path(self.output_path) / name).stat()
            pages[name] = [digest, stat.st_size, stat.st_mtime_ns]
        self.cache.mkdir(parents=True, exist_ok=True)
        (self.cache / RENDER_PENDING).write_text(
            json.dumps({"key": self.key, "output": str(self.final), "pages": pages}), encoding="utf-8")


def get_writer(pelican):
    return RenderCacheWriter


def save_record(pelican) -> None:
    if _current and _current[0].final is not None:
        _current[0].save()
    _current.clear()


def register() -> None:
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(save_record)
