"""Site search: the search page in each language, the header link, the Pagefind
index (one per language, content pages only), and a failed index failing the build."""

from __future__ import annotations

import json
import shutil

import pytest

from sitebuild.errors import BuildError
from sitebuild.search import UNUSED_FILES
from tests.conftest import ROOT, build_site

LANGS = {"ar": ("", "rtl", "بحث"), "en": ("en/", "ltr", "Search")}


@pytest.mark.parametrize("lang", LANGS)
def test_search_page_is_localized_and_says_what_to_do_without_javascript(sample_site, lang):
    prefix, direction, title = LANGS[lang]
    page = sample_site.tree(f"{prefix}search/index.html")
    assert (page.get("lang"), page.get("dir")) == (lang, direction)
    assert page.xpath("string(//main//h1)") == title
    assert page.xpath("//title/text()")[0].startswith(title)
    # Without JavaScript: a message and links to the archives and tags; the form is
    # hidden until the script shows it.
    noscript = sample_site.text(f"{prefix}search/index.html").split("<noscript>")[1]
    assert ("JavaScript" in noscript) if lang == "en" else ("جافاسكربت" in noscript)
    assert f'href="/{prefix}archives/"' in noscript and f'href="/{prefix}tags/"' in noscript
    form = page.xpath("//form[@data-search]")[0]
    assert form.get("hidden") is not None and form.get("role") == "search"
    assert form.get("data-bundle") == "/pagefind/"
    field = form.xpath(".//input[@type='search']")[0]
    assert form.xpath(f"string(.//label[@for='{field.get('id')}'])").strip()
    status = page.xpath("//*[@id='search-status']")[0]
    assert (status.get("role"), status.get("aria-live")) == ("status", "polite")
    # Messages for the script, in the page's language, with every plural form.
    messages = json.loads(page.xpath("//script[@id='search-messages']/text()")[0])
    assert set(messages["results"]) == {"zero", "one", "two", "few", "many", "other"}
    if lang == "ar":
        assert messages["results"]["two"] == "نتيجتان"
        assert messages["results"]["few"] == "{n} نتائج"
        assert "«{query}»" in messages["none"]
    else:
        assert (messages["results"]["one"], messages["results"]["other"]) == ("{n} result", "{n} results")
    # The script comes from the site (fingerprinted), nothing from elsewhere.
    [script] = page.xpath("//script[@type='module']/@src")
    assert script.startswith("/theme/js/search.") and sample_site.resolves(script)
    # The language switcher and hreflang lead to the other language's search page.
    other, other_lang = ("en/", "en") if lang == "ar" else ("", "ar")
    hreflang = page.xpath(f"//link[@rel='alternate'][@hreflang='{other_lang}']/@href")
    assert hreflang == [f"/{other}search/"]
    assert f"/{other}search/" in page.xpath("//nav[contains(@class,'language-switch')]//a/@href")


def test_every_page_header_links_to_its_language_search_page(production_site):
    site = production_site
    checked = 0
    for page in site.pages:
        relative = page.relative_to(site.root).as_posix()
        if relative.startswith("pagefind/"):
            continue
        tree = site.tree(page)
        prefix = LANGS[tree.get("lang")][0]
        links = tree.xpath("//header//nav[contains(@class,'main-nav')]//a/@href")
        assert f"{site.siteurl}/{prefix}search/" in links, relative
        checked += 1
    assert checked == len([p for p in site.pages if "pagefind" not in p.parts]) > 40
    search = site.tree("search/index.html")
    assert search.xpath("//nav[contains(@class,'main-nav')]//a[@aria-current='page']/text()") == ["بحث"]


def test_one_index_per_language_with_the_content_pages_only(production_site):
    bundle = production_site.root / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"ar", "en"}
    # Arabic is indexed without Pagefind's stemmer (the unstemmed wasm), English with it.
    assert entry["languages"]["ar"]["wasm"] in (None, "unknown")
    assert entry["languages"]["en"]["wasm"] == "en"
    assert (bundle / "wasm.unknown.pagefind").is_file() and (bundle / "wasm.en.pagefind").is_file()
    # Articles and pages are indexed; listings, tags, the home page and the search page not.
    report = production_site.report
    for lang in ("ar", "en"):
        assert entry["languages"][lang]["page_count"] == report.items[lang]
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-worker.js").is_file()
    assert not [name for name in UNUSED_FILES if (bundle / name).exists()]


def test_only_articles_and_pages_carry_the_index_markers(sample_site):
    bodies = {
        page.relative_to(sample_site.root).as_posix()
        for page in sample_site.pages
        if sample_site.tree(page).xpath("//*[@data-pagefind-body]")
    }
    assert "news/detainees-families-vigil/index.html" in bodies
    assert "en/contact/index.html" in bodies
    assert not {"index.html", "en/index.html", "news/index.html", "archives/index.html",
                "tags/index.html", "search/index.html", "en/search/index.html"} & bodies
    article = sample_site.tree("news/detainees-families-vigil/index.html")
    [title] = article.xpath("//*[@data-pagefind-meta='title']")
    assert title.tag == "h1" and title.text_content() == article.xpath("string(//h1)")
    [date] = article.xpath("//*[starts-with(@data-pagefind-meta, 'date:')]/@data-pagefind-meta")
    assert date == "date:15 فبراير 2021"
    # Section link, date line, disclaimer and print address are not indexed.
    ignored = article.xpath("//*[@data-pagefind-ignore]")
    assert {element.get("class") for element in ignored} >= {"meta", "print-url"}


def test_a_failing_index_fails_the_build_and_keeps_the_output(tmp_path, monkeypatch):
    site = build_site(tmp_path)
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))

    def broken(pages, bundle, attempts=3):
        raise RuntimeError("simulated Pagefind failure")

    monkeypatch.setattr("sitebuild.search.write_bundle", broken)
    with pytest.raises(BuildError, match="search index: Pagefind failed: simulated"):
        build_site(tmp_path)
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output-building-")]


def test_drafts_and_hidden_pages_are_not_indexed(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    draft = content / "ar" / "news" / "detainees-families-vigil.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        "Lang: ar\n", "Lang: ar\nStatus: draft\n"), encoding="utf-8")
    site = build_site(tmp_path / "site", PATH=content)
    entry = json.loads((site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["ar"]["page_count"] == site.report.items["ar"]
    drafts = [p for p in site.pages if "drafts" in p.parts]
    assert drafts
    for page in drafts:
        assert not site.tree(page).xpath("//*[@data-pagefind-body]")
