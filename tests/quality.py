"""Quality gates as plain functions: each one checks a built site or a folder and
returns what is wrong, so the same function runs on the real production build
and on the deliberately broken pages in tests/fixtures/broken_pages/.

Tools: the Nu Html Checker (npm `vnu-jar`, run with the system `java`), axe-core
(npm `axe-core`) in Debian's Chromium driven by Python `playwright`. `.ci/run`
installs all of them; `require_tool` fails a test under CI when one is missing
and skips it locally with the reason.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from tests.site import Site, css_urls, srcset_urls

ROOT = Path(__file__).resolve().parent.parent
BROKEN_PAGES = Path(__file__).resolve().parent / "fixtures" / "broken_pages"
ARTIFACTS = ROOT / "test-artifacts"

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces next to the request guard: no host name resolves, so
    # nothing but the IP literal 127.0.0.1 can be reached.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The pages every browser gate visits, per language (prefix "" or "en/").
PAGE_TYPES = {
    "home": "",
    "article": "news/detainees-families-vigil/",
    "meeting": "meetings/caesar-alliance-state-department/",
    "contact": "contact/",
    "listing": "news/",
    "timeline": "meetings/",
    "body": "bodies/us-state-department-caesar-team/",
    "search": "search/",
}
LANGUAGE_PREFIXES = {"ar": "", "en": "en/"}


def require_tool(available: bool, what: str) -> None:
    """A missing tool fails the test under CI (where .ci/run installs it) and skips it locally."""
    if available:
        return
    message = f"{what} is missing; `bash .ci/run` installs it"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --- 1. HTML validity: the Nu Html Checker over a whole folder ------------------


def vnu(folder: Path) -> tuple[set[Path], list[dict]]:
    """Run vnu.jar once over every HTML file (and stylesheet) under `folder`:
    the files it checked, and its messages."""
    require_tool(shutil.which("java") is not None and VNU_JAR.is_file(),
                 "java or node_modules/vnu-jar (npm ci --ignore-scripts)")
    command = ["java", "-Xss2m", "-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8",
               "-jar", str(VNU_JAR), "--format", "json", "--verbose",
               "--skip-non-html", "--also-check-css", str(folder)]
    # Without a UTF-8 locale Java cannot open the Arabic file names and skips them.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace",
                            env=env, timeout=600)
    # --verbose lists each checked file on stdout; the JSON report goes to stderr
    # (exit code 1 only means "found errors").
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr[:2000]}") from error
    checked = {Path(line).resolve() for line in result.stdout.splitlines() if line.strip()}
    return checked, report["messages"]


def vnu_messages(folder: Path) -> list[dict]:
    return vnu(folder)[1]


def vnu_errors(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") in ("error", "non-document-error")
            or m.get("subType") == "fatal"]


# The checker applies a page's meta Content-Security-Policy to the files it reads, where
# 'self' is the file's own location, so it flags every https://SITEURL/ stylesheet, script
# and image; and it counts JSON-LD data blocks as inline scripts. Neither holds in a
# browser: tests/test_csp_browser.py checks the policy in Chromium instead.
VNU_OFFLINE_CSP = ("Resource violates Content Security Policy (meta tag)",
                   "Inline script violates Content Security Policy (meta tag)")


def vnu_warnings(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"
            and not m["message"].startswith("File was not checked")  # feeds, images
            and not m["message"].startswith(VNU_OFFLINE_CSP)]


def describe_vnu(message: dict, folder: Path) -> str:
    where = message.get("url", "").removeprefix("file:").removeprefix(str(folder.resolve()))
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}"


# --- 3. Privacy: nothing loaded from another origin -----------------------------

# <link rel> values that make a browser fetch or connect to the href.
FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon",
                 "mask-icon", "manifest", "prefetch", "preconnect", "dns-prefetch", "prerender"}
# (element, attribute) pairs a browser loads by itself.
LOADED_ATTRIBUTES = [
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("frame", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("source", "src"),
    ("source", "srcset"), ("track", "src"), ("embed", "src"), ("object", "data"),
    ("input", "src"), ("image", "href"),
]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""


def is_offsite(url: str, origin: str) -> bool:
    """Does the browser have to contact another origin than `origin` for this URL?"""
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about", "mailto", "tel"):
        return False
    if not parts.netloc:
        return bool(parts.scheme)  # relative URLs stay on the site
    if not parts.scheme:  # protocol-relative //host/path
        return parts.netloc.lower() != urlsplit(origin).netloc.lower()
    return origin_of(url) != origin.lower()


def offsite_resources(root: Path, origin: str) -> list[tuple[str, str, str]]:
    """(file, what, url) for every resource an HTML or CSS file under `root` would
    load from another origin. Plain <a href> links are not loads and pass."""
    found = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".css":
            for url in css_urls(path.read_text(encoding="utf-8")):
                if is_offsite(url, origin):
                    found.append((name, "css url()/@import", url))
        elif path.suffix == ".html":
            tree = html.fromstring(path.read_bytes())
            for what, url in _loaded_urls(tree):
                if is_offsite(url, origin):
                    found.append((name, what, url))
    return found


def _loaded_urls(tree):
    for link in tree.xpath("//link[@rel][@href]"):
        rels = set(link.get("rel").lower().split())
        if rels & FETCHING_RELS:
            yield f"<link rel={link.get('rel')}>", link.get("href")
    for tag, attribute in LOADED_ATTRIBUTES:
        for element in tree.xpath(f"//{tag}[@{attribute}]"):
            value = element.get(attribute)
            urls = srcset_urls(value) if attribute == "srcset" else [value]
            for url in urls:
                yield f"<{tag} {attribute}>", url
    for style in tree.xpath("//style"):
        for url in css_urls(style.text_content()):
            yield "<style>", url
    for element in tree.xpath("//*[@style]"):
        for url in css_urls(element.get("style")):
            yield f"<{element.tag} style>", url


# --- 4. Links: every internal reference leads to a written file -----------------


def broken_references(site: Site) -> list[tuple[str, str, str]]:
    """(file, where, url) for each internal href/src/srcset/url() of the pages,
    stylesheets, feeds and sitemaps that leads to no written file (or, for
    `#fragment`, to no element with that id)."""
    broken = []
    for path in [*site.pages, *site.stylesheets, *site.feeds_and_sitemaps]:
        name = path.relative_to(site.root).as_posix()
        for where, url in site.references(path):
            if not url.strip() or site.local_path(url) is None:
                continue
            if not site.resolves(url, base=path):
                broken.append((name, where, url))
            elif path.suffix == ".html" and not site.fragment_exists(url, path):
                broken.append((name, where + " #fragment", url))
    return broken


# --- 6. Page weight -------------------------------------------------------------

KB = 1024
# HTML (without an item's own body text) + CSS + JS per page, uncompressed.
BUDGETS = {"home": 30 * KB, "article": 30 * KB, "meeting": 30 * KB, "contact": 30 * KB,
           "listing": 30 * KB, "timeline": 30 * KB, "body": 30 * KB}
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


@dataclass
class Weight:
    page: str
    html: int
    body: int
    css: int
    js: int

    @property
    def total(self) -> int:
        """What the page costs beyond its own text: HTML minus the body, CSS, JS."""
        return self.html - self.body + self.css + self.js


def page_weight(site: Site, page: Path) -> Weight:
    raw = page.read_bytes()
    tree = html.fromstring(raw)
    body = 0
    is_body = "contains(concat(' ', normalize-space(@class), ' '), ' body ')"
    for div in tree.xpath(f"//div[{is_body}][not(ancestor::div[{is_body}])]"):
        inner = (div.text or "") + "".join(html.tostring(child, encoding="unicode")
                                           for child in div)
        body += len(inner.encode("utf-8"))
    css = sum(_file_size(site, href, page) for href in {
        link.get("href") for link in tree.xpath("//link[@href]")
        if "stylesheet" in link.get("rel", "").lower().split()
    })
    js = 0
    for script in tree.xpath("//script"):
        if script.get("type", "").strip().lower() not in EXECUTABLE_SCRIPT_TYPES:
            continue  # JSON-LD and other data blocks are not JavaScript
        if script.get("src"):
            js += _file_size(site, script.get("src"), page)
        else:
            js += len((script.text or "").encode("utf-8"))
    return Weight(page.relative_to(site.root).as_posix(), len(raw), body, css, js)


def _file_size(site: Site, url: str, page: Path) -> int:
    target = site.target(url, base=page)
    if target is None or not target.is_file():
        return 0  # an outside or missing file: the privacy and link gates report it
    return target.stat().st_size


def over_budget(weights: dict[str, Weight], budgets: dict[str, int]) -> list[str]:
    return [f"{kind}: {weight.page} is {weight.total} bytes, budget {budgets[kind]}"
            for kind, weight in weights.items() if weight.total > budgets[kind]]


def weight_table(weights: dict[str, Weight]) -> str:
    lines = [f"{'page type':<16}{'HTML':>8}{'-body':>8}{'CSS':>8}{'JS':>6}{'total':>8}  page"]
    for kind, w in weights.items():
        lines.append(f"{kind:<16}{w.html:>8}{-w.body:>8}{w.css:>8}{w.js:>6}{w.total:>8}  {w.page}")
    return "\n".join(lines)


# --- Serving a folder and driving Chromium ---------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(folder: Path, handler_class=None) -> Iterator[str]:
    """Serve `folder` (it may be written later) at http://127.0.0.1:PORT, a free port."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright."""
    require_tool(CHROMIUM.is_file(), "Debian's chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev.txt pins it
        require_tool(False, "Python playwright (requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class GuardedContext:
    """A browser context whose every request is logged, and every request to
    another origin than the local server is aborted before it leaves."""

    def __init__(self, browser, origin: str, **options):
        self.origin = origin
        self.requests: list[str] = []  # every request the pages made
        self.blocked: list[str] = []  # the ones aborted for going elsewhere
        self.context = browser.new_context(service_workers="block", **options)
        self.context.route("**/*", self._route)
        self.context.on("request", lambda request: self.requests.append(request.url))

    def _route(self, route):
        url = route.request.url
        if origin_of(url) == self.origin or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:")) and origin_of(url) != self.origin]

    def close(self):
        self.context.close()


def open_page(context: GuardedContext, url: str, color_scheme: str = "light"):
    page = context.context.new_page()
    page.emulate_media(color_scheme=color_scheme)
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


# --- 2. Accessibility: axe-core in the page ---------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""


def axe_violations(page) -> list[dict]:
    require_tool(AXE_JS.is_file(), "node_modules/axe-core (npm ci --ignore-scripts)")
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN, AXE_TAGS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


# --- 6. (with the page weight) No JavaScript needed to read anything --------------


def text_needing_javascript(browser, origin: str, urls: list[str]) -> dict[str, list[str]]:
    """Per URL, the lines of <main> text that only show with JavaScript on. Scripts
    may enhance (reveal a copy-link button: button labels are allowed), never be
    needed to read."""
    texts, buttons = {}, {}
    for javascript in (True, False):
        context = GuardedContext(browser, origin, java_script_enabled=javascript)
        try:
            page = context.context.new_page()
            for url in urls:
                page.goto(url, wait_until="load")
                texts[javascript, url] = page.inner_text("main")
                if javascript:
                    buttons[url] = {text.strip()
                                    for text in page.locator("main button").all_inner_texts()}
        finally:
            context.close()
    missing = {}
    for url in urls:
        without = {line.strip() for line in texts[False, url].splitlines()}
        lines = [line.strip() for line in texts[True, url].splitlines()
                 if line.strip() and line.strip() not in without | buttons[url]]
        if not "".join(without):
            lines.insert(0, "<main> is empty without JavaScript")
        if lines:
            missing[url] = lines
    return missing


# --- 5. Layout in both directions -------------------------------------------------

LAYOUT_PROBE = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top}; };
  // A folded menu (<details class="menu">) is opened as a reader would.
  document.querySelectorAll("details.menu").forEach(d => { d.open = true; });
  const items = [...document.querySelectorAll(".main-nav li")].slice(0, 2).map(box);
  const paragraph = document.querySelector("main .body > p")
    || document.querySelector("main p:not(.meta):not(.note)");
  let lines = [], content = null;
  if (paragraph) {
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    // A line is every fragment whose middle lies within the first (or last)
    // fragment's height: bidi text and inline elements split a line in pieces.
    const line = probe => {
      const parts = rects.filter(r => {
        const middle = (r.top + r.bottom) / 2;
        return middle >= probe.top && middle <= probe.bottom;
      });
      return {left: Math.min(...parts.map(r => r.left)),
              right: Math.max(...parts.map(r => r.right)), top: probe.top};
    };
    if (rects.length) lines = [line(rects[0]), line(rects[rects.length - 1])];
    const container = paragraph.closest("main") || document.body;
    const style = getComputedStyle(container), r = container.getBoundingClientRect();
    content = {left: r.left + parseFloat(style.paddingLeft),
               right: r.right - parseFloat(style.paddingRight)};
  }
  return {dir: getComputedStyle(document.documentElement).direction,
          nav: items, lines, content};
}"""

WIDEST = """() => [...document.body.querySelectorAll("*")]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
             || el.getBoundingClientRect().left < -0.5)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


def horizontal_overflow(page) -> list[str]:
    """Why the page scrolls sideways (empty when it does not)."""
    probe = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if probe[0] <= probe[1]:
        return []
    return [f"scrollWidth {probe[0]} > innerWidth {probe[1]}; sticking out: "
            + ", ".join(page.evaluate(WIDEST))]


def direction_problems(page, direction: str, tolerance: float = 24.0) -> list[str]:
    """The header navigation and the body text must run in `direction` ("rtl"/"ltr"):
    the first nav item on the starting side of the second, and a paragraph's first
    and last lines starting at the content box's starting edge (the last line is
    short, so it tells which side the text is aligned to)."""
    probe = page.evaluate(LAYOUT_PROBE)
    problems = []
    if probe["dir"] != direction:
        problems.append(f"document direction is {probe['dir']}, expected {direction}")
    nav = probe["nav"]
    if len(nav) < 2:
        problems.append("fewer than two .main-nav items")
    elif abs(nav[0]["top"] - nav[1]["top"]) < 1:  # same row: compare sides
        first_right = nav[0]["left"] > nav[1]["left"]
        if first_right != (direction == "rtl"):
            problems.append(f"main nav runs the wrong way: first item at x={nav[0]['left']:.0f}, "
                            f"second at x={nav[1]['left']:.0f}")
    content = probe["content"]
    if not probe["lines"]:
        problems.append("no paragraph found in <main>")
    for name, line in zip(("first", "last"), probe["lines"], strict=False):
        if direction == "rtl" and content["right"] - line["right"] > tolerance:
            problems.append(f"{name} line of text starts {content['right'] - line['right']:.0f}px "
                            "away from the right edge of the content box")
        if direction == "ltr" and line["left"] - content["left"] > tolerance:
            problems.append(f"{name} line of text starts {line['left'] - content['left']:.0f}px "
                            "away from the left edge of the content box")
    return problems
