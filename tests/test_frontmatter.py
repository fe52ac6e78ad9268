"""Headers as editors really write them: a BOM, Tabs and lists in multi-value fields,
YAML front matter; an unreadable YAML header is one clear error."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from tests.conftest import FIXTURES, ROOT, build_site, write_config

INPUT = FIXTURES / "editor_input"
GOOD = {"notepad_bom.md": "en/news", "yaml_front_matter.md": "en/statements",
        "tabbed_meeting_lists.md": "en/meetings"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("frontmatter")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    for name, where in GOOD.items():
        (content / where).mkdir(exist_ok=True)
        shutil.copy(INPUT / name, content / where / name)
    return build_site(folder / "site", PATH=content)


def test_a_file_with_a_byte_order_mark_is_read_normally(site):
    page = site.tree("en/news/notepad-bom/index.html")
    assert page.xpath("//h1/text()") == ["A file saved by Windows Notepad"]


def test_yaml_front_matter_is_read_as_yaml(site):
    page = site.tree("en/statements/yaml-statement/index.html")
    assert page.xpath("//h1/text()") == ["Statement: the alliance's answer"]
    assert sorted(page.xpath('//p[@class="tags"]/a/text()')) == ["Caesar Act", "sanctions"]
    assert page.xpath('//meta[@name="description"]/@content') == [
        "A header written as YAML, as Hugo and Jekyll users do."]
    assert page.xpath("//time/@datetime")[0].startswith("2021-02-03T09:30:00")


def test_tabs_and_bullets_in_meeting_lists_are_values(site):
    facts = site.tree("en/meetings/tabbed-meeting/index.html").xpath('//section[@class="facts"]')[0]
    text = facts.text_content()
    for value in ("The general coordinator", "The secretary", "Oil smuggling", "Transit trade"):
        assert value in text
    assert "- Oil" not in text


def test_a_yaml_header_that_cannot_be_read_is_one_clear_error(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(INPUT / "broken_yaml.md", content / "en" / "news")
    config = write_config(tmp_path / "config", PATH=content)
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "broken_yaml.md" in line]
    assert lines == [f"{content}/en/news/broken_yaml.md:2: header: the YAML header cannot be read: "
                     "mapping values are not allowed here (put a value that contains a colon in quotes, "
                     "or write the header as `Field: value` lines without the --- lines)"]
