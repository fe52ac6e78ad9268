"""Metadata is text: every value a template prints is escaped, everywhere it is printed."""

from __future__ import annotations

import json
import shutil

from tests.conftest import ROOT, build_site

EVIL = '<script>alert(1)</script> & "quotes"'
ARTICLE = f"""Title: {EVIL}
Date: 2021-02-01 10:00:00+02:00
Slug: evil-title
Lang: en
Summary: A summary about escaping.
Tags: {EVIL}, plain
Authors: {EVIL}

Body text.
"""
MEETING = f"""Title: {EVIL}
Date: 2021-02-01 10:00:00+02:00
Slug: evil-meeting
Lang: en
Summary: A meeting.
Meeting_Date: 2021-01-26
Place: {EVIL}
Counterpart: {EVIL}
Delegation: {EVIL}
Topics: {EVIL}

Body text.
"""


def test_hostile_metadata_renders_as_text_everywhere(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "en/news/evil-title.md").write_text(ARTICLE, encoding="utf-8")
    (content / "en/meetings/evil-meeting.md").write_text(MEETING, encoding="utf-8")
    site = build_site(tmp_path / "site", base="publishconf", PATH=content)

    written = [p for p in site.root.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt")]
    assert len(written) > 40
    for path in written:
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path

    article = site.tree("en/news/evil-title/index.html")
    assert article.xpath("string(//title)").startswith(EVIL)
    assert article.xpath("string(//h1)") == EVIL
    assert EVIL in article.xpath("string(//article//p[@class='meta'][2])")
    assert EVIL in article.xpath("//p[@class='tags']/a/text()")
    assert article.xpath("//meta[@property='og:title']/@content") == [EVIL]
    share = article.xpath("//nav[@class='share']//a/@href")[0]
    assert "%3Cscript%3E" in share

    listing = site.tree("en/news/index.html")
    assert EVIL in listing.xpath("//ol[contains(@class,'item-list')]//h2/a/text()")
    assert EVIL in site.tree("en/index.html").xpath("//main//a/text()")  # the lead story or a section's
    assert EVIL in site.tree("en/archives/index.html").xpath("//ul[@class='archive']//a/text()")

    meeting = site.tree("en/meetings/evil-meeting/index.html")
    assert meeting.xpath("string((//section[@class='facts']//dd)[2])").strip() == EVIL
    article_data, breadcrumbs = (
        json.loads(block) for block in meeting.xpath("//script[@type='application/ld+json']/text()")
    )
    assert article_data["headline"] == EVIL
    assert article_data["about"]["location"]["name"] == EVIL
    assert breadcrumbs["itemListElement"][-1]["name"] == EVIL
