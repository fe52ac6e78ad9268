"""Drafts and embargoed items never reach production output, nor do the images and
documents only they use; the preview shows them with a banner; an embargo lifts with
the first build after its time."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from sitebuild.__main__ import main
from tests.conftest import ROOT, build_site, write_config

DRAFT = """Title: Draft statement DRAFTMARK
Date: 2021-02-01 10:00:00+02:00
Lang: {lang}
Slug: draft-statement
Status: draft
Summary: Not agreed yet DRAFTMARK.
Tags: DRAFTTAG
Image: images/draft-chart.png

The alliance has not agreed on this text yet DRAFTMARK.

![A map both a draft and a published report show](/images/shared-map.png)
"""
EMBARGOED = """Title: Report under embargo EMBARGOMARK
Date: 2099-01-01 10:00:00+02:00
Lang: {lang}
Slug: embargoed-report
Summary: Embargoed summary EMBARGOMARK.
Tags: EMBARGOTAG

Embargoed text EMBARGOMARK.

![The photo the report reveals]({{static}}/images/embargoed%20photo.jpg)

[The annex]({{static}}/extra/embargoed-annex.csv)
"""
# Only the Arabic version is embargoed: its published English translation must not link to it.
RELEASED_EN = """Title: Report released in English
Date: 2021-03-01 10:00:00+02:00
Lang: en
Slug: embargoed-report

The English version is out already.

![The map]({static}/images/shared-map.png)
"""
DRAFT_PAGE = """Title: Draft page DRAFTMARK
Lang: en
Slug: draft-page
Status: draft

A page that is not ready DRAFTMARK.
"""
MARKS = ("DRAFTMARK", "EMBARGOMARK", "DRAFTTAG", "EMBARGOTAG", "draft-statement", "draft-page")
# content/ files → used only by held-back items? (loose.png: by nothing, published as before)
FILES = {"images/embargoed photo.jpg": True, "extra/embargoed-annex.csv": True, "images/draft-chart.png": True,
         "images/shared-map.png": False, "images/loose.png": False}


def add_files(content: Path) -> None:
    for name in FILES:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            path.write_text("date,count\n2021-01-26,3\n", encoding="utf-8")
        else:
            Image.new("RGB", (1200, 800), (40, 90, 160)).save(path)


def make_content(folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    for lang in ("ar", "en"):
        (content / lang / "statements").mkdir(exist_ok=True)
        (content / lang / "statements" / "draft-statement.md").write_text(
            DRAFT.format(lang=lang), encoding="utf-8")
    (content / "ar" / "reports" / "embargoed-report.md").write_text(
        EMBARGOED.format(lang="ar"), encoding="utf-8")
    (content / "en" / "reports" / "embargoed-report.md").write_text(RELEASED_EN, encoding="utf-8")
    (content / "en" / "pages" / "draft-page.md").write_text(DRAFT_PAGE, encoding="utf-8")
    add_files(content)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return make_content(tmp_path_factory.mktemp("publication"))


@pytest.fixture(scope="module")
def production(content, tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("production"), base="publishconf", PATH=content)


@pytest.fixture(scope="module")
def preview(content, tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("preview"), PATH=content)


def test_production_contains_no_trace_of_drafts_or_embargoed_items(production):
    leaks = []
    for path in sorted(production.root.rglob("*")):
        if "drafts" in path.parts:
            leaks.append(f"{path}: a drafts folder")
        if path.is_file():
            data = path.read_bytes()
            leaks += [f"{path.relative_to(production.root)}: {mark}" for mark in MARKS
                      if mark.encode() in data]
    assert leaks == []
    # Nor any image or document only they use, nor copies made of one.
    published = {path.relative_to(production.root).as_posix() for path in production.root.rglob("*")}
    for name, held in FILES.items():
        stem = Path(name).with_suffix("").as_posix()
        assert (name in published) is not held, name
        assert not held or not [path for path in published if path.startswith(stem)], name
    assert "images/shared-map-480w.webp" in published  # a published item's image keeps its copies
    # Nothing was lost either: the English translation of the embargoed report is published.
    assert (production.root / "en/reports/embargoed-report/index.html").is_file()
    assert not (production.root / "reports/embargoed-report").exists()


def test_a_published_translation_does_not_link_to_its_embargoed_original(production):
    page = production.tree("en/reports/embargoed-report/index.html")
    assert not page.xpath('//link[@hreflang="ar"]')
    assert not page.xpath('//a[contains(@href, "/reports/embargoed-report/") and @hreflang="ar"]')
    # The reports section exists in Arabic only through the embargoed item: no link to it.
    assert not production.tree("en/index.html").xpath('//a[@hreflang="ar" and contains(@href, "/reports/")]')


def test_the_build_summary_counts_what_was_held_back(production, preview):
    assert ("held back, not published: 3 drafts and 1 embargoed item (`invoke check` lists embargoes), "
            "and 3 files only they use") in production.report.summary()
    assert "the preview shows 3 drafts and 1 embargoed item" in preview.report.summary()
    assert "files only they use" not in preview.report.summary()
    for name in FILES:  # the preview shows everything
        assert (preview.root / name).is_file()


def test_the_preview_shows_drafts_and_embargoes_with_a_banner(preview):
    draft = preview.tree("en/drafts/draft-statement/index.html")
    banner = draft.xpath('//p[contains(@class, "unpublished")]')
    assert banner and "Draft — not published" in banner[0].text_content()
    # Its Arabic draft exists: the switcher links to it, no "not available" note.
    assert draft.xpath('//link[@hreflang="ar" and contains(@href, "/drafts/draft-statement/")]')
    assert not draft.xpath('//p[@class="note"]')
    embargoed = preview.tree("reports/embargoed-report/index.html")
    banner = embargoed.xpath('//p[contains(@class, "unpublished")]')
    assert banner and "2099" in banner[0].text_content()
    assert preview.tree("en/drafts/pages/draft-page/index.html").xpath('//p[contains(@class, "unpublished")]')
    # Published items carry no banner.
    assert not preview.tree("en/reports/embargoed-report/index.html").xpath(
        '//p[contains(@class, "unpublished")]')


def test_check_lists_embargoed_items_with_their_release_time(content, tmp_path, capsys):
    config = write_config(tmp_path, PATH=content)
    assert main(["check", "--config", str(config)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "embargoed until" in line]
    assert lines == [f"{content}/ar/reports/embargoed-report.md:2: date: notice: embargoed until "
                     "2099-01-01 10:00 +0200 (published by the first production build after that time)"]


def test_an_embargo_lifts_with_the_first_build_after_its_time(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    soon = (datetime.now(UTC) + timedelta(seconds=4)).strftime("%Y-%m-%d %H:%M:%S+00:00")
    item = EMBARGOED.format(lang="en").replace("2099-01-01 10:00:00+02:00", soon)
    (content / "en" / "reports" / "embargoed-report.md").write_text(item, encoding="utf-8")
    add_files(content)
    config = write_config(tmp_path / "config", base="publishconf", PATH=content)
    output = tmp_path / "output"
    assert main(["build", "--config", str(config), "--output", str(output)]) == 0
    assert not (output / "en/reports/embargoed-report").exists()
    assert b"EMBARGOMARK" not in (output / "en/feeds/all.atom.xml").read_bytes()
    assert not (output / "images/embargoed photo.jpg").exists()
    time.sleep(max(0.0, (datetime.fromisoformat(soon) - datetime.now(UTC)).total_seconds() + 0.5))
    assert main(["build", "--config", str(config), "--output", str(output)]) == 0
    assert (output / "en/reports/embargoed-report/index.html").is_file()
    assert b"EMBARGOMARK" in (output / "en/feeds/all.atom.xml").read_bytes()
    assert (output / "images/embargoed photo.jpg").is_file()
    assert (output / "images/embargoed photo-480w.webp").is_file()


def test_the_workflow_builds_every_hour_to_lift_embargoes():
    workflow = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert "schedule:" in workflow and '- cron: "17 * * * *"' in workflow
    assert "github.event_name == 'schedule' && needs.test.result == 'skipped'" in workflow


@pytest.mark.parametrize("text, found", [
    ("![a]({static}/images/x.jpg)", True),
    ('<img src="/images/x.jpg" alt="a">', True),
    ("Image: images/x.jpg\n", True),
    ("[b](../images/x.jpg#top)", True),
    ("![a]({static}/images/x.jpg.bak)", False),
    ("![a]({static}/my-images/x.jpg)", False),
    ("![a]({static}/images/x.jpgs)", False),
])
def test_a_file_is_used_by_any_form_of_its_path_and_not_by_a_longer_name(text, found):
    from sitebuild.publication import _mentioned

    assert _mentioned({"images/x.jpg"}, text) == ({"images/x.jpg"} if found else set())


def test_an_unlisted_item_is_published_at_its_address_and_the_check_says_so(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "en" / "news" / "unlisted.md").write_text(
        "Title: Unlisted HIDDENMARK\nDate: 2021-02-01\nLang: en\nStatus: hidden\n\nText HIDDENMARK.\n",
        encoding="utf-8")
    config = write_config(tmp_path / "config", base="publishconf", PATH=content)
    capsys.readouterr()
    assert main(["check", "--config", str(config), "--messages-lang", "en"]) == 0
    assert (f"{content}/en/news/unlisted.md:4: status: notice: hidden items are published at their address, "
            "only left out of listings, feeds and search") in capsys.readouterr().out
    output = tmp_path / "output"
    assert main(["build", "--config", str(config), "--output", str(output)]) == 0
    holding = {path.relative_to(output).as_posix() for path in output.rglob("*")
               if path.is_file() and b"HIDDENMARK" in path.read_bytes()}
    assert holding == {"en/news/unlisted-hiddenmark/index.html"}
