"""Long-form helpers (issue 17): reading time, a table of contents on long texts,
related items, corrections, localized footnote titles, institutional authors."""

from __future__ import annotations

import json
import shutil

import pytest

from sitebuild.corrections import parse_corrections
from tests.conftest import ROOT, build_site

LONG_REPORT = """Title: تقرير طويل
Date: 2021-04-01 10:00:00+02:00
Slug: long-report
Lang: ar
Summary: تقرير طويل للاختبار.
Tags: العقوبات
Authors: باحثة مستقلة
Correction: 2021-04-03: صُحّح رقم في الفصل الثاني.
    2021-04-05: أضيفت حاشية.

{sections}

نصّ فيه حاشية[^1].

[^1]: الحاشية.
"""
SECTION = "## الفصل {n}\n\n" + ("كلمة " * 300) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aids")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    sections = "\n".join(SECTION.format(n=n) for n in range(1, 4))
    (content / "ar" / "reports" / "long-report.md").write_text(
        LONG_REPORT.format(sections=sections), encoding="utf-8")
    return build_site(folder / "site", PATH=content)


def test_long_text_gets_contents_and_reading_time(site):
    tree = site.tree("reports/long-report/index.html")
    toc = tree.xpath("//nav[@class='toc']//a")
    assert [a.text for a in toc] == ["الفصل 1", "الفصل 2", "الفصل 3"]
    for a in toc:  # each entry leads to its heading
        assert tree.xpath(f"//div[@class='body']/h2[@id='{a.get('href')[1:]}']")
    meta = tree.xpath("string(//article/header/p[@class='meta'][2])")
    assert "قراءة في 6 دقائق" in " ".join(meta.split())  # 900+ words at 160 a minute


def test_short_text_has_no_contents(site):
    tree = site.tree("en/news/detainees-families-vigil/index.html")
    assert not tree.xpath("//nav[@class='toc']")
    assert "1 minute read" in " ".join(tree.xpath("string(//article/header/p[@class='meta'][2])").split())


def test_corrections_newest_first_and_in_structured_data(site):
    tree = site.tree("reports/long-report/index.html")
    updated = tree.xpath("//p[@class='updated']")[0]
    assert updated.xpath(".//time/@datetime") == ["2021-04-05"]
    assert "أضيفت حاشية." in updated.text_content()
    listed = tree.xpath("//section[@id='corrections']//li//time/@datetime")
    assert listed == ["2021-04-05", "2021-04-03"]
    data = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["dateModified"].startswith("2021-04-05")


def test_a_bad_correction_line_stops_the_check():
    corrections, problems = parse_corrections(["2021-04-03: fine; with a semicolon", "yesterday: no"])
    assert [c.text for c in corrections] == ["fine; with a semicolon"]
    assert problems == ["'yesterday: no' is not 'YYYY-MM-DD: what changed'"]


def test_footnote_back_link_title_is_in_the_page_language(site):
    tree = site.tree("reports/long-report/index.html")
    [backref] = tree.xpath("//a[@class='footnote-backref']")
    assert backref.get("title") == "العودة إلى الحاشية 1 في النص"


def test_related_items_share_tags_or_section(site):
    tree = site.tree("reports/long-report/index.html")
    related = tree.xpath("//section[@class='related']//a/@href")
    assert related and "/reports/long-report/" not in related
    assert "/reports/caesar-act-first-year/" in related  # same section and a shared tag


def test_institutional_author_is_an_organization(site):
    def authors(page):
        tree = site.tree(page)
        return json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])["author"]

    [office] = authors("news/detainees-families-vigil/index.html")
    assert office["@type"] == "Organization" and office["name"] == "المكتب الإعلامي"
    [english] = authors("en/news/detainees-families-vigil/index.html")
    assert english["@type"] == "Organization" and english["name"] == "Media Office"
    [person] = authors("reports/long-report/index.html")
    assert person == {"@type": "Person", "name": "باحثة مستقلة"}
