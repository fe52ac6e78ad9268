"""CSS and JS are named by their content hash and referenced by that name."""

from __future__ import annotations

import hashlib
import re
import shutil

from tests.conftest import ROOT, build_site


def hashed(site, folder):
    return sorted(p.name for p in (site.root / "theme" / folder).iterdir())


def sheet(site, stem: str) -> str:
    (name,) = [name for name in hashed(site, "css") if name.startswith(f"{stem}.")]
    return name


def test_assets_are_fingerprinted_and_referenced_by_that_name(sample_site):
    css, search, noscript = (sheet(sample_site, stem) for stem in ("site", "search", "search-noscript"))
    digest = hashlib.sha256((ROOT / "theme/static/css/site.css").read_bytes()).hexdigest()[:10]
    assert css == f"site.{digest}.css" and noscript.startswith("search-noscript.")
    assert not (sample_site.root / "theme/css/site.css").exists()
    for page in sample_site.pages:
        links = sample_site.tree(page).xpath("//link[@rel='stylesheet']/@href")
        on_search = page.parent.name == "search"  # its own sheet, and one for readers without JavaScript
        assert links == [f"/theme/css/{css}"] + ([f"/theme/css/{search}", f"/theme/css/{noscript}"]
                                                 if on_search else []), page
    (js,) = [name for name in hashed(sample_site, "js") if name.startswith("share.")]
    article = sample_site.tree("news/detainees-families-vigil/index.html")
    assert article.xpath("//script[@src]/@src") == [f"/theme/js/{js}"]


def test_a_changed_stylesheet_gets_a_new_name(tmp_path, sample_site):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with (theme / "static/css/site.css").open("a") as css:
        css.write("\n.new-rule { color: inherit; }\n")
    site = build_site(tmp_path / "site", THEME=theme)
    assert hashed(site, "css") != hashed(sample_site, "css")
    assert hashed(site, "js") == hashed(sample_site, "js")  # unchanged scripts keep their names
    name = sheet(site, "site")
    assert re.fullmatch(r"site\.[0-9a-f]{10}\.css", name)
    assert f"/theme/css/{name}" in site.text("en/index.html")
