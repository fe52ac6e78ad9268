"""The search page in a real browser (Debian's Chromium through Playwright), on the
production build served from 127.0.0.1: an Arabic query with a clitic finds its
article, English works, a word in no page finds nothing, the page is accessible in
light and dark, and without JavaScript it says so. Any request to another host
than 127.0.0.1 is aborted and fails the test."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import ROOT, build_site
from tests.quality import serve

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require(available: bool, what: str) -> None:
    """Missing tools fail the test under CI (.ci/run installs them) and skip it locally."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing", pytrace=False)
        pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-browser")
    with serve(folder / "output") as url:
        yield build_site(folder, base="publishconf", body=f"SITEURL = {url!r}")


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.is_file(), "Debian's chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python playwright (requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a page with every request to another host than 127.0.0.1 aborted and
    recorded; the test fails if there was any, or any script error."""
    contexts, outside, errors = [], [], []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("blockedbyclient")

    def opener(url: str, javascript: bool = True, scheme: str = "light"):
        context = browser.new_context(java_script_enabled=javascript, color_scheme=scheme,
                                      service_workers="block")
        context.route("**/*", guard)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.close()
    assert not outside, outside
    assert not errors, errors


def search(page, query: str) -> list[str]:
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.wait_for_function("document.querySelector('#search-status').textContent.trim() !== ''"
                           " && !document.querySelector('#search-status').textContent.includes('…')")
    return page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.href)")


def test_arabic_query_with_clitics_finds_the_article(site, open_page):
    page = open_page(f"{site.siteurl}/search/")
    assert page.is_visible("#search-input")
    assert page.inner_text("label[for=search-input]") == "كلمات البحث"
    results = search(page, "والمعتقلين")
    assert results[0] == f"{site.siteurl}/news/detainees-families-vigil/"
    assert page.inner_text("#search-status") == f"{len(results)} نتائج"
    first = page.locator("#search-results li").first
    assert first.locator("mark").first.inner_text() == "المعتقلين"  # as written, no index forms
    assert "|" not in first.inner_text()
    assert "q=" in page.url  # the search can be linked to


def test_a_word_in_no_page_finds_nothing_and_a_query_in_the_address_runs(site, open_page):
    page = open_page(f"{site.siteurl}/search/")
    assert search(page, "منظمات") == []  # stock Pagefind returns every page with من
    assert page.inner_text("#search-status") == "لا توجد نتائج للبحث عن «منظمات»."
    page = open_page(f"{site.siteurl}/search/?q={quote('وآمنة')}")
    page.wait_for_selector("#search-results li")
    assert page.input_value("#search-input") == "وآمنة"
    links = page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.href)")
    assert links == [f"{site.siteurl}/contact/"]


def test_english_search(site, open_page):
    page = open_page(f"{site.siteurl}/en/search/")
    assert page.inner_text("h1") == "Search"
    results = search(page, "oil smuggling")
    assert f"{site.siteurl}/en/news/call-for-evidence-sanctions-evasion/" in results
    assert all(url.startswith(f"{site.siteurl}/en/") for url in results)
    assert page.inner_text("#search-status") == f"{len(results)} results"


def test_without_javascript_the_page_says_so(site, open_page):
    page = open_page(f"{site.siteurl}/search/", javascript=False)
    assert not page.is_visible("form[data-search]")
    text = page.inner_text("main")
    assert "يحتاج البحث إلى جافاسكربت" in text and "تصفّح الأرشيف" in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_results_is_accessible(site, open_page, scheme):
    require(AXE.is_file(), "node_modules/axe-core (npm ci --ignore-scripts)")
    page = open_page(f"{site.siteurl}/search/", scheme=scheme)
    search(page, "العقوبات")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})).violations
        .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)""")
    assert not violations
