"""`{filename}` links from one language to another resolve in the preview and in
production, the check verifies them, and a link to the other language's version of an
item that exists in this language gets a warning."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from tests.conftest import ROOT, build_site, write_config

ENGLISH_ONLY = """Title: A briefing published in English only
Date: 2021-02-10 10:00:00+02:00
Lang: en
Slug: english-only-briefing

The Arabic briefing is [here]({filename}/ar/news/weekly-bulletin-crossings.md).
"""
ARABIC_LINK = "\n\nللاطلاع على [الإحاطة بالإنجليزية]({filename}/en/news/english-only-briefing.md).\n"
RELATIVE_LINK = "\n\nوانظر [النسخة الإنجليزية]({filename}../../en/news/english-only-briefing.md).\n"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links") / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "en/news/english-only-briefing.md").write_text(ENGLISH_ONLY, encoding="utf-8")
    vigil = folder / "ar/news/detainees-families-vigil.md"
    vigil.write_text(vigil.read_text(encoding="utf-8") + ARABIC_LINK + RELATIVE_LINK, encoding="utf-8")
    return folder


@pytest.mark.parametrize("base", ["pelicanconf", "publishconf"])
def test_links_across_languages_resolve_both_ways(content, tmp_path, base):
    site = build_site(tmp_path, base=base, PATH=content)
    prefix = site.siteurl
    arabic = site.tree("news/detainees-families-vigil/index.html")
    hrefs = arabic.xpath('//div[@class="body"]//a/@href')
    assert hrefs.count(f"{prefix}/en/news/english-only-briefing/") == 2, hrefs
    english = site.tree("en/news/english-only-briefing/index.html")
    assert f"{prefix}/news/weekly-bulletin-crossings/" in english.xpath('//div[@class="body"]//a/@href')
    assert not any("{filename}" in href for href in hrefs)


def check_lines(tmp_path, capsys, content) -> tuple[int, list[str]]:
    capsys.readouterr()
    status = main(["check", "--config", str(write_config(tmp_path / "config", PATH=content))])
    return status, capsys.readouterr().out.splitlines()


def arabic_vigil_with(tmp_path, line: str):
    """A copy of the sample content whose Arabic vigil article ends with `line`."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "ar/news/detainees-families-vigil.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return content, path


def test_a_link_to_a_missing_file_in_the_other_language_is_an_error(tmp_path, capsys):
    content, path = arabic_vigil_with(tmp_path, "[x]({filename}/en/reports/missing.md)")
    status, lines = check_lines(tmp_path, capsys, content)
    assert status == 1
    assert any(line.startswith(f"{path}:") and "link: {filename}/en/reports/missing.md points at nothing" in line
               for line in lines)


def test_linking_the_other_languages_version_suggests_this_languages_own(tmp_path, capsys):
    content, path = arabic_vigil_with(tmp_path, "[التقرير]({filename}/en/reports/caesar-act-first-year.md)")
    status, lines = check_lines(tmp_path, capsys, content)
    assert status == 0
    warning = [line for line in lines if line.startswith(f"{path}:") and "link: warning:" in line]
    assert len(warning) == 1 and "is the English version" in warning[0]
    assert "{filename}/ar/reports/caesar-act-first-year.md" in warning[0]


def test_a_published_item_linking_a_draft_fails_in_production(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "en/news/not-ready.md").write_text(
        "Title: Not ready\nDate: 2021-02-01 10:00:00+02:00\nLang: en\nStatus: draft\n\nSoon.\n", encoding="utf-8")
    path = content / "en/news/detainees-families-vigil.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n[soon]({filename}/en/news/not-ready.md)\n",
                    encoding="utf-8")
    config = write_config(tmp_path / "prod", base="publishconf", PATH=content)
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 1
    assert "link: {filename}/en/news/not-ready.md is a draft, so it is not published" in capsys.readouterr().out
