"""`invoke status`: drafts, embargoes, missing and outdated translations, incomplete
meeting accounts; the same report at /_status/ in the preview, never in an output."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from sitebuild.__main__ import main
from tests.conftest import ROOT, write_config
from tests.test_preview import Preview


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "en/news/draft-x.md").write_text(
        "Title: Draft X\nDate: 2021-02-01 10:00:00+02:00\nLang: en\nStatus: draft\n\nSoon.\n", encoding="utf-8")
    (folder / "ar/news/later.md").write_text(
        "Title: خبر لاحق\nDate: 2099-05-01 09:00:00+03:00\nLang: ar\nSlug: later\n\nلاحقاً.\n", encoding="utf-8")
    meeting = folder / "en/meetings/caesar-alliance-state-department.md"
    meeting.write_text("\n".join(line for line in meeting.read_text(encoding="utf-8").split("\n")
                                 if not line.startswith("Followups:")), encoding="utf-8")
    # The Arabic original changed after its English translation was last touched.
    now = time.time()
    os.utime(folder / "en/reports/caesar-act-first-year.md", (now - 3600, now - 3600))
    os.utime(folder / "ar/reports/caesar-act-first-year.md", (now, now))
    return folder


def test_status_lists_what_editors_must_do(tmp_path, content, capsys):
    config = write_config(tmp_path / "config", PATH=content)
    capsys.readouterr()
    assert main(["status", "--config", str(config)]) == 0
    report = capsys.readouterr().out
    english = report.split("== English (en)")[1]
    arabic = report.split("== English (en)")[0]
    assert "Drafts (not published): 1\n  " in english and "draft-x.md: Draft X" in english
    assert "Embargoed (published after their date): 1" in arabic
    assert "later.md: خبر لاحق — 2099-05-01 09:00 +0300" in arabic
    assert "weekly-bulletin-crossings.md" in arabic.split("Without a translation")[1]
    outdated = english.split("Translations older than their original: ")[1]
    assert outdated.startswith("1\n") and "en/reports/caesar-act-first-year.md" in outdated.split("\n")[1]
    assert "ar/reports/caesar-act-first-year.md changed" in outdated.split("\n")[1]
    meetings = english.split("Meeting accounts without optional fields: ")[1]
    assert meetings.startswith("1\n") and "no followups" in meetings.split("\n")[1]


def test_the_preview_serves_the_report_and_no_build_writes_it(tmp_path):
    running = Preview(tmp_path, "--watch")
    try:
        status, page = running.get("/_status/")
        assert status == 200 and "Editors' status" in page and "weekly-bulletin-crossings.md" in page
        assert not list((tmp_path / "output").rglob("*status*"))
    finally:
        running.stop()
