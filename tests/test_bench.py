"""The benchmark's own tools: a deterministic corpus that passes the content check, and
`python -m bench.run` building it with stock Pelican and with ours, cold and warm, and
printing the table (a tiny corpus here; the figures are in bench/README.md)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

from bench.generate import generate
from sitebuild.check import check_content
from sitebuild.config import load_site
from sitebuild.inventory import read_inventory
from tests.conftest import ROOT, write_config


def tree_digest(folder) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_the_corpus_is_the_same_for_a_seed_and_passes_the_check(tmp_path):
    first, second, other = (generate(tmp_path / name, 12, seed) for name, seed in
                            (("one", 1), ("two", 1), ("three", 2)))
    assert tree_digest(first) == tree_digest(second) != tree_digest(other)
    content = tmp_path / "one" / "content"
    assert len(list((content / "ar").glob("*/*.md"))) == len(list((content / "en").glob("*/*.md"))) > 12
    site = load_site(write_config(tmp_path / "config", base="publishconf", PATH=content))
    problems = check_content(read_inventory(site.content_root, site.root, site.languages, site.settings), site)
    assert problems == []


def test_the_benchmark_prints_the_table_for_stock_and_ours(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--pairs", "6", "--runs", "1", "--work", str(tmp_path / "work"),
         "--preview-edits", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    table = completed.stdout
    for row in ("stock cold", "stock warm", "ours cold", "ours warm"):
        assert re.search(rf"^\| {row} \| \d+\.\d\d \(", table, re.M), row
    assert re.search(r"ours/stock cold: \d+\.\d\d .* ours warm/ours cold: \d+\.\d\d", table)
    assert re.search(r"^\| ours \| \d+ / \d+ \| \d+ / \d+ \|$", table, re.M)  # page and CSS bytes
    assert re.search(r"^\| _run_all \| \d+\.\d\d \| \d+\.\d\d \|$", table, re.M)  # the step table
    # The preview, save to page over HTTP; every text edit applied in place.
    assert re.search(r"^preview edit-to-page: p50 \d+\.\d\d s, p95 \d+\.\d\d s \(3 text edits and a title edit, 4 applied in place",
                     table, re.M), table
