"""Pages whose inputs did not change are taken from the previous build, not rendered.

A cached rebuild still reads every item and runs every plugin (Pelican's content
cache only saves the Markdown), then renders every page again: that rendering is
most of its time. This plugin's writer gives each page a digest of what it shows;
when the previous build (the published output folder, `FINAL_OUTPUT_PATH`) has the
page with the same digest, and the published file still holds the bytes that build
wrote (their digest is recorded), the page is not rendered: Pelican writes the empty
text our template gives, and on `content_written` that empty file is replaced by a
hard link to the published file (a link costs a thirtieth of writing 16 KB). Nothing
writes into an existing output file, so the published files never change and an
unchanged file keeps its modification time (rsync sends only what changed).

Only Pelican's public ground is used: the `get_writer` signal and a `Writer`
subclass overriding the public `write_file`, the template object handed to it,
`content_written`, and Jinja's `Environment.getattr`/`getitem` (the hooks Jinja's
sandbox overrides) to see what a template reads.

A page's digest covers:
- the render key (`sitebuild.cache.render_key`: settings, templates, plugins, the
  driver's code, the theme's static files and catalogs, library versions);
- the site: for every article, page and draft its URL, title, dates, status,
  language, section, tags, authors and translations, and the translation and
  section indexes — what menus, listings, archives and language switchers show, so
  a new title or tag renders every page again;
- the page's own variables (the arguments Pelican renders it with): an item in
  full (its HTML and all its metadata), the items listed on a paginated page in
  full, other lists of items by the fields above, sections and tags by name and URL;
- every other item whose body, summary or other metadata the template read when the
  page was last rendered (recorded with the page): a home page that shows the
  latest report's summary from `articles` renders again when that report changes.
  Python code a template calls (a filter, a global) is not watched: one that reads
  an item's body must get the item from the page's variables.

Another plugin listening on `content_written` may read or rewrite the file it is
told about; with such a listener (any not marked `path_only`) no page is reused,
because the listener would see an empty file or rewrite the published one.

The record of a run (page → digest, file digest, items read) is written as pending
next to the language's content cache; the driver makes it current only after the
new output is in place (`sitebuild.cache.commit_render_records`), so a failed build
never leaves a record of files that were not published.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from sitebuild.cache import (
    RENDER_PENDING,
    RENDER_RECORD,
    is_path_only,
    listen_for_file_reads,
    path_only,
    render_key,
    stable_repr,
)
from sitebuild.contracts import declare

from .fragments import Fragments, fragment

logger = logging.getLogger(__name__)
_current: list = []  # the writer of the run in progress

SITE_LISTS = ("articles", "translations", "pages", "hidden_pages", "draft_pages", "drafts")
PAGINATION = ("_paginator", "_page", "_previous_page", "_next_page")
STRUCTURE_METADATA = ("date", "modified", "category", "tags", "authors", "url", "save_as")
# What a template may read of any item without the page depending on that item: the
# site's structure (below, in every page's digest) covers these, or they follow from it
# and the settings. A title read makes the page depend on the item's light state, any
# other read on its full state.
STRUCTURE_ATTRIBUTES = frozenset({
    "slug", "lang", "status", "date", "modified", "category", "tags", "authors", "author",
    "url", "save_as", "source_path", "translations", "locale_date", "locale_modified",
    "in_default_lang", "get_url_setting", "settings", "default_template", "template",
})
TITLE = "title"


def _hash(*parts: str) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None


class States:
    """Digests of the values pages are rendered with, each item's computed once.

    From `repr`: Pelican's values (dates, Markup, sections and tags, lists and dicts
    of them) show what they hold; a value whose repr has an address only makes the
    page render every time, never a stale page."""

    def __init__(self):
        self._structure: dict[int, str] = {}
        self._light: dict[int, str] = {}
        self._full: dict[int, str] = {}
        self._lists: dict[int, tuple[list, str, int]] = {}  # the same lists come with many pages

    def structure(self, item: Content) -> str:
        """Where an item is and what places it in listings: address, status, language,
        dates, section, tags, authors, translations (not its title or summary)."""
        found = self._structure.get(id(item))
        if found is None:
            metadata = item.metadata
            # Not `url` and `save_as`: Pelican computes them on every call (slowly),
            # from the settings and the fields here.
            found = self._structure[id(item)] = repr((
                type(item).__name__, item.source_path, item.slug, item.status,
                getattr(item, "lang", None), *(metadata.get(name) for name in STRUCTURE_METADATA),
                [t.source_path for t in getattr(item, "translations", [])],
            ))
        return found

    def light(self, item: Content) -> str:
        """What listings show of an item: its structure, title and summary field."""
        found = self._light.get(id(item))
        if found is None:
            found = self._light[id(item)] = repr((self.structure(item), item.title, item.metadata.get("summary")))
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
            known = self._structure.get(id(value))
            if known is None:
                known = self._structure[id(value)] = repr((type(value).__name__, value.name,
                                                           value.slug, value.url))
            return known
        if isinstance(value, (list, tuple)):
            known = self._lists.get(id(value))
            if known is None or known[0] is not value or len(value) != known[2]:
                state = _hash(*(self.structure(v) if isinstance(v, Content) else self.value(v) for v in value))
                known = self._lists[id(value)] = (value, state, len(value))
            return known[1]
        return repr(value)

    def site(self, context: dict) -> str:
        """The site's structure: every item's, and the driver's indexes (titles aside:
        a page that shows another item's title depends on that item's light state)."""
        translations = {key: {code: {k: v for k, v in entry.items() if k != TITLE} for code, entry in versions.items()}
                        for key, versions in (context.get("TRANSLATION_INDEX") or {}).items()}
        lists = [[self.structure(item) for item in context.get(name) or []] for name in SITE_LISTS]
        return _hash(stable_repr((translations, context.get("SECTION_INDEX"))), stable_repr(lists))


class _Remembered:
    """The page's template, rendered only when the previous build's page will not do
    (then it gives the empty text, which `content_written` replaces by that page)."""

    def __init__(self, writer: RenderCacheWriter, template, variables: set[str], listing: bool):
        self.writer, self.template, self.variables, self.listing = writer, template, variables, listing

    @property
    def name(self):
        return self.template.name

    def render(self, context: dict) -> str:
        writer, name = self.writer, context["output_file"]
        if name in writer.seen or name in writer.overridden:  # written twice: see `write_file`
            return self.template.render(context)
        known = writer.known.get(name)
        if writer.in_place and known and name not in writer.dependent and not writer.page_shows_a_change(
                context, self.variables):
            writer.seen.add(name)
            return ""  # in place, a listing page that shows no changed item: the published one stays
        reads = (known[2], known[4], known[5]) if known else ([], [], [])
        digest = writer.digest(self.template.name, name, context, self.variables, reads)
        if writer.reuse(name, digest):
            return ""
        with writer.watching() as (bodies, titles, files):
            output = self.template.render(context)
        own = self._own(context)
        now = (sorted(bodies - own), sorted(titles - own), sorted(files))
        if now != reads:
            digest = writer.digest(self.template.name, name, context, self.variables, now)
        writer.record(name, digest, hashlib.sha1(output.encode("utf-8")).hexdigest(), now, self.listing)
        return output


    def _own(self, context: dict) -> set[str]:
        """The items the page's digest has in full: its own, and a listing page's."""
        own = set()
        for variable in self.variables:
            value = context.get(variable)
            if isinstance(value, Content):
                own.add(value.source_path)
            page = context.get(f"{variable}_page")
            if isinstance(page, Page):
                own.update(item.source_path for item in page.object_list if isinstance(item, Content))
        return own


class RenderCacheWriter(Writer):
    def __init__(self, output_path, settings=None, record: dict | None = None):
        """`record`: the preview's state (see `publish_in_place`), instead of the
        render key and the record on disk."""
        super().__init__(output_path, settings=settings)
        self.states = States()
        self.site_digest: str | None = None
        self.items: dict[str, Content] | None = None  # source path → item, for recorded reads
        final = self.settings.get("FINAL_OUTPUT_PATH")
        self.final = Path(final) if final else None
        self.cache = Path(self.settings["CACHE_PATH"])
        # page → [digest, file digest, items whose body it read, whether a listing Pelican may
        # paginate wrote it, items whose title it read, files its template's helpers read]
        self.digests: dict[str, list] = {}
        self.known: dict[str, list] = {}  # the same, of the published build
        self.links: dict[str, Path] = {}  # output file → the published file to link there
        self.linked_paths: set[str] = set()
        self.seen: set[str] = set()  # pages of this run
        self.overridden: set[str] = set()  # pages written twice, the second time with `override_output`
        self.reading: set[str] | None = None
        self.changed: set[str] | None = None  # see `publish_in_place`
        self.file_digests: dict[str, str] = {}
        self.fragments = Fragments(self)  # partials rendered once in this run (fragments.py)
        _current[:] = [self]  # for `linked`, `watch_reads` and `save_record`
        if record is not None:
            self.key, self.known, self.site_digest = record["key"], record["pages"], record["site"]
            return
        self.key = render_key(self.settings)
        strangers = [r for r in signals.content_written.receivers_for("")
                     if not is_path_only(r)]
        if strangers:
            logger.info("render_cache: every page is rendered: %s listen on content_written",
                        ", ".join(getattr(r, "__qualname__", repr(r)) for r in strangers))
        path = self.cache / RENDER_RECORD
        if self.final is not None and not strangers and path.is_file():
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                saved = {}
            if saved.get("key") == self.key and saved.get("output") == str(self.final):
                self.known = saved.get("pages", {})
        (self.cache / RENDER_PENDING).unlink(missing_ok=True)

    @property
    def in_place(self) -> bool:
        return self.changed is not None

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **variables):
        if self.final is None:
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **variables)
        if override_output and name in self.seen:  # replaces the page written before
            self.digests.pop(name, None)
            self.overridden.add(name)
            path = sanitised_join(self.output_path, name)
            if path in self.linked_paths:  # the published file: Pelican must not write into it
                os.unlink(path)
                self.linked_paths.discard(path)
        listing = bool(paginated or {"articles", "dates"} & variables.keys())  # Pelican may paginate it
        if self.in_place and name not in self.seen and not self._shows_a_change(name, variables, listing):
            self.seen.add(name)
            return None  # nothing it shows changed: the published page stays, nothing is written
        template = _Remembered(self, template, set(variables), listing)
        return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                  override_output, url, **variables)

    def _shows_a_change(self, name: str, variables: dict, listing: bool) -> bool:
        """In place: whether a page, or a page of a listing, may show a changed item in
        full (what else a page shows of an item is its light state, unchanged here)."""
        if name not in self.known or name in self.dependent or (listing and self.listing_dependent):
            return True  # a new page, or one that read a changed item's body
        return any(self._holds_a_change(value) for value in variables.values()
                   if listing or isinstance(value, Content))

    def page_shows_a_change(self, context: dict, variables: set[str]) -> bool:
        """In place: whether a page's digest has a changed item in full: an item of its
        variables, or of its listing page (or the pages before and after it)."""
        for variable in variables:
            value = context.get(variable)
            if isinstance(value, Content) and value.source_path in self.changed:
                return True
            if any(isinstance(context.get(variable + end), Page) and self._holds_a_change(context[variable + end])
                   for end in PAGINATION[1:]):
                return True
        return False

    def _holds_a_change(self, value) -> bool:
        """Whether `value` is a changed item, or a list or listing page holding one."""
        if isinstance(value, Content):
            return value.source_path in self.changed
        if isinstance(value, Page):
            value = value.object_list
        if not isinstance(value, (list, tuple)):
            return False
        found = self._lists_seen.get(id(value))  # the same lists come with many pages
        if found is None or found[0] is not value:
            found = self._lists_seen[id(value)] = (value, any(
                isinstance(v, Content) and v.source_path in self.changed for v in value))
        return found[1]

    @property
    def live_record(self) -> dict:
        """What the next in-place update needs of this writer (its `record` argument)."""
        return {"key": self.key, "pages": self.digests, "site": self.site_digest}

    @staticmethod
    def structure_state(item: Content) -> str:
        """Where an item is and what places it in listings (when it changes, every page renders)."""
        return States().structure(item)

    @staticmethod
    def light_state(item: Content) -> str:
        """What listings show of an item: its structure, title and summary field."""
        return States().light(item)

    def publish_in_place(self, changed: set[str], retitled: bool = False) -> None:
        """For the preview's updates (sitebuild/live.py), when the items `changed`
        (source paths) changed and nothing else did, not even their structure (their
        titles too when `retitled`): the pages that show them are rendered into this
        writer's output folder (the caller moves them into the published folder); every
        other page is left alone without computing its digest, and a listing page
        Pelican paginates is written empty when it is reused. The published files are
        trusted (the preview's own folder). The record is in `record`, for the next
        update; the caller saves it (`save`) before the next full build."""
        self.changed = changed
        self.digests = dict(self.known)
        self._lists_seen: dict[int, tuple] = {}
        # Pages that read a changed item's body (or title) outside their own variables; a
        # listing page among them: every listing goes to Pelican (each page then by its digest).
        self.dependent = {page for page, known in self.known.items()
                          if changed & set(known[2]) or retitled and changed & set(known[4])}
        self.listing_dependent = any(self.known[page][3] for page in self.dependent)

    def digest(self, template: str, name: str, context: dict, variables: set[str],
               reads: tuple[list[str], ...]) -> str:
        """The page's digest; `reads`: the other items whose body, and whose title, it
        shows, and the files its template's helpers read."""
        if self.site_digest is None:
            self.site_digest = self.states.site(context)
        if self.items is None:
            self.items = {item.source_path: item for lst in SITE_LISTS for item in context.get(lst) or []}
        paginated = {v for v in variables if f"{v}_page" in context}
        parts = [self.key, self.site_digest, template, name]
        for variable in sorted(variables | {v + end for v in paginated for end in PAGINATION}):
            parts.append(f"{variable}={self.states.value(context.get(variable))}")
        bodies, titles, files = reads
        for source in bodies:
            item = self.items.get(source)
            parts.append(f"{source}={self.states.full(item) if item is not None else '-'}")
        for source in titles:
            item = self.items.get(source)
            parts.append(f"{source}~{self.states.light(item) if item is not None else '-'}")
        for path in files:
            if path not in self.file_digests:
                self.file_digests[path] = _file_digest(Path(path)) or "-"
            parts.append(f"{path}#{self.file_digests[path]}")
        return _hash(*parts)

    def watching(self):
        """While a page renders: the items whose body (any field but its structure and
        title), and whose title, the template reads."""
        writer = self

        class Watch:
            def __enter__(self):
                writer.reading = (set(), set(), set())
                return writer.reading

            def __exit__(self, *exc):
                writer.reading = None

        return Watch()

    def read(self, value, attribute) -> None:
        """A template read `attribute` of `value` (see `watch_reads`)."""
        if self.reading is not None and isinstance(value, Content) and attribute not in STRUCTURE_ATTRIBUTES:
            self.reading[attribute == TITLE].add(value.source_path)

    def read_file(self, path: Path) -> None:
        """A template helper read a file (sitebuild.cache.file_read)."""
        if self.reading is not None:
            self.reading[2].add(str(path))

    def record(self, name: str, digest: str, file_digest: str, reads: tuple[list[str], ...],
               listing: bool) -> None:
        self.seen.add(name)
        self.digests[name] = [digest, file_digest, reads[0], listing, reads[1], reads[2]]

    def reuse(self, name: str, digest: str) -> bool:
        """Whether page `name` is the published build's, and that file still holds
        what that build wrote: then `linked` puts it in place of the empty file."""
        known = self.known.get(name)
        if not known or known[0] != digest:
            return False
        self.seen.add(name)
        if self.in_place:
            return True
        path = self.final / name
        if _file_digest(path) != known[1]:
            return False
        self.links[sanitised_join(self.output_path, name)] = path
        self.digests[name] = known
        return True

    def linked(self, path: str) -> None:
        """Pelican wrote the empty text of a reused page: the published page replaces it."""
        source = self.links.pop(path, None)
        if source is None or os.path.getsize(path):  # a skipped double write wrote nothing here
            return
        temporary = f"{path}.link"
        try:
            os.link(source, temporary)
        except OSError:  # another file system, or no hard links: a copy
            temporary = f"{path}.copy"
            Path(temporary).write_bytes(source.read_bytes())
            os.utime(temporary, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))
        os.replace(temporary, path)
        self.linked_paths.add(path)

    def save(self) -> None:
        """The record of this run, pending until the driver has published it (current at
        once when the pages were published in place)."""
        self.cache.mkdir(parents=True, exist_ok=True)
        pending = self.cache / RENDER_PENDING
        pending.write_text(
            json.dumps({"key": self.key, "output": str(self.final), "pages": dict(sorted(self.digests.items()))}),
            encoding="utf-8")
        if self.in_place:
            os.replace(pending, self.cache / RENDER_RECORD)

    def save_in_place(self) -> None:
        """The record given as `record`, as the current one (the preview's updates)."""
        self.changed = self.changed or set()
        self.digests = self.known
        self.save()


def get_writer(pelican):
    return RenderCacheWriter


def watch_reads(generator) -> None:
    """Every attribute a template reads goes through the environment's `getattr` or
    `getitem`: the writer learns which items' bodies a page shows."""
    environment = getattr(generator, "env", None)
    if environment is None:
        return
    getattr_, getitem = environment.getattr, environment.getitem

    def reading_getattr(obj, attribute):
        if _current:
            _current[0].read(obj, attribute)
        return getattr_(obj, attribute)

    def reading_getitem(obj, argument):
        if _current and isinstance(argument, str):
            _current[0].read(obj, argument)
        return getitem(obj, argument)

    environment.getattr, environment.getitem = reading_getattr, reading_getitem
    environment.globals["fragment"] = fragment


def current_writer() -> RenderCacheWriter | None:
    return _current[0] if _current else None


def read_file(path: Path) -> None:
    if _current:
        _current[0].read_file(path)


def linked(path, context=None) -> None:
    if _current:
        _current[0].linked(path)


def save_record(pelican) -> None:
    if _current and _current[0].final is not None:
        _current[0].save()
    _current.clear()


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.get_writer.connect(get_writer)
    signals.generator_init.connect(watch_reads)
    signals.content_written.connect(path_only(linked))
    listen_for_file_reads(read_file)
    signals.finalized.connect(save_record)
