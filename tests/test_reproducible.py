"""The same commit always produces the same bytes."""

from __future__ import annotations

import filecmp

from tests.conftest import build_site


def all_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_two_production_builds_in_different_folders_are_byte_identical(tmp_path):
    first = build_site(tmp_path / "one", base="publishconf")
    second = build_site(tmp_path / "two" / "nested", base="publishconf")
    files = all_files(first.root)
    assert files == all_files(second.root)
    assert len(files) > 50
    _, mismatch, errors = filecmp.cmpfiles(first.root, second.root, files, shallow=False)
    assert mismatch == [] and errors == []
