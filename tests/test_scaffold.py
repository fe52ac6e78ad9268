"""`invoke new`: correctly named drafts with every required field, never overwriting."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sitebuild.__main__ import main
from sitebuild.config import load_site
from sitebuild.inventory import parse_header
from tests.conftest import ROOT, build_site, write_config


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return write_config(tmp_path / "config", PATH=content), content


def run(config, *args):
    return main(["new", "--config", str(config), *args])


def test_new_meeting_in_both_languages_is_a_valid_draft(project, capsys):
    config, content = project
    assert run(config, "meetings", "--lang", "ar", "--title", "لقاء مع الخارجية الفرنسية",
               "--slug", "french-mfa-meeting", "--both") == 0
    printed = capsys.readouterr().out.split()
    ar, en = content / "ar/meetings/french-mfa-meeting.md", content / "en/meetings/french-mfa-meeting.md"
    assert printed == [str(ar), str(en)]
    header = parse_header(ar.read_text(encoding="utf-8"))
    assert header.get("lang") == "ar" and parse_header(en.read_text("utf-8")).get("lang") == "en"
    # The Arabic title is not copied into the English file: a placeholder says to translate it.
    assert header.get("title") == "لقاء مع الخارجية الفرنسية"
    assert parse_header(en.read_text("utf-8")).get("title") == "Write the title in this language"
    assert header.get("status") == "draft"
    assert datetime.fromisoformat(header.get("date")).tzinfo is not None
    for field in ("meeting_date", "place", "counterpart", "delegation", "topics"):
        assert header.get(field), field
    # The content check accepts it and the preview shows it as a draft.
    assert main(["check", "--config", str(config)]) == 0
    site = build_site(config.parent.parent / "site", PATH=content)
    assert (site.root / "drafts/french-mfa-meeting/index.html").is_file()
    assert (site.root / "en/drafts/french-mfa-meeting/index.html").is_file()
    assert not (site.root / "meetings/french-mfa-meeting").exists()
    # Publishing it with the placeholders still in is an error.
    en.write_text(en.read_text("utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 1
    assert "still has the placeholder «Write the title in this language»" in capsys.readouterr().out


def test_slug_comes_from_the_title_as_pelican_makes_it(project, capsys):
    config, content = project
    assert run(config, "news", "--lang", "en", "--title", "It's a test: Caesar & co") == 0
    assert (content / "en/news/its-a-test-caesar-co.md").is_file()
    assert run(config, "news", "--lang", "ar", "--title", "وفد التحالف يلتقي «الخارجية»") == 0
    assert (content / "ar/news/وفد-التحالف-يلتقي-الخارجية.md").is_file()


def test_refuses_to_overwrite(project, capsys):
    config, content = project
    existing = content / "en/news/detainees-families-vigil.md"
    before = existing.read_bytes()
    assert run(config, "news", "--lang", "en", "--title", "x", "--slug", "detainees-families-vigil") == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == before


def test_translation_of_reuses_the_slug(project, capsys):
    config, content = project
    assert run(config, "news", "--lang", "en", "--title", "Crossings bulletin",
               "--translation-of", "weekly-bulletin-crossings") == 0
    assert (content / "en/news/weekly-bulletin-crossings.md").is_file()
    assert run(config, "news", "--lang", "en", "--title", "x", "--translation-of", "no-such-item") == 1
    assert "no news has that slug" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["blog", "--lang", "en", "--title", "x"], "unknown kind 'blog'"),
    (["news", "--lang", "fr", "--title", "x"], "--lang must be one of ar, en"),
])
def test_bad_arguments_are_explained(project, capsys, args, message):
    config, _ = project
    assert run(config, *args) == 1
    assert message in capsys.readouterr().err


def test_page_has_no_date_and_dates_use_the_site_timezone(project):
    config, content = project
    from sitebuild.scaffold import new_content

    site = load_site(config)
    now = datetime(2021, 1, 26, 9, 30, tzinfo=ZoneInfo("Asia/Damascus"))
    (page,) = new_content(site, "page", "en", "Privacy", now=now)
    assert "Date:" not in page.read_text(encoding="utf-8")
    (news,) = new_content(site, "news", "ar", "خبر", slug="news-item", now=now)
    assert parse_header(news.read_text(encoding="utf-8")).get("date") == "2021-01-26 09:30:00+02:00"
