"""Each item's and listing's URL computed once, after every item is read.

Pelican computes `url` and `save_as` from the settings on every access (formatting
the URL pattern with the item's metadata); templates, feeds, sitemaps and the
search index ask for them many times per item — a tenth of a language's run. Once
every generator is finalized nothing changes them, so each content object, section,
tag and author is given a subclass of its own class that remembers them.
"""

from __future__ import annotations

from itertools import chain

from pelican import signals

FROZEN = ("url", "save_as")
_subclasses: dict[type, type] = {}


def _remembered(name: str) -> property:
    def get(self):
        values = self.__dict__.setdefault("_frozen_urls", {})
        if name not in values:
            values[name] = getattr(super(type(self), self), name)
        return values[name]

    return property(get, doc=f"`{name}`, computed once")


def frozen_class(cls: type) -> type:
    """`cls` with FROZEN properties that are computed once per object."""
    if cls.__dict__.get("_frozen_urls_class"):
        return cls
    if cls not in _subclasses:
        attributes = {name: _remembered(name) for name in FROZEN}
        attributes.update(_frozen_urls_class=True, __module__=cls.__module__, __qualname__=cls.__qualname__)
        _subclasses[cls] = type(cls.__name__, (cls,), attributes)
    return _subclasses[cls]


CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "pages",
                 "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")


def _objects(generator):
    """The content objects a generator made, their sections, tags and authors (each
    item has its own objects for these), and the generator's listings."""
    for name in CONTENT_LISTS:
        for item in getattr(generator, name, None) or []:
            yield item
            yield from filter(None, [getattr(item, "category", None)])
            yield from getattr(item, "tags", None) or []
            yield from getattr(item, "authors", None) or []
    for name in ("tags", "categories", "authors"):
        listing = getattr(generator, name, None) or {}
        yield from (listing.keys() if isinstance(listing, dict) else (key for key, _ in listing))


def freeze(generators) -> None:
    # By identity: sections and tags compare equal by slug, each object counts.
    objects = {id(item): item for item in chain.from_iterable(map(_objects, generators))}
    for item in objects.values():
        item.__class__ = frozen_class(type(item))


def register() -> None:
    signals.all_generators_finalized.connect(freeze)
