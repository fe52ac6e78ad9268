"""Meeting accounts: facts panel, own template, timeline listing, JSON-LD, field checks."""

from __future__ import annotations

import json
import shutil

import pytest

from sitebuild.errors import BuildError
from sitebuild.meetings import as_list, meeting_facts, meeting_problems
from tests.conftest import ROOT, build_site

MEETING = "meetings/caesar-alliance-state-department/index.html"


def facts_panel(site, page):
    """Label → text of each fact: the card's core <dl>, then each folded <details>."""
    card = site.tree(page).xpath("//section[@class='facts']")[0]
    facts = {
        dt.text_content().strip(): dt.getnext().text_content().strip()
        for dt in card.xpath("./dl[@class='facts-core']/div/dt")
    }
    for details in card.xpath("./details"):
        label = details.xpath("string(summary/text())").strip()
        facts[label] = details.xpath("string(ul)").strip()
    return facts


def test_facts_panel_is_localized_and_complete(sample_site):
    arabic = facts_panel(sample_site, MEETING)
    assert list(arabic) == [
        "تاريخ اللقاء", "المكان", "الجهة التي التقاها الوفد", "الوفد",
        "القضايا المطروحة", "المطالب المقدَّمة", "الردود والنتائج", "المتابعات",
    ]
    assert arabic["تاريخ اللقاء"] == "26 يناير 2021"
    english = facts_panel(sample_site, "en/" + MEETING)
    assert english["Meeting date"] == "26 January 2021"
    assert english["Place"].startswith("Washington")
    delegation = sample_site.tree("en/" + MEETING).xpath(
        "//dt[.='Delegation']/following-sibling::dd[1]//li/text()"
    )
    assert len(delegation) == 4


def test_panel_sits_above_the_body(sample_site):
    article = sample_site.tree(MEETING).xpath("//article")[0]
    classes = [child.get("class") for child in article]
    assert classes.index("facts") < classes.index("body")


def test_meetings_listing_is_a_timeline_by_year(sample_site):
    page = sample_site.tree("en/meetings/index.html")
    assert page.xpath("//section[@class='timeline']/h2/text()") == ["2022", "2021"]
    entry = page.xpath("//section[@class='timeline']//li")[-1]
    assert entry.xpath("./time/@datetime") == ["2021-01-26"]
    assert "Caesar Act team" in entry.xpath("string(./span[@class='counterpart'])")
    assert entry.xpath("./a/@href") == ["/en/meetings/caesar-alliance-state-department/"]


def test_meetings_are_in_the_news_flow(sample_site):
    home = sample_site.tree("index.html").xpath("//main//a/@href")
    assert "/meetings/caesar-alliance-state-department/" in home


def json_ld(site, page):
    return [json.loads(s) for s in site.tree(page).xpath("//script[@type='application/ld+json']/text()")]


def test_meeting_json_ld(production_site):
    for prefix, lang in (("", "ar"), ("en/", "en")):
        data, breadcrumbs = json_ld(production_site, prefix + MEETING)
        assert breadcrumbs["@type"] == "BreadcrumbList"
        event = data["about"]
        assert data["@type"] == "NewsArticle" and event["@type"] == "Event"
        assert event["startDate"] == "2021-01-26"
        assert event["inLanguage"] == data["inLanguage"] == lang
        assert event["location"]["@type"] == "Place" and event["location"]["name"]
        assert event["organizer"]["@type"] == "Organization"
        assert event["organizer"]["url"].startswith("https://alliance.example.org/")
        assert data["url"] == f"https://alliance.example.org/{prefix}{MEETING[:-len('index.html')]}"


def test_json_ld_cannot_close_its_script_element(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    meeting = content / "en" / "meetings" / "caesar-alliance-state-department.md"
    text = meeting.read_text(encoding="utf-8")
    # Passes the content check (no <script> opening tag) but would end a naive JSON-LD block.
    evil = "</script><b>bold</b> & \"quotes\""
    meeting.write_text(text.replace("Place: ", f"Place: {evil} ", 1), encoding="utf-8")
    site = build_site(tmp_path / "site", PATH=content)
    raw = site.text("en/" + MEETING)
    assert "<b>bold</b>" not in raw
    assert "\\u003c/script\\u003e\\u003cb\\u003e" in raw
    data = json_ld(site, "en/" + MEETING)[0]
    assert data["about"]["location"]["name"].startswith(evil)
    facts = facts_panel(site, "en/" + MEETING)
    assert facts["Place"].startswith(evil)  # printed as text, not markup


def test_list_fields_accept_lines_or_separators():
    assert as_list(["a", "b"]) == ["a", "b"]
    assert as_list("أ؛ ب ; c") == ["أ", "ب", "c"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda m: {k: v for k, v in m.items() if k != "counterpart"}, "counterpart"),
        (lambda m: {**m, "meeting_date": ["26/01/2021"]}, "meeting_date"),
        (lambda m: {**m, "topics": [""]}, "topics"),
    ],
)
def test_meeting_problems_name_the_field(change, field):
    valid = {
        "meeting_date": ["2021-01-26"], "place": ["Washington"], "counterpart": ["Office"],
        "delegation": ["A", "B"], "topics": ["T"],
    }
    assert meeting_problems(valid) == []
    assert meeting_facts(valid).delegation == ["A", "B"]
    assert [name for name, _ in meeting_problems(change(valid))] == [field]


def test_a_meeting_with_a_bad_date_stops_the_build_naming_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    meeting = content / "ar" / "meetings" / "caesar-alliance-state-department.md"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("Meeting_Date: 2021-01-26", "Meeting_Date: أمس"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as raised:
        build_site(tmp_path / "site", PATH=content)
    message = str(raised.value)
    assert "ar/meetings/caesar-alliance-state-department.md:8: meeting_date:" in message
    assert "YYYY-MM-DD" in message


# --- The facts card, the timeline across pages, a page and a feed per body met (issue 17) ---


def test_card_keeps_core_facts_open_and_folds_the_rest(sample_site):
    card = sample_site.tree("en/" + MEETING).xpath("//section[@class='facts']")[0]
    core = [dt.text_content() for dt in card.xpath("./dl[@class='facts-core']/div/dt")]
    assert core == ["Meeting date", "Place", "Body met", "Delegation", "Topics raised"]
    folded = card.xpath("./details")
    assert [d.get("class") for d in folded] == [
        "facts-more facts-requests", "facts-more facts-outcomes", "facts-more facts-followups"]
    assert not any(d.get("open") is not None for d in folded)
    assert card.xpath("string(./details[1]/summary)").split() == ["Requests", "made", "(4)"]
    topics = card.xpath("./dl/div[dt='Topics raised']/dd/ul[@class='chips']/li")
    assert len(topics) == 6


def test_the_body_met_has_a_page_and_a_feed_in_each_language(sample_site):
    slug = "us-state-department-caesar-team"
    for prefix, name in (("", "فريق قانون قيصر في وزارة الخارجية الأمريكية"),
                         ("en/", "The Caesar Act team at the U.S. Department of State")):
        meeting = sample_site.tree(prefix + MEETING)
        assert meeting.xpath("//dl[@class='facts-core']//a/@href") == [f"/{prefix}bodies/{slug}/"]
        page = sample_site.tree(f"{prefix}bodies/{slug}/index.html")
        assert page.xpath("string(//h1)") == name
        assert page.xpath("//section[@class='timeline']//a[@class='title']/@href") == [
            "/" + prefix + MEETING[:-len("index.html")]]
        feeds = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
        assert f"/{prefix}feeds/bodies/{slug}.atom.xml" in feeds
        atom = (sample_site.root / f"{prefix}feeds/bodies/{slug}.atom.xml").read_text(encoding="utf-8")
        assert name.replace("'", "&#39;") in atom or name in atom
        assert atom.count("<entry>") == 1


MORE_MEETING = """Title: Meeting {n}
Date: {year}-0{n}-10 10:00:00+02:00
Slug: meeting-{n}
Lang: en
Summary: Meeting {n}.
Meeting_Date: {year}-0{n}-09
Place: Geneva
Counterpart: Body {n}
Delegation: A
Topics: B

Text {n}.
"""


def test_timeline_numbers_run_on_across_pages_and_years_say_continued(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for other in ("commission-of-inquiry-detainees", "german-foreign-office-sanctions"):
        (content / "en" / "meetings" / f"{other}.md").unlink()  # three meetings, one a page
    for n, year in ((2, 2021), (3, 2022)):
        (content / "en" / "meetings" / f"meeting-{n}.md").write_text(
            MORE_MEETING.format(n=n, year=year), encoding="utf-8")
    site = build_site(tmp_path / "site", "DEFAULT_PAGINATION = 1", PATH=content)
    pages = ["en/meetings/index.html", "en/meetings/page/2/index.html", "en/meetings/page/3/index.html"]
    starts = [site.tree(p).xpath("//section[@class='timeline']/ol/@start") for p in pages]
    assert starts == [["1"], ["2"], ["3"]]
    headings = [site.tree(p).xpath("string(//section[@class='timeline']/h2)").split() for p in pages]
    assert headings == [["2022"], ["2021"], ["2021", "(continued)"]]
    # A body named in no COUNTERPARTS entry gets an address from its name.
    assert (site.root / "en/bodies/body-2/index.html").is_file()
