"""Mistakes that are not errors still get a line: a text in the other language's script,
a title too long for an address."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from tests.conftest import FIXTURES, ROOT, build_site, write_config

ARABIC_TEXT = (FIXTURES / "pasted" / "pasted-meeting-report.md").read_text(encoding="utf-8").split("\n\n", 1)[1]


def check(tmp_path, capsys, content) -> tuple[int, list[str]]:
    config = write_config(tmp_path / "config", PATH=content)
    capsys.readouterr()
    status = main(["check", "--config", str(config)])
    return status, capsys.readouterr().out.splitlines()


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def test_an_english_file_holding_arabic_text_gets_a_warning(tmp_path, capsys, content):
    path = content / "en" / "news" / "untranslated.md"
    header = "Title: Not translated yet\nDate: 2021-02-01 10:00:00+02:00\nLang: en\n"
    path.write_text(header + "\n" + ARABIC_TEXT, encoding="utf-8")
    status, lines = check(tmp_path, capsys, content)
    assert status == 0  # a warning: the build goes on
    warning = [line for line in lines if line.startswith(f"{path}:5: lang: warning: ")]
    assert warning and "mostly in Arabic letters, not in the Latin of Lang: en" in warning[0]
    assert "add `Script_Check: off` if the mix is meant" in warning[0]
    path.write_text(header + "Script_Check: off\n\n" + ARABIC_TEXT, encoding="utf-8")
    assert not [line for line in check(tmp_path, capsys, content)[1] if "lang: warning" in line]


def test_an_arabic_file_holding_english_text_gets_a_warning(tmp_path, capsys, content):
    english = (ROOT / "content/en/news/detainees-families-vigil.md").read_text(encoding="utf-8")
    path = content / "ar" / "news" / "detainees-families-vigil.md"
    path.write_text(english.replace("Lang: en", "Lang: ar"), encoding="utf-8")
    status, lines = check(tmp_path, capsys, content)
    assert any(line.startswith(f"{path}:") and "mostly in Latin letters, not in the Arabic of Lang: ar" in line
               for line in lines), lines


def test_a_title_too_long_for_an_address_gets_a_shortened_slug(tmp_path, capsys, content):
    title = "وفد تحالف قيصر للعدالة والحرية والديمقراطية يلتقي " * 4  # about 200 letters, no Slug:
    path = content / "ar" / "news" / "long-title.md"
    path.write_text(f"Title: {title.strip()}\nDate: 2021-02-01 10:00:00+02:00\nLang: ar\n\nنص.\n",
                    encoding="utf-8")
    status, lines = check(tmp_path, capsys, content)
    assert status == 0
    notice = [line for line in lines if line.startswith(f"{path}:1: title: notice: is long: its address was shortened to")]
    assert notice, lines
    site = build_site(tmp_path / "site", PATH=content)  # no OSError: File name too long
    folders = [p for p in (site.root / "news").iterdir() if p.name.startswith("وفد")]
    assert len(folders) == 1 and len(folders[0].name) <= 80
    assert (folders[0] / "index.html").is_file()
