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
    dl = site.tree(page).xpath("//section[@class='facts']/dl")[0]
    return {
        dt.text_content().strip(): dt.getnext().text_content().strip()
        for dt in dl.xpath("./dt")
    }


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
    assert page.xpath("//section[@class='timeline']/h2/text()") == ["2021"]
    entry = page.xpath("//section[@class='timeline']//li")[0]
    assert entry.xpath("./time/@datetime") == ["2021-01-26"]
    assert "Caesar Act team" in entry.xpath("string(./span[@class='counterpart'])")
    assert entry.xpath("./a/@href") == ["/en/meetings/caesar-alliance-state-department/"]


def test_meetings_are_in_the_news_flow(sample_site):
    home = sample_site.tree("index.html").xpath("//ol[contains(@class,'item-list')]//h2/a/@href")
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
