"""The search normalizer: Python (indexing, sitebuild/search.py) and JavaScript (the
query, theme/static/js/search.js) agree on one table of cases, Arabic and English."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from sitebuild.search import (
    Vocabulary,
    fold,
    index_forms,
    normalize_word,
    query_terms,
    strip_suffix,
    words,
)
from tests.conftest import ROOT

SEARCH_JS = ROOT / "theme" / "static" / "js" / "search.js"

# (word, normalized form, query term)
WORDS = [
    # The article and the clitics before it.
    ("الحكومات", "حكومات", "حكوم"),
    ("والحكومات", "حكومات", "حكوم"),
    ("فالمحكمة", "محكمه", "محكم"),
    ("بالمحكمة", "محكمه", "محكم"),
    ("كالعادة", "عاده", "عاده"),
    ("وبالأطفال", "اطفال", "اطفال"),
    ("للحكومة", "حكومه", "حكوم"),
    ("وللأطفال", "اطفال", "اطفال"),
    # Clitics before a hamza on alef; never before other letters.
    ("وآمنة", "امنه", "امنه"),
    ("لأطفال", "اطفال", "اطفال"),
    ("فإذا", "اذا", "اذا"),
    ("وزارة", "وزاره", "وزار"),
    ("وحكومات", "وحكومات", "وحكوم"),
    ("بيان", "بيان", "بيان"),
    ("فإن", "فان", "فان"),
    # Too short a stem to be an article: kept whole.
    ("والي", "والي", "والي"),
    ("والده", "والده", "والد"),
    ("الم", "الم", "الم"),
    # Hamza or madda: no article.
    ("إلى", "الي", "الي"),
    ("آلاف", "الاف", "الاف"),
    ("ألمانيا", "المانيا", "المانيا"),
    ("الى", "الي", "الي"),
    # Letters, tashkeel, tatweel, invisible marks, digits.
    ("أعلن", "اعلن", "اعلن"),
    ("إعلان", "اعلان", "اعلان"),
    ("ٱلحكومة", "الحكومه", "الحكوم"),
    ("مستشفى", "مستشفي", "مستشفي"),
    ("المَحْكَمَة", "محكمه", "محكم"),
    ("الحريـــة", "حريه", "حريه"),
    ("ال\u200cحرية", "حريه", "حريه"),
    ("\u200fقيصر\u200e", "قيصر", "قيصر"),
    ("ﻻجئون", "لاجئون", "لاجئ"),
    ("٢٠٢١", "2021", "2021"),
    ("۲۰۲۱", "2021", "2021"),
    ("کتاب", "كتاب", "كتاب"),
    ("فی", "في", "في"),
    # Endings the query drops (four letters kept).
    ("المعتقلون", "معتقلون", "معتقل"),
    ("المعتقلين", "معتقلين", "معتقل"),
    ("منظمات", "منظمات", "منظم"),
    ("الإنسانية", "انسانيه", "انساني"),
    ("آمنة", "امنه", "امنه"),
    ("لجنة", "لجنه", "لجنه"),
    ("تشرين", "تشرين", "تشرين"),
    # Other scripts: only lower case.
    ("Caesar", "caesar", "caesar"),
    ("Détenus", "détenus", "détenus"),
    ("ΣΟΦΟΣ", "σοφος", "σοφος"),
    ("2021", "2021", "2021"),
]

# (query, terms, exact terms, terms without a leading و or ف)
QUERIES = [
    ("والحكومات", ["حكوم"], ["حكومات"], ["حكوم"]),
    ("وحكومات", ["وحكوم"], ["وحكومات"], ["حكوم"]),
    ("وزارة الخارجية", ["وزار", "خارجي"], ["وزاره", "خارجيه"], ["زاره", "خارجي"]),
    ("فريق وفد", ["فريق", "وفد"], ["فريق", "وفد"], ["ريق", "وفد"]),
    ("«قانون قيصر»", ["قانون", "قيصر"], ["قانون", "قيصر"], ["قانون", "قيصر"]),
    ("حقوق الإنسان، والمعتقلين!", ["حقوق", "انسان", "معتقل"], ["حقوق", "انسان", "معتقلين"],
     ["حقوق", "انسان", "معتقل"]),
    ("الثاني/يناير", ["ثاني", "يناير"], ["ثاني", "يناير"], ["ثاني", "يناير"]),
    ("Oil smuggling", ["oil", "smuggling"], ["oil", "smuggling"], ["oil", "smuggling"]),
    ("  ", [], [], []),
    ("ال", ["ال"], ["ال"], ["ال"]),
]


# English (and any language without the Arabic normalizer): (query, terms, exact terms).
ENGLISH = [
    ("governments", ["government"], ["governments"]),
    ("ministries", ["ministry"], ["ministries"]),
    ("smuggling", ["smuggl"], ["smuggling"]),
    ("Oil smuggling", ["oil", "smuggl"], ["oil", "smuggling"]),
    ("elections", ["election"], ["elections"]),
    ("committees", ["committe"], ["committees"]),
    ("Documented", ["document"], ["documented"]),
    ("children's rights", ["children", "s", "right"], ["children", "s", "rights"]),
    ("court", ["court"], ["court"]),
    ("used bus", ["used", "bus"], ["used", "bus"]),  # too short to lose an ending
    ("boxes", ["boxe"], ["boxes"]),  # -es would leave 3 letters, -s leaves 4
    ("Détenus cafés", ["detenu", "cafe"], ["detenus", "cafes"]),
    ("İstanbul", ["istanbul"], ["istanbul"]),
    ("ΣΟΦΟΣ", ["σοφος"], ["σοφος"]),
    ("2021 COVID-19", ["2021", "covid", "19"], ["2021", "covid", "19"]),
    ("snake_case", ["snake", "case"], ["snake", "case"]),
    ('"governments"', ["government"], ["governments"]),
    ("  ", [], []),
]

# (text, its words) — `_` separates words, marks and invisible characters belong to them.
WORDS_OF = [
    ("قال: «الحكومة» — و2021", ["قال", "الحكومة", "و2021"]),
    ("المَحْكَمَة الحريـــة", ["المَحْكَمَة", "الحريـــة"]),
    ("ال\u200cحرية a_b", ["ال\u200cحرية", "a", "b"]),
    ("Caesar's Act, 2019.", ["Caesar", "s", "Act", "2019"]),
    ("naïve cafe\u0301", ["naïve", "cafe\u0301"]),
]

# (word, folded)
FOLDED = [("Détenus", "detenus"), ("cafe\u0301", "cafe"), ("ÅNGSTRÖM", "angstrom"),
          ("İstanbul", "istanbul"), ("Caesar", "caesar"), ("الحكومة", "الحكومة"), ("2021", "2021")]


def test_python_normalizer():
    for word, normalized, term in WORDS:
        assert (normalize_word(word), strip_suffix(normalize_word(word))) == (normalized, term), word
    for query, terms, exact, bare in QUERIES:
        found = (query_terms(query), query_terms(query, exact=True), query_terms(query, conjunction=True))
        assert found == (terms, exact, bare), query


def test_python_english_queries():
    for query, terms, exact in ENGLISH:
        assert (query_terms(query, language="en"), query_terms(query, exact=True, language="en"),
                query_terms(query, conjunction=True, language="en")) == (terms, exact, terms), query
    assert [strip_suffix(word, "en") for word in ("governments", "ministries", "smuggling")] == [
        "government", "ministry", "smuggl"]
    for text, found in WORDS_OF:
        assert words(text) == found, text
    for word, folded in FOLDED:
        assert fold(word) == folded, word


def test_javascript_normalizer_agrees(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = """
      import { readFileSync } from "node:fs";
      const { normalizeWord, stripSuffix, queryTerms, words, fold } = await import(process.argv[1]);
      const cases = JSON.parse(readFileSync(0, "utf8"));
      process.stdout.write(JSON.stringify({
        words: cases.words.map((w) => [w, normalizeWord(w), stripSuffix(normalizeWord(w))]),
        queries: cases.queries.map((q) => [q, queryTerms(q), queryTerms(q, true), queryTerms(q, false, true)]),
        english: cases.english.map((q) => [q, queryTerms(q, false, false, "en"),
          queryTerms(q, true, false, "en")]),
        englishConjunction: cases.english.map((q) => queryTerms(q, false, true, "en")),
        split: cases.split.map((t) => [t, words(t)]),
        folded: cases.folded.map((w) => [w, fold(w)]),
        stripped: cases.stripped.map((w) => stripSuffix(w, "en")),
      }));
    """
    module = tmp_path / "search.mjs"  # node reads a .js file as CommonJS
    shutil.copy(SEARCH_JS, module)
    stripped = ["governments", "ministries", "smuggling", "boxes", "bus", "2021s"]
    cases = {"words": [w for w, _, _ in WORDS], "queries": [q[0] for q in QUERIES],
             "english": [q[0] for q in ENGLISH], "split": [t for t, _ in WORDS_OF],
             "folded": [w for w, _ in FOLDED], "stripped": stripped}
    result = subprocess.run(
        [node, "--input-type=module", "-e", script, module.as_uri()],
        input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=60,
    )
    answers = json.loads(result.stdout)
    assert answers["words"] == [list(case) for case in WORDS]
    assert answers["queries"] == [list(case) for case in QUERIES]
    # The JavaScript answers against Python's own, not only against the table.
    assert answers["english"] == [[q, query_terms(q, language="en"),
                                   query_terms(q, exact=True, language="en")] for q, _, _ in ENGLISH]
    assert answers["english"] == [list(case) for case in ENGLISH]
    assert answers["englishConjunction"] == [query_terms(q, conjunction=True, language="en")
                                             for q, _, _ in ENGLISH]
    assert answers["split"] == [[t, words(t)] for t, _ in WORDS_OF]
    assert answers["folded"] == [[w, fold(w)] for w, _ in FOLDED]
    assert answers["stripped"] == [strip_suffix(w, "en") for w in stripped]


def test_index_forms():
    assert index_forms("الحكومات") == ["حكومات"]
    assert index_forms("الالتزام") == ["التزام", "تزام"]  # التزام alone is تزام
    assert index_forms("ألمانيا") == ["المانيا", "مانيا"]  # typed المانيا
    assert index_forms("وآمنة") == ["امنه", "وامنه"]  # typed وامنة
    assert index_forms("للجنة") == ["جنه", "لجنه"]
    assert index_forms("Caesar") == []
    assert index_forms("2021") == []
    # و ف ب ك ل before a word without ال: split off only when the rest is a word of the site.
    site = Vocabulary(["الحكومة قال"])
    assert index_forms("وحكومات", site) == ["حكومات"]
    assert index_forms("وقال", site) == ["قال"]
    assert index_forms("وزارة", site) == ["وزاره"]
    assert index_forms("بيان", site) == []
