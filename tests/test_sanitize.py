"""Editor HTML goes through one allow-list (sitebuild/sanitize.py), and nothing it removes
goes unreported.

(a) `invoke check` reports every hostile case of tests/fixtures/hostile_html.py, in the
    body and in `Summary:`, as `path:line: html: what (how to fix)` at the case's line;
(b) the build's reader (plugins/markdown_reader, as Pelican calls it) reports the same
    and returns HTML with nothing executable and nothing loaded from another site;
(c) whole builds: a hostile body or Summary stops the build from the reader's report
    alone, and the previous output stays;
(d) what editors need survives: Arabic bidi markup, tables, figures, footnotes, heading
    ids, abbreviations, details, code, mailto/tel and {static}/{filename} links.
"""

from __future__ import annotations

import copy
import html
import importlib
import logging
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from sitebuild import check
from sitebuild.__main__ import main
from sitebuild.config import load_site
from sitebuild.inventory import read_inventory
from sitebuild.languages import pelican_settings
from sitebuild.sanitize import (
    ELEMENTS,
    GLOBAL_ATTRIBUTES,
    SCHEMES,
    clean_html,
    removals,
    source_line,
)
from tests.conftest import ROOT, write_config
from tests.fixtures.hostile_html import HOSTILE, NEUTRALISED
from tests.test_bad_input import good_output, run_build  # noqa: F401 (good_output: a fixture)

CASES = [(category, name, text) for category, cases in HOSTILE.items() for name, text in cases.items()]
HEADER = "Title: A test item\nDate: 2021-02-01 10:00:00+02:00\nSlug: {slug}\nLang: en\n"
BODY_START = 9  # the case's first line in a body file: 4 header lines, Summary, blank, intro, blank


def body_file(slug: str, text: str) -> str:
    return HEADER.format(slug=slug) + "Summary: A plain summary.\n\nAn introduction.\n\n" + text + "\n\nThe end.\n"


def summary_file(slug: str, text: str) -> str:
    first, *more = text.split("\n")
    return (HEADER.format(slug=slug) + "Summary: " + first + "".join(f"\n    {line}" for line in more)
            + "\n\nA plain body.\n")


def files() -> dict[str, tuple[str, range]]:
    """file name → (text, the lines the hostile case is on)."""
    made = {}
    for category, name, text in CASES:
        lines = text.count("\n") + 1
        made[f"body-{category}-{name}.md"] = (body_file(f"body-{category}-{name}", text),
                                              range(BODY_START, BODY_START + lines))
        made[f"summary-{category}-{name}.md"] = (summary_file(f"summary-{category}-{name}", text),
                                                 range(5, 5 + lines))
    return made


FILES = files()


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile") / "content"
    news = content / "en" / "news"
    news.mkdir(parents=True)
    (content / "ar" / "news").mkdir(parents=True)
    for name, (text, _) in FILES.items():
        (news / name).write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def checked(hostile_content, tmp_path_factory) -> dict[str, list]:
    site = load_site(write_config(tmp_path_factory.mktemp("config"), PATH=hostile_content))
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    by_file: dict[str, list] = {name: [] for name in FILES}
    for problem in check.check_content(items, site):
        by_file[Path(problem.path).name].append(problem)
    return by_file


def test_there_are_enough_hostile_cases_in_every_category():
    assert len(CASES) >= 60
    assert all(len(cases) >= 5 for cases in HOSTILE.values())


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_check_reports_each_case_with_its_file_line_and_a_hint(name, checked, hostile_content):
    _, lines = FILES[name]
    html_problems = [p for p in checked[name] if p.field == "html"]
    assert html_problems, checked[name]
    for problem in html_problems:
        assert problem.path == str(hostile_content / "en" / "news" / name)
        assert problem.line in lines, problem
        assert problem.hint and problem.severity == "error"
        assert str(problem).startswith(f"{problem.path}:{problem.line}: html: ")
        assert str(problem).endswith(")")
        if name.startswith("summary-"):
            assert "in `Summary:`" in problem.message


def test_lines_point_at_the_case_not_at_the_first_match():
    text = "Title: T\nSummary: onclick= is an attribute name\n\nFine text.\n\n[a](/x)\n\n" \
           "[Click][evil]\n\n[evil]: jav&#x61;script:alert(1)\n<p onclick=a>one</p>\n<p onclick=b>two</p>\n"
    lines = text.split("\n")
    assert source_line(lines, ("javascript:alert(1)",), 4, len(lines)) == 10  # through the entity
    assert source_line(lines, ("onclick=",), 4, len(lines)) == 11
    assert source_line(lines, ("onclick=",), 4, len(lines), occurrence=1) == 12
    assert source_line(lines, ("not there",), 4, len(lines)) is None
    split = ["x", '<a href="java', 'script:alert(1)">y</a>']
    assert source_line(split, ("javascript:alert(1)",), 1, 3) == 2


# --- (b) the reader's output ----------------------------------------------------------

LOADING = ("src", "srcset", "poster", "data", "background", "srcdoc")
ADDRESSES = ("href", "action", "formaction", "xlink:href", "cite", *LOADING)
NEVER = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style",
         "form", "input", "button", "textarea", "select", "svg", "math", "noscript", "template", "video",
         "audio", "source", "track", "picture", "isindex", "title", "xmp", "noembed"}
SPACE_AND_CONTROLS = re.compile(r"[\s\x00-\x1f\x7f]+")


def dangers(fragment: str) -> list[str]:
    """Everything in `fragment` that would run, load from another site or restyle the page."""
    # A parser folds these into the page's own (`<body onload>`): lxml hides them, so look at the text.
    found = [f"<{tag.lower()}>" for tag in re.findall(r"<(html|head|body)[\s/>]", fragment, re.IGNORECASE)]
    if not fragment.strip():
        return found
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in NEVER:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            # Every address of a srcset; any other value whole, decoded, without spaces or controls.
            candidates = [c.split()[0] for c in value.split(",") if c.split()] if name == "srcset" else [value]
            addresses = [SPACE_AND_CONTROLS.sub("", html.unescape(c)).lower().replace("\\", "/") for c in candidates]
            schemes = [m[1] for m in (re.match(r"([a-z][a-z0-9+.-]*):", a) for a in addresses) if m]
            if name.startswith("on") or name == "style":
                found.append(f"{name}=")
            elif name in ADDRESSES and set(schemes) - {"http", "https", "mailto", "tel"}:
                found.append(f"{name}={value}")
            elif name in LOADING and (schemes or any(a.startswith("//") for a in addresses)):
                found.append(f"{name}={value} (another site)")
            elif name == "class" and "visually-hidden" in value:
                found.append("class=visually-hidden")
    return found


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """The plugin as Pelican imports it (from PLUGIN_PATHS) and its logged problems."""
    plugin_path = str(ROOT / "plugins")
    import sys

    sys.path.insert(0, plugin_path)
    try:
        plugin = importlib.import_module("markdown_reader")
    finally:
        sys.path.remove(plugin_path)
    site = load_site(write_config(tmp_path_factory.mktemp("reader-config")))
    shared = {**site.settings, "OUTPUT_PATH": str(tmp_path_factory.mktemp("out")),
              "TRANSLATION_INDEX": {}, "SECTION_INDEX": {}}
    english = next(lang for lang in site.languages if lang.code == "en")
    settings = copy.deepcopy(pelican_settings(shared, english, site.languages))
    return plugin, plugin.MarkdownReader(settings)


class Problems(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.problems = []

    def emit(self, record):
        self.problems.append(record.problem)


def read(reader, path: Path):
    plugin, instance = reader
    handler = Problems()
    logging.getLogger(plugin.__name__).addHandler(handler)
    try:
        content, metadata = instance.read(str(path))
    finally:
        logging.getLogger(plugin.__name__).removeHandler(handler)
    return content, metadata, handler.problems


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_reader_reports_each_case_and_keeps_nothing_dangerous(name, reader, hostile_content, checked):
    path = hostile_content / "en" / "news" / name
    content, metadata, logged = read(reader, path)
    assert dangers(content) == []
    assert dangers(metadata.get("summary", "")) == []
    # The same problems as the check's (the build's reader and `invoke check` agree).
    assert sorted(logged) == sorted(p for p in checked[name] if p.field == "html")
    assert all(problem.path == str(path) for problem in logged)


@pytest.mark.parametrize("name", sorted(NEUTRALISED))
def test_what_markdown_prints_as_text_stays_harmless(name, reader, tmp_path):
    path = tmp_path / f"{name}.md"
    path.write_text(body_file(name, NEUTRALISED[name]), encoding="utf-8")
    content, _, logged = read(reader, path)
    assert dangers(content) == [] and logged == []


def test_the_dangers_test_finds_dangers():
    """The assertion above can fail: on uncleaned HTML, it finds every kind."""
    raw = ('<body onload=x><script></script><p onclick="x" style="color:red">x</p><a href=" jav&#x09;ascript:x">j</a>'
           '<img src="//evil.example/a.png" alt="a"><img src="\\\\evil.example\\a.png" alt="b">'
           '<a href="/" class="visually-hidden">h</a><img src="/a.png" srcset="/a.png 1x, https://evil.example/b.png 2x">')
    assert dangers(raw) == ["<body>", "<script>", "onclick=", "style=", "href= jav\tascript:x",
                            "src=//evil.example/a.png (another site)", "src=\\\\evil.example\\a.png (another site)",
                            "class=visually-hidden", "srcset=/a.png 1x, https://evil.example/b.png 2x (another site)"]


# --- (c) whole builds ---------------------------------------------------------------------


def test_during_a_build_the_reader_reports_what_the_check_does_not_render(tmp_path, good_output, capsys,  # noqa: F811
                                                                          monkeypatch):
    """The build's content check renders no Markdown (it shares the CPU with the runs): a
    hostile Summary and body still stop the build, with file and line, from the reader."""

    class NoRendering:
        def __init__(self, site):
            raise AssertionError("the build's content check rendered Markdown")

    monkeypatch.setattr(check, "_HtmlCheck", NoRendering)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / "en" / "news" / "hostile.md"
    target.write_text(HEADER.format(slug="hostile") + 'Summary: See <a href="/" onmouseover="steal()">this</a>.\n'
                      "\nAn introduction.\n\n[Click][e]\n\n[e]: jav&#x61;script:alert(1)\n", encoding="utf-8")
    status, printed, output = run_build(tmp_path, good_output, capsys, PATH=content)
    assert status == 1
    assert "Traceback" not in printed
    expected = [f"{target}:5: html: onmouseover= attribute runs a script, in `Summary:` (remove the attribute)",
                f"{target}:11: html: javascript: link (link to a normal web address, https://…)",
                "content check: 2 errors; nothing was published"]
    assert set(expected) <= set(printed.splitlines())
    # Again: Pelican's content cache of the failed run is not trusted, so the reader reads
    # the file again and reports it again (from a cache, the build would publish it).
    assert main(["build", "--config", str(tmp_path / "config" / "siteconf.py"), "--output", str(output)]) == 1
    assert set(expected) <= set(capsys.readouterr().err.splitlines())


# --- (d) what must survive ----------------------------------------------------------------

KEPT = """Title: Everything an editor may write
Date: 2021-02-01 10:00:00+02:00
Slug: everything-allowed
Lang: ar
Summary: ملخص فيه <bdi>Caesar Act</bdi> و<span lang="en" dir="ltr">English</span>.

[TOC]

## عنوان أول

نص عن <bdi>Caesar Act</bdi> و<bdo dir="ltr">abc</bdo> و<span lang="en">English</span>.

Whole paragraph in English.
{: dir="ltr" lang="en" }

Water is H<sub>2</sub>O and E = mc<sup>2</sup>; the HTML spec[^spec] and the WHO[^who].

*[WHO]: World Health Organization

| Left | Centre | Right |
|:-----|:------:|------:|
| 1    | 2      | 3     |

<figure>
<img src="{static}/images/sample-map.svg" srcset="/images/sample-map.svg 2x" alt="a map">
<figcaption>A map</figcaption>
</figure>

<details open><summary>More</summary>Hidden text.</details>

```python
print("hello")
```

Write to <evidence@example.org>, call [+44 7700 900000](tel:+447700900000),
read [the call]({filename}/ar/news/call-for-evidence-sanctions-evasion.md) or
[another site](https://example.org/page?a=1&b=2).

<abbr title="Caesar Syria Civilian Protection Act">Caesar Act</abbr>, <time datetime="2021-01-26">26 January</time>,
<del>old</del> <ins>new</ins>, <kbd>Ctrl</kbd>, <mark>marked</mark>, <q>quoted</q>.

[^spec]: The WHATWG HTML Living Standard.
[^who]: Second note.
"""


@pytest.fixture(scope="module")
def kept(reader, tmp_path_factory):
    path = tmp_path_factory.mktemp("kept") / "everything-allowed.md"
    path.write_text(KEPT, encoding="utf-8")
    return read(reader, path)


def test_what_editors_need_is_kept_and_not_reported(kept):
    content, metadata, logged = kept
    assert logged == []
    root = lxml.html.fragment_fromstring(content, create_parent="div")

    def one(xpath: str):
        found = root.xpath(xpath)
        assert found, xpath
        return found[0]

    assert one("//bdi").text == "Caesar Act"
    assert one("//bdo").get("dir") == "ltr"
    assert one("//span").get("lang") == "en"
    paragraph = one("//p[@dir]")
    assert (paragraph.get("dir"), paragraph.get("lang"), paragraph.text) == ("ltr", "en", "Whole paragraph in English.")
    assert one("//sub").text == "2" and one("//sup[not(@id)]").text == "2"
    # Footnotes: references, notes and back-links with their ids and classes.
    ref = one("//sup[@id='fnref:spec']/a")
    assert (ref.get("class"), ref.get("href")) == ("footnote-ref", "#fn:spec")
    assert one("//div[@class='footnote']//li[@id='fn:spec']//a").get("class") == "footnote-backref"
    assert one("//li[@id='fn:spec']//a[@class='footnote-backref']").get("href") == "#fnref:spec"
    # The table of contents and its heading ids.
    heading = one("//h2")
    assert heading.get("id") and one("//div[@class='toc']//a").get("href") == "#" + heading.get("id")
    assert one("//abbr[text()='WHO']").get("title") == "World Health Organization"
    assert one("//abbr[text()='Caesar Act']").get("title") == "Caesar Syria Civilian Protection Act"
    assert [cell.get("class") for cell in root.xpath("//tbody//td")] == ["align-left", "align-center", "align-right"]
    image = one("//figure/img")
    assert (image.get("src"), image.get("srcset")) == ("{static}/images/sample-map.svg", "/images/sample-map.svg 2x")
    assert one("//figure/figcaption").text == "A map"
    assert one("//details").get("open") is not None and one("//details/summary").text == "More"
    assert one("//pre/code").get("class") == "language-python"
    assert one("//a[starts-with(@href, 'mailto:')]").get("href") == "mailto:evidence@example.org"
    assert one("//a[starts-with(@href, 'tel:')]").get("href") == "tel:+447700900000"
    assert one("//a[starts-with(@href, '{filename}')]").get("href") == (
        "{filename}/ar/news/call-for-evidence-sanctions-evasion.md")
    assert one("//a[starts-with(@href, 'https:')]").get("href") == "https://example.org/page?a=1&b=2"
    assert one("//time").get("datetime") == "2021-01-26"
    for tag in ("del", "ins", "kbd", "mark", "q"):
        one(f"//{tag}")
    assert "style=" not in content
    summary = lxml.html.fragment_fromstring(metadata["summary"], create_parent="div")
    assert summary.xpath("//bdi")[0].text == "Caesar Act"
    assert summary.xpath("//span")[0].get("lang") == "en"


def test_the_allow_list_keeps_well_formed_markdown_output_unchanged(kept):
    """What our Markdown writes passes the sanitiser as it is (entities aside)."""
    content, _, _ = kept
    assert html.unescape(clean_html(content)) == html.unescape(content)
    assert removals(content) == []


def test_the_sample_site_has_no_html_problems(tmp_path):
    site = load_site(write_config(tmp_path / "config"))
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    assert [str(p) for p in check.check_content(items, site) if p.field == "html"] == []


def test_static_and_filename_links_still_resolve_in_a_built_page(sample_site):
    page = sample_site.text("en/news/call-for-evidence-sanctions-evasion/index.html")
    root = lxml.html.fromstring(page)
    body = root.xpath("//div[@class='body']")[0]
    image = body.xpath(".//img")[0]
    assert image.get("src").endswith("/images/sample-map.svg") and "{static}" not in page
    assert any(a.get("href").endswith("/en/contact/") for a in body.xpath(".//a"))
    assert "{filename}" not in page


def test_the_readme_lists_the_allow_list():
    """Editors read the allow-list in the README: it names every element, attribute and scheme."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What HTML you may write", 1)[1].split("\n### ", 1)[0]
    words = set(re.findall(r"[a-z][a-z0-9]*", section))
    assert set(ELEMENTS) - {"h2", "h3", "h4", "h5"} <= words  # h1–h6
    assert set(GLOBAL_ATTRIBUTES).union(*ELEMENTS.values()) <= words
    assert words >= SCHEMES


VALUES = {"id": "x", "class": "footnote", "dir": "rtl", "lang": "ar", "title": "t", "href": "https://example.org/",
          "hreflang": "en", "rel": "nofollow", "src": "/images/a.png", "srcset": "/images/a.png 2x", "alt": "a",
          "width": "10", "height": "10", "loading": "lazy", "start": "2", "reversed": "", "type": "a",
          "value": "1", "datetime": "2021-01-01", "span": "2", "colspan": "2", "rowspan": "2", "headers": "h",
          "scope": "col", "abbr": "a", "open": ""}
# Where an element may stand (a parser drops a <td> outside a table).
CONTEXT = {"li": "<ul>{}</ul>", "dt": "<dl>{}</dl>", "dd": "<dl>{}</dl>", "summary": "<details>{}</details>",
           "figcaption": "<figure>{}</figure>", "rt": "<ruby>x{}</ruby>", "rp": "<ruby>x{}</ruby>",
           "caption": "<table>{}</table>", "colgroup": "<table>{}</table>", "col": "<table><colgroup>{}</colgroup></table>",
           "thead": "<table>{}</table>", "tbody": "<table>{}</table>", "tfoot": "<table>{}</table>",
           "tr": "<table><tbody>{}</tbody></table>", "th": "<table><tbody><tr>{}</tr></tbody></table>",
           "td": "<table><tbody><tr>{}</tr></tbody></table>"}
VOID = {"br", "hr", "img", "wbr", "col"}


@pytest.mark.parametrize("tag", sorted(ELEMENTS))
def test_every_element_and_attribute_of_the_allow_list_is_kept_and_not_reported(tag):
    """The tables are ammonia's settings and the report's rules at once: what they allow,
    nh3 keeps and `removals` does not report."""
    attributes = sorted(GLOBAL_ATTRIBUTES | ELEMENTS[tag])
    start = f"<{tag} " + " ".join(f'{name}="{VALUES[name]}"' for name in attributes) + ">"
    snippet = CONTEXT.get(tag, "{}").format(start if tag in VOID else f"{start}text</{tag}>")
    assert removals(snippet) == []
    element = lxml.html.fragment_fromstring(clean_html(snippet), create_parent="article").xpath(f"//{tag}")[0]
    assert dict(element.attrib) == {name: VALUES[name] for name in attributes}
