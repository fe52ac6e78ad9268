"""RSS 2.0 and Atom feeds of one language, written with feedgen.

Each language's run writes, under its own prefix, `feeds/all.rss.xml` and
`feeds/all.atom.xml` (every published article of that language) and one pair per
section (`feeds/news.rss.xml`, ...), and one per body met in meeting accounts
(COUNTERPART_FEED_RSS_URL / _ATOM_URL). The paths are the settings FEED_ALL_RSS_URL,
FEED_ALL_ATOM_URL, CATEGORY_FEED_RSS_URL and CATEGORY_FEED_ATOM_URL, which
`sitebuild` sets per language and the theme's discovery links use too.

- Titles: SITENAME, or `SITENAME — <section label>` with the label rendered by the
  theme's `section_label` macro, so a feed names a section exactly as its page does.
- Every URL, also inside the content, is absolute against FEED_DOMAIN, else SITEURL
  (root-relative only when neither is set, as in development).
- Reproducible: no "now" anywhere (the feed's date is its newest item's), items
  newest first with ties by slug, so the same content gives the same bytes.
- Characters XML cannot hold (control characters) are removed with a warning
  naming the file; a STRICT build therefore fails on them.

Feeds are written on `article_writer_finalized`: only then has every generator
read its content, so `{filename}` links to pages resolve.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from markupsafe import Markup
from pelican import signals

from sitebuild.contracts import declare

logger = logging.getLogger(__name__)

# XML 1.0 has no place for these; lxml (and so feedgen) raises ValueError on them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
URL_ATTRIBUTE = re.compile(
    r"""(?<=\s)(?P<name>href|src|srcset|poster)(?P<eq>\s*=\s*)(?P<q>["'])(?P<value>.*?)(?P=q)""",
    re.IGNORECASE,
)


def absolute_url(base: str, value: str) -> str:
    return urljoin(base, value) if value.strip() else value


def absolute_srcset(base: str, value: str) -> str:
    candidates = []
    for candidate in value.split(","):
        url, space, descriptor = candidate.strip().partition(" ")
        candidates.append(absolute_url(base, url) + space + descriptor)
    return ", ".join(candidates)


def absolute_links(html: str, base: str) -> str:
    """`html` with every href, src, srcset and poster in its tags resolved against `base`."""

    def attribute(match: re.Match) -> str:
        name, value = match["name"], match["value"]
        resolve = absolute_srcset if name.lower() == "srcset" else absolute_url
        return f"{name}{match['eq']}{match['q']}{resolve(base, value)}{match['q']}"

    return START_TAG.sub(lambda tag: URL_ATTRIBUTE.sub(attribute, tag[0]), html)


@dataclass(frozen=True)
class Item:
    """One article as its feeds show it: XML-safe text, absolute URLs, aware dates."""

    title: str
    link: str
    content: str
    summary: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    published: datetime
    updated: datetime


def feed_item(article, base: str, section: str, fallback_author: str) -> Item:
    link = f"{base}/{article.url}"
    texts = {
        "title": str(article.title),  # plain text, as the theme shows it
        "content": absolute_links(article.get_content(base), link),
        "summary": absolute_links(article.summary or "", link),
    }
    authors = [str(author) for author in getattr(article, "authors", [])] or [fallback_author]
    categories = [section] + [str(tag) for tag in getattr(article, "tags", [])]
    removed = 0
    for key, text in texts.items():
        texts[key], count = NOT_XML.subn("", text)
        removed += count
    for names in (authors, categories):
        for index, name in enumerate(names):
            names[index], count = NOT_XML.subn("", name)
            removed += count
    if removed:
        logger.warning(
            "%s: %d control character(s) removed from the feeds (XML cannot hold them); "
            "delete them from the file",
            article.source_path,
            removed,
        )
    return Item(
        link=link,
        authors=tuple(authors),
        categories=tuple(categories),
        published=article.date,
        updated=getattr(article, "modified", None) or article.date,
        **texts,
    )


def newest_first(articles: list, limit: int | None) -> list:
    """Newest first, ties by slug; at most `limit` (None: all)."""
    ordered = sorted(sorted(articles, key=lambda article: article.slug),
                     key=lambda article: article.date, reverse=True)
    return ordered[:limit] if limit is not None else ordered


@dataclass(frozen=True)
class Channel:
    """What a feed says about itself; every URL absolute (or root-relative in development)."""

    title: str
    description: str
    language: str
    home: str  # the HTML page the feed follows
    rss_url: str
    atom_url: str


def render_feeds(channel: Channel, items: list[Item]) -> tuple[bytes, bytes]:
    """The RSS and Atom documents of one feed (`items` already ordered and cut)."""
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False)  # dc:creator in RSS; Atom has <author>
    feed.title(channel.title)
    feed.description(channel.description)  # also the Atom subtitle
    feed.language(channel.language)  # also the Atom xml:lang
    feed.updated(max(item.updated for item in items))  # also the RSS lastBuildDate
    for item in items:
        entry = feed.add_entry(order="append")
        entry.title(item.title)
        # feedgen 1.0.0 drops `rel` from Atom entry links (upstream #135); a link
        # without it is the alternate, which is all we add: no enclosures.
        entry.link(href=item.link)
        entry.guid(item.link, permalink=True)  # also the Atom id
        entry.content(item.content, type="html")  # content:encoded / Atom content
        # description / Atom summary (`entry.description()` would replace the content)
        entry.summary(item.summary, type="html")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.author([{"name": name} for name in item.authors])
        entry.dc.dc_creator(list(item.authors))
        entry.category([{"term": term} for term in item.categories])
    alternate = {"href": channel.home, "rel": "alternate", "type": "text/html",
                 "hreflang": channel.language}
    # The RSS <link> is the last link added: rel="self" first, then the page.
    feed.id(channel.atom_url)
    feed.link([{"href": channel.atom_url, "rel": "self", "type": "application/atom+xml"},
               alternate], replace=True)
    atom = feed.atom_str(pretty=True)
    feed.link([{"href": channel.rss_url, "rel": "self", "type": "application/rss+xml"},
               alternate], replace=True)
    return feed.rss_str(pretty=True), atom


def _section_labels(generator):
    """The theme's `section_label` macro (the catalog is installed by babel_i18n)."""
    macros = generator.env.get_template("partials/macros.html").module
    label = getattr(macros, "section_label", lambda name: name)
    return lambda name: Markup(label(name)).striptags()


def write_feeds(generator, writer=None) -> None:
    settings = generator.settings
    code = settings["DEFAULT_LANG"]
    articles = [article for article in generator.articles if article.lang == code]
    if not articles:
        return
    base = settings.get("FEED_DOMAIN") or settings["SITEURL"]
    limit = settings.get("FEED_MAX_ITEMS")
    sitename = settings["SITENAME"]
    description = settings.get("SITE_DESCRIPTION") or sitename
    section_label = _section_labels(generator)
    cache: dict[str, Item] = {}

    def items(chosen) -> list[Item]:
        chosen = newest_first(chosen, limit)
        for article in chosen:
            if article.source_path not in cache:
                label = section_label(article.category.name)
                cache[article.source_path] = feed_item(article, base, label, sitename)
        return [cache[article.source_path] for article in chosen]

    def write(rss_path: str, atom_path: str, title: str, home: str, chosen) -> None:
        channel = Channel(title, description, code, f"{base}/{home}",
                          f"{base}/{rss_path}", f"{base}/{atom_path}")
        rss, atom = render_feeds(channel, items(chosen))
        for path, document in ((rss_path, rss), (atom_path, atom)):
            target = Path(generator.output_path) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(document)

    write(settings["FEED_ALL_RSS_URL"], settings["FEED_ALL_ATOM_URL"], sitename,
          settings.get("INDEX_URL", ""), articles)
    for category, in_category in generator.categories:
        chosen = [article for article in in_category if article.lang == code]
        if chosen:
            write(settings["CATEGORY_FEED_RSS_URL"].format(slug=category.slug),
                  settings["CATEGORY_FEED_ATOM_URL"].format(slug=category.slug),
                  f"{sitename} — {section_label(category.name)}", category.url, chosen)
    # One feed per body met, beside its page (the meetings plugin sets `counterpart_slug`).
    by_counterpart: dict[str, list] = {}
    for article in articles:
        facts = getattr(article, "meeting", None)
        if facts is not None and getattr(facts, "counterpart_slug", ""):
            by_counterpart.setdefault(facts.counterpart_slug, []).append(article)
    for slug, chosen in sorted(by_counterpart.items()):
        name = newest_first(chosen, 1)[0].meeting.counterpart
        write(settings["COUNTERPART_FEED_RSS_URL"].format(slug=slug),
              settings["COUNTERPART_FEED_ATOM_URL"].format(slug=slug),
              f"{sitename} — {name}", settings["COUNTERPART_URL"].format(slug=slug), chosen)


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.article_writer_finalized.connect(write_feeds)
