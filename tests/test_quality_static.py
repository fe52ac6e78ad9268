"""Quality gates on the production build without a browser: HTML validity (Nu Html
Checker), privacy (static scan), links, page weight. Each gate also runs on a
deliberately broken fixture to prove it can fail."""

from __future__ import annotations

from pathlib import Path

from tests.quality import (
    ARTIFACTS,
    BROKEN_PAGES,
    BUDGETS,
    LANGUAGE_PREFIXES,
    PAGE_TYPES,
    broken_references,
    describe_vnu,
    offsite_resources,
    origin_of,
    over_budget,
    page_weight,
    vnu,
    vnu_errors,
    vnu_messages,
    vnu_warnings,
    weight_table,
)
from tests.site import Site

SITEURL = "https://alliance.example.org"


class _Summary:
    """Adds lines to pytest's closing terminal summary (registered by a test)."""

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", self.title)
        terminalreporter.write_line(self.text)


def report(request, title: str, text: str) -> None:
    print(f"\n{title}\n{text}")
    name = f"quality-summary-{title}"
    if not request.config.pluginmanager.has_plugin(name):
        request.config.pluginmanager.register(_Summary(title, text), name)


# --- 1. HTML validity -------------------------------------------------------------


def test_every_page_is_valid_html(production_site, request):
    checked, messages = vnu(production_site.root)
    # Every page was checked, Arabic file names included, and the stylesheet.
    assert {page.resolve() for page in production_site.pages} <= checked
    assert {css.resolve() for css in production_site.stylesheets} <= checked
    errors = vnu_errors(messages)
    warnings = vnu_warnings(messages)
    checked = len(production_site.pages)
    kinds = sorted({m["message"] for m in warnings})
    report(request, "Nu Html Checker",
           f"{checked} pages and {len(production_site.stylesheets)} stylesheets: "
           f"{len(errors)} errors, {len(warnings)} warnings"
           + "".join(f"\n  warning: {kind}" for kind in kinds))
    assert not errors, "\n".join(describe_vnu(m, production_site.root) for m in errors)


def test_vnu_gate_rejects_invalid_html():
    folder = BROKEN_PAGES / "html"
    errors = vnu_errors(vnu_messages(folder))
    pages = {Path(m.get("url", "")).name for m in errors}
    assert pages == {"invalid.html"}, "\n".join(describe_vnu(m, folder) for m in errors)
    text = " ".join(m["message"] for m in errors)
    assert "Stray end tag" in text
    assert "“li”" in text
    assert "alt" in text


# --- 3. Privacy: static scan --------------------------------------------------------


def test_nothing_is_loaded_from_another_origin(production_site):
    assert production_site.siteurl.startswith("https://")
    origin = origin_of(production_site.siteurl)
    assert not offsite_resources(production_site.root, origin)


def test_privacy_scan_finds_every_third_party_load():
    found = offsite_resources(BROKEN_PAGES / "privacy", origin="http://127.0.0.1:8000")
    urls = {url for _file, _what, url in found}
    assert urls == {
        "https://fonts.example.net/css?family=Tracking",
        "https://cdn.example.com/x.js",
        "//images.example.com/pixel.gif",
        "https://images.example.com/big.png",
        "https://video.example.com/embed/1",
        "https://bg.example.com/tile.png",
        "https://cdn.example.com/reset.css",
        "https://fonts.example.net/tracking.woff2",
    }
    assert {file for file, _what, _url in found} == {"index.html", "style.css"}
    assert "https://example.org/report" not in urls  # a plain link is no load


# --- 4. Links -----------------------------------------------------------------------


def test_every_internal_reference_resolves(production_site):
    site = production_site
    broken = broken_references(site)
    assert not broken, "\n".join(f"{file}: {where} {url}" for file, where, url in broken)
    # The gate really looked at stylesheets, feeds and sitemaps when there are any.
    assert site.stylesheets
    for extra in site.feeds_and_sitemaps:
        assert list(site.references(extra)), extra


def test_link_gate_finds_broken_references():
    site = Site(BROKEN_PAGES / "links", siteurl=SITEURL)
    broken = {(file, url) for file, _where, url in broken_references(site)}
    assert broken == {
        ("index.html", "https://alliance.example.org/news/missing/"),
        ("index.html", "/tags/مفقود/"),
        ("index.html", "/tags/%D9%85%D9%81%D9%82%D9%88%D8%AF/"),
        ("index.html", "#nowhere"),
        ("index.html", "images/missing.png"),
        ("index.html", "images/missing-2x.png"),
        ("css/site.css", "../images/missing-background.png"),
        ("feeds/all.atom.xml", "https://alliance.example.org/news/missing-from-feed/"),
        ("feeds/all.atom.xml", "https://alliance.example.org/images/missing-in-feed.png"),
        ("sitemap.xml", "https://alliance.example.org/gone-from-sitemap/"),
    }


# --- 6. Page weight -----------------------------------------------------------------


def weights_of(site: Site) -> dict:
    weights = {}
    for lang, prefix in LANGUAGE_PREFIXES.items():
        # The search page's weight is its script's (search.js, being rewritten): not budgeted here.
        for kind, path in PAGE_TYPES.items():
            if kind not in BUDGETS:
                continue
            weights[f"{kind} ({lang})"] = page_weight(site, site.root / prefix / path / "index.html")
    return weights


def budgets_for(weights: dict) -> dict:
    return {key: BUDGETS[key.split()[0]] for key in weights}


def test_page_weight_is_within_budget(production_site, request):
    weights = weights_of(production_site)
    table = weight_table(weights)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weight.txt").write_text(table + "\n", encoding="utf-8")
    report(request, "Page weight (bytes, uncompressed; total = HTML - body + CSS + JS)", table)
    assert not over_budget(weights, budgets_for(weights)), table


HEAVY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="/theme/css/site.css"><script src="/app.js"></script></head>
<body><nav><ul>{nav}</ul></nav><main><div class="body">{body}</div></main></body></html>"""


def test_budget_gate_rejects_a_heavy_page(tmp_path):
    (tmp_path / "theme/css").mkdir(parents=True)
    (tmp_path / "theme/css/site.css").write_text("a{color:red}\n" * 1000, "utf-8")  # 13 KB
    (tmp_path / "app.js").write_text("console.log(1);\n" * 500, "utf-8")  # 8 KB
    long_body = "<p>" + "نص طويل " * 20000 + "</p>"  # ~300 KB of the article's own text
    (tmp_path / "light.html").write_text(HEAVY_PAGE.format(nav="", body=long_body), "utf-8")
    nav = "".join(f'<li><a href="/section-{n}/">Section {n}</a></li>' for n in range(600))
    (tmp_path / "heavy.html").write_text(HEAVY_PAGE.format(nav=nav, body="<p>short</p>"), "utf-8")
    site = Site(tmp_path, siteurl=SITEURL)
    weights = {"article": page_weight(site, tmp_path / "heavy.html"),
               "listing": page_weight(site, tmp_path / "light.html")}
    assert weights["article"].js == 8000 and weights["article"].css == 13000
    assert weights["listing"].body > 200_000  # the body text itself is never counted
    assert over_budget(weights, BUDGETS) == [
        f"article: heavy.html is {weights['article'].total} bytes, budget {30 * 1024}"
    ]

