"""XML sitemaps with hreflang alternates, robots.txt.

Each language's run writes `sitemaps/<code>.xml`: its items (lastmod from
`modified` or `date`) and its listings, every URL with an
`<xhtml:link rel="alternate" hreflang>` for each of its language versions and
`x-default`, computed by the same Jinja globals that print the pages'
`<link rel=alternate>` (from the translations plugin), so the two always agree. The default language's run also
writes the sitemap index `/sitemap.xml` and `/robots.txt` pointing to it.

Written with lxml from the objects already in memory, once every generator has
read its content (`all_generators_finalized`).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from sitebuild.contracts import declare

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
E = f"{{{SITEMAP_NS}}}"


def sitemap_path(code: str) -> str:
    return f"sitemaps/{code}.xml"


def _url(urlset, location: str, alternates: list[dict], lastmod: str | None) -> None:
    url = etree.SubElement(urlset, E + "url")
    etree.SubElement(url, E + "loc").text = location
    if lastmod:
        etree.SubElement(url, E + "lastmod").text = lastmod
    # The same alternates as the page's <link rel="alternate" hreflang> (partials/head.html).
    for alt in alternates:
        if alt["available"]:
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=alt["code"], href=alt["url"])
    if alternates and alternates[0]["available"]:
        etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default",
                         href=alternates[0]["url"])


def _write(tree_root, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(tree_root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _lastmod(item) -> str:
    return getattr(item, "modified", None) and item.modified.isoformat() or item.date.isoformat()


def language_sitemap(settings: dict, env, articles: list, pages: list, categories: list) -> etree._Element:
    item_alternates, listing_alternates = (
        env.globals["item_alternates"], env.globals["listing_alternates"]
    )
    siteurl = settings["SITEURL"]
    urlset = etree.Element(E + "urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    newest = max((_lastmod(a) for a in articles), default=None)
    listings = [(settings["INDEX_URL"], newest), (settings["ARCHIVES_URL"], newest)] + [
        (category.url, max(_lastmod(a) for a in in_category)) for category, in_category in categories
    ]
    for listing, lastmod in listings:
        _url(urlset, f"{siteurl}/{listing}", listing_alternates(listing), lastmod)
    for item in sorted(articles + pages, key=lambda item: item.url):
        lastmod = _lastmod(item) if hasattr(item, "date") else None
        _url(urlset, f"{siteurl}/{item.url}", item_alternates(item), lastmod)
    return urlset


def sitemap_index(settings: dict) -> etree._Element:
    index = etree.Element(E + "sitemapindex", nsmap={None: SITEMAP_NS})
    for language in settings["LANGUAGES"]:
        sitemap = etree.SubElement(index, E + "sitemap")
        etree.SubElement(sitemap, E + "loc").text = f"{settings['SITEURL']}/{sitemap_path(language['code'])}"
    return index


def write_sitemaps(generators) -> None:
    articles_generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages_generator = next(g for g in generators if isinstance(g, PagesGenerator))
    settings = articles_generator.settings
    output = Path(articles_generator.output_path)
    categories = sorted(articles_generator.categories, key=lambda pair: pair[0].slug)
    sitemap = language_sitemap(
        settings, articles_generator.env, articles_generator.articles, pages_generator.pages, categories
    )
    _write(sitemap, output / sitemap_path(settings["DEFAULT_LANG"]))
    if settings["LANGUAGE"]["primary"]:
        _write(sitemap_index(settings), output / "sitemap.xml")
        (output / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\n\nSitemap: {settings['SITEURL']}/sitemap.xml\n", encoding="utf-8"
        )


def register() -> None:
    declare(__name__, needs=["item_alternates"])
    signals.all_generators_finalized.connect(write_sitemaps)
