"""Pelican's Markdown reader, with its Markdown instances made once per run.

Pelican's `MarkdownReader` makes a new `markdown.Markdown` for every file: with our
extensions that costs about 0.5 ms, a tenth of a language's cold run. This reader
renders with one `sitebuild.rendering.ItemRenderer` per run (the content check uses
the same class, so both see the same HTML). Pelican's own `_parse_metadata`
deregisters the `meta` preprocessor from the instance it is given; that instance
gets a do-nothing preprocessor of that name before each file.
The body and those fields leave `read` cleaned by the site's one HTML allow-list
(sitebuild/sanitize.py), so that pages, feeds, the search index and Pelican's content
cache only ever see clean HTML; each removal is logged as an error naming the file
and line, which fails the build. They leave it as `CachedText` (sitebuild/cache.py):
saving Pelican's content cache does not double their memory.
Everything else is Pelican's reader.
"""

from __future__ import annotations

import logging

from markdown.preprocessors import Preprocessor
from pelican import readers as pelican_readers
from pelican import signals
from pelican.utils import pelican_open

from sitebuild.cache import CachedText
from sitebuild.contracts import declare
from sitebuild.limits import limit_problem
from sitebuild.rendering import BODY, ItemRenderer
from sitebuild.sanitize import clean_html, html_problems

logger = logging.getLogger(__name__)


class _Unchanged(Preprocessor):
    """Stands for `meta` in the fields' instance, for Pelican to deregister."""

    def run(self, lines: list[str]) -> list[str]:
        return lines


def refuse_beyond_limits(source_path: str, text: str, settings: dict) -> None:
    """Before Markdown runs: a file beyond the limits is an error naming it (the content
    check reports it too, but runs alongside this run)."""
    problem = limit_problem(source_path, text, settings)
    if problem:
        logger.error("%s", problem, extra={"problem": problem})
        raise ValueError(str(problem))


class MarkdownReader(pelican_readers.MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = ItemRenderer(self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])

    def read(self, source_path):
        self._source_path = source_path
        with pelican_open(source_path) as text:
            refuse_beyond_limits(source_path, text, self.settings)
            content = self.renderer.convert(text)
        meta = self.renderer.header
        if not meta:
            return self._cleaned(text, content, {})
        self._md = self.renderer.fields_md
        self._md.preprocessors.register(_Unchanged(self._md), "meta", 0)
        return self._cleaned(text, content, self._parse_metadata(meta))

    def _cleaned(self, text: str, content: str, metadata: dict) -> tuple[str, dict]:
        """The body and the Markdown-rendered fields through the site's one allow-list
        (sitebuild/sanitize.py); whatever it removes is an error naming the file and line."""
        fields = {name: value for name, value in metadata.items()
                  if name in self.settings["FORMATTED_FIELDS"] and isinstance(value, str)}
        html = {BODY: content, **fields}
        cleaned = {part: CachedText(clean_html(value)) for part, value in html.items()}
        for problem in html_problems(self._source_path, text, html, cleaned):
            logger.error("%s", problem, extra={"problem": problem})
        return cleaned.pop(BODY), {**metadata, **cleaned}


def use_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is pelican_readers.MarkdownReader:
            readers.reader_classes[extension] = MarkdownReader


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.readers_init.connect(use_reader)
