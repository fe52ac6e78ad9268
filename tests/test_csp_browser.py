"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright).

The production build is served by a local host that sends the `_headers` rules as
HTTP headers (tests/static_host.py), so every page is under both the header policy and
its own meta policy. Every page type in Arabic and English loads with no CSP
violation (neither a `securitypolicyviolation` event nor a console report) and no
other error, while the features that use scripts work: the site's search finds
results, "Copy link" copies the address. Negative controls prove the detector fires:
a page with an inline script and an inline style under the same headers, and under
the meta policy alone (all GitHub Pages can do); and another site cannot frame a page."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

from tests.conftest import build_site
from tests.quality import chromium, origin_of
from tests.static_host import static_host

pytestmark = pytest.mark.browser

# Each language's pages (after its prefix); the tag page is found in the built site.
PAGES = {
    "home": "",
    "article": "news/detainees-families-vigil/",
    "meeting": "meetings/caesar-alliance-state-department/",
    "contact": "contact/",
    "section": "news/",
    "archives": "archives/",
    "tags": "tags/",
    "sections": "sections/",
    "404": "no-such-page/",
}
PREFIXES = {"ar": "", "en": "en/"}
SEARCHES = {"ar": "والمعتقلين", "en": "oil smuggling"}

# Records every violation in the page as it happens (init scripts are not subject to the policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({directive: event.effectiveDirective, blocked: event.blockedURI,
    sample: event.sample, source: event.sourceFile, line: event.lineNumber});
}, true);
"""
SETTLE = "() => new Promise((done) => setTimeout(done, 150))"  # queued violation events fire


def is_csp_report(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("Refused to")


@dataclass
class Visit:
    url: str
    status: int
    headers: dict
    violations: list = field(default_factory=list)  # securitypolicyviolation events
    reports: list = field(default_factory=list)  # the console's CSP messages
    errors: list = field(default_factory=list)  # any other console error or script error


class Watcher:
    """A Chromium context that may only reach 127.0.0.1 and records, per page, every
    CSP violation, console message and script error."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(service_workers="block", **options)
        self.context.route("**/*", self._route)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.blocked: list[str] = []

    def _route(self, route):
        url = route.request.url
        if origin_of(url).startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def open(self, url: str):
        """Load `url`; (page, visit): the visit fills in as the page is used; `finish` settles it."""
        page = self.context.new_page()
        console: list = []
        page.on("console", lambda message: console.append((message.type, message.text)))
        page.on("pageerror", lambda error: console.append(("pageerror", str(error))))
        response = page.goto(url, wait_until="load")
        visit = Visit(url, response.status, response.headers)
        visit._console = console
        return page, visit

    @staticmethod
    def finish(page, visit: Visit) -> Visit:
        page.evaluate(SETTLE)
        visit.violations = page.evaluate("window.__cspViolations")
        for kind, text in visit._console:
            if is_csp_report(text):
                visit.reports.append(text)
            elif kind in ("error", "pageerror") and not (
                visit.status == 404 and "status of 404" in text  # the 404 page's own status
            ):
                visit.errors.append(text)
        return visit

    def visit(self, url: str) -> Visit:
        page, visit = self.open(url)
        try:
            return self.finish(page, visit)
        finally:
            page.close()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The production build, its SITEURL the local host that serves it with its `_headers`."""
    folder = tmp_path_factory.mktemp("csp-browser")
    with static_host(folder / "output") as url:
        site = build_site(folder, base="publishconf", body=f"SITEURL = {url!r}")
        assert (site.root / "_headers").is_file()
        yield site


@pytest.fixture
def watcher(browser, site):
    watcher = Watcher(browser)
    yield watcher
    watcher.close()
    assert not watcher.blocked  # nothing tried to leave the machine


def page_url(site, lang: str, kind: str) -> str:
    if kind == "tag":  # the first tag of the article, in that language
        tree = site.tree(f"{PREFIXES[lang]}{PAGES['article']}index.html")
        return tree.xpath("//p[@class='tags']/a/@href")[0]
    return f"{site.siteurl}/{PREFIXES[lang]}{PAGES[kind]}"


def assert_clean(visit: Visit) -> None:
    assert visit.violations == [], visit.url
    assert visit.reports == [], visit.url
    assert visit.errors == [], visit.url


@pytest.mark.parametrize("kind", [*PAGES, "tag"])
@pytest.mark.parametrize("lang", PREFIXES)
def test_every_page_type_loads_with_no_violation(site, watcher, lang, kind):
    visit = watcher.visit(page_url(site, lang, kind))
    assert visit.status == (404 if kind == "404" else 200)
    # Under the full header policy (from `_headers`) and the page's own meta policy.
    assert "frame-ancestors 'none'" in visit.headers["content-security-policy"]
    assert visit.headers["referrer-policy"] == "no-referrer"
    assert_clean(visit)


@pytest.mark.parametrize("lang", PREFIXES)
def test_search_finds_results_under_the_policy(site, watcher, lang):
    url = f"{site.siteurl}/{PREFIXES[lang]}search/?q={quote(SEARCHES[lang])}"
    page, visit = watcher.open(url)
    try:
        page.wait_for_selector("#search-results li h2 a")
        links = page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.href)")
        assert links and all(link.startswith(f"{site.siteurl}/{PREFIXES[lang]}") for link in links)
        assert f"{site.siteurl}/{PREFIXES[lang]}news/" in " ".join(links)
        assert page.locator("#search-results mark").count() > 0  # the excerpts mark the words
        watcher.finish(page, visit)
    finally:
        page.close()
    assert_clean(visit)


@pytest.mark.parametrize("lang", PREFIXES)
def test_copy_link_copies_the_address_under_the_policy(browser, site, lang):
    watcher = Watcher(browser)
    try:
        watcher.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.siteurl)
        url = page_url(site, lang, "article")
        page, visit = watcher.open(url)
        button = page.locator("button.copy-link")
        assert button.is_visible()  # share.js ran and revealed it
        done = button.get_attribute("data-done")
        button.click()
        page.wait_for_function("done => document.querySelector('button.copy-link').textContent === done",
                               arg=done)
        assert page.evaluate("navigator.clipboard.readText()") == url
        watcher.finish(page, visit)
        page.close()
    finally:
        watcher.close()
    assert_clean(visit)


INLINE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">{meta}<title>Inline</title>
<script type="application/ld+json">{{"@type": "Thing"}}</script></head>
<body><p style="color: red">Styled inline.</p>
<script>document.body.dataset.ran = "yes";</script></body></html>
"""


@pytest.mark.parametrize("policy", ["headers", "meta"])
def test_the_detector_catches_inline_script_and_style(browser, site, tmp_path, policy):
    """The same headers (or only the built pages' meta policy, as on GitHub Pages) on a
    page with an inline script and an inline style: both are refused and reported,
    the JSON-LD data block is not."""
    meta = ""
    if policy == "headers":
        shutil.copy(site.root / "_headers", tmp_path / "_headers")
    else:
        (element,) = site.tree("index.html").xpath("//meta[@http-equiv='Content-Security-Policy']")
        meta = f'<meta http-equiv="Content-Security-Policy" content="{element.get("content")}">'
    (tmp_path / "index.html").write_text(INLINE_PAGE.format(meta=meta), encoding="utf-8")
    watcher = Watcher(browser)
    try:
        with static_host(tmp_path) as url:
            page, visit = watcher.open(url + "/")
            ran = page.evaluate("document.body.dataset.ran")
            watcher.finish(page, visit)
    finally:
        watcher.close()
    assert ran is None  # the inline script was refused
    assert sorted(v["directive"] for v in visit.violations) == ["script-src-elem", "style-src-attr"]
    assert len(visit.reports) == 2
    assert any("inline script" in report for report in visit.reports)
    assert any("inline style" in report for report in visit.reports)


def test_another_site_cannot_frame_a_page(browser, site, tmp_path):
    """`frame-ancestors 'none'` (a header only: no meta policy can carry it)."""
    target = f"{site.siteurl}/{PAGES['article']}"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>Framing</title><iframe src="{target}"></iframe>', encoding="utf-8")
    watcher = Watcher(browser)
    try:
        with static_host(tmp_path) as url:
            assert origin_of(url) != origin_of(site.siteurl)  # another origin (another port)
            page, visit = watcher.open(url + "/")
            page.wait_for_timeout(300)
            frame = page.frames[1]
            framed_title = frame.evaluate("document.title") if frame.url == target else ""
            watcher.finish(page, visit)
    finally:
        watcher.close()
    assert any("frame-ancestors" in report for report in visit.reports), visit.reports
    assert framed_title == ""
