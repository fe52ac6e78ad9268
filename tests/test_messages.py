"""The check's messages, the build summary and `invoke new` in the editor's language."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sitebuild.__main__ import main
from sitebuild.errors import Problem
from sitebuild.messages import (
    KEYWORDS,
    LOCALE_DIR,
    editor_language,
    msg,
    nmsg,
    translate,
    translations_for,
)
from tests.conftest import FIXTURES, ROOT, write_config

ARABIC = translations_for("ar")


@pytest.fixture
def broken(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name in ("missing_title.md", "ambiguous_numeric_date.md", "duplicate_slug.md"):
        shutil.copy(FIXTURES / "bad_content" / name, content / "en" / "news")
    return content, write_config(tmp_path / "config", PATH=content)


def test_the_check_speaks_arabic(broken, capsys):
    content, config = broken
    capsys.readouterr()
    assert main(["check", "--config", str(config), "--messages-lang", "ar"]) == 1
    out = capsys.readouterr().out
    assert f"{content}/en/news/missing_title.md:1: title: مفقود (أضف السطر `Title: ...` في الأعلى)" in out
    assert ("date: «3/1/2021» يمكن أن يُقرأ 3 January 2021 (يوم/شهر) أو March 1, 2021 (شهر/يوم) "
            "(اكتب التاريخ بالشكل YYYY-MM-DD، مثل 2021-01-03)") in out
    assert "slug: «detainees-families-vigil» مستخدم من قبل في" in out
    assert out.rstrip().endswith("فُحص 24 ملفاً: 3 أخطاء، لا تحذيرات")


def test_the_environments_locale_chooses_the_language(broken):
    content, config = broken
    env = {**os.environ, "LANG": "ar_SY.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    env.pop("SITEBUILD_MESSAGES_LANG")
    result = subprocess.run([sys.executable, "-m", "sitebuild", "check", "--config", str(config)], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert "title: مفقود" in result.stdout
    env["LANG"] = "en_GB.UTF-8"
    result = subprocess.run([sys.executable, "-m", "sitebuild", "check", "--config", str(config)], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert "title: missing (add a line" in result.stdout


def test_without_a_language_in_the_environment_the_sites_first_language_is_used(monkeypatch):
    for variable in ("SITEBUILD_MESSAGES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert editor_language(None, ["ar", "en"]) == "ar"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert editor_language(None, ["ar", "en"]) == "ar"
    assert editor_language("en", ["ar", "en"]) == "en"


def test_the_build_summary_and_its_errors_speak_arabic(broken, tmp_path, capsys):
    content, config = broken
    capsys.readouterr()
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "out"), "--messages-lang", "ar"]) == 1
    assert "فحص المحتوى: 3 أخطاء؛ لم يُنشر شيء" in capsys.readouterr().err
    for name in ("missing_title.md", "ambiguous_numeric_date.md", "duplicate_slug.md"):
        (content / "en" / "news" / name).unlink()
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "out"), "--messages-lang", "ar"]) == 0
    summary = capsys.readouterr().out
    assert "بُني الموقع في" in summary and "ar: 11 مادة، 34 صفحة" in summary
    assert "تعرض المعاينة لا مسودات ولا مواد مؤجلة النشر لا تُنشر بعد" in summary
    assert "؛ ar: " in summary  # the Arabic semicolon between the parts


@pytest.mark.parametrize("n, words", [(0, "لا أخطاء"), (1, "خطأ واحد"), (2, "خطآن"), (3, "3 أخطاء"),
                                      (11, "11 خطأً"), (100, "100 خطأ")])
def test_arabic_plural_forms(n, words):
    assert translate(nmsg("{n} error", "{n} errors", n), ARABIC) == words


def test_new_says_what_to_do_next_in_arabic(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    config = write_config(tmp_path / "config", PATH=content)
    capsys.readouterr()
    assert main(["new", "news", "--lang", "ar", "--title", "خبر", "--slug", "x", "--config", str(config),
                 "--messages-lang", "ar"]) == 0
    assert "الملفات الجديدة مسودات" in capsys.readouterr().err


def test_messages_survive_pickling_and_stay_english_by_default():
    problem = Problem("a.md", 2, "date", msg("'{value}' is not a date", value="x"), msg("missing"))
    again = pickle.loads(pickle.dumps(problem))
    assert str(again) == "a.md:2: date: 'x' is not a date (missing)"
    assert again.localized(ARABIC) == "a.md:2: date: «x» ليس تاريخاً (مفقود)"


def test_every_message_of_the_build_is_translated_in_arabic():
    with (LOCALE_DIR / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    missing = []
    for folder in (ROOT / "sitebuild", ROOT / "plugins"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            entry = catalog.get(message if isinstance(message, str) else message)
            strings = entry.string if entry else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if not entry or entry.fuzzy or not all(strings):
                missing.append(message)
    assert missing == []
