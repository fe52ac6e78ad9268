"""What content/images/ and content/extra/ may publish: the formats the build cleans or
checks and plain text data; any other file stops the build with its reason, and hidden
files are never published."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from tests.conftest import ROOT, write_config

REFUSED = {
    "extra/statement-draft.docx": "office files keep their authors",
    "images/IMG_2041.HEIC": "cannot remove this format's metadata",
    "extra/testimony.mp4": "recordings keep where, when and on what",
    "extra/landing.html": "HTML, CSS and JavaScript here would reach readers",
    "extra/internal-notes.md": "a Markdown file here is copied as it is",
    "extra/evidence.zip": "an archive is published unopened",
    "extra/export.xyz": "cannot check what '.xyz' files carry",
}
ALLOWED = ("extra/casualties.csv", "extra/evidence-key.asc", "extra/readme.txt")
HIDDEN = ("extra/.env", "images/.DS_Store", "extra/.~lock.report.odt#", "images/.thumbs/vigil.jpg")


@pytest.fixture
def content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name in (*ALLOWED, *HIDDEN):
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SECRET=1\n" if name in HIDDEN else "a,b\n1,2\n", encoding="utf-8")
    return content


def test_files_of_other_kinds_stop_the_check_with_their_reason(content, tmp_path, capsys):
    for name in REFUSED:
        (content / name).write_bytes(b"PK\x03\x04 whatever the program wrote")
    capsys.readouterr()
    assert main(["check", "--config", str(write_config(tmp_path / "config", PATH=content)),
                 "--messages-lang", "en"]) == 1
    out = capsys.readouterr().out
    for name, reason in REFUSED.items():
        lines = [line for line in out.splitlines() if line.startswith(f"{content}/{name}:1: file: ")]
        assert len(lines) == 1 and "cannot be published" in lines[0] and reason in lines[0], (name, out)
    for name in (*ALLOWED, *HIDDEN):
        assert f"{content}/{name}:" not in out
    assert f": {len(REFUSED)} errors, 0 warnings" in out


def test_hidden_files_are_never_published_and_plain_data_is(content, tmp_path, capsys):
    output = tmp_path / "output"
    config = write_config(tmp_path / "config", base="publishconf", PATH=content)
    assert main(["build", "--config", str(config), "--output", str(output)]) == 0
    published = {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()}
    assert set(ALLOWED) <= published
    assert not [name for name in published if "SECRET" in (output / name).read_text(errors="ignore")]
    assert not [name for name in published if any(part.startswith(".") for part in name.split("/"))]


def test_a_linked_file_outside_the_static_folders_follows_the_same_rule(content, tmp_path, capsys):
    """`{static}` and `{attach}` publish the file they reach wherever it is under content/."""
    files = content / "files"
    files.mkdir()
    (files / "minutes.docx").write_bytes(b"PK\x03\x04 word")
    (files / "minutes.csv").write_text("a,b\n", encoding="utf-8")
    article = content / "en" / "news" / "minutes.md"
    article.write_text("Title: Minutes\nDate: 2021-02-01\nLang: en\n\n"
                       "[The minutes]({attach}/files/minutes.docx) and [the data]({static}/files/minutes.csv).\n",
                       encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--config", str(write_config(tmp_path / "config", PATH=content)),
                 "--messages-lang", "en"]) == 1
    out = capsys.readouterr().out
    assert (f"{article}:5: link: cannot be published: office files keep their authors, comments and "
            "earlier versions (export it as PDF") in out
    assert "minutes.csv" not in out


def test_a_site_can_accept_a_kind_it_has_decided_to_publish(content, tmp_path, capsys):
    (content / "extra" / "budget.xlsx").write_bytes(b"PK\x03\x04 sheet")
    (content / "extra" / "minutes.docx").write_bytes(b"PK\x03\x04 word")
    config = write_config(tmp_path / "config", 'PUBLISH_UNCHECKED = [".xlsx"]', PATH=content)
    capsys.readouterr()
    assert main(["check", "--config", str(config), "--messages-lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "budget.xlsx" not in out and "minutes.docx:1: file: cannot be published" in out
    wrong = write_config(tmp_path / "wrong", 'PUBLISH_UNCHECKED = ["xlsx"]', PATH=content)
    assert main(["check", "--config", str(wrong), "--messages-lang", "en"]) != 0
    assert "PUBLISH_UNCHECKED: 'xlsx' is not an ending such as \".xlsx\"" in capsys.readouterr().err
