"""What the two evaluations (`run.py`, hand-written; `compare.py`, held-out) share:
building a corpus, the text of the built site's articles and pages, and running
queries in node (`search.mjs`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULES = ROOT / "theme" / "static" / "js" / "search"
RUNNER = HERE / "search.mjs"

SKIPPED_TAGS = {"script", "style", "nav", "form", "label", "footer", "noscript", "template", "svg"}
BLOCKS = {"p", "li", "dt", "dd", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
          "blockquote", "figcaption", "header", "ul", "ol", "dl", "section", "footer"}
BREAK = "\u2029"  # between blocks: not a word character, so never inside a phrase


def _texts(element, skipped_classes: set[str]) -> Iterator[str]:
    classes = set((element.get("class") or "").split())
    if element.tag in SKIPPED_TAGS or classes & skipped_classes:
        return
    if element.tag == "span" and element.getparent().get("class") == "tags":
        return  # the "Tags:" label
    if element.tag in BLOCKS:
        yield BREAK
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _texts(child, skipped_classes)
        if child.tail:
            yield child.tail
    if element.tag in BLOCKS:
        yield BREAK


def item_texts(site: Path, skipped_classes: set[str]) -> Iterator[tuple[str, str, str]]:
    """(url, language, text) of each article and page of a built site (its
    `<article class="item">`, drafts aside), without the elements of `skipped_classes`;
    BREAK between two blocks (paragraphs, list items, headings, fields)."""
    for path in sorted(site.rglob("*.html")):
        raw = path.read_bytes()
        if b'class="item"' not in raw or "drafts" in path.parts:
            continue
        tree = lxml_html.document_fromstring(raw)
        items = tree.xpath("//article[contains(concat(' ', @class, ' '), ' item ')]")
        if items:
            url = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
            text = "".join(part for item in items for part in _texts(item, skipped_classes))
            yield url, (tree.get("lang") or "").lower(), text


def build_content(content: Path, folder: Path) -> Path:
    """Build `content` with the site's own build (development settings); return the site."""
    from bench.run import write_our_config  # the caller has put the project on sys.path
    from sitebuild.build import build

    config = write_our_config(folder, content, folder / ".cache", "evalconf.py", base="pelicanconf")
    return build(config, folder / "site").output


def run_node(runs: list[dict], folder: Path, timeout: float) -> dict:
    """`runs` through search.mjs (its header says what a run is and what comes back),
    with a copy of the search modules in `folder`."""
    modules = folder / "modules"
    shutil.copytree(MODULES, modules, dirs_exist_ok=True)
    # node reads a .js file as an ES module beside this package.json
    (modules / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    job = {"modules": str(modules), "runs": runs}
    result = subprocess.run(["node", str(RUNNER)], input=json.dumps(job), capture_output=True,
                            text=True, check=False, timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"node {RUNNER.name} failed:\n{result.stderr}")
    return json.loads(result.stdout)
