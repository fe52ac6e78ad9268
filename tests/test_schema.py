"""The generator's own settings: defaults, and a clear line for each wrong one."""

from __future__ import annotations

import pytest

from sitebuild.__main__ import main
from sitebuild.config import load_site
from tests.conftest import write_config


@pytest.mark.parametrize("body, line", [
    ('ORGANISATION = {"logo": "theme/img/logo.svg"}', "ORGANISATION: has no `name`"),
    ('ORGANISATION = {"name": {"en": "Alliance"}, "logo": "x.svg"}',
     "ORGANISATION: `name` has no text for ar, the site's first language"),
    ('del ORGANISATION', "ORGANISATION: is not set (add ORGANISATION = "),
    ('SUBMISSION_EMAIL = "evidence at example.org"', "SUBMISSION_EMAIL: is not an e-mail address"),
    ('SOCIAL_LINKS = [("Telegram", "http://t.me/x")]', "SOCIAL_LINKS: 'http://t.me/x' is not an https:// address"),
    ('SECTIONS = ["News"]', "SECTIONS: 'News': use lower-case letters, digits and hyphens"),
    ('DISCLAIMER_ON = ["blog"]', 'DISCLAIMER_ON: must be "all", "republished" or a list of sections'),
    ('ONION_LOCATION = "https://mirror.example.org"', "ONION_LOCATION: is not an http://….onion address"),
    ('TIMEZONE = "Damascus"', "TIMEZONE: is not a time zone name"),
    ('FEED_MAX_ITEMS = 0', "FEED_MAX_ITEMS: must be a whole number above 0"),
    ('SHOW_UNPUBLISHED = "no"', "SHOW_UNPUBLISHED: must be True or False"),
    ('DISCLAIMER = {"en": "…"}', "DISCLAIMER: has no text for ar, the site's first language"),
])
def test_a_wrong_setting_stops_the_build_naming_it(tmp_path, capsys, body, line):
    config = write_config(tmp_path, body)
    capsys.readouterr()
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr().err
    assert f"siteconf.py: {line}" in printed
    assert "KeyError" not in printed and "Traceback" not in printed
    assert printed.rstrip().endswith("the settings need fixing; nothing was built")
    assert not (tmp_path / "out").exists()


def test_optional_settings_get_their_defaults(tmp_path):
    config = write_config(tmp_path, "del SOCIAL_LINKS, DISCLAIMER, ONION_LOCATION, FEED_MAX_ITEMS, SHOW_UNPUBLISHED")
    settings = load_site(config).settings
    assert settings["SOCIAL_LINKS"] == [] and settings["DISCLAIMER"] is None
    assert settings["SHOW_UNPUBLISHED"] is False and settings["CONTACT_PAGE_SLUG"] == "contact"


def test_debug_shows_the_whole_traceback_of_a_failing_run(tmp_path, capsys, monkeypatch):
    def broken(documents, folder, language, previous=None):
        raise OSError("simulated: no space left on device")

    monkeypatch.setattr("sitebuild.search.write_index", broken)  # the forked runs see it
    config = write_config(tmp_path)
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "out")]) == 1
    short = capsys.readouterr().err
    assert "RuntimeError: search index search/data/: simulated" in short and "Traceback" not in short
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "out"), "--debug"]) == 1
    full = capsys.readouterr().err
    assert "Traceback (most recent call last)" in full and 'search_index/__init__.py", line' in full
