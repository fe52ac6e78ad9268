"""Helpers for long reading: reading time, a table of contents, related items.

Jinja globals, computed from the finished (cleaned) HTML once per item and run:

- `reading_aids(item)` → ReadingAids: `minutes` (words / READING_SPEED words a
  minute for the language, at least 1) and `toc`, the text's h2 headings as
  (id, text) when the text is long (READING_TOC_MIN_WORDS words and at least
  READING_TOC_MIN_HEADINGS headings), else empty. Python-Markdown's `toc` extension
  gives every heading its id.
- `related_items(item, articles, count)` → up to `count` other items of the same
  language, by shared tags (two points each) and the same section (one point),
  newest first among equals; items sharing nothing are not related.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from operator import itemgetter

from lxml import html
from pelican import signals

from sitebuild import afterrun
from sitebuild.contracts import declare

# Words a minute: Arabic script is read more slowly than Latin on a screen.
READING_SPEED = {"ar": 160, "ckb": 160, "fa": 160, "ur": 160}
DEFAULT_SPEED = 220
DEFAULTS = {"READING_TOC_MIN_WORDS": 600, "READING_TOC_MIN_HEADINGS": 3}


@dataclass(frozen=True)
class ReadingAids:
    words: int
    minutes: int
    toc: list[tuple[str, str]] = field(default_factory=list)


def reading_aids_of(content_html: str, lang: str, min_words: int, min_headings: int) -> ReadingAids:
    if not content_html.strip():
        return ReadingAids(0, 1)
    tree = html.fragment_fromstring(content_html, create_parent="div")
    words = len(tree.text_content().split())
    minutes = max(1, round(words / READING_SPEED.get(lang, DEFAULT_SPEED)))
    headings = [(h.get("id"), " ".join(h.text_content().split())) for h in tree.iter("h2") if h.get("id")]
    long = words >= min_words and len(headings) >= min_headings
    return ReadingAids(words, minutes, headings if long else [])


def reading_aids(item, *, settings: dict, known: dict) -> ReadingAids:
    key = item.source_path
    if key not in known:
        known[key] = reading_aids_of(item.content, item.lang,
                                     settings.get("READING_TOC_MIN_WORDS", DEFAULTS["READING_TOC_MIN_WORDS"]),
                                     settings.get("READING_TOC_MIN_HEADINGS", DEFAULTS["READING_TOC_MIN_HEADINGS"]))
    return known[key]


class _RelatedIndex:
    """One language's articles by tag, by tag and section, and by section, as positions
    in the `articles` list (so that an item the preview replaces in that list is the one
    returned), each list newest first; what the ranking compares is held as plain values
    (comparing Pelican's Tag and Category objects slugifies their names each time)."""

    def __init__(self, articles: list):
        self.articles, self.size = articles, len(articles)
        self.category = [_category(article) for article in articles]
        self.lang = [article.lang for article in articles]
        self.source = [article.source_path for article in articles]
        newest = sorted(range(self.size), key=lambda p: (articles[p].date, articles[p].slug), reverse=True)
        self.rank = [0] * self.size
        for rank, position in enumerate(newest):
            self.rank[position] = rank
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        self.by_tag_and_category: dict[tuple, list[int]] = defaultdict(list)
        self.by_category: dict[str | None, list[int]] = defaultdict(list)
        for position in newest:
            for slug in _tags(articles[position]):
                self.by_tag[slug].append(position)
                self.by_tag_and_category[slug, self.category[position]].append(position)
            self.by_category[self.category[position]].append(position)


def _tags(item) -> set[str]:
    return {tag.slug for tag in getattr(item, "tags", None) or []}


def _category(item) -> str | None:
    category = getattr(item, "category", None)
    return category.slug if category is not None else None


_indexes: dict[int, _RelatedIndex] = {}


def related_items(item, articles, count: int = 3) -> list:
    """Up to `count` other articles of the item's language: two points per shared tag and
    one for the same section; ties go to the newer, then to the slug.

    Most candidates share one tag with the item: they are taken newest first from the
    tag lists (those in the item's section first) until `count` are found, so an item's
    cost does not grow with the number of articles sharing a tag with it."""
    index = _indexes.get(id(articles))
    if index is None or index.articles is not articles or index.size != len(articles):
        _indexes.clear()
        index = _indexes[id(articles)] = _RelatedIndex(articles)
    category, lang, source, tags = _category(item), item.lang, item.source_path, _tags(item)
    same, rank, langs, sources = index.category, index.rank, index.lang, index.source

    def eligible(position: int) -> bool:
        return langs[position] == lang and sources[position] != source

    shared = Counter(chain.from_iterable(index.by_tag.get(slug, ()) for slug in tags))
    by_count = sorted(shared.items(), key=itemgetter(1), reverse=True)
    several = by_count[:bisect_right(by_count, -2, key=lambda entry: -entry[1])]  # two tags or more
    several.sort(key=lambda entry: (-2 * entry[1] - (same[entry[0]] == category), rank[entry[0]]))
    chosen = [position for position, _ in several if eligible(position)][:count]
    for lists in ([index.by_tag_and_category.get((slug, category), ()) for slug in tags],  # one tag
                  [index.by_tag.get(slug, ()) for slug in tags]):
        if len(chosen) >= count:
            break
        for position in heapq.merge(*lists, key=rank.__getitem__):
            if shared[position] == 1 and position not in chosen and eligible(position):
                chosen.append(position)
                if len(chosen) >= count:
                    break
    for position in index.by_category.get(category, ()):  # no tag, the same section: one point
        if len(chosen) >= count:
            break
        if position not in shared and eligible(position):
            chosen.append(position)
    return [articles[position] for position in chosen]


def add_globals(generator) -> None:
    generator.env.globals.update(
        reading_aids=partial(reading_aids, settings=generator.settings, known={}),
        related_items=related_items,
    )


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(add_globals)
    afterrun.on_release(_indexes.clear)  # it holds the run's articles
