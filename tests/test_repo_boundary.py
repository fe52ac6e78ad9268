"""Nothing from outside the repository is published, no slug takes a site path, and
files beyond the size and nesting limits are refused before Markdown reads them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from pelican.settings import read_settings

from plugins.markdown_reader import MarkdownReader
from sitebuild.__main__ import main
from sitebuild.config import load_site
from sitebuild.errors import BuildError
from sitebuild.languages import pelican_settings
from tests.conftest import ROOT, write_config

ARTICLE = """Title: A report
Date: 2021-02-01 10:00:00+02:00
Lang: en
{extra}
{body}
"""


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def check(tmp_path: Path, capsys, **paths) -> tuple[int, list[str]]:
    config = write_config(tmp_path / "config", **paths)
    capsys.readouterr()
    status = main(["check", "--config", str(config)])
    return status, capsys.readouterr().out.splitlines()


def write(content: Path, where: str, extra: str = "", body: str = "Text.") -> Path:
    path = content / where
    path.write_text(ARTICLE.format(extra=extra, body=body), encoding="utf-8")
    return path


# --- Symbolic links -----------------------------------------------------------------

@pytest.mark.parametrize("target, where", [
    ("/etc/hostname", "images/hostname.txt"),          # a static file
    ("/proc/self/environ", "images/environ"),          # the runner's secrets
    ("/etc", "images/etc"),                            # a whole folder
    ("../../pelicanconf.py", "en/news/settings.md"),   # a file of the repository, outside content/
])
def test_a_symlink_under_content_is_refused(tmp_path, capsys, content, target, where):
    (content / where).symlink_to(target)
    status, lines = check(tmp_path, capsys, PATH=content)
    assert status == 1
    assert f"{content / where}:1: symlink: is a link to {target}, which is never published " \
           "(replace the link by a copy of the file itself, inside the repository)" in lines


def test_a_symlink_in_the_theme_is_refused(tmp_path, capsys):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "img" / "key.png").symlink_to("/etc/hostname")
    status, lines = check(tmp_path, capsys, THEME=theme)
    assert status == 1
    assert any(line.startswith(f"{theme}/static/img/key.png:1: symlink:") for line in lines)


def test_a_symlinked_file_stops_the_build_and_is_not_published(tmp_path, content, capsys):
    (content / "images" / "hostname.txt").symlink_to("/etc/hostname")
    config = write_config(tmp_path / "config", base="publishconf", PATH=content)
    output = tmp_path / "output"
    assert main(["build", "--config", str(config), "--output", str(output)]) == 1
    printed = capsys.readouterr()
    assert f"{content}/images/hostname.txt:1: symlink: is a link to /etc/hostname" in printed.out + printed.err
    assert not output.exists()


@pytest.mark.parametrize("link", [
    "{static}/../../../../etc/hostname",
    "{static}/../pelicanconf.py",
    "{filename}/../../README.md",
    "{attach}../../../etc/passwd",
])
def test_links_that_leave_content_are_refused(tmp_path, capsys, content, link):
    path = write(content, "en/news/leaving.md", body=f"See [this]({link}).")
    status, lines = check(tmp_path, capsys, PATH=content)
    assert status == 1
    assert any(line.startswith(f"{path}:5: link: ") and "leads outside content/" in line
               for line in lines), lines


@pytest.mark.parametrize("value, words", [
    ("../../etc/hostname", "is not a file inside content/"),
    ("https://tracker.example/pixel.png", "is not a file inside content/"),
    ("images/missing.png", "points at nothing"),
])
def test_the_image_field_must_be_a_file_in_content(tmp_path, capsys, content, value, words):
    path = write(content, "en/news/share.md", extra=f"Image: {value}\n")
    status, lines = check(tmp_path, capsys, PATH=content)
    assert status == 1
    assert any(line.startswith(f"{path}:4: image: ") and words in line for line in lines), lines


# --- Reserved path segments --------------------------------------------------------

@pytest.mark.parametrize("lang, slug", [
    ("ar", "en"), ("ar", "theme"), ("en", "feeds"), ("ar", "sitemaps"), ("ar", "search"),
    ("en", "drafts"), ("ar", "_headers"), ("ar", "robots.txt"), ("en", "news"), ("ar", "EN"),
])
def test_a_page_slug_cannot_take_a_site_path(tmp_path, capsys, content, lang, slug):
    path = content / lang / "pages" / "taken.md"
    path.write_text(f"Title: Taken\nLang: {lang}\nSlug: {slug}\n\nText.\n", encoding="utf-8")
    status, lines = check(tmp_path, capsys, PATH=content)
    assert status == 1
    assert f"{path}:3: slug: '{slug}' is reserved: the site uses /{slug}/ for a listing, a language " \
           "or its own files (choose another `Slug:`)" in lines


def test_a_section_cannot_take_a_site_path(tmp_path):
    config = write_config(tmp_path, 'SECTIONS = ["news", "feeds", "en"]')
    with pytest.raises(BuildError, match=r"SECTIONS: en, feeds is reserved"):
        load_site(config)


# --- Limits ------------------------------------------------------------------------

DEEP_LIST = "\n".join("    " * level + "- item" for level in range(1000))
DEEP_QUOTES = "> " * 5000 + "quoted"
DEEP_MIXED = "\n".join("> " * level + "- x" for level in range(40))


@pytest.mark.parametrize("body, field, line", [
    (DEEP_LIST, "size", 1),          # 1,000 levels of indentation are 2 MB
    ("\n".join("    " * level + "- item" for level in range(100)), "nesting", 21),
    (DEEP_QUOTES, "nesting", 5),
    (DEEP_MIXED, "nesting", 21),
    ("word " * 220_000, "size", 1),
    ("<div>" * 40_000, "nesting", 5),
    ("text\n\n" + "<div><span>" * 40 + "deep", "nesting", 7),
])
def test_files_beyond_the_limits_are_refused_quickly(tmp_path, capsys, content, body, field, line):
    path = write(content, "en/news/deep.md", body=body)
    started = time.perf_counter()
    status, lines = check(tmp_path, capsys, PATH=content)
    assert time.perf_counter() - started < 10
    assert status == 1
    assert any(line_.startswith(f"{path}:{line}: {field}: ") for line_ in lines), lines


def test_deep_code_blocks_and_ordinary_nesting_are_fine(tmp_path, capsys, content):
    code = "```\n" + "\n".join("    " * level + "x" for level in range(40)) + "\n```"
    code += "\n\n" + "<p>paragraph" * 200 + "\n\n<table><tr><td>a<td>b</table>" * 50
    nested = "\n".join("    " * level + "- item" for level in range(6))
    write(content, "en/news/fine.md", body=code + "\n\n" + nested)
    status, lines = check(tmp_path, capsys, PATH=content)
    assert status == 0, lines


def test_the_reader_refuses_a_deep_file_before_markdown_runs(tmp_path):
    """The build's language runs read files while the check runs: the reader has the limit too."""
    site = load_site(write_config(tmp_path / "config"))
    language = site.languages[1]
    settings = read_settings(None, override=pelican_settings(
        {**site.settings, "TRANSLATION_INDEX": {}, "SECTION_INDEX": {}}, language, site.languages))
    path = tmp_path / "deep.md"
    path.write_text(ARTICLE.format(extra="", body=DEEP_QUOTES), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ValueError, match="nesting: lists or quotes nested more than 16 levels"):
        MarkdownReader(settings).read(str(path))
    assert time.perf_counter() - started < 1


def test_a_deep_file_stops_the_build_quickly_naming_it(tmp_path, content, capsys):
    path = write(content, "en/news/deep.md", body=DEEP_QUOTES)
    config = write_config(tmp_path / "config", PATH=content)
    started = time.perf_counter()
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "output")]) == 1
    assert time.perf_counter() - started < 30
    printed = capsys.readouterr()
    assert f"{path}:5: nesting: lists or quotes nested more than 16 levels deep" in printed.out + printed.err
    assert os.listdir(tmp_path).count("output") == 0
