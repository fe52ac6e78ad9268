"""The Content-Security-Policy on every page and the `_headers` file of the production
build (sitebuild/security.py, plugins/security_headers): the policy, the headers,
cache lifetimes, the contact page never stored; and nothing inline in any page.
tests/test_csp_browser.py checks the same build in Chromium under these headers."""

from __future__ import annotations

import re

import pytest

from sitebuild.security import site_headers
from tests.conftest import ROOT
from tests.static_host import headers_for, matches, parse_headers_file

# The policy, written out: a change to it must be a deliberate change to this test.
META_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self' mailto:")
HEADER_POLICY = META_POLICY + "; frame-ancestors 'none'"
IMMUTABLE = "public, max-age=31536000, immutable"
DATA_SCRIPTS = {"application/ld+json", "application/json"}


@pytest.fixture(scope="module")
def rules(production_site):
    return parse_headers_file((production_site.root / "_headers").read_text(encoding="utf-8"))


def header(rules, path: str, name: str) -> list[str]:
    return [value for key, value in headers_for(rules, path) if key.lower() == name.lower()]


def test_every_page_carries_the_policy_first_in_its_head(production_site):
    assert len(production_site.pages) > 40
    for page in production_site.pages:
        head = production_site.tree(page).find("head")
        metas = head.xpath("meta[@http-equiv='Content-Security-Policy']")
        assert [meta.get("content") for meta in metas] == [META_POLICY], page
        # Before every element that loads or runs anything (only <meta charset> may precede it).
        assert [child.tag for child in head][:2] == ["meta", "meta"], page
        assert head[0].get("charset") == "utf-8" and head[1] is metas[0], page


def test_no_page_has_inline_script_style_or_handlers(production_site):
    """What a strict policy would refuse: none of it is in the theme or the content."""
    found = []
    for page in production_site.pages:
        tree = production_site.tree(page)
        name = page.relative_to(production_site.root).as_posix()
        for script in tree.xpath("//script"):
            if not script.get("src") and script.get("type", "").strip().lower() not in DATA_SCRIPTS:
                found.append(f"{name}: inline <script>")
        found += [f"{name}: <style>" for _ in tree.xpath("//style")]
        found += [f"{name}: style= on <{e.tag}>" for e in tree.xpath("//*[@style]")]
        found += [f"{name}: {a} on <{e.tag}>" for e in tree.iter() if isinstance(e.tag, str)
                  for a in e.attrib if a.lower().startswith("on")]
        found += [f"{name}: javascript: URL" for href in tree.xpath("//@href | //@src | //@action")
                  if href.strip().lower().startswith("javascript:")]
    assert not found
    # The data blocks the browser test proves harmless are really there.
    article = production_site.tree("news/detainees-families-vigil/index.html")
    assert article.xpath("//script[@type='application/ld+json']")


def test_headers_file_sends_the_full_policy_and_security_headers_everywhere(production_site, rules):
    assert not list(production_site.root.glob("*/_headers"))  # once, at the root
    assert rules[0][0] == "/*"
    everywhere = dict(rules[0][1])
    assert everywhere == {
        "Content-Security-Policy": HEADER_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": everywhere["Permissions-Policy"],
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Strict-Transport-Security": "max-age=31536000",  # SITEURL is https
    }
    features = dict(item.split("=") for item in everywhere["Permissions-Policy"].split(", "))
    for powerful in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[powerful] == "()"
    assert "clipboard-write" not in features  # the "Copy link" button needs it
    for page in ("index.html", "en/search/index.html", "404.html"):
        assert header(rules, "/" + page, "Content-Security-Policy") == [HEADER_POLICY]


def test_fingerprinted_assets_are_cached_for_a_year_and_nothing_else_is(production_site, rules):
    assets = sorted(production_site.root.glob("theme/*/*.*"))
    hashed = [a for a in assets if re.search(r"\.[0-9a-f]{10}\.(css|js)$", a.name)]
    assert {a.suffix for a in hashed} == {".css", ".js"}
    for asset in assets:
        path = "/" + asset.relative_to(production_site.root).as_posix()
        expected = [IMMUTABLE] if asset in hashed else []
        assert header(rules, path, "Cache-Control") == expected, path
    for page in ("/", "/news/detainees-families-vigil/", "/en/", "/search/data/meta.json"):
        assert header(rules, page, "Cache-Control") == [], page


def test_the_contact_page_is_never_stored_in_any_language(production_site, rules):
    for prefix in ("", "en/"):
        assert (production_site.root / prefix / "contact/index.html").is_file()
        for path in (f"/{prefix}contact/", f"/{prefix}contact/index.html"):
            assert header(rules, path, "Cache-Control") == ["no-store"], path
    assert header(rules, "/contact/other/", "Cache-Control") == []


def test_no_header_is_set_twice_for_any_file(production_site, rules):
    """Hosts join the values of a header two rules set; the rules never overlap so."""
    for path in sorted(production_site.root.rglob("*")):
        if path.is_file():
            url = "/" + path.relative_to(production_site.root).as_posix()
            names = [name.lower() for name, _ in headers_for(rules, url)]
            assert len(names) == len(set(names)), url


def test_the_headers_reader_matches_as_the_hosts_do():
    """The test's reader of `_headers` (tests/static_host.py) itself."""
    assert matches("/*", "/") and matches("/theme/css/*", "/theme/css/site.0123456789.css")
    assert not matches("/theme/css/*", "/theme/img/logo.svg")
    assert matches("/contact/", "/contact/") and not matches("/contact/", "/en/contact/")
    with pytest.raises(ValueError, match="_headers:1"):
        parse_headers_file("  X-Header: before any path\n")


def test_hsts_only_over_https():
    http = dict(site_headers({"SITEURL": "http://mirror.example.onion"}))
    assert "Strict-Transport-Security" not in http
    assert "Strict-Transport-Security" in dict(site_headers({"SITEURL": "https://alliance.example.org"}))


def test_readme_gives_the_same_policy_for_nginx_and_apache():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Security headers", 1)[1].split("\n## ", 1)[0]
    nginx = section.split("```nginx", 1)[1].split("```", 1)[0]
    apache = section.split("```apache", 1)[1].split("```", 1)[0]
    for config in (nginx, apache):
        assert HEADER_POLICY in config
        for name in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                     "Cross-Origin-Opener-Policy", "Strict-Transport-Security", "no-store", IMMUTABLE):
            assert name in config, name
    assert dict(site_headers({"SITEURL": "https://x"}))["Permissions-Policy"] in nginx
