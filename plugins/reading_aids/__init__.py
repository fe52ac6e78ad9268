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

from dataclasses import dataclass, field
from functools import partial

from lxml import html
from pelican import signals

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


def related_items(item, articles, count: int = 3) -> list:
    tags = {tag.slug for tag in getattr(item, "tags", [])}
    scored = []
    for other in articles:
        if other is item or other.lang != item.lang or other.source_path == item.source_path:
            continue
        shared = len(tags & {tag.slug for tag in getattr(other, "tags", [])})
        score = 2 * shared + (other.category == item.category)
        if score:
            scored.append((score, other.date, other.slug, other))
    scored.sort(key=lambda entry: (entry[0], entry[1], entry[2]), reverse=True)
    return [entry[3] for entry in scored[:count]]


def add_globals(generator) -> None:
    generator.env.globals.update(
        reading_aids=partial(reading_aids, settings=generator.settings, known={}),
        related_items=related_items,
    )


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.generator_init.connect(add_globals)
