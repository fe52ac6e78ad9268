"""A third language (Kurdish Sorani, right-to-left) needs a table row, content and a catalog."""

from __future__ import annotations

import shutil

from tests.conftest import FIXTURES, ROOT, build_site

FIXTURE = FIXTURES / "third_language"


def test_a_third_language_builds_without_code_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURE / "content" / "ckb", content / "ckb")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    catalog = theme / "translations" / "ckb" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    shutil.copy(FIXTURE / "messages.po", catalog / "messages.po")

    site = build_site(
        tmp_path / "site", (FIXTURE / "languages.py").read_text(), PATH=content, THEME=theme
    )

    page = site.tree("ckb/news/first-sorani-item/index.html")
    assert (page.get("lang"), page.get("dir")) == ("ckb", "rtl")
    assert page.xpath("//nav[contains(@class,'main-nav')]//a/text()")[:2] == ["سەرەکی", "هەواڵەکان"]
    # Babel's Sorani month name, with Arabic-Indic digits as the row asks.
    assert page.xpath("//article//p[@class='meta']/time/text()") == ["٢٦ کانوونی دووەم ٢٠٢١"]
    switch = page.xpath("//nav[contains(@class,'language-switch')]//a/@href")
    assert switch == ["/", "/en/"]
    # The other languages offer Kurdish in their switchers too.
    home = site.tree("index.html")
    assert "/ckb/" in home.xpath("//nav[contains(@class,'language-switch')]//a/@href")
    assert (site.root / "ckb" / "archives" / "index.html").is_file()
    assert site.report.items["ckb"] == 1
