"""Links between the language versions of an item, across the per-language runs.

Each run reads one language only, so Pelican's own translation matching cannot
see the other languages. The build driver hands every run TRANSLATION_INDEX
({key: {lang: {url, title}}}, keyed by `Translation_Key` or the slug) and
SECTION_INDEX; this plugin turns them into the Jinja globals the templates use
for the language switcher and `hreflang` links, and resolves `{filename}` links
to another language's items.
"""

from __future__ import annotations

import logging
from functools import partial

from pelican import signals
from pelican.contents import Page

from sitebuild.contracts import declare
from sitebuild.languages import Language, listing_paths

logger = logging.getLogger(__name__)

def translation_key(item) -> str:
    kind = "page" if isinstance(item, Page) else "article"
    return f"{kind}:{getattr(item, 'translation_key', None) or item.slug}"


def _alternate(
    language: dict, url: str, available: bool, current: str, siteurl: str, item: bool
) -> dict:
    return {
        "code": language["code"],
        "name": language["name"],
        "dir": language["dir"],
        "url": f"{siteurl}/{url}",
        "available": available,
        "current": language["code"] == current,
        "item": item,  # an article or page (a missing one gets a note), not a listing
    }


def item_alternates(item, *, settings: dict) -> list[dict]:
    """Every language's version of `item`; a missing one points at that language's home."""
    versions = settings["TRANSLATION_INDEX"].get(translation_key(item), {})
    return [
        _alternate(
            lang,
            versions[lang["code"]]["url"] if lang["code"] in versions else lang["path"],
            lang["code"] in versions,
            settings["DEFAULT_LANG"],
            settings["SITEURL"],
            True,
        )
        for lang in settings["LANGUAGES"]
    ]


def listing_alternates(url: str, *, settings: dict) -> list[dict]:
    """The same listing (home, archives, a section…) in every language that has it."""
    own_path = settings["LANGUAGE"]["path"]
    relative = url[len(own_path):] if url.startswith(own_path) else url
    relative = relative.split("page/")[0]  # page 2 of a listing → the listing
    alternates = []
    for lang in settings["LANGUAGES"]:
        sections = settings["SECTION_INDEX"].get(lang["code"], [])
        has_it = relative in listing_paths(Language.from_dict(lang)) or relative.rstrip("/") in sections
        target = lang["path"] + relative if has_it else lang["path"]
        alternates.append(
            _alternate(lang, target, has_it, settings["DEFAULT_LANG"], settings["SITEURL"], False)
        )
    return alternates


def link_other_languages(generator) -> None:
    """`[…]({filename}/en/reports/x.md)` in an Arabic item: each run reads one language,
    so Pelican would not find the English file. Its URL is known from the index: the
    other languages' published items are made known to Pelican's link resolution by
    their source path (Pelican looks links up in `context["generated_content"]`)."""
    known = generator.context.setdefault("generated_content", {})
    own = generator.settings["DEFAULT_LANG"]
    for versions in generator.settings["TRANSLATION_INDEX"].values():
        for code, version in versions.items():
            if code != own:
                known.setdefault(version["source"], OtherLanguageItem(version["url"]))


class OtherLanguageItem:
    """Stands for an item of another language's run where Pelican resolves a link."""

    def __init__(self, url: str):
        self.url = url


def add_globals(generator) -> None:
    generator.env.globals.update(
        item_alternates=partial(item_alternates, settings=generator.settings),
        listing_alternates=partial(listing_alternates, settings=generator.settings),
    )


def check_index(generators) -> None:
    """The driver's index must agree with Pelican on every URL, or links would break."""
    for generator in generators:
        settings = generator.settings
        code = settings["DEFAULT_LANG"]
        items = getattr(generator, "articles", []) + getattr(generator, "pages", [])
        for item in items:
            entry = settings["TRANSLATION_INDEX"].get(translation_key(item), {}).get(code)
            if entry is None or entry["url"] != item.url:
                logger.error(
                    "%s: translation index has %s but Pelican wrote %s",
                    item.source_path,
                    entry and entry["url"],
                    item.url,
                )


def register() -> None:
    declare(__name__, provides=["item_alternates", "listing_alternates"])
    signals.generator_init.connect(add_globals)
    signals.generator_init.connect(link_other_languages)
    signals.all_generators_finalized.connect(check_index)
