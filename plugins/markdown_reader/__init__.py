"""Pelican's Markdown reader, with its Markdown instances made once per run.

Pelican's `MarkdownReader` makes a new `markdown.Markdown` for every file: with our
extensions that costs about 0.5 ms, a tenth of a language's cold run. This reader
keeps two instances and resets them between files (`Markdown.reset()` clears every
extension's state): one for the text, one for the header fields Pelican renders as
Markdown (`Summary:`), which must not look for metadata. Pelican's own
`_parse_metadata` deregisters the `meta` preprocessor from the instance it is given;
that instance gets a do-nothing preprocessor of that name before each file.
The body and those fields leave `read` cleaned by the site's one HTML allow-list
(sitebuild/sanitize.py), so that pages, feeds, the search index and Pelican's content
cache only ever see clean HTML; each removal is logged as an error naming the file
and line, which fails the build.
Everything else is Pelican's reader.
"""

from __future__ import annotations

import logging

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican import readers as pelican_readers
from pelican import signals
from pelican.utils import pelican_open

from sitebuild.frontmatter import canonical_source
from sitebuild.limits import limit_problem
from sitebuild.sanitize import BODY, clean_html, html_problems

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
        self._text_md = Markdown(**self.settings["MARKDOWN"])
        self._fields_md = Markdown(**self.settings["MARKDOWN"])
        self._fields_md.preprocessors.deregister("meta")

    def read(self, source_path):
        self._source_path = source_path
        self._text_md.reset()
        with pelican_open(source_path) as text:
            refuse_beyond_limits(source_path, text, self.settings)
            content = self._text_md.convert(canonical_source(text))
        meta = getattr(self._text_md, "Meta", None)
        if not meta:
            return self._cleaned(text, content, {})
        self._md = self._fields_md
        self._md.preprocessors.register(_Unchanged(self._md), "meta", 0)
        return self._cleaned(text, content, self._parse_metadata(meta))

    def _cleaned(self, text: str, content: str, metadata: dict) -> tuple[str, dict]:
        """The body and the Markdown-rendered fields through the site's one allow-list
        (sitebuild/sanitize.py); whatever it removes is an error naming the file and line."""
        fields = {name: value for name, value in metadata.items()
                  if name in self.settings["FORMATTED_FIELDS"] and isinstance(value, str)}
        html = {BODY: content, **fields}
        cleaned = {part: clean_html(value) for part, value in html.items()}
        for problem in html_problems(self._source_path, text, html, cleaned):
            logger.error("%s", problem, extra={"problem": problem})
        return cleaned.pop(BODY), {**metadata, **cleaned}

    def render(self, text: str) -> dict[str, str]:
        """The HTML `read` makes of a file's text before cleaning it, without Pelican's
        metadata processing (for the content check): the body, and each FORMATTED_FIELDS field."""
        self._text_md.reset()
        html = {BODY: self._text_md.convert(text)}
        for name, values in (getattr(self._text_md, "Meta", None) or {}).items():
            if name.lower() in self.settings["FORMATTED_FIELDS"]:
                self._fields_md.reset()
                html[name.lower()] = self._fields_md.convert("\n".join(values))
        return html


def use_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is pelican_readers.MarkdownReader:
            readers.reader_classes[extension] = MarkdownReader


def register() -> None:
    signals.readers_init.connect(use_reader)
