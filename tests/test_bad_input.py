"""Every kind of bad input stops the build with a clear message and leaves the output as it was.

Each fixture in tests/fixtures/bad_content/ is dropped into a copy of the sample
content after a good build; the build must exit non-zero, print
`path:line: field: message (hint)` naming the fixture, print no traceback,
and leave the previous output byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sitebuild.__main__ import main
from tests.conftest import FIXTURES, ROOT, write_config

BAD = FIXTURES / "bad_content"

# fixture → (where it goes under content/, field, words the message must contain)
CASES = {
    "missing_title.md": ("en/news/", "title", "missing"),
    "missing_date.md": ("en/news/", "date", "missing"),
    "missing_lang.md": ("en/news/", "lang", "missing"),
    "unparseable_date.md": ("en/news/", "date", "'next tuesday' is not a date"),
    "bad_modified_date.md": ("en/news/", "modified", "is not a date"),
    "lang_not_in_table.md": ("en/news/", "lang", "'fr' is not a language of this site"),
    "lang_not_matching_folder.md": ("en/news/", "lang", "does not match the folder"),
    "in_unknown_section.md": ("en/blog/", "folder", "unknown section 'blog'"),
    "outside_any_section.md": ("en/", "folder", "not inside a section folder"),
    "duplicate_slug.md": ("en/news/", "slug", "is already used by"),
    "translation_claimed_twice.md": ("en/news/", "translation_key", "is claimed by"),
    "meeting_missing_fields.md": ("en/meetings/", "counterpart", "missing"),
    "meeting_bad_date.md": ("en/meetings/", "meeting_date", "is not a date"),
    "link_to_missing_file.md": ("en/news/", "link", "points at nothing"),
    "image_missing_file.md": ("en/news/", "link", "points at nothing"),
    "image_without_alt.md": ("en/news/", "image", "has no alt text"),
    "raw_script.md": ("en/news/", "html", "raw <script>"),
    "iframe_embed.md": ("en/news/", "html", "embedded iframe"),
    "event_handler_attribute.md": ("en/news/", "html", "onclick= attribute"),
    "javascript_url.md": ("en/news/", "html", "javascript: link"),
    "javascript_reference_entity.md": ("en/news/", "html", ":8: html: javascript: link"),
    "summary_event_handler.md": ("en/news/", "html", ":5: html: onmouseover= attribute runs a script, in `Summary:`"),
    "offsite_image.md": ("en/news/", "html", "image loaded from another site: https://maps.example.com/"),
    "control_character.md": ("en/news/", "text", "control character U+0007"),
    "not_utf8.md": ("en/news/", "encoding", "not UTF-8"),
    "invalid_status.md": ("en/news/", "status", "'publish' is not a status"),
    "category_not_folder.md": ("en/news/", "category", "differs from the folder"),
    "unknown_template.md": ("en/news/", "template", "there is no template 'fancy'"),
    "empty_body.md": ("en/news/", "body", "has no text"),
    "reserved_page_slug.md": ("en/pages/", "slug", "is reserved: the site uses"),
    "source_url_not_web.md": ("en/news/", "source_url", "is not a web address"),
    "slug_with_spaces.md": ("en/news/", "slug", "has spaces or punctuation"),
    "notes_saved_as_text.txt": ("en/news/", "file", "'.txt' files are not published"),
    "empty_template_field.md": ("en/news/", "template", "is empty"),
    "ambiguous_numeric_date.md": ("en/news/", "date", "can be read as 3 January 2021 (day/month) or as March 1, 2021"),
    "blank_line_inside_header.md": ("en/news/", "header", "an empty line ends the header before `Summary:`"),
    "scaffold_placeholder_published.md": ("en/news/", "text", "still has the placeholder"),
    "slug_with_bidi_marks.md": ("en/news/", "slug", "contains invisible direction marks (U+200E, U+200F)"),
    "slug_too_long.md": ("en/news/", "slug", "characters long"),
}


def test_every_fixture_has_a_case():
    assert {p.name for p in BAD.iterdir()} == set(CASES)
    assert len(CASES) >= 20


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        sha.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    config = write_config(folder)
    assert main(["build", "--config", str(config), "--output", str(folder / "output")]) == 0
    return folder / "output"


def run_build(tmp_path: Path, good_output: Path, capsys, **paths) -> tuple[int, str, Path]:
    output = tmp_path / "published"
    shutil.copytree(good_output, output)
    before = digest(output)
    config = write_config(tmp_path / "config", **paths)
    capsys.readouterr()
    status = main(["build", "--config", str(config), "--output", str(output)])
    captured = capsys.readouterr()
    assert digest(output) == before, "the previous output was changed"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return status, captured.out + captured.err, output


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_bad_content_stops_the_build_with_a_clear_message(fixture, tmp_path, good_output, capsys):
    folder, field, words = CASES[fixture]
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / folder / fixture
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / fixture, target)

    status, printed, _ = run_build(tmp_path, good_output, capsys, PATH=content)

    assert status == 1
    assert "Traceback" not in printed
    lines = [line for line in printed.splitlines() if line.startswith(str(target))]
    assert any(f": {field}: " in line and words in line for line in lines), printed
    # Every problem line says how to fix it.
    assert all(line.rstrip().endswith(")") for line in lines), lines


def test_a_template_error_mid_build_leaves_the_output_untouched(tmp_path, good_output, capsys):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "archives.html").write_text("{% extends 'base.html' %}{% block content %}{{ broken( }}{% endblock %}")
    status, printed, _ = run_build(tmp_path, good_output, capsys, THEME=theme)
    assert status == 1
    assert "archives.html" in printed and "nothing was published" in printed
    assert "Traceback" not in printed


def test_content_that_vanishes_during_the_build_stops_it(tmp_path, good_output, capsys):
    """Stock Pelican can skip an article and exit 0; the inventory check catches it."""
    body = (
        f"PLUGIN_PATHS = PLUGIN_PATHS + [{str(FIXTURES / 'plugins')!r}]\n"
        "PLUGINS = PLUGINS + ['drop_article']"
    )
    output = tmp_path / "published"
    shutil.copytree(good_output, output)
    before = digest(output)
    config = write_config(tmp_path / "config", body)
    status = main(["build", "--config", str(config), "--output", str(output)])
    printed = capsys.readouterr().err
    assert status == 1
    for lang in ("ar", "en"):
        assert (
            f"content/{lang}/news/detainees-families-vigil.md:1: output: no page was written for this file"
            in printed
        )
    assert digest(output) == before


def test_a_bad_language_table_is_reported_with_its_row(tmp_path, good_output, capsys):
    config = write_config(tmp_path / "config", 'LANGUAGES = [dict(LANGUAGES[0], dir="up"), LANGUAGES[1]]')
    output = tmp_path / "published"
    shutil.copytree(good_output, output)
    status = main(["build", "--config", str(config), "--output", str(output)])
    printed = capsys.readouterr().err
    assert status == 1
    assert "LANGUAGES[0]: dir must be 'rtl' or 'ltr', not 'up'" in printed


def test_check_command_lists_problems_and_exits_non_zero(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for fixture in ("missing_title.md", "image_without_alt.md"):
        shutil.copy(BAD / fixture, content / "en" / "news" / fixture)
    config = write_config(tmp_path / "config", PATH=content)
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "missing_title.md:1: title: missing (add a line `Title: ...` at the top)" in out
    assert "image_without_alt.md:6: image: image {static}/images/sample-map.svg has no alt text" in out
    assert "checked 23 files: 2 errors, 0 warnings" in out


def test_warnings_do_not_stop_a_development_build(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    article = content / "ar" / "news" / "weekly-bulletin-crossings.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Tags: المعابر, العقوبات", "Tags: المعابر، العقوبات\nTittle: x"), encoding="utf-8")
    config = write_config(tmp_path / "config", PATH=content)
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "tags: warning: tags are separated by the Arabic comma" in out
    assert "tittle: warning: unknown field (did you mean `Title`?)" in out
