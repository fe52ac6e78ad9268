"""RSS 2.0 and Atom feeds per language and per section (the `feeds` plugin).

Every test reads real build output: the feed files (with lxml and feedparser)
and the HTML pages they point to.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from lxml import etree, html

from sitebuild.build import run_language
from sitebuild.catalogs import compiled_catalogs
from sitebuild.config import load_site
from sitebuild.inventory import read_inventory, section_index, translation_index
from sitebuild.languages import pelican_settings
from tests.conftest import FIXTURES, ROOT, build_site, write_config

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
PREFIXES = {"ar": "", "en": "en/"}
SECTIONS = ("news", "statements", "reports", "meetings")
RFC_822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d\d:\d\d:\d\d [+-]\d{4}"
)
LATIN = re.compile("[A-Za-z]")


# --- Reading a built site ----------------------------------------------------


def feed_files(site) -> list:
    return sorted(site.root.rglob("feeds/*.xml"))


def relative(site, path) -> str:
    return path.relative_to(site.root).as_posix()


def language_of(site, path) -> str:
    return "en" if relative(site, path).startswith("en/") else "ar"


def url_of(site, path) -> str:
    return f"{site.siteurl}/{relative(site, path)}"


def article_urls(site, code: str, section: str | None = None) -> set[str]:
    """The URL of every article page the build wrote for one language (and section)."""
    urls = set()
    for name in [section] if section else SECTIONS:
        for page in site.root.glob(f"{PREFIXES[code]}{name}/*/index.html"):
            urls.add(url_of(site, page.parent) + "/")
    return urls


def sections_with_items(site, code: str) -> set[str]:
    return {section for section in SECTIONS if article_urls(site, code, section)}


def page_of(site, url: str):
    return site.tree(site.root / site.local_path(url).lstrip("/") / "index.html")


def rss_items(path) -> tuple:
    channel = etree.parse(str(path)).getroot().find("channel")
    return channel, channel.findall("item")


def atom_entries(path) -> tuple:
    feed = etree.parse(str(path)).getroot()
    return feed, feed.findall("atom:entry", NS)


def alternate_links(entry) -> list:
    """Atom: a link without `rel` is rel="alternate" (RFC 4287, 4.2.7.2)."""
    return [link for link in entry.findall("atom:link", NS)
            if link.get("rel", "alternate") == "alternate"]


def item_links(path) -> list[str]:
    if path.name.endswith(".rss.xml"):
        return [item.findtext("link") for item in rss_items(path)[1]]
    return [alternate_links(entry)[0].get("href") for entry in atom_entries(path)[1]]


# Sample content links to these on purpose (a video's page).
OTHER_SITE = re.compile(r"https://(www\.youtube\.com|vimeo\.com)/")


def urls_inside(markup: str) -> list[str]:
    """Every href, src and srcset URL in an HTML fragment (a feed's content or summary)."""
    tree = html.fromstring(f"<div>{markup}</div>")
    urls = [url for _element, attribute, url, _pos in tree.iterlinks() if attribute != "srcset"]
    for srcset in tree.xpath("//@srcset"):
        urls += [candidate.split()[0] for candidate in srcset.split(",")]
    return urls


def feed_urls(path) -> list[str]:
    """Every URL of the site a feed holds: its own links, item links and ids, and links in
    the content (links to other sites in an item's text, e.g. a video's, are left out)."""
    root = etree.parse(str(path)).getroot()
    urls = root.xpath("//atom:link/@href | //link/text() | //guid/text() | //atom:id/text()",
                      namespaces=NS)
    for markup in root.xpath("//content:encoded/text() | //description/text()"
                             " | //atom:content/text() | //atom:summary/text()", namespaces=NS):
        urls += [url for url in urls_inside(markup) if not OTHER_SITE.match(url)]
    return urls


# --- Every feed --------------------------------------------------------------


@pytest.mark.parametrize("site_name", ["sample_site", "production_site"])
def test_every_feed_is_well_formed_for_lxml_and_feedparser(site_name, request):
    site = request.getfixturevalue(site_name)
    files = feed_files(site)
    assert len(files) == 20  # 2 languages x (all + 4 sections) x (RSS + Atom)
    for path in files:
        root = etree.parse(str(path)).getroot()
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        if path.name.endswith(".rss.xml"):
            assert (root.tag, root.get("version"), parsed.version) == ("rss", "2.0", "rss20")
        else:
            assert (root.tag, parsed.version) == (f"{{{NS['atom']}}}feed", "atom10")
        assert 0 < len(parsed.entries) == len(item_links(path)), path


def test_each_language_has_an_all_feed_and_one_per_section_with_items(sample_site):
    for code, prefix in PREFIXES.items():
        names = {"all", *sections_with_items(sample_site, code)}
        assert len(names) == 5
        expected = {f"{prefix}feeds/{name}.{kind}.xml" for name in names for kind in ("rss", "atom")}
        written = {relative(sample_site, path) for path in feed_files(sample_site)
                   if language_of(sample_site, path) == code}
        assert written == expected


def test_rss_channel_and_items(production_site):
    site = production_site
    for path in (p for p in feed_files(site) if p.name.endswith(".rss.xml")):
        code = language_of(site, path)
        channel, items = rss_items(path)
        assert channel.findtext("title") and channel.findtext("description"), path
        assert channel.findtext("language") == code
        # The page the feed follows: the language's home, or the section's listing.
        section = path.name.split(".")[0]
        home = f"{site.siteurl}/{PREFIXES[code]}" + ("" if section == "all" else f"{section}/")
        assert channel.findtext("link") == home
        [self_link] = channel.findall("atom:link[@rel='self']", NS)
        assert self_link.get("href") == url_of(site, path)
        dates = []
        for item in items:
            link = item.findtext("link")
            guid = item.find("guid")
            assert item.findtext("title") and link, path
            assert (guid.text, guid.get("isPermaLink")) == (link, "true")
            assert item.findtext("description") and item.findtext("content:encoded", namespaces=NS)
            assert item.findtext("dc:creator", namespaces=NS)
            assert item.findall("category")
            assert RFC_822.fullmatch(item.findtext("pubDate")), item.findtext("pubDate")
            published = parsedate_to_datetime(item.findtext("pubDate"))
            [shown] = page_of(site, link).xpath("//article//p[@class='meta']/time/@datetime")
            shown = datetime.fromisoformat(shown)
            assert (published, published.utcoffset()) == (shown, shown.utcoffset()), link
            dates.append(published)
        # Reproducible: the channel's date is its newest item's (or correction's), never "now".
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= max(dates)
        assert dates == sorted(dates, reverse=True)


def test_atom_feed_and_entries(production_site):
    site = production_site
    for path in (p for p in feed_files(site) if p.name.endswith(".atom.xml")):
        feed, entries = atom_entries(path)
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language_of(site, path)
        assert feed.findtext("atom:id", namespaces=NS) == url_of(site, path)
        assert feed.findtext("atom:title", namespaces=NS)
        [self_link] = feed.findall("atom:link[@rel='self']", NS)
        assert self_link.get("href") == url_of(site, path)
        ids, updated = [], []
        for entry in entries:
            [alternate] = alternate_links(entry)
            ids.append(entry.findtext("atom:id", namespaces=NS))
            assert alternate.get("href") == ids[-1]
            assert entry.findtext("atom:title", namespaces=NS)
            assert entry.findtext("atom:author/atom:name", namespaces=NS)
            assert entry.find("atom:content", NS).get("type") == "html"
            assert entry.find("atom:summary", NS).get("type") == "html"
            assert not entry.findall("atom:link[@rel='enclosure']", NS)
            updated.append(datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS)))
        assert len(set(ids)) == len(ids), path
        assert datetime.fromisoformat(feed.findtext("atom:updated", namespaces=NS)) == max(updated)


def test_every_url_in_production_feeds_is_absolute_and_resolves(production_site):
    site = production_site
    for path in feed_files(site):
        for url in feed_urls(path):
            assert url.startswith(f"{site.siteurl}/"), (path.name, url)
            assert site.resolves(url), (path.name, url)
    # Inside the content too: the news items carry the sample map and contact links.
    news = (site.root / "feeds/news.rss.xml").read_text(encoding="utf-8")
    assert 'src="https://alliance.example.org/images/sample-map.svg"' in news
    assert 'href="https://alliance.example.org/contact/"' in news


def test_development_feeds_without_a_feed_domain_are_root_relative(sample_site):
    for path in feed_files(sample_site):
        for url in feed_urls(path):
            assert url.startswith("/") and not url.startswith("//"), (path.name, url)
            assert sample_site.resolves(url), (path.name, url)


# --- Languages ---------------------------------------------------------------


def test_each_feed_holds_exactly_the_articles_of_its_language_and_section(production_site):
    site = production_site
    for path in feed_files(site):
        code = language_of(site, path)
        section = path.name.split(".")[0]
        expected = article_urls(site, code, None if section == "all" else section)
        links = item_links(path)
        assert sorted(links) == sorted(expected), path
        assert {page_of(site, link).get("lang") for link in links} == {code}
    arabic_only = f"{site.siteurl}/news/weekly-bulletin-crossings/"
    assert arabic_only in item_links(site.root / "feeds/all.atom.xml")


def test_arabic_feeds_have_no_latin_letters_in_their_words(production_site):
    for path in production_site.root.glob("feeds/*.xml"):
        parsed = feedparser.parse(path.read_bytes())
        words = [parsed.feed.title, parsed.feed.subtitle]
        for entry in parsed.entries:
            words += [entry.title, entry.author, *(tag.term for tag in entry.tags)]
        assert not [word for word in words if LATIN.search(word)], path


def test_section_feeds_name_their_section_as_its_page_does(production_site):
    for code, prefix in PREFIXES.items():
        sitename = production_site.tree(f"{prefix}index.html").xpath(
            "//meta[@property='og:site_name']/@content")[0]
        for section in sections_with_items(production_site, code):
            [heading] = production_site.tree(f"{prefix}{section}/index.html").xpath("//h1/text()")
            for kind in ("rss", "atom"):
                parsed = feedparser.parse(
                    (production_site.root / f"{prefix}feeds/{section}.{kind}.xml").read_bytes())
                assert parsed.feed.title == f"{sitename} — {heading}"
                assert all(entry.tags[0].term == heading for entry in parsed.entries)
    assert feedparser.parse(production_site.root / "en/feeds/meetings.atom.xml").feed.title == (
        "Caesar Alliance for Justice — sample site — Meeting accounts")


# --- Reproducible ------------------------------------------------------------


def test_two_builds_write_byte_identical_feeds(sample_site, tmp_path):
    again = build_site(tmp_path)
    assert again.root != sample_site.root
    for path in feed_files(sample_site):
        assert (again.root / relative(sample_site, path)).read_bytes() == path.read_bytes(), path


# --- Discovery ---------------------------------------------------------------


def test_every_page_links_its_languages_feeds_and_its_sections(production_site):
    site = production_site
    titles = {"ar": ("خلاصة RSS", "خلاصة Atom"), "en": ("RSS feed", "Atom feed")}
    for page in site.pages:
        tree = site.tree(page)
        code = tree.get("lang")
        path = relative(site, page)[len(PREFIXES[code]):]
        names = ["all"] + [path.split("/")[0]] * (path.split("/")[0] in SECTIONS)
        if path.startswith("bodies/"):  # a body met: its own feed too
            names.append("bodies/" + path.split("/")[1])
        expected = {f"{site.siteurl}/{PREFIXES[code]}feeds/{name}.{kind}.xml"
                    for name in names for kind in ("rss", "atom")}
        links = tree.xpath("//head/link[@rel='alternate'][@type]")
        assert {link.get("href") for link in links} == expected, path
        for link in links:
            kind = "rss" if ".rss." in link.get("href") else "atom"
            assert link.get("type") == f"application/{kind}+xml"
            assert link.get("hreflang") == code
            assert link.get("title").endswith(titles[code][kind == "atom"])
            assert site.resolves(link.get("href"))
        footer = tree.xpath("//footer//p[@class='feeds']/a")
        assert [(a.text, a.get("href")) for a in footer] == [
            (titles[code][0], f"{site.siteurl}/{PREFIXES[code]}feeds/all.rss.xml"),
            (titles[code][1], f"{site.siteurl}/{PREFIXES[code]}feeds/all.atom.xml"),
        ]
    news = site.tree("news/detainees-families-vigil/index.html")
    assert "الأخبار — خلاصة RSS" in news.xpath("//head/link[@type]/@title")


# --- Settings and edge cases (fixture content) -------------------------------


@pytest.fixture(scope="module")
def same_date_site(tmp_path_factory):
    """Two new Arabic news items with the same date (slugs in the opposite order of
    their file names), FEED_MAX_ITEMS = 2 and a FEED_DOMAIN for development."""
    folder = tmp_path_factory.mktemp("feeds-same-date")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES / "feeds" / "same-date", content, dirs_exist_ok=True)
    body = 'FEED_MAX_ITEMS = 2\nFEED_DOMAIN = "http://127.0.0.1:8000"'
    return build_site(folder / "site", body, PATH=content)


def test_feed_max_items_is_honoured(same_date_site):
    for path in feed_files(same_date_site):
        section = path.name.split(".")[0]
        available = article_urls(same_date_site, language_of(same_date_site, path),
                                 None if section == "all" else section)
        assert len(item_links(path)) == min(2, len(available)), path


def test_items_of_the_same_date_are_ordered_by_slug(same_date_site):
    for name in ("all.rss.xml", "all.atom.xml", "news.rss.xml", "news.atom.xml"):
        assert item_links(same_date_site.root / "feeds" / name) == [
            "http://127.0.0.1:8000/news/dawn-bulletin/",
            "http://127.0.0.1:8000/news/evening-bulletin/",
        ]


def test_feed_domain_makes_development_feeds_absolute_links_inside_included(same_date_site):
    for path in feed_files(same_date_site):
        for url in feed_urls(path):
            assert url.startswith("http://127.0.0.1:8000/"), (path.name, url)
    _feed, entries = atom_entries(same_date_site.root / "feeds/news.atom.xml")
    [content] = [entry.findtext("atom:content", namespaces=NS) for entry in entries
                 if "evening" in entry.findtext("atom:id", namespaces=NS)]
    # `../../images/…` relative to the item, and a root-relative srcset candidate.
    assert 'src="http://127.0.0.1:8000/images/sample-map.svg"' in content
    assert ('srcset="http://127.0.0.1:8000/images/sample-map.svg 1x, '
            'http://127.0.0.1:8000/images/sample-map.svg 2x"') in content
    dawn = (same_date_site.root / "feeds/news.rss.xml").read_text(encoding="utf-8")
    assert 'href="http://127.0.0.1:8000/news/dawn-bulletin/#note"' in dawn
    assert 'href="http://127.0.0.1:8000/archives/"' in dawn


def run_arabic(config, output):
    """The Arabic Pelican run with the settings `build` gives it, without the content
    check before it (which stops a raw control character in a content file first).
    In a child process, as in `build`: Pelican's plugins connect global signals."""
    site = load_site(config)
    items = read_inventory(site.content_root, site.root, site.languages, site.settings)
    catalogs = compiled_catalogs(site)
    shared = {**site.settings, "OUTPUT_PATH": str(output), "COMPILED_CATALOGS": str(catalogs),
              "TRANSLATION_INDEX": translation_index(items), "SECTION_INDEX": section_index(items)}
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(run_language, pelican_settings(shared, site.languages[0],
                                                          site.languages)).result()


def test_a_control_character_is_removed_from_the_feeds_with_a_warning(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES / "feeds" / "control-character", content, dirs_exist_ok=True)
    source = content / "ar/news/control-character.md"
    assert "\x07" in source.read_text(encoding="utf-8")

    result = run_arabic(write_config(tmp_path, PATH=content), tmp_path / "output")

    assert result.errors == []
    assert [w for w in result.warnings if "control-character.md" in w and "control" in w]
    for name in ("all.rss.xml", "all.atom.xml", "news.rss.xml", "news.atom.xml"):
        path = tmp_path / "output/feeds" / name
        etree.parse(str(path))
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0
        [entry] = [e for e in parsed.entries if e.link == "/news/control-character/"]
        assert entry.title == "نشرة عاجلة"
        assert "\x07" not in path.read_text(encoding="utf-8")
