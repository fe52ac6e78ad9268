"""Optional .gz/.br copies: same bytes once decompressed, and still reproducible."""

from __future__ import annotations

import gzip

import brotli

from tests.conftest import build_site


def test_precompressed_copies_match_and_are_reproducible(tmp_path, production_site):
    first = build_site(tmp_path / "one", "PRECOMPRESS = True", base="publishconf")
    assert not list(production_site.root.rglob("*.gz"))  # off by default
    pages = [p for p in first.root.rglob("*") if p.suffix in (".html", ".css", ".xml", ".js")]
    assert len(pages) > 50
    for page in pages:
        data = page.read_bytes()
        gz, br = page.with_name(page.name + ".gz"), page.with_name(page.name + ".br")
        if not gz.exists():  # pelican-precompress writes no copy that would not be smaller
            assert len(gzip.compress(data)) >= len(data) and len(data) < 200, page
            continue
        assert gzip.decompress(gz.read_bytes()) == data, page
        assert brotli.decompress(br.read_bytes()) == data, page
    second = build_site(tmp_path / "two", "PRECOMPRESS = True", base="publishconf")
    for copy in first.root.rglob("*.gz"):
        assert copy.read_bytes() == (second.root / copy.relative_to(first.root)).read_bytes(), copy
