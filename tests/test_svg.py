"""SVG drawings: no script, no outside reference, no drawing program's metadata."""

from __future__ import annotations

import shutil

import pytest

from sitebuild.__main__ import main
from sitebuild.svg import inspect_svg
from tests.conftest import ROOT, write_config

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'
HOSTILE = {
    "script": "<script>alert(document.cookie)</script>",
    "onload": '<rect width="10" height="10" onload="alert(1)"/>',
    "javascript-link": '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
    "javascript-entity": '<a href="jav&#x09;ascript:alert(1)"><text>x</text></a>',
    "outside-image": '<image href="https://tracker.example/pixel.png" width="1" height="1"/>',
    "outside-use": '<use xlink:href="https://evil.example/sprite.svg#icon"/>',
    "foreign-object": '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
    "style-import": "<style>@import 'https://evil.example/x.css';</style>",
    "style-url": '<rect style="fill:url(https://evil.example/p.svg#g)" width="1" height="1"/>',
    "animate-handler": '<rect width="1" height="1"><animate attributeName="x" onbegin="alert(1)"/></rect>',
}
INKSCAPE = ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
            'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'sodipodi:docname="map.svg" inkscape:export-filename="/home/jane.doe/Documents/map.png" '
            'viewBox="0 0 10 10"><!-- Created by Jane Doe -->'
            '<metadata><rdf:RDF><dc:creator>Jane Doe</dc:creator></rdf:RDF></metadata>'
            '<sodipodi:namedview id="base"/><rect width="10" height="10" fill="#8a1c1c"/></svg>')


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_active_or_outside_content_is_found(name):
    active, _metadata = inspect_svg(SVG.format(HOSTILE[name]).encode())
    assert active, name


def test_an_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>'
            + SVG.format("<text>&x;</text>")).encode()
    inspect_svg(data)  # does not raise, and reads nothing
    from sitebuild.svg import scrub_svg
    assert b"TOP SECRET" not in scrub_svg(data)


def test_plain_drawings_pass(tmp_path):
    assert inspect_svg(SVG.format('<a href="#x"><circle id="x" r="3" fill="red"/></a>').encode()) == ([], [])
    for path in [*ROOT.glob("content/images/*.svg"), *ROOT.glob("theme/static/img/*.svg")]:
        assert inspect_svg(path.read_bytes()) == ([], []), path


def test_check_refuses_them_and_scrub_images_removes_the_metadata(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "images" / "hostile.svg").write_text(SVG.format(HOSTILE["onload"]), encoding="utf-8")
    (content / "images" / "inkscape.svg").write_text(INKSCAPE, encoding="utf-8")
    config = write_config(tmp_path / "config", PATH=content)
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "images/hostile.svg:1: svg: the drawing has active content or loads from elsewhere: onload= on <rect>" in out
    assert "images/inkscape.svg:1: metadata: the drawing carries its program's metadata:" in out
    assert main(["scrub-images", "--config", str(config)]) == 0
    cleaned = (content / "images" / "inkscape.svg").read_text(encoding="utf-8")
    assert "Jane" not in cleaned and "/home/" not in cleaned and "sodipodi" not in cleaned
    assert '<rect width="10" height="10" fill="#8a1c1c"/>' in cleaned
    (content / "images" / "hostile.svg").unlink()
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 0
