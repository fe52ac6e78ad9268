"""Each item's URL computed once, after every item is read.

Pelican computes `url` and `save_as` from the settings on every access (formatting
the URL pattern with the item's metadata); templates, feeds, sitemaps and the
search index ask for them many times per item. Once every generator is finalized
nothing changes them, so each item gets them as `override_url` and
`override_save_as`: the attributes Pelican itself gives an item whose header sets
`URL:` or `Save_as:`, and which its `url` and `save_as` return as they are.
(Sections and tags have no such attributes; they are computed each time.)
"""

from __future__ import annotations

from itertools import chain

from pelican import signals

from sitebuild.contracts import declare

CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "pages",
                 "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")


def _items(generator):
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, None) or []


def freeze(generators) -> None:
    for item in chain.from_iterable(map(_items, generators)):
        for name in ("url", "save_as"):
            if not hasattr(item, f"override_{name}"):
                setattr(item, f"override_{name}", getattr(item, name))


def register() -> None:
    declare(__name__)  # needs nothing from other plugins, provides nothing they use
    signals.all_generators_finalized.connect(freeze)
