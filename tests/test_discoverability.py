"""Canonical URLs, Open Graph, JSON-LD, share links, 404, manifest: what search engines and apps read."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tests.conftest import ROOT, build_site

SITEURL = "https://alliance.example.org"
ARTICLE = "news/detainees-families-vigil/"


def meta(tree, prop):
    values = tree.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")
    return values[0] if len(values) == 1 else values


def json_ld(tree):
    return [json.loads(block) for block in tree.xpath("//script[@type='application/ld+json']/text()")]


def test_every_page_has_an_absolute_self_canonical_and_a_description(production_site):
    for page in production_site.pages:
        relative = page.relative_to(production_site.root).as_posix()
        tree = production_site.tree(page)
        assert meta(tree, "description"), relative
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        if relative == "404.html":
            assert canonical == []
            continue
        assert canonical == [f"{SITEURL}/{relative.removesuffix('index.html')}"]


def test_open_graph_tags(production_site):
    tree = production_site.tree("en/" + ARTICLE + "index.html")
    assert meta(tree, "og:url") == f"{SITEURL}/en/{ARTICLE}"
    assert meta(tree, "og:image") == f"{SITEURL}/theme/img/share.png"
    assert production_site.resolves(meta(tree, "og:image"))
    assert meta(tree, "og:type") == "article"
    assert meta(tree, "og:title") == tree.xpath("string(//h1)")
    assert meta(tree, "og:locale") == "en_US" and meta(tree, "og:locale:alternate") == "ar_AR"
    assert meta(tree, "twitter:card") == "summary_large_image"
    home = production_site.tree("index.html")
    assert meta(home, "og:type") == "website" and meta(home, "og:locale") == "ar_AR"
    assert meta(home, "og:description") == meta(home, "description")


def test_news_article_json_ld_links_translations(production_site):
    arabic, _ = json_ld(production_site.tree(ARTICLE + "index.html"))
    english, breadcrumbs = json_ld(production_site.tree("en/" + ARTICLE + "index.html"))
    for data in (arabic, english):
        assert data["@type"] == "NewsArticle"
        for key in ("headline", "datePublished", "dateModified", "author", "inLanguage", "image",
                    "mainEntityOfPage"):
            assert data[key], key
        assert data["publisher"]["@type"] == "Organization" and data["publisher"]["logo"].startswith(SITEURL)
    assert arabic["workTranslation"] == [{"@id": f"{SITEURL}/en/{ARTICLE}"}]
    assert english["translationOfWork"] == {"@id": f"{SITEURL}/{ARTICLE}"}
    assert [item["item"] for item in breadcrumbs["itemListElement"]] == [
        f"{SITEURL}/en/", f"{SITEURL}/en/news/", f"{SITEURL}/en/{ARTICLE}"
    ]
    untranslated, _ = json_ld(production_site.tree("news/weekly-bulletin-crossings/index.html"))
    assert "workTranslation" not in untranslated and "translationOfWork" not in untranslated


def test_every_json_ld_block_parses_and_has_its_type(production_site):
    seen = set()
    for page in production_site.pages:
        for data in json_ld(production_site.tree(page)):
            assert data["@context"] == "https://schema.org"
            seen.add(data["@type"])
    assert {"NewsArticle", "BreadcrumbList", "Organization"} <= seen


def test_share_links_carry_the_encoded_address_and_title(production_site):
    tree = production_site.tree("en/" + ARTICLE + "index.html")
    links = tree.xpath("//nav[@class='share']//a/@href")
    assert len(links) == 5
    title = tree.xpath("string(//h1)")
    for link in links:
        parts = urlsplit(link)
        values = [v for vs in parse_qs(parts.query).values() for v in vs]
        assert any(f"{SITEURL}/en/{ARTICLE}" in v for v in values), link
    telegram = parse_qs(urlsplit(links[0]).query)
    assert telegram["text"] == [title]
    assert tree.xpath("//button[@class='copy-link']")[0].get("hidden") is not None  # shown by JS only
    # Nothing is loaded from the share services: only links.
    assert not tree.xpath("//*[@src][contains(@src,'t.me') or contains(@src,'facebook') or contains(@src,'x.com')]")


def test_404_is_bilingual_and_works_from_any_depth(production_site, sample_site):
    tree = production_site.tree("404.html")
    sections = tree.xpath("//section[@class='not-found']")
    assert [(s.get("lang"), s.get("dir")) for s in sections] == [("ar", "rtl"), ("en", "ltr")]
    assert sections[0].xpath("string(h1)") == "الصفحة غير موجودة"
    assert sections[1].xpath("string(h1)") == "Page not found"
    for site in (production_site, sample_site):
        for _attribute, url in site.links(site.root / "404.html"):
            assert url.startswith(("/", "https://", "mailto:", "#")), url


def test_manifest_per_language(production_site):
    for prefix, code, direction in (("", "ar", "rtl"), ("en/", "en", "ltr")):
        manifest = json.loads(production_site.text(prefix + "manifest.webmanifest"))
        assert (manifest["lang"], manifest["dir"]) == (code, direction)
        assert manifest["start_url"] == f"{SITEURL}/{prefix}"
        tree = production_site.tree(prefix + "index.html")
        assert tree.xpath("//link[@rel='manifest']/@href") == [f"{SITEURL}/{prefix}manifest.webmanifest"]
        assert production_site.resolves(tree.xpath("//link[@rel='icon']/@href")[0])


def test_print_and_dark_styles_exist(sample_site):
    css = (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
    assert "@media print" in css and "prefers-color-scheme: dark" in css
    url = sample_site.tree(ARTICLE + "index.html").xpath("//p[@class='print-url']/text()")
    assert url == [f"/{ARTICLE}"]


def test_onion_location_is_a_setting(tmp_path, sample_site):
    assert not sample_site.tree("index.html").xpath("//meta[@http-equiv='onion-location']")
    site = build_site(tmp_path, 'ONION_LOCATION = "http://alliance7xyz.onion"', base="publishconf")
    tree = site.tree("en/" + ARTICLE + "index.html")
    assert tree.xpath("//meta[@http-equiv='onion-location']/@content") == [
        f"http://alliance7xyz.onion/en/{ARTICLE}"
    ]
