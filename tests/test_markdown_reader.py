"""plugins/markdown_reader: Pelican's Markdown reader with its Markdown instances kept
for the run gives what Pelican's own reader gives (then cleaned by the HTML allow-list),
file after file (no state leaks from one file to the next), and is the reader the build uses."""

from __future__ import annotations

import copy
import importlib

import pytest
from pelican.readers import MarkdownReader as PelicanMarkdownReader
from pelican.readers import Readers

from sitebuild.config import load_site
from sitebuild.languages import pelican_settings
from sitebuild.sanitize import clean_html
from tests.conftest import ROOT, write_config

FILES = {
    "footnotes.md": "Title: One\nSummary: A summary with a note.\n\nText[^a] and more[^b].\n\n"
                    "[^a]: The first note.\n[^b]: The second note.\n\n## Same heading\n\n## Same heading\n",
    "abbreviations.md": "Title: Two\nTags: a, b\n\nThe HTML is here.\n\n*[HTML]: Hyper Text Markup Language\n\n"
                        "## Same heading\n\nAnother[^a].\n\n[^a]: A note numbered from one again.\n",
    "summary-like-metadata.md": "Title: Three\nSummary: Place: Geneva\n    Date: not a field\n\n"
                                "Body with \"quotes\" -- and dashes.\n",
    "no-header.md": "Just text, no header; no HTML abbreviation here.\n",
    "arabic.md": "Title: أربعة\nLang: ar\nSummary: «ملخص» قصير.\n\n## عنوان\n\nنص \"مقتبس\".\n",
}


@pytest.fixture
def plugin(monkeypatch):
    """The plugin module as Pelican imports it (from PLUGIN_PATHS, by its name)."""
    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    return importlib.import_module("markdown_reader")


@pytest.fixture
def settings(tmp_path):
    site = load_site(write_config(tmp_path / "config"))
    shared = {**site.settings, "OUTPUT_PATH": str(tmp_path / "out"), "TRANSLATION_INDEX": {}, "SECTION_INDEX": {}}
    return pelican_settings(shared, site.languages[0], site.languages)


def cleaned(read: tuple[str, dict], settings: dict) -> tuple[str, dict]:
    """Pelican's reader's result with its HTML through the allow-list, as ours gives it."""
    content, metadata = read
    return clean_html(content), {name: clean_html(value) if name in settings["FORMATTED_FIELDS"] else value
                                 for name, value in metadata.items()}


def test_the_same_html_and_metadata_as_pelicans_reader_file_after_file(tmp_path, settings, plugin):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ours = plugin.MarkdownReader(copy.deepcopy(settings))
    pelicans = PelicanMarkdownReader(copy.deepcopy(settings))
    for _ in range(2):  # and again, after every other file
        for name in FILES:
            path = str(tmp_path / name)
            assert ours.read(path) == cleaned(pelicans.read(path), settings), name
    content, metadata = ours.read(str(tmp_path / "summary-like-metadata.md"))
    assert "Place: Geneva" in metadata["summary"]  # not taken for metadata
    content, _ = ours.read(str(tmp_path / "abbreviations.md"))
    assert 'id="fnref:a"' in content and "<abbr" in content


def test_the_build_reads_markdown_with_it(settings, plugin):
    readers = Readers(copy.deepcopy(settings))
    plugin.use_reader(readers)
    assert readers.reader_classes["md"] is plugin.MarkdownReader
    assert "markdown_reader" in settings["PLUGINS"]
