"""The invoke tasks: `--help` works for every one, and no value goes through a shell."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

INVOKE = [sys.executable, "-m", "invoke"]
TASKS = ["build", "check", "serve", "livereload", "new", "status", "scrub-images", "clean", "i18n", "publish",
         "search-eval", "bench"]


def test_every_task_is_listed():
    listed = subprocess.run([*INVOKE, "--list", "--list-format=json"], cwd=ROOT, capture_output=True,
                            text=True).stdout
    assert sorted(entry["name"] for entry in json.loads(listed)["tasks"]) == sorted(TASKS)


@pytest.mark.parametrize("name", TASKS)
def test_help_works_for_every_task(name):
    result = subprocess.run([*INVOKE, name, "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: inv[oke] [--core-opts] {name}")
    # Long flags only: no `-p` meaning production here and port there.
    assert " -p" not in result.stdout and "-p," not in result.stdout


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("pelicanconf.py", "tasks.py", "babel.cfg"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("content", "theme", "plugins", "sitebuild"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_a_title_with_shell_syntax_is_written_literally(project):
    title = """It costs $5 and "more" — it's $(touch PWNED) `touch PWNED2` ; echo; $HOME"""
    result = subprocess.run([*INVOKE, "new", "--kind", "news", "--lang", "en", "--title", title,
                             "--slug", "shell-title"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    written = (project / "content/en/news/shell-title.md").read_text(encoding="utf-8")
    assert f"Title: {title}\n" in written
    assert not (project / "PWNED").exists() and not (project / "PWNED2").exists()


def test_missing_required_options_say_what_to_write(project):
    result = subprocess.run([*INVOKE, "new", "--kind", "news"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 2
    assert "invoke new needs --kind, --lang and --title" in result.stderr
    result = subprocess.run([*INVOKE, "publish"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 2 and "--to gh-pages or --to rsync" in result.stderr


def test_a_failing_build_fails_the_task(project):
    (project / "content/en/news/broken.md").write_text("Title: x\n\nno date\n", encoding="utf-8")
    result = subprocess.run([*INVOKE, "build", "--output", str(project / "out")], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "broken.md:1: date: missing" in result.stdout + result.stderr
