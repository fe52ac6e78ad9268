"""CI publishes warm: the workflow restores the caches and the previous output, keyed
by the code; a cache restored into another checkout path still builds correctly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT
from tests.test_build_cache import assert_same_trees

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def test_the_build_job_restores_the_caches_and_the_output_it_builds_into():
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    names = [step.get("uses", "").split("@")[0] or step.get("run", "") for step in steps]
    cache = steps[names.index("actions/cache")]
    assert cache["with"]["path"].split() == [".cache", "public"]
    build = next(step["run"] for step in steps if "invoke build" in step.get("run", ""))
    assert "--output public" in build
    assert names.index("actions/cache") < names.index(build)
    # Code, settings, theme and dependencies are in the key and its restore prefix.
    for part in ("requirements.txt", "'*.py'", "sitebuild/**", "plugins/**", "theme/**"):
        assert part in cache["with"]["key"] and part in cache["with"]["restore-keys"]


def checkout(folder: Path) -> Path:
    """The repository's files (as `git ls-files` lists them) in `folder`, as CI checks it out."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source, target = ROOT / name, folder / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


def production_build(folder: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "sitebuild", "build", "--config", "publishconf.py",
                             "--output", "public"], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def edit_an_article(folder: Path) -> None:
    article = folder / "content" / "ar" / "news" / "detainees-families-vigil.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nجملة أضيفت بعد البناء الأول.\n", encoding="utf-8")


def test_caches_restored_into_another_checkout_path_give_a_correct_build(tmp_path):
    first = checkout(tmp_path / "runner-one" / "site")
    production_build(first)
    second = checkout(tmp_path / "elsewhere" / "site")
    for restored in (".cache", "public"):  # what actions/cache restores
        shutil.copytree(first / restored, second / restored, symlinks=True)
    edit_an_article(second)
    production_build(second)
    assert "جملة أضيفت بعد البناء الأول." in (
        second / "public" / "news" / "detainees-families-vigil" / "index.html").read_text(encoding="utf-8")

    fresh = checkout(tmp_path / "elsewhere-fresh" / "site")
    edit_an_article(fresh)
    production_build(fresh)
    assert_same_trees(second / "public", fresh / "public")
