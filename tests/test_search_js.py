"""The search modules' node unit tests (tests/js/search.test.mjs: scoring, excerpts,
phrases, a multi-chunk index), run with `node --test` on an index written here with
small term and lexicon files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from sitebuild import search
from sitebuild.search import Document, write_index
from tests.conftest import ROOT

MODULES = ROOT / "theme" / "static" / "js" / "search"
TESTS = ROOT / "tests" / "js"


def multi_chunk_index(folder, monkeypatch) -> dict:
    """Sixty documents, each with a word of its own (w0007x in document 7), in term and
    lexicon files of about 150 bytes; what the node test must find and not find."""
    monkeypatch.setattr(search, "CHUNK_BYTES", 150)
    documents = [Document(url=f"/n/{n}/", title=f"Note {n}", date="", text=f"shared text w{n:04d}x here",
                          section="News", source=f"en/news/{n}.md") for n in range(60)]
    write_index(documents, folder, "en")
    found, missing = [], []
    for path in sorted((folder / "t").iterdir(), key=lambda p: int(p.stem)):
        keys = [key for key in json.loads(path.read_text(encoding="utf-8")) if key.startswith("w")]
        for key in {keys[0], keys[-1]} if keys else ():
            found.append({"word": key.upper(), "url": f"/n/{int(key[1:5])}/"})
        if keys:
            missing.append(keys[-1][:-1] + "y")  # sorts after the file's last w… key
    return {"found": found, "missing": missing}


def test_search_modules_in_node(tmp_path, monkeypatch):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing; `bash .ci/run` needs Node.js 20", pytrace=False)
    expect = multi_chunk_index(tmp_path / "index", monkeypatch)
    assert len(expect["found"]) >= 10
    (tmp_path / "expect.json").write_text(json.dumps(expect), encoding="utf-8")
    modules = tmp_path / "modules"
    shutil.copytree(MODULES, modules)
    (modules / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    env = {**os.environ, "SEARCH_MODULES": str(modules), "SEARCH_INDEX": str(tmp_path / "index"),
           "SEARCH_EXPECT": str(tmp_path / "expect.json")}
    result = subprocess.run([node, "--test", str(TESTS / "search.test.mjs")], env=env,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 8" in result.stdout, result.stdout
