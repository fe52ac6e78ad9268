"""The search page in a real browser (Debian's Chromium through Playwright, with the
quality gates' helpers in tests/quality.py), on the production build served from
127.0.0.1: an Arabic query with a clitic finds its article, English works, a result
links to its article with the query's words marked, a word in no page finds nothing,
an unreachable index says so, the page is accessible in light and dark, and without
JavaScript it says so. Any request to another origin is aborted and fails the test,
and so does any script error."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import build_site
from tests.quality import (
    GuardedContext,
    axe_violations,
    chromium,
    describe_violations,
    serve,
)
from tests.quality import open_page as open_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-browser")
    with serve(folder / "output") as url:
        yield build_site(folder, base="publishconf", body=f"SITEURL = {url!r}")


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def open_page(browser, site):
    """Open a page in a guarded context (requests to another origin aborted and
    recorded); the test fails if there was any, or any script error. `block`: URL
    patterns whose requests fail (an unreachable file)."""
    contexts, errors = [], []

    def opener(url: str, javascript: bool = True, scheme: str = "light", block: str | None = None):
        context = GuardedContext(browser, site.siteurl, java_script_enabled=javascript)
        context.context.on("weberror", lambda error: errors.append(str(error.error)))
        if block:
            context.context.route(block, lambda route: route.abort("connectionrefused"))
        contexts.append(context)
        return open_in(context, url, color_scheme=scheme)

    yield opener
    outside = [url for context in contexts for url in context.outside_requests()]
    for context in contexts:
        context.close()
    assert not outside, outside
    assert not errors, errors


def wait_for_status(page) -> None:
    # A function, not an expression: Playwright evaluates an expression with eval(), which
    # the pages' Content-Security-Policy refuses.
    page.wait_for_function("() => document.querySelector('#search-status').textContent.trim() !== ''"
                           " && !document.querySelector('#search-status').textContent.includes('…')"
                           # each result is drawn when its passage arrives
                           " && !document.querySelector('#search-results li.pending')")


def search(page, query: str) -> list[str]:
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    wait_for_status(page)
    return page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.href)")


def test_arabic_query_with_clitics_finds_the_article(site, open_page):
    page = open_page(f"{site.siteurl}/search/")
    assert page.is_visible("#search-input")
    assert page.inner_text("label[for=search-input]") == "كلمات البحث"
    results = search(page, "والمعتقلين")
    assert results[0] == f"{site.siteurl}/news/detainees-families-vigil/"
    assert page.inner_text("#search-status") == f"{len(results)} نتائج"
    first = page.locator("#search-results li").first
    # The words as written (clitics, article and ending included), without punctuation:
    # المعتقلين itself, and المعتقلات, which starts with the same query term.
    marks = first.locator("mark").all_inner_texts()
    assert "المعتقلين" in marks and set(marks) <= {"المعتقلين", "المعتقلات", "معتقلين"}
    assert "q=" in page.url  # the search can be linked to


def test_a_word_in_no_page_finds_nothing_and_a_query_in_the_address_runs(site, open_page):
    page = open_page(f"{site.siteurl}/search/")
    assert search(page, "منظمات") == []  # no indexed word starts with منظم (stock: every من)
    assert page.inner_text("#search-status") == "لا توجد نتائج للبحث عن «منظمات»."
    page = open_page(f"{site.siteurl}/search/?q={quote('وآمنة')}")
    page.wait_for_selector("#search-results li h2 a")
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


def test_a_result_links_to_its_article_with_the_words_marked(site, open_page):
    article = f"{site.siteurl}/en/news/call-for-evidence-sanctions-evasion/"
    page = open_page(f"{site.siteurl}/en/search/?q={quote('oil smuggling')}")
    wait_for_status(page)
    first = page.locator("#search-results li").first
    link = first.locator("h2 a")
    assert link.get_attribute("href") == article
    title = link.inner_text()
    assert title == "The Alliance Calls on Syrians to Send Evidence of Sanctions Evasion"
    assert first.locator("p.meta").inner_text() == "News · 2 February 2021"  # section and date
    excerpt = first.locator("p.excerpt")
    marks = [text.lower() for text in excerpt.locator("mark").all_inner_texts()]
    assert "oil" in marks and "smuggling" in marks
    assert 10 < len(excerpt.inner_text().split()) <= 45  # a passage, not the whole text
    link.click()
    page.wait_for_url(article)
    assert page.inner_text("main h1") == title


def test_an_unreachable_index_says_search_is_not_available(site, open_page):
    page = open_page(f"{site.siteurl}/en/search/", block="**/search/data/**")
    assert search(page, "sanctions") == []
    assert page.inner_text("#search-status") == (
        "Search is not available right now. Please try again later.")


def test_without_javascript_the_page_says_so(site, open_page):
    page = open_page(f"{site.siteurl}/search/", javascript=False)
    assert not page.is_visible("form[data-search]")
    text = page.inner_text("main")
    assert "يحتاج البحث إلى جافاسكربت" in text and "تصفّح الأرشيف" in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_results_is_accessible(site, open_page, scheme):
    page = open_page(f"{site.siteurl}/search/", scheme=scheme)
    assert search(page, "العقوبات")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
