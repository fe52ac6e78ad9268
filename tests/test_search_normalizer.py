"""The search analyzer, defined once (sitebuild/search.py): cleaning, Arabic articles,
clitics with split keys, English Snowball, numbers; and the browser reading the
same keys from the index (theme/static/js/search/ has no language rule: it
cleans with meta.json's tables and reads the lexicon and e.json the build wrote)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from sitebuild.search import analyze, clean, query_keys, word_keys, words
from tests.conftest import ROOT

SEARCH_MODULES = ROOT / "theme" / "static" / "js" / "search"

# (word, cleaned, own keys, split keys)
ARABIC = [
    ("الحكومات", "الحكومات", ["حكوم", "حكومه"], []),  # ات: masculine or feminine
    ("والحكومات", "والحكومات", ["حكوم", "حكومه"], []),
    ("حكومة", "حكومه", ["حكومه"], []),  # singular and plural share a key
    ("فالمحكمة", "فالمحكمه", ["محكمه"], []),
    ("المَحْكَمَة", "المحكمه", ["محكمه"], []),
    ("سورية", "سوريه", ["سوريه"], []),  # ة stays: Syria is not سوري (Syrian)
    ("سوريين", "سوريين", ["سوري"], []),
    ("جعلته", "جعلته", ["جعلته"], []),  # nor is "he made it" جعلت (she made)
    ("اجتماعات", "اجتماعات", ["اجتماع", "اجتماعه"], []),
    ("للجنة", "للجنه", ["جنه", "لجنه"], []),  # ل + الجنة or ل + اللجنة
    ("اللجنة", "اللجنه", ["لجنه"], []),
    ("الالتزام", "الالتزام", ["التزام", "تزام"], []),
    ("التزام", "التزام", ["تزام"], []),
    # Prefix letters: the word's own key, and the rest as a split key.
    ("وعائلاتهم", "وعايلاتهم", ["وعايلاتهم"], ["عايلاتهم"]),
    ("عائلاتهم", "عايلاتهم", ["عايلاتهم"], []),
    ("وزارة", "وزاره", ["وزاره"], ["زاره"]),
    ("بحسب", "بحسب", ["بحسب"], ["حسب"]),
    ("وبحكومات", "وبحكومات", ["وبحكوم", "وبحكومه"], ["حكوم", "حكومه", "بحكوم", "بحكومه"]),
    ("وآمنة", "وامنه", ["وامنه"], ["امنه"]),
    ("وفقاً", "وفقا", ["وفقا"], ["فقا"]),
    ("قائمة", "قايمه", ["قايمه"], []),
    ("دراسة", "دراسه", ["دراسه"], []),
    # Letters, tatweel, invisible marks, digits.
    ("ألمانيا", "المانيا", ["مانيا"], []),
    ("إلى", "الي", ["الي"], []),
    ("مستشفى", "مستشفي", ["مستشفي"], []),
    ("الحريـــة", "الحريه", ["حريه"], []),
    ("ال\u200cحرية", "الحريه", ["حريه"], []),
    ("ﻻجئون", "لاجيون", ["لاجي"], ["اجيون"]),
    ("٢٠٢١", "2021", ["2021"], []),
    ("۲۰۲۱", "2021", ["2021"], []),
    ("و2021", "و2021", ["و2021"], ["2021"]),
    ("کتاب", "كتاب", ["كتاب"], ["تاب"]),  # the index drops it when the site has الكتاب
]
ENGLISH = [
    ("families", "famili"), ("family", "famili"), ("detainee", "detaine"), ("Detainees", "detaine"),
    ("governments", "govern"), ("elections", "elect"), ("Documented", "document"),
    ("Détenus", "detenus"), ("2021", "2021"), ("٢٠٢١", "2021"), ("İstanbul", "istanbul"),
]


def test_arabic_analysis():
    for word, cleaned, own, split in ARABIC:
        assert clean(word) == cleaned, word
        found = word_keys(word, "ar")
        assert (list(found.own), list(found.split)) == (own, split), word


def test_english_is_snowball_and_other_languages_are_cleaned():
    for word, key in ENGLISH:
        assert word_keys(word, "en").own == (key,), word
    assert word_keys("Détenus", "fr").own == ("detenus",)
    assert word_keys("ΣΟΦΟΣ", "el").own == ("σοφος",)
    assert [a.own for a in query_keys("detainee families", "en")] == [("detaine",), ("famili",)]
    assert words("Caesar's Act, 2019. snake_case") == ["Caesar", "s", "Act", "2019", "snake", "case"]


def test_one_analysis_for_index_and_query():
    # The index's words and the query's words go through the same function.
    for word, _cleaned, _own, _split in ARABIC:
        assert word_keys(word, "ar") == analyze(clean(word), "ar")


NODE_READS = """
  import { readFile } from "node:fs/promises";
  import { readFileSync } from "node:fs";
  import { fileURLToPath } from "node:url";
  const [modules, index] = process.argv.slice(1);
  const text = await import(modules + "text.js");
  const { createSearch } = await import(modules + "engine.js");
  const fileFetch = async (url) => {
    try { return new Response(await readFile(fileURLToPath(new URL(String(url))))); }
    catch { return new Response(null, { status: 404 }); }
  };
  const search = createSearch(index, { text, fetch: fileFetch });
  const meta = await search.meta();
  const clean = text.makeCleaner(meta.clean);
  const asked = JSON.parse(readFileSync(0, "utf8"));
  const out = {};
  for (const word of asked.words) out[word] = clean(word);
  const found = {};
  for (const query of asked.queries) {
    const results = await search.search(query);
    found[query] = await Promise.all(results.slice(0, 10).map(async (r) => (await search.passage(r)).url));
  }
  process.stdout.write(JSON.stringify({ cleaned: out, found }));
"""


def node_search(index, words_, queries) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing; `bash .ci/run` needs Node.js 20", pytrace=False)
    modules = index.parent / "modules"
    shutil.copytree(SEARCH_MODULES, modules, dirs_exist_ok=True)
    (modules / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")  # not CommonJS
    result = subprocess.run(
        [node, "--input-type=module", "-e", NODE_READS, modules.as_uri() + "/", index.as_uri() + "/"],
        input=json.dumps({"words": words_, "queries": queries}),
        capture_output=True, text=True, check=True, timeout=120,
    )
    return json.loads(result.stdout)


def test_the_browser_cleans_as_python_and_finds_by_the_index_keys(sample_site, tmp_path):
    folder = tmp_path / "index"
    shutil.copytree(sample_site.root / "search" / "data", folder / "ar")
    shutil.copytree(sample_site.root / "en" / "search" / "data", folder / "en")
    table = [w for w, *_ in ARABIC] + [w for w, _ in ENGLISH] + ["Caesar", "naïve", "ΣΟΦΟΣ"]
    answers = node_search(folder / "ar", table, ["وآمنة", "منظمات", "والمعتقلين", "لنظام"])
    assert answers["cleaned"] == {word: clean(word) for word in table}
    assert answers["found"]["وآمنة"] == ["/contact/"]  # آمنة on the page: a split key
    # لنظام is a key of the site's للنظام (read as ل + النظام and as ل + لنظام): that
    # page is found, and لنظام is not also read as ل + نظام (every page with النظام),
    # as a word that finds nothing is.
    assert answers["found"]["لنظام"] == ["/reports/caesar-act-first-year/"]
    assert answers["found"]["منظمات"] == []
    assert answers["found"]["والمعتقلين"][0] == "/news/detainees-families-vigil/"
    english = node_search(folder / "en", [], [
        "families", "family", "detainee families", '"detainee families"', '"families detainee"',
        "2021", "٢٠٢١"])["found"]
    vigil = "/en/news/detainees-families-vigil/"
    # "family" and "detainee" are not on the site: read by the ending rewrites (e.json).
    assert english["families"] == english["family"] and vigil in english["families"]
    assert vigil in english["detainee families"][:3]
    assert vigil in english['"detainee families"'] and english['"families detainee"'] == []
    assert english["2021"] == english["٢٠٢١"] and len(english["2021"]) >= 5
