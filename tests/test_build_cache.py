"""The caches: a cached rebuild after any edit is what a build from scratch gives.

Two builds share one CACHE_PATH and one output folder with an edit between them
(article text, a title, tags, a template, a stylesheet, a catalog, a setting, a
plugin, the slug of a linked item, a published file changed by hand). The second
build must show the edit and be byte-identical to a build of the same files with
an empty cache into a new folder. An unchanged rebuild parses no Markdown and
renders no template (Pelican's content cache and the render_cache plugin are
really used); an edit to one article's text renders only the pages that show it.
Builds that count parses and renders run in this process (`jobs=1`); the plugin
edit needs fresh worker processes, as a plugin module is imported once per process.
"""

from __future__ import annotations

import filecmp
import importlib
import os
import pickle
import shutil
import sys
from pathlib import Path

import jinja2
import pytest
from pelican.readers import MarkdownReader

from sitebuild import check
from sitebuild.build import build
from sitebuild.cache import CACHE_KEY_FILE, RENDER_PENDING, RENDER_RECORD, CachedText
from sitebuild.config import load_site
from sitebuild.errors import BuildError
from sitebuild.inventory import read_inventory
from tests.conftest import ROOT, write_config

SOURCES = sum(1 for _ in (ROOT / "content").glob("*/*/*.md"))
LINKED = "news/call-for-evidence-sanctions-evasion.md"  # the en and ar meeting accounts link to it


@pytest.fixture
def site(tmp_path):
    """Editable copies of the content and the theme, and one cache for every build."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    return tmp_path


@pytest.fixture
def parses(monkeypatch):
    """How many files the Markdown reader parsed (in-process builds only): the
    markdown_reader plugin's, imported as Pelican imports it."""
    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    reader = importlib.import_module("markdown_reader").MarkdownReader
    assert issubclass(reader, MarkdownReader)
    calls = []
    original = reader.read

    def read(self, source_path):
        calls.append(source_path)
        return original(self, source_path)

    monkeypatch.setattr(reader, "read", read)
    return calls


@pytest.fixture
def renders(monkeypatch):
    """The pages rendered from a template (in-process builds only); not the partials
    a page renders through `fragment()`."""
    calls = []
    original = jinja2.Template.render

    def render(self, *args, **kwargs):
        if not self.name.startswith("partials/"):
            calls.append((args[0] if args else kwargs).get("output_file"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    return calls


def build_into(site: Path, name: str, body: str = "", cache: str = "cache", jobs: int = 1) -> Path:
    config = write_config(site / name, body, base="publishconf", PATH=site / "content",
                          THEME=site / "theme", CACHE_PATH=site / cache)
    return build(config, site / name / "output", jobs=jobs).output


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def assert_same_trees(first: Path, second: Path) -> None:
    names = files(first)
    assert names == files(second)
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def assert_as_from_scratch(site: Path, output: Path, body: str = "", jobs: int = 1) -> None:
    """`output` equals a build of the same files and settings with an empty cache."""
    fresh = build_into(site, f"fresh-{len(list(site.glob('fresh-*')))}", body,
                       cache=f"fresh-cache-{len(list(site.glob('fresh-cache-*')))}", jobs=jobs)
    assert_same_trees(output, fresh)


def page(output: Path, path: str) -> str:
    return (output / path / "index.html").read_text(encoding="utf-8")


def test_unchanged_rebuild_parses_and_renders_nothing_and_gives_the_same_bytes(site, parses, renders):
    first = build_into(site, "one")
    assert len(parses) == SOURCES
    assert len(renders) > 40
    for lang in ("ar", "en"):
        assert (site / "cache" / lang / CACHE_KEY_FILE).is_file()
        assert (site / "cache" / lang / RENDER_RECORD).is_file()
    copy = site / "first-output"
    shutil.copytree(first, copy)
    linked = ["en/about/index.html", "news/index.html", "search/data/e.json", "en/search/data/e.json"]
    inodes = [(first / name).stat().st_ino for name in linked]
    parses.clear()
    renders.clear()

    second = build_into(site, "one")
    assert (parses, renders) == ([], [])
    assert_same_trees(copy, second)
    # Unchanged pages and index files are the previous files, hard-linked, not written again.
    assert [(second / name).stat().st_ino for name in linked] == inodes


def test_edited_article_text(site, parses, renders):
    build_into(site, "one")
    article = site / "content" / "en" / LINKED
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n",
                       encoding="utf-8")
    parses.clear()
    renders.clear()

    output = build_into(site, "one")
    assert parses == [str(article)]
    assert "A sentence added after the first build." in page(output, "en/news/call-for-evidence-sanctions-evasion")
    # The article and the listings that show its summary; not the other pages.
    assert "en/news/call-for-evidence-sanctions-evasion/index.html" in renders
    assert "en/index.html" in renders and "en/news/index.html" in renders
    assert not [name for name in renders if not name.startswith("en/")]
    assert len(renders) < 10
    assert_as_from_scratch(site, output)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["title", "tags"])
def test_edited_title_or_tags(site, change, renders):
    """A title is shown by the item's page and the pages that list or read it (recorded
    when they were rendered); tags change the site's structure: every page may show them."""
    build_into(site, "one")
    article = site / "content" / "en" / LINKED
    if change == "title":
        edit(article, "Title: ", "Title: Retitled: ")
    else:
        edit(article, "Tags: ", "Tags: a new tag, ")
    renders.clear()
    output = build_into(site, "one")
    if change == "title":
        assert "Retitled: " in (output / "en" / "archives" / "index.html").read_text(encoding="utf-8")
        assert "en/news/call-for-evidence-sanctions-evasion/index.html" in renders
        assert not [name for name in renders if not name.startswith("en/")], renders
        assert len(renders) < 15, renders
    else:
        assert (output / "en" / "tags" / "a-new-tag" / "index.html").is_file()
    assert_as_from_scratch(site, output)


@pytest.mark.parametrize("change", ["stylesheet", "catalog"])
def test_edited_theme_files(site, change):
    """Pages link the stylesheet by its digest and say what the catalogs say."""
    build_into(site, "one")
    if change == "stylesheet":
        css = site / "theme" / "static" / "css" / "site.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.edited { color: inherit; }\n", encoding="utf-8")
    else:
        edit(site / "theme" / "translations" / "ar" / "LC_MESSAGES" / "messages.po",
             'msgid "Search"\nmsgstr "', 'msgid "Search"\nmsgstr "ابحث ')
    output = build_into(site, "one")
    assert_as_from_scratch(site, output)


def test_a_published_file_changed_by_hand_is_rendered_again(site, renders):
    output = build_into(site, "one")
    about = output / "en" / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8").replace("</main>", "changed by hand</main>"),
                     encoding="utf-8")
    renders.clear()
    output = build_into(site, "one")
    assert renders == ["en/about/index.html"]
    assert "changed by hand" not in about.read_text(encoding="utf-8")
    assert_as_from_scratch(site, output)


def test_a_hand_edit_that_keeps_size_and_modification_time_is_rendered_again(site, renders):
    """The record holds a digest of each published file, not its size and time."""
    output = build_into(site, "one")
    about = output / "en" / "about" / "index.html"
    before = about.stat()
    text = about.read_text(encoding="utf-8")
    assert "<main" in text
    about.write_text(text.replace("<main", "<MAIN", 1), encoding="utf-8")  # same size
    os.utime(about, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert about.stat().st_size == before.st_size
    renders.clear()
    output = build_into(site, "one")
    assert renders == ["en/about/index.html"]
    assert "<MAIN" not in about.read_text(encoding="utf-8")
    assert_as_from_scratch(site, output)


def show_the_report_on_the_about_page(site: Path, markup: str) -> None:
    """The about page's template shows `markup` for the report found in `articles`
    (not in the page's own variables)."""
    edit(site / "theme" / "templates" / "page.html", "{% block content %}",
         '{% block content %}{% for item in articles if item.slug == "caesar-act-first-year" %}'
         f"{markup}{{% endfor %}}")


def test_a_template_that_reads_another_items_body_shows_its_edit(site, renders):
    """The about page shows a report's text found in `articles`, not in its own
    variables: it depends on that report, and renders again when its text changes."""
    show_the_report_on_the_about_page(site, "<aside>{{ item.content }}</aside>")
    output = build_into(site, "one")
    latest = page(output, "en/about")
    last = site / "content" / "en" / "reports" / "caesar-act-first-year.md"
    assert "A sentence only the last article has." not in latest
    last.write_text(last.read_text(encoding="utf-8") + "\nA sentence only the last article has.\n",
                     encoding="utf-8")
    renders.clear()
    output = build_into(site, "one")
    assert "A sentence only the last article has." in page(output, "en/about")
    assert "en/about/index.html" in renders
    assert_as_from_scratch(site, output)


def test_a_fragment_shown_by_another_page_keeps_that_page_current(site, renders):
    """The about page shows a report's summary through `fragment()`, which the listing
    pages rendered first in the same run: the about page still depends on the report
    and renders again when its summary changes."""
    show_the_report_on_the_about_page(site, '{{ fragment("partials/article_summary.html", article=item) }}')
    output = build_into(site, "one")
    assert "on how the Caesar Act sanctions deprived" in page(output, "en/about")
    report = site / "content" / "en" / "reports" / "caesar-act-first-year.md"
    edit(report, "Summary: A brief report on how", "Summary: A revised report on how")
    renders.clear()
    output = build_into(site, "one")
    assert "A revised report on how the Caesar Act" in page(output, "en/about")
    assert "en/about/index.html" in renders
    assert_as_from_scratch(site, output)


def test_each_summary_and_the_footer_are_rendered_once_per_run(site, monkeypatch):
    """A listing page's summaries and every page's footer come from `fragment()`: each
    article's summary is rendered at most twice a run (in its section's listing, which
    leaves the section out, and elsewhere), the footer once per language and Jinja
    environment (Pelican gives each generator its own); every listing page still
    shows its items' summaries."""
    counts: dict[str, int] = {}
    original = jinja2.Template.render

    def render(self, *args, **kwargs):
        counts[self.name] = counts.get(self.name, 0) + 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    output = build_into(site, "one")
    articles = sum(1 for _ in (site / "content").glob("*/[!p]*/*.md"))
    assert 0 < counts["partials/article_summary.html"] <= 2 * articles
    pages = sum(1 for _ in output.rglob("*.html"))
    assert pages > 40
    assert counts["partials/footer.html"] <= 2 * 3
    tag_page = page(output, "en/tags/caesar-act")
    assert "on how the Caesar Act sanctions deprived" in tag_page
    assert tag_page.count('class="site-footer"') == 1


REWRITER = '''
from pelican import signals


def stamp(path, context=None):
    """Rewrites every written page in place, as pelican-plugins/seo does."""
    if path.endswith(".html"):
        with open(path, "a", encoding="utf-8") as page:
            page.write("<!-- stamped -->\\n")


def register():
    signals.content_written.connect(stamp)
'''


def test_a_plugin_that_rewrites_written_pages_gets_fresh_pages_and_never_the_published_ones(site):
    """A listener on `content_written` the cache does not know may change the file it is
    told about: every page is then rendered and written, none linked to the published
    output, so unchanged rebuilds do not grow and a failed build changes nothing."""
    plugins = site / "plugins" / "stamper"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text(REWRITER, encoding="utf-8")
    body = (f"PLUGIN_PATHS = [*PLUGIN_PATHS, {str(site / 'plugins')!r}]\n"
            'PLUGINS = [*PLUGINS, "stamper"]')
    output = build_into(site, "one", body, jobs=2)
    about = output / "en" / "about" / "index.html"
    assert about.read_text(encoding="utf-8").count("<!-- stamped -->") == 1
    published = site / "published-copy"
    shutil.copytree(output, published)
    output = build_into(site, "one", body, jobs=2)
    assert about.read_text(encoding="utf-8").count("<!-- stamped -->") == 1
    assert_same_trees(published, output)
    assert_as_from_scratch(site, output, body, jobs=2)


def test_a_changed_image_renders_the_pages_that_show_it(site, parses, renders):
    """A page's picture markup has the image's size (plugins/responsive_images): the page
    depends on the image's bytes, though its own text did not change."""
    from PIL import Image

    build_into(site, "one")
    photo = site / "content" / "images" / "vigil.jpg"
    with Image.open(photo) as image:
        width, height = image.size
    Image.new("RGB", (width // 2, height // 2), "gray").save(photo, "JPEG")
    parses.clear()
    renders.clear()
    output = build_into(site, "one")
    assert parses == []
    assert f'width="{width // 2}" height="{height // 2}"' in page(output, "en/news/detainees-families-vigil")
    assert "en/news/detainees-families-vigil/index.html" in renders
    assert len(renders) < 15, renders
    assert_as_from_scratch(site, output)


def test_a_failed_build_leaves_the_render_record_and_the_published_files_as_they_were(site, monkeypatch):
    output = build_into(site, "one")
    published = site / "published-copy"
    shutil.copytree(output, published)
    records = {lang: (site / "cache" / lang / RENDER_RECORD).read_bytes() for lang in ("ar", "en")}
    article = site / "content" / "en" / LINKED
    original = article.read_text(encoding="utf-8")
    article.write_text(original + "\nNot published: a sentence of a failed build.\n", encoding="utf-8")

    def failing_swap(staging, output):
        raise BuildError("simulated failure after the language runs")

    with monkeypatch.context() as patched:
        patched.setattr("sitebuild.build.swap_in", failing_swap)
        with pytest.raises(BuildError, match="simulated"):
            build_into(site, "one")
    for lang in ("ar", "en"):
        assert (site / "cache" / lang / RENDER_RECORD).read_bytes() == records[lang]
        assert not (site / "cache" / lang / RENDER_PENDING).exists()
    assert "Not published" not in page(output, "en/news/call-for-evidence-sanctions-evasion")
    # The failed build linked most of the published files into its (deleted) output:
    # none of them changed.
    assert_same_trees(published, output)
    article.write_text(original, encoding="utf-8")
    output = build_into(site, "one")
    assert_as_from_scratch(site, output)


def test_slug_change_of_a_linked_item_updates_the_unchanged_pages_linking_to_it(site, parses):
    build_into(site, "one")
    for lang in ("ar", "en"):
        linked = site / "content" / lang / LINKED
        linked.write_text(linked.read_text(encoding="utf-8").replace(
            "Slug: call-for-evidence-sanctions-evasion", "Slug: send-us-evidence"), encoding="utf-8")
    parses.clear()

    output = build_into(site, "one")
    assert len(parses) == 2  # the two renamed files; the meeting accounts come from the cache
    meeting = page(output, "en/meetings/caesar-alliance-state-department")
    assert "/en/news/send-us-evidence/" in meeting
    assert "call-for-evidence-sanctions-evasion" not in meeting
    assert_as_from_scratch(site, output)


def test_edited_template(site, parses):
    build_into(site, "one")
    base = site / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</body>", '<p class="edited">template edited</p>\n</body>'), encoding="utf-8")
    parses.clear()

    output = build_into(site, "one")
    assert len(parses) == SOURCES  # a new key: the cache was emptied
    assert '<p class="edited">template edited</p>' in page(output, "en/news/call-for-evidence-sanctions-evasion")
    assert_as_from_scratch(site, output)


SETTING_CHANGES = {
    "sitename": (
        'LANGUAGES = [{**LANGUAGES[0], "sitename": "اسم جديد للموقع"}, *LANGUAGES[1:]]',
        "news/call-for-evidence-sanctions-evasion",
        "اسم جديد للموقع",
    ),
    "date pattern": (
        'DATE_PATTERN = "y/MM/dd"',
        "en/news/call-for-evidence-sanctions-evasion",
        ">2021/",
    ),
    # Markdown settings shape the HTML the cache holds: a stale cache would lack the links.
    "markdown": (
        "from markdown.extensions.toc import slugify_unicode\n"
        'MARKDOWN = {**MARKDOWN, "extension_configs": {**MARKDOWN["extension_configs"], '
        '"markdown.extensions.toc": {"slugify": slugify_unicode, "permalink": True}}}',
        "en/news/call-for-evidence-sanctions-evasion",
        'class="headerlink"',
    ),
}


@pytest.mark.parametrize("change", SETTING_CHANGES, ids=list(SETTING_CHANGES))
def test_changed_setting(site, parses, change):
    body, path, expected = SETTING_CHANGES[change]
    before = build_into(site, "one")
    assert expected not in page(before, path)
    parses.clear()

    output = build_into(site, "one", body)
    assert len(parses) == SOURCES
    assert expected in page(output, path)
    assert_as_from_scratch(site, output, body)


PLUGIN = '''
from pelican import signals


def mark_headings(pelican):
    """Adds a permalink to every heading: changes the HTML the reader caches."""
    toc = pelican.settings["MARKDOWN"]["extension_configs"]["markdown.extensions.toc"]
    toc["permalink"] = "{mark}"


def register():
    signals.initialized.connect(mark_headings)
'''


def test_edited_plugin(site):
    plugins = site / "plugins" / "heading_marks"
    plugins.mkdir(parents=True)
    body = (f"PLUGIN_PATHS = [*PLUGIN_PATHS, {str(site / 'plugins')!r}]\n"
            'PLUGINS = [*PLUGINS, "heading_marks"]')
    source = plugins / "__init__.py"
    source.write_text(PLUGIN.replace("{mark}", "mark-one"), encoding="utf-8")
    # Worker processes: each build imports the plugin afresh.
    before = build_into(site, "one", body, jobs=2)
    assert "mark-one" in page(before, "en/news/call-for-evidence-sanctions-evasion")

    source.write_text(PLUGIN.replace("{mark}", "the-second-mark"), encoding="utf-8")
    output = build_into(site, "one", body, jobs=2)
    text = page(output, "en/news/call-for-evidence-sanctions-evasion")
    assert "the-second-mark" in text and "mark-one" not in text
    assert_as_from_scratch(site, output, body, jobs=2)


def test_a_run_with_problems_leaves_no_trusted_cache(site, parses):
    """Read-time warnings are not repeated from a cache: after a failed or warning run,
    the next build parses everything again (and so reports the same problems)."""
    build_into(site, "one")
    key = site / "cache" / "en" / CACHE_KEY_FILE
    key.unlink()  # what a run with errors or warnings leaves
    parses.clear()

    build_into(site, "one")
    assert sorted(parses) == sorted(str(p) for p in (site / "content" / "en").glob("*/*.md"))
    assert key.is_file()


def test_the_content_check_remembers_each_files_problems_but_not_its_links(site, monkeypatch):
    project = load_site(write_config(site / "check", PATH=site / "content", THEME=site / "theme",
                                     CACHE_PATH=site / "cache"))

    def run() -> list[str]:
        items = read_inventory(project.content_root, project.root, project.languages, project.settings)
        return [str(problem) for problem in check.check_content(items, project)]

    checked = []
    original = check._check_item
    monkeypatch.setattr(check, "_check_item", lambda item, site: checked.append(item) or original(item, site))
    assert run() == []
    assert len(checked) == SOURCES
    checked.clear()
    assert run() == [] and checked == []  # every file's problems from the cache

    article = site / "content" / "en" / LINKED
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nA control character: \x07\n", encoding="utf-8")
    assert [line for line in run() if "U+0007" in line] and len(checked) == 1

    # The linked file gone: the unchanged files linking to it are reported, from the cache.
    article.unlink()
    checked.clear()
    missing = [line for line in run() if "points at nothing" in line]
    assert missing and checked == []
    assert all(LINKED in line for line in missing)


def test_saving_the_content_cache_does_not_double_the_html_in_memory(site):
    """CPython's pickler keeps a UTF-8 copy inside every non-ASCII string it pickles:
    Pelican's cache save would double every article's HTML for the rest of the run.
    The reader's strings pickle a copy instead, and a warm run reads them back as such."""
    build_into(site, "one")
    saved = pickle.loads((site / "cache" / "ar" / "ArticlesGenerator-Readers").read_bytes())
    assert len(saved) > 5
    for _stamp, (content, metadata) in saved.values():
        for html in (content, metadata["summary"]):
            assert isinstance(html, CachedText) and html
            size = sys.getsizeof(html)
            pickle.dumps(html)
            assert sys.getsizeof(html) == size
    plain = str(content)  # a plain string (the Arabic text) grows by its UTF-8 form
    size = sys.getsizeof(plain)
    pickle.dumps(plain)
    assert sys.getsizeof(plain) > 1.5 * size
