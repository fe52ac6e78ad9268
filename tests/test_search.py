"""Site search: the search page in each language, the header link, the search index
(one per language, at SEARCH_INDEX_URL, articles and pages only, read back as the
browser reads it), and a failed index failing the build."""

from __future__ import annotations

import json
import shutil
from bisect import bisect_right
from pathlib import Path

import pytest

from sitebuild.errors import BuildError
from sitebuild.search import TITLE, WEIGHT_SCALE, word_keys, words
from tests.conftest import ROOT, build_site

LANGS = {"ar": ("", "rtl", "بحث"), "en": ("en/", "ltr", "Search")}
ARTICLE = "news/detainees-families-vigil/"  # in both languages


class Index:
    """One language's index in a built site, read as search.js reads it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def chunk(self, number: int) -> dict[str, list[int]]:
        return json.loads((self.folder / "t" / f"{number}.json").read_text(encoding="utf-8"))

    def chunk_of(self, term: str) -> int:
        """The chunk `term` sorts into: the last one whose first term is <= it."""
        return bisect_right(self.meta["chunks"], term) - 1

    def forms(self, term: str) -> set[str]:
        """The cleaned words of the site indexed under a key."""
        listed = self.chunk(self.chunk_of(term))[term][0]
        return set(listed.split()) if listed else {term}

    def postings(self, term: str) -> dict[int, tuple[int, bool, list[int]]]:
        """{document id: (weight, split only, passages)} of a key (ids and
        passage numbers are stored as deltas)."""
        listed = self.chunk(self.chunk_of(term))[term][1:]
        found, at, previous = {}, 0, 0
        while at < len(listed):
            previous += listed[at]
            packed, count = listed[at + 1], listed[at + 2]
            positions, place = [], TITLE
            for delta in listed[at + 3: at + 3 + count]:
                place += delta
                positions.append(place)
            found[previous] = (packed >> 1, bool(packed & 1), positions)
            at += 3 + count
        return found

    def ids(self) -> list[int]:
        docs, found, previous = json.loads((self.folder / "docs.json").read_text())["docs"], [], 0
        for delta in docs[0::3]:
            previous += delta
            found.append(previous)
        return found

    def document(self, number: int, passage: int = 0) -> dict:
        from sitebuild.search import BLOCK

        block = json.loads((self.folder / "d" / f"{number}-{passage // BLOCK}.json").read_text(encoding="utf-8"))
        passages = block.pop("passages")
        return {**block, **(passages.get(str(passage)) or next(iter(passages.values())))}

    def documents(self) -> list[dict]:
        return [self.document(number) for number in self.ids()]


def index_of(site, lang: str) -> Index:
    return Index(site.root / f"{LANGS[lang][0]}search/data")


def content_pages(site, lang: str) -> set[str]:
    """The site-relative URLs of the articles and pages of a language (their
    `<article class="item">`), drafts and the search pages aside."""
    found = set()
    for page in site.pages:
        relative = page.relative_to(site.root).as_posix()
        tree = site.tree(page)
        if ("drafts" not in page.parts and tree.get("lang") == lang
                and tree.xpath("//main//article[@class='item']")):
            found.add("/" + relative.removesuffix("index.html"))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_search_page_is_localized_and_says_what_to_do_without_javascript(sample_site, lang):
    prefix, direction, title = LANGS[lang]
    page = sample_site.tree(f"{prefix}search/index.html")
    assert (page.get("lang"), page.get("dir")) == (lang, direction)
    assert page.xpath("string(//main//h1)") == title
    assert page.xpath("//title/text()")[0].startswith(title)
    # Without JavaScript: a message and links to the archives and tags (the form is
    # shown from the start, so that nothing moves when the script runs).
    noscript = sample_site.text(f"{prefix}search/index.html").split("<noscript>")[2]
    assert ("JavaScript" in noscript) if lang == "en" else ("جافاسكربت" in noscript)
    assert f'href="/{prefix}archives/"' in noscript and f'href="/{prefix}tags/"' in noscript
    form = page.xpath("//form[@data-search]")[0]
    assert form.get("hidden") is None and form.get("role") == "search"
    [hide] = page.xpath("//head/noscript/link[@rel='stylesheet']/@href")
    assert hide.startswith("/theme/css/search-noscript.") and sample_site.resolves(hide)
    assert form.get("data-index") == f"/{prefix}search/data/"
    field = form.xpath(".//input[@type='search']")[0]
    assert form.xpath(f"string(.//label[@for='{field.get('id')}'])").strip()
    status = page.xpath("//*[@id='search-status']")[0]
    assert (status.get("role"), status.get("aria-live")) == ("status", "polite")
    # Messages for the script, in the page's language, with every plural form.
    messages = json.loads(page.xpath("//script[@id='search-messages']/text()")[0])
    assert set(messages["results"]) == {"zero", "one", "two", "few", "many", "other"}
    if lang == "ar":
        assert messages["results"]["two"] == "نتيجتان"
        assert messages["results"]["few"] == "{n} نتائج"
        assert "«{query}»" in messages["none"]
    else:
        assert (messages["results"]["one"], messages["results"]["other"]) == ("{n} result", "{n} results")
    # The scripts come from the site (fingerprinted), nothing from elsewhere: the page
    # module, and the engine and text modules it imports by the names the form gives.
    [script] = page.xpath("//script[@type='module']/@src")
    assert script.startswith("/theme/js/search/page.") and sample_site.resolves(script)
    for name in ("engine", "text"):
        module = form.get(f"data-{name}")
        assert module.startswith(f"/theme/js/search/{name}.") and sample_site.resolves(module)
    # The language switcher and hreflang lead to the other language's search page.
    other, other_lang = ("en/", "en") if lang == "ar" else ("", "ar")
    hreflang = page.xpath(f"//link[@rel='alternate'][@hreflang='{other_lang}']/@href")
    assert hreflang == [f"/{other}search/"]
    assert f"/{other}search/" in page.xpath("//nav[contains(@class,'language-switch')]//a/@href")


def test_every_page_header_links_to_its_language_search_page(production_site):
    site = production_site
    for page in site.pages:
        tree = site.tree(page)
        prefix = LANGS[tree.get("lang")][0]
        links = tree.xpath("//header//nav[contains(@class,'main-nav')]//a/@href")
        assert f"{site.siteurl}/{prefix}search/" in links, page
    assert len(site.pages) > 40
    search = site.tree("search/index.html")
    assert search.xpath("//nav[contains(@class,'main-nav')]//a[@aria-current='page']/text()") == ["بحث"]


@pytest.mark.parametrize("lang", LANGS)
def test_one_index_per_language_with_its_articles_and_pages(production_site, lang):
    site = production_site
    prefix = LANGS[lang][0]
    index = index_of(site, lang)
    meta = index.meta
    assert (meta["language"], meta["version"]) == (lang, 3)
    assert meta["documents"] == site.report.items[lang]
    assert len(index.ids()) == meta["documents"] == len(set(index.ids()))
    # Every document is an article or page of this language that the build wrote:
    # all of them, and no listing, tag page, home or search page.
    urls = [document["url"] for document in index.documents()]
    assert all(url.startswith(f"{site.siteurl}/{prefix}") and site.resolves(url) for url in urls)
    assert {url.removeprefix(site.siteurl) for url in urls} == content_pages(site, lang)
    assert len(set(urls)) == len(urls) == meta["documents"]
    # Shown as the article shows them: its title and its localized date.
    article = next(d for d in index.documents() if d["url"] == f"{site.siteurl}/{prefix}{ARTICLE}")
    tree = site.tree(f"{prefix}{ARTICLE}index.html")
    assert article["title"] == tree.xpath("string(//main//h1)")
    assert article["date"] == ("15 فبراير 2021" if lang == "ar" else "15 February 2021")
    assert article["text"][:40] in " ".join(tree.xpath("string(//main//div[@class='body'])").split())
    assert article["section"] == ("الأخبار" if lang == "ar" else "News") and article["field"] == "text"
    assert len(article["text"].split()) <= 60  # a passage, not the whole text
    # The term files cover `chunks`, each in code point order inside its range.
    chunks = meta["chunks"]
    assert chunks == sorted(chunks) and len(list((index.folder / "t").iterdir())) == len(chunks)
    for number, first in enumerate(chunks):
        terms = list(index.chunk(number))
        assert terms == sorted(terms) and terms[0] == first
        assert number + 1 == len(chunks) or terms[-1] < chunks[number + 1]
    # Nothing of the old Pagefind bundle.
    assert not (site.root / "pagefind").exists()


@pytest.mark.parametrize(("lang", "word"), [("ar", "المعتقلين"), ("en", "Vigils")])
def test_a_word_of_an_article_leads_to_it(sample_site, lang, word):
    index = index_of(sample_site, lang)
    [term] = word_keys(word, lang).own
    assert word in sample_site.text(f"{LANGS[lang][0]}{ARTICLE}index.html")
    chunk = index.chunk(index.chunk_of(term))
    assert term in chunk
    postings = index.postings(term)
    found = {index.document(number)["url"]: weight for number, weight in postings.items()}
    weight, split, passages = found[f"/{LANGS[lang][0]}{ARTICLE}"]
    assert 1 <= weight <= 3 * WEIGHT_SCALE and not split and passages == sorted(passages)
    # The word is in the first passage it lists, and among the key's forms.
    from sitebuild.search import clean

    number = next(n for n, (w, s, p) in postings.items() if index.document(n)["url"].endswith(ARTICLE))
    assert passages[0] == TITLE  # in the title, then in the text
    shown = index.document(number, passages[1])
    assert word.lower() in shown["text"].lower() and clean(word) in index.forms(term)
    assert set(postings) <= set(index.ids())


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_meeting_page_shows_above_its_body_is_found(sample_site, lang):
    """Every word of a meeting account's facts card (its headings and counts as well as
    the values the front matter holds) and of the section's name above the title leads
    to the page: a reader searches what the page shows."""
    index = index_of(sample_site, lang)
    urls = {}

    def found(key):
        if key not in urls:
            chunk = index.chunk(index.chunk_of(key))
            urls[key] = {index.document(n)["url"] for n in index.postings(key)} if key in chunk else set()
        return urls[key]

    meetings = 0
    for page in sample_site.pages:
        tree = sample_site.tree(page)
        card = tree.xpath("//article[@class='item']//section[@class='facts']")
        if "drafts" in page.parts or tree.get("lang") != lang or not card:
            continue
        meetings += 1
        url = "/" + page.relative_to(sample_site.root).as_posix().removesuffix("index.html")
        section = tree.xpath("//article[@class='item']/header/p[@class='meta']/a")[0].text_content()
        shown = " ".join([*card[0].itertext(), section])
        missing = [word for word in sorted(set(words(shown)))
                   if not any(url in found(key) for key in word_keys(word, lang).own)]
        assert not missing, (url, missing)
    assert meetings >= 3


def test_a_failing_index_fails_the_build_and_keeps_the_output(tmp_path, monkeypatch):
    site = build_site(tmp_path)
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))

    def broken(documents, folder, language, previous=None):
        raise OSError("simulated: no space left on device")

    # The language runs are forked from this process: they see the replacement.
    monkeypatch.setattr("sitebuild.search.write_index", broken)
    with pytest.raises(BuildError) as raised:
        build_site(tmp_path)
    message = str(raised.value)
    for lang, prefix in (("ar", ""), ("en", "en/")):
        assert (f"{lang}: pelican: RuntimeError: search index {prefix}search/data/: "
                "simulated: no space left on device") in message.splitlines()
    assert message.endswith("Pelican reported errors; nothing was published")
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output-building-")]


def test_the_index_is_built_after_the_run_has_let_its_articles_go(tmp_path, monkeypatch):
    """Its postings take the memory Pelican's articles and their HTML held (at 10,000
    articles a language's process peaked 88 MiB lower): when the index is written, no
    Article of the run is alive, and the index is the one the site serves."""
    import gc

    from pelican.contents import Article

    from sitebuild import search

    write_index = search.write_index

    def counting(documents, folder, language, previous=None):
        alive = sum(isinstance(thing, Article) for thing in gc.get_objects())
        (tmp_path / f"alive-{language}").write_text(str(alive), encoding="utf-8")
        return write_index(documents, folder, language, previous)

    monkeypatch.setattr("sitebuild.search.write_index", counting)  # the forked runs see it
    site = build_site(tmp_path / "site")
    assert {lang: (tmp_path / f"alive-{lang}").read_text(encoding="utf-8") for lang in LANGS} == {
        "ar": "0", "en": "0"}
    assert len(index_of(site, "ar").ids()) >= 10 and len(index_of(site, "en").ids()) >= 10


def test_work_left_for_after_the_run_is_done_at_once_when_nothing_collects_it():
    """Pelican run on its own (no `run_language`) still writes the index."""
    from sitebuild import afterrun

    done = []
    afterrun.later(lambda: done.append("now"))
    with afterrun.collected() as tasks:
        afterrun.later(lambda: done.append("later"))
        assert done == ["now"] and len(tasks) == 1
    assert done == ["now"]  # the collector's owner runs its tasks, not the block's end


def test_drafts_and_hidden_pages_are_not_indexed(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    draft = content / "ar" / "news" / "detainees-families-vigil.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        "Lang: ar\n", "Lang: ar\nStatus: draft\n"), encoding="utf-8")
    hidden = content / "en" / "pages" / "contact.md"
    hidden.write_text(hidden.read_text(encoding="utf-8").replace(
        "Lang: en\n", "Lang: en\nStatus: hidden\n"), encoding="utf-8")
    site = build_site(tmp_path / "site", PATH=content)
    assert [p for p in site.pages if "drafts" in p.parts]
    assert (site.root / "en" / "contact" / "index.html").is_file()  # written, not listed
    for lang in LANGS:
        index = index_of(site, lang)
        assert index.meta["documents"] == site.report.items[lang]
        urls = {document["url"] for document in index.documents()}
        assert "/news/detainees-families-vigil/" not in urls and "/en/contact/" not in urls
        assert not [url for url in urls if "drafts" in url]


def test_document_ids_are_stable_and_passages_start_each_field():
    from sitebuild.search import BLOCK, Document, index_files

    def docs(count):
        return [Document(url=f"/n/{n}/", title=f"Title {n}", date="1 May 2021", text=" ".join(
            f"word{n}x{i}" for i in range(90)), tags="Sanctions", section="News", source=f"en/news/{n}.md",
            authors="Media Office", day=20210501) for n in range(count)]

    before = dict(index_files(docs(30), "en"))
    after = dict(index_files([Document(url="/n/000/", title="New", date="", text="first",
                                       source="en/news/000.md"), *docs(30)], "en"))
    blocks = {path for path in before if path.startswith("d/")}
    # 6 passages each (90 words of text, the tags, the date, the section): two blocks of BLOCK = 4.
    assert BLOCK == 4 and len(blocks) == 60
    # Every document keeps its id and its passages' bytes.
    assert all(after[path] == before[path] for path in blocks)
    first = sorted(blocks)[2]
    records = {**json.loads(before[first])["passages"],
               **json.loads(before[first.replace("-0.json", "-1.json")])["passages"]}
    assert [(k, r["field"]) for k, r in records.items()] == [
        ("0", "text"), ("1", "text"), ("2", "text"), ("3", "tags"), ("4", "date"), ("5", "section")]
    assert records["2"]["text"].split()[-1].endswith("x89") and records["3"]["text"] == "Sanctions"
    assert records["4"]["text"] == "1 May 2021 · Media Office"  # the date line, as the page shows it
    assert records["5"]["text"] == "News"


def test_positions_leave_a_gap_between_paragraphs_and_fields():
    from sitebuild.search import TITLE_POSITION, Document, index_files

    files = dict(index_files([Document(url="/a/", title="Alpha", date="", text="alpha beta\ngamma delta",
                                       tags="delta", source="en/a.md")], "en"))
    meta = json.loads(files["meta.json"])
    positions = {}
    for number in range(len(meta["chunks"])):
        for key, (count, *deltas) in json.loads(files[f"p/{number}.json"]).items():
            place, found = TITLE_POSITION, []
            for delta in deltas[:count]:
                place += delta
                found.append(place)
            positions[key] = found
    # The title first, then the text: beta and gamma not adjacent (a new paragraph),
    # nor delta of the text and delta of the tags (another field).
    assert positions == {"alpha": [TITLE_POSITION, 2], "beta": [3], "gamma": [5], "delta": [6, 8]}


def test_an_index_made_from_the_same_documents_is_linked_from_the_last_build(tmp_path, monkeypatch):
    """An unchanged rebuild (the hourly build that lifts no embargo) links the last index
    once its files are the bytes its digest names; a changed one, or a damaged last
    index, is written anew, with the same bytes a first build writes."""
    from sitebuild.search import Document, write_index

    def docs(extra=""):
        return [Document(url=f"/n/{n}/", title=f"Title {n}", date="1 May 2021", html=f"<p>word{n} text{extra}</p>",
                         source=f"en/news/{n}.md", day=20210501) for n in range(12)]

    def tree(folder):
        return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    first, fresh = tmp_path / "first", tmp_path / "fresh"
    write_index(docs(), first, "en")
    write_index(docs(), fresh, "en")
    linked = tmp_path / "linked"
    with monkeypatch.context() as patched:  # nothing is indexed again
        patched.setattr("sitebuild.search.index_files", lambda *args: pytest.fail("indexed again"))
        write_index(docs(), linked, "en", previous=first)
    assert tree(linked) == tree(fresh) == tree(first)
    assert all((linked / path).stat().st_ino == (first / path).stat().st_ino for path in tree(first))
    # A damaged last index is not trusted: every file is made again.
    damaged = next(path for path in sorted((first / "d").iterdir()))
    damaged.unlink()
    damaged.write_bytes(b'{"url":"/elsewhere/"}')
    again = tmp_path / "again"
    write_index(docs(), again, "en", previous=first)
    assert tree(again) == tree(fresh)
    # Changed documents: a new index, whose unchanged files may still be links.
    changed, cold = tmp_path / "changed", tmp_path / "cold"
    write_index(docs(" more"), changed, "en", previous=fresh)
    write_index(docs(" more"), cold, "en")
    assert tree(changed) == tree(cold) != tree(fresh)
    assert json.loads(tree(cold)["meta.json"])["source"] != json.loads(tree(fresh)["meta.json"])["source"]
