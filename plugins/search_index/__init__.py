"""The search index of one language, from the content already in memory.

At the end of the language's run (`all_generators_finalized`) the published
articles and pages (not drafts, not hidden pages) become search documents: the
title, the body as text, the localized date, and, indexed but not shown, the
tags and a meeting account's facts. `sitebuild.search.write_index` writes them to
`SEARCH_INDEX_URL` (`<language>/search/data/`); the theme's search page reads it.
A failure stops the language's run with an error that names the search index (the
build then publishes nothing).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from sitebuild import search
from sitebuild.contracts import declare
from sitebuild.search import Document, html_text


def _facts(item) -> list[str]:
    """The text values of a meeting account's facts (see the meetings plugin)."""
    facts = getattr(item, "meeting", None)
    values = [getattr(facts, field.name) for field in fields(facts)] if facts else []
    return [text for value in values for text in (value if isinstance(value, list) else [value])
            if isinstance(text, str)]


def document(item, siteurl: str, localdate) -> Document:
    date = getattr(item, "date", None)  # pages have none
    tags = [tag.name for tag in getattr(item, "tags", None) or []]
    return Document(
        url=f"{siteurl}/{item.url}",
        title=html_text(item.title),
        date=localdate(date) if date else "",
        text=html_text(item.content),
        extra=" ".join(tags + _facts(item)),
    )


def write_search_index(generators) -> None:
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    settings = articles.settings
    localdate = articles.env.filters["localdate"]
    items = [*articles.articles, *pages.pages]
    documents = [document(item, settings["SITEURL"], localdate) for item in items]
    folder = Path(articles.output_path) / settings["SEARCH_INDEX_URL"]
    final = settings.get("FINAL_OUTPUT_PATH")  # the last build's index, to link unchanged files
    previous = Path(final) / settings["SEARCH_INDEX_URL"] if final else None
    try:  # looked up on the module at each run (tests replace it)
        search.write_index(documents, folder, settings["DEFAULT_LANG"], previous)
    except Exception as error:
        raise RuntimeError(f"search index {settings['SEARCH_INDEX_URL']}: {error}") from error


def register() -> None:
    declare(__name__, needs=["item.meeting"])
    signals.all_generators_finalized.connect(write_search_index)
