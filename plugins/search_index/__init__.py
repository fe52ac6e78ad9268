"""The search index of one language, from the content already in memory.

When the language's content is complete (`all_generators_finalized`) the published
articles and pages (not drafts, not hidden pages) become search documents: the
title, the body as text, the date line (localized date and authors), the section,
the tags and a meeting account's facts card as its page shows it (each a field of
its own: a result that matched there shows it), and the source path, which gives
the document its stable id. After the run (`sitebuild.afterrun`: in the memory the
run's objects held), `sitebuild.search.write_index` writes them to
`SEARCH_INDEX_URL` (`<language>/search/data/`); the theme's search page reads it.
A failure stops the language's run with an error that names the search index (the
build then publishes nothing).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from sitebuild import afterrun, search
from sitebuild.contracts import declare
from sitebuild.search import Document, html_text

FACTS_CARD = "partials/meeting_facts.html"  # the theme's card above a meeting account's body


def _facts_card(generator):
    """A meeting account's facts card as its page shows it, headings and counts
    included (the theme's partial, rendered here and read as text); "" for an item
    that is no meeting account (a site without them needs no such partial)."""
    def card(item) -> str:
        if getattr(item, "meeting", None) is None:
            return ""
        template = generator.env.get_template(FACTS_CARD)  # loaded once: Jinja caches it
        return html_text(template.render(generator.context, article=item))
    return card


def _section_labels(generator):
    """The theme's `section_label` macro as plain text (as the feeds plugin reads it)."""
    macros = generator.env.get_template("partials/macros.html").module
    label = getattr(macros, "section_label", lambda name: name)
    return lambda name: Markup(label(name)).striptags()


def document(item, siteurl: str, localdate, section_label=None, content_path: str = "",
             facts_card=None) -> Document:
    date = getattr(item, "date", None)  # pages have none
    tags = [tag.name for tag in getattr(item, "tags", None) or []]
    category = getattr(item, "category", None)
    section = ""
    if category is not None:
        section = str(section_label(category.name)) if section_label else category.name
    source = getattr(item, "source_path", "") or ""
    if source and content_path:
        with contextlib.suppress(ValueError):
            source = Path(source).resolve().relative_to(Path(content_path).resolve()).as_posix()
    return Document(
        url=f"{siteurl}/{item.url}",
        title=html_text(item.title),
        date=localdate(date) if date else "",
        html=item.content,  # made into text when the index reads it (sitebuild.search.Document)
        facts=facts_card(item) if facts_card else "",
        tags=", ".join(tags),
        authors=", ".join(author.name for author in getattr(item, "authors", None) or []),
        section=section,
        source=source,
        day=int(date.strftime("%Y%m%d")) if date else 0,
    )


def write_search_index(generators) -> None:
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    settings = articles.settings
    localdate = articles.env.filters["localdate"]
    section_label = _section_labels(articles)
    items = [*articles.articles, *pages.pages]
    facts_card = _facts_card(articles)
    documents = [document(item, settings["SITEURL"], localdate, section_label, settings["PATH"], facts_card)
                 for item in items]
    folder = Path(articles.output_path) / settings["SEARCH_INDEX_URL"]
    final = settings.get("FINAL_OUTPUT_PATH")  # the last build's index, to link unchanged files
    previous = Path(final) / settings["SEARCH_INDEX_URL"] if final else None
    where, language = settings["SEARCH_INDEX_URL"], settings["DEFAULT_LANG"]

    def write() -> None:
        try:  # looked up on the module at each run (tests replace it)
            search.write_index(documents, folder, language, previous)
        except Exception as error:
            raise RuntimeError(f"search index {where}: {error}") from error

    afterrun.later(write)  # the documents hold each item's HTML, not Pelican's objects


def register() -> None:
    declare(__name__, needs=["item.meeting"])
    signals.all_generators_finalized.connect(write_search_index)
