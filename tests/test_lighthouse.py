"""Lighthouse (npm `lighthouse`, pinned in package.json; Debian's Chromium) on every page
type of the production build, served from 127.0.0.1, in each language, and on the search
page with a query in the address (results drawn): at least 95 in performance,
accessibility, best practices and SEO (Lighthouse's default: a phone on a throttled
network, simulated), and no layout shift. The reports go to test-artifacts/lighthouse/."""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import pytest

from tests.conftest import build_site
from tests.quality import ARTIFACTS, CHROMIUM, LANGUAGE_PREFIXES, PAGE_TYPES, require_tool, serve
from tests.tools.lighthouse import LIGHTHOUSE, scores

pytestmark = pytest.mark.browser

QUERIES = {"ar": "العقوبات", "en": "sanctions"}
PAGES = [(lang, kind, "") for lang in LANGUAGE_PREFIXES for kind in PAGE_TYPES] + [
    (lang, "search", query) for lang, query in QUERIES.items()]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lighthouse")
    with serve(folder / "output") as url:
        yield build_site(folder, base="publishconf", body=f"SITEURL = {url!r}")


@pytest.mark.parametrize(("lang", "kind", "query"), PAGES,
                         ids=[f"{lang}-{kind}{'-results' if query else ''}" for lang, kind, query in PAGES])
def test_every_page_type_scores_at_least_95_in_every_category(site, lang, kind, query):
    require_tool(LIGHTHOUSE.exists() and CHROMIUM.is_file() and shutil.which("node") is not None,
                 "npm lighthouse (package.json) and Debian's chromium")
    url = f"{site.siteurl}/{LANGUAGE_PREFIXES[lang]}{PAGE_TYPES[kind]}" + (f"?q={quote(query)}" if query else "")
    folder = ARTIFACTS / "lighthouse"
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / f"{lang}-{kind}{'-results' if query else ''}.json"
    found = scores(url, report)
    assert all(score >= 95 for score in found.values()), (url, found)
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["audits"]["cumulative-layout-shift"]["numericValue"] < 0.01, url
