"""`invoke publish`: a checked, strict build first; nothing is published when it fails."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from sitebuild.__main__ import main
from tests.conftest import FIXTURES, ROOT, write_config


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(tmp_path):
    """A project folder that is a git repository with a bare `origin`."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    project = tmp_path / "project"
    content = project / "content"
    shutil.copytree(ROOT / "content", content)
    config = write_config(project, base="publishconf", PATH=content)
    git("init", "-q", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    for key, value in (("user.name", "CI"), ("user.email", "ci@example.org")):
        git("config", key, value, cwd=project)
    return config, content, remote


def test_publish_to_gh_pages_pushes_the_built_site(repository, capsys):
    config, _, remote = repository
    assert main(["publish", "--config", str(config), "--to", "gh-pages"]) == 0
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {"index.html", "en/index.html", ".nojekyll", "sitemap.xml"} <= set(files)
    assert any(name.startswith("theme/css/site.") for name in files)
    assert "published to gh-pages" in capsys.readouterr().out


def test_a_failing_check_publishes_nothing(repository, capsys):
    config, content, remote = repository
    shutil.copy(FIXTURES / "bad_content" / "missing_title.md", content / "en" / "news")
    assert main(["publish", "--config", str(config), "--to", "gh-pages"]) == 1
    assert "title: missing" in capsys.readouterr().err
    assert git("branch", "--list", cwd=remote) == ""


def test_publish_by_rsync_mirrors_the_site(repository, tmp_path):
    if not shutil.which("rsync"):
        if os.environ.get("CI"):
            pytest.fail("rsync is missing: .ci/run installs it")
        pytest.skip("rsync is not installed here (.ci/run installs it)")
    config, _, _ = repository
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("old")
    with config.open("a") as settings:
        settings.write(f"PUBLISH_RSYNC_TARGET = {str(target) + '/'!r}\n")
    assert main(["publish", "--config", str(config), "--to", "rsync"]) == 0
    assert (target / "index.html").is_file() and (target / "en/index.html").is_file()
    assert not (target / "stale.html").exists()


def test_rsync_without_a_target_is_explained(repository, capsys):
    config, _, _ = repository
    assert main(["publish", "--config", str(config), "--to", "rsync"]) == 1
    assert "set PUBLISH_RSYNC_TARGET" in capsys.readouterr().err
