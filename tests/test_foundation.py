"""Whole-site tests of the bilingual foundation, on the sample content."""

from __future__ import annotations

import re

import pytest

LANG_DIR = {"ar": "rtl", "en": "ltr"}


def html_lang(site, page):
    root = site.tree(page)
    return root.get("lang"), root.get("dir")


@pytest.mark.parametrize("site_name", ["sample_site", "production_site"])
def test_every_page_has_lang_and_dir_of_its_language_tree(site_name, request):
    site = request.getfixturevalue(site_name)
    assert len(site.pages) > 30
    for page in site.pages:
        relative = page.relative_to(site.root).as_posix()
        expected = "en" if relative.startswith("en/") else "ar"
        assert html_lang(site, page) == (expected, LANG_DIR[expected]), relative


def test_both_language_trees_are_complete_sites(sample_site):
    for prefix in ("", "en/"):
        for listing in ("index.html", "archives/index.html", "tags/index.html",
                        "sections/index.html", "news/index.html", "meetings/index.html",
                        "about/index.html", "contact/index.html"):
            assert (sample_site.root / prefix / listing).is_file(), prefix + listing
    assert (sample_site.root / "news/weekly-bulletin-crossings/index.html").is_file()
    assert not (sample_site.root / "en/news/weekly-bulletin-crossings").exists()


@pytest.mark.parametrize("site_name", ["sample_site", "production_site"])
def test_every_internal_link_resolves_and_has_no_dotdot(site_name, request):
    site = request.getfixturevalue(site_name)
    broken, dotdot = [], []
    for page in site.pages:
        for _attribute, url in site.links(page):
            if "/../" in url or url.startswith("../") or url.endswith("/.."):
                dotdot.append((page, url))
            if not site.resolves(url, base=page):
                broken.append((page.relative_to(site.root).as_posix(), url))
    assert not dotdot
    assert not broken


def test_production_links_are_absolute(production_site):
    """Every internal link in production is a full address (pages are copied, mirrored, shared)."""
    for page in production_site.pages:
        for _attribute, url in production_site.links(page):
            if url.startswith(("#", "mailto:")) or "://" in url:
                continue
            raise AssertionError(f"{page.relative_to(production_site.root)}: relative link {url}")


def alternates(site, page):
    return {
        link.get("hreflang"): link.get("href")
        for link in site.tree(page).xpath("//head/link[@rel='alternate'][@hreflang][not(@type)]")
    }


def test_hreflang_lists_every_translation_self_and_x_default(sample_site):
    ar = alternates(sample_site, "meetings/caesar-alliance-state-department/index.html")
    en = alternates(sample_site, "en/meetings/caesar-alliance-state-department/index.html")
    expected = {
        "ar": "/meetings/caesar-alliance-state-department/",
        "en": "/en/meetings/caesar-alliance-state-department/",
        "x-default": "/meetings/caesar-alliance-state-department/",
    }
    assert ar == en == expected


def test_hreflang_is_symmetric_on_every_page(sample_site):
    for page in sample_site.pages:
        own = alternates(sample_site, page)
        for lang, url in own.items():
            assert sample_site.resolves(url), (page, url)
            other = sample_site.root / url.lstrip("/") / "index.html"
            if lang != "x-default" and other.is_file():
                assert alternates(sample_site, other) == own, (page, url)


def switcher(site, page):
    return [
        (a.get("hreflang"), a.get("href"))
        for a in site.tree(page).xpath("//nav[contains(@class,'language-switch')]//a")
    ]


def test_switcher_goes_to_the_same_item(sample_site):
    assert switcher(sample_site, "reports/caesar-act-first-year/index.html") == [
        ("en", "/en/reports/caesar-act-first-year/")
    ]
    assert switcher(sample_site, "en/about/index.html") == [("ar", "/about/")]
    assert switcher(sample_site, "en/news/index.html") == [("ar", "/news/")]
    assert switcher(sample_site, "en/archives/index.html") == [("ar", "/archives/")]


def test_untranslated_item_switches_to_home_with_a_localized_note(sample_site):
    page = "news/weekly-bulletin-crossings/index.html"
    assert switcher(sample_site, page) == [("en", "/en/")]
    notes = sample_site.tree(page).xpath("//p[@class='note']/text()")
    assert notes == ["هذه المادة غير متوفرة بالإنجليزية."]
    assert "en" not in alternates(sample_site, page)
    translated = "news/detainees-families-vigil/index.html"
    assert not sample_site.tree(translated).xpath("//p[@class='note']")


def test_images_and_theme_assets_are_written_once(sample_site):
    assert (sample_site.root / "images/sample-map.svg").is_file()
    assert len(list((sample_site.root / "theme/css").glob("site.*.css"))) == 1
    assert not (sample_site.root / "en/images").exists()
    assert not (sample_site.root / "en/theme").exists()
    english = sample_site.text("en/news/call-for-evidence-sanctions-evasion/index.html")
    assert 'src="/images/sample-map.svg"' in english


def test_arabic_heading_ids_are_readable_and_quotes_face_right(sample_site):
    body = sample_site.tree("news/weekly-bulletin-crossings/index.html")
    ids = body.xpath("//div[@class='body']//h2/@id")
    assert ids and all(re.search("[\u0600-\u06ff]", i) for i in ids)
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_smart_quotes_per_language(tmp_path):
    from tests.conftest import build_site, write_config  # noqa: F401

    content = tmp_path / "content"
    for lang, text in (("ar", 'قال "نعم" اليوم.'), ("en", 'He said "yes" today.')):
        folder = content / lang / "news"
        folder.mkdir(parents=True)
        (folder / "quotes.md").write_text(
            f"Title: q\nDate: 2021-01-01 10:00+02:00\nSlug: quotes\nLang: {lang}\n\n{text}\n", encoding="utf-8"
        )
    site = build_site(tmp_path / "site", PATH=content)
    assert "«نعم»" in site.text("news/quotes/index.html")
    assert "\u201cyes\u201d" in site.text("en/news/quotes/index.html")


def test_build_reports_items_and_pages_per_language(sample_site):
    report = sample_site.report
    assert report.items == {"ar": 11, "en": 10}
    assert report.pages_written["ar"] == len(
        [p for p in sample_site.pages if not p.relative_to(sample_site.root).as_posix().startswith("en/")]
    )
    assert "ar: 11 items" in report.summary()
