"""Sitemaps: an index, one sitemap per language, hreflang alternates consistent with the pages."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SITEURL = "https://alliance.example.org"


def entries(site) -> dict[str, dict]:
    """{loc: {"lastmod": ..., "alternates": {hreflang: href}}} over every language sitemap."""
    index = etree.parse(str(site.root / "sitemap.xml"))
    found = {}
    for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS):
        assert loc.startswith(SITEURL + "/")
        sitemap = etree.parse(str(site.root / loc[len(SITEURL) + 1:]))
        for url in sitemap.xpath("//s:url", namespaces=NS):
            (location,) = url.xpath("s:loc/text()", namespaces=NS)
            assert location not in found, f"{location} listed twice"
            found[location] = {
                "lastmod": url.xpath("string(s:lastmod)", namespaces=NS),
                "alternates": {
                    link.get("hreflang"): link.get("href")
                    for link in url.xpath("x:link[@rel='alternate']", namespaces=NS)
                },
            }
    return found


def test_index_lists_one_sitemap_per_language_and_robots_points_to_it(production_site):
    index = etree.parse(str(production_site.root / "sitemap.xml"))
    assert index.xpath("//s:sitemap/s:loc/text()", namespaces=NS) == [
        f"{SITEURL}/sitemaps/ar.xml", f"{SITEURL}/sitemaps/en.xml"
    ]
    robots = production_site.text("robots.txt")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots.splitlines()


def test_every_item_and_listing_is_in_a_sitemap(production_site):
    found = entries(production_site)
    assert f"{SITEURL}/meetings/caesar-alliance-state-department/" in found
    assert f"{SITEURL}/en/meetings/caesar-alliance-state-department/" in found
    assert f"{SITEURL}/news/weekly-bulletin-crossings/" in found
    assert f"{SITEURL}/en/contact/" in found and f"{SITEURL}/" in found
    assert len(found) == 33  # the sample content: 21 items, the pages and listings


def test_every_location_and_alternate_resolves(production_site):
    for location, entry in entries(production_site).items():
        assert production_site.resolves(location), location
        for href in entry["alternates"].values():
            assert production_site.resolves(href), (location, href)
        if entry["lastmod"]:
            assert datetime.fromisoformat(entry["lastmod"]).tzinfo is not None


def test_alternates_are_symmetric_and_include_self(production_site):
    found = entries(production_site)
    for location, entry in found.items():
        alternates = entry["alternates"]
        assert location in alternates.values(), location
        for lang, href in alternates.items():
            if lang != "x-default":
                assert found[href]["alternates"] == alternates, (location, href)


def test_sitemap_alternates_match_the_pages_hreflang_links(production_site):
    for location, entry in entries(production_site).items():
        page = production_site.root / location[len(SITEURL) + 1:] / "index.html"
        links = {
            link.get("hreflang"): link.get("href")
            for link in production_site.tree(page).xpath("//head/link[@rel='alternate'][@hreflang][not(@type)]")
        }
        assert links == entry["alternates"], location


def test_lastmod_of_an_item_is_its_date(production_site):
    found = entries(production_site)
    assert found[f"{SITEURL}/en/reports/caesar-act-first-year/"]["lastmod"] == "2021-03-10T10:00:00+02:00"
