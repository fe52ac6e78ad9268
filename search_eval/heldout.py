"""The held-out query set: chosen from the built pages by a fixed, seeded rule.

    python -m search_eval.heldout --write    # once; the result is committed

Two corpora: `sample` (the project's content/) and `pairs1000` (bench/generate.py,
1,000 article pairs, seed 1). Each is built with the site's own build, and its
articles' and pages' words are read from the built HTML (`page_words`: title,
section and date line, meeting facts, body, tags; lower case, without tashkeel or
tatweel, Arabic-Indic digits as 0-9). From those words, per corpus and language,
with `random.Random(f"heldout-{corpus}-{lang}-{category}")` over sorted candidates:

- `prefix-only` (Arabic): a word p + r of the site, p one of و ف ب ل ك, r of 4 or
  more letters not starting with ال, where neither r nor ال + r is a word of the
  site, and Hunspell's Arabic dictionary (Debian's hunspell-ar) knows r as a word
  (so بروكسل gives no روكسل, وزارة no زارة). The query is r (عائلاتهم, written on
  the site only as وعائلاتهم).
- `number` (singular/plural pairs): Arabic X + ة and X + ات, or X and X + ين / ون,
  both on the site (after (و|ف)?(ب|ك|ل)?ال); English w and w + s, or w + y and
  w + ies. The query is one of the two, drawn; both are the word's forms.
- `year`: a number from 1900 to 2099 on the site; for Arabic typed in
  Arabic-Indic digits one time in two (drawn).
- `phrase`: two adjacent words of one paragraph, list item, heading or field of
  the site, each of 4 or more letters (no digits), the pair on 2 to 200 pages; the
  query is the two words in quotes.

Relevance (`relevant`, fixed before any result was looked at): a page is relevant
when its words contain, for every query word, one of the word's *forms*: the word
itself and the other member of its singular/plural pair; for Arabic also each of
those with ال and with the letters و ف ب ك ل before it (`arabic_forms`); for a
phrase, the two words' forms next to each other in that order. The forms are
written into heldout.json with each query; search_eval/run.py --heldout reads them.
Nothing here looks at any search engine's results.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_eval.shared import BREAK, build_content, item_texts  # noqa: E402
from sitebuild.search import words  # noqa: E402

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout.json"
CORPORA = ("sample", "pairs1000")
PAIRS, SEED = 1000, 1
COUNTS = {"prefix-only": 15, "number": 15, "year": 8, "phrase": 15}

TASHKEEL = re.compile("[\u064b-\u0652\u0670\u0640]")
DIGITS = str.maketrans({chr(0x0660 + d): str(d) for d in range(10)})
PREFIXES = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")
LETTER_PREFIX = "وفبكل"
ARTICLE = re.compile("^([وف]?[بكل]?)ال(..+)$|^([وف]?)لل(...+)$")
# "related": the related items the design work added inside the article (2026-12-01,
# after this rule was written): other items' titles, not the page's own text.
SKIPPED_CLASSES = {"print-url", "source", "disclaimer", "share", "related"}


def fold(word: str) -> str:
    return TASHKEEL.sub("", word).translate(DIGITS).lower()


def page_words(site: Path) -> dict[str, tuple[str, list[str]]]:
    """{url: (language, words in order)} of each article and page of a built site;
    BREAK between two blocks (paragraphs, list items, headings, fields)."""
    return {url: (lang, [fold(w) for block in text.split(BREAK) for w in [*words(block), BREAK]])
            for url, lang, text in item_texts(site, SKIPPED_CLASSES)}


def bare(word: str) -> str:
    """An Arabic word without (و|ف)?(ب|ك|ل)?ال or (و|ف)?لل."""
    match = ARTICLE.match(word)
    if not match:
        return word
    return match[2] if match[2] else match[4]


def arabic_forms(word: str) -> list[str]:
    core = bare(word)
    forms = {p + core for p in PREFIXES} | {p + "ال" + core for p in PREFIXES}
    forms |= {p + "لل" + core for p in ("", "و", "ف")}
    return sorted(forms)


def forms_of(lang: str, words_: list[str]) -> list[str]:
    found = set()
    for word in words_:
        found.update(arabic_forms(word) if lang == "ar" else [word])
    return sorted(found)


def relevant(query: dict, pages: dict[str, tuple[str, list[str]]]) -> list[str]:
    groups = [set(group) for group in query["forms"]]
    out = []
    for url, (lang, found) in pages.items():
        if lang != query["lang"]:
            continue
        if query["phrase"]:
            hit = any(found[i] in groups[0] and found[i + 1] in groups[1] for i in range(len(found) - 1))
        else:
            present = set(found)
            hit = all(group & present for group in groups)
        if hit:
            out.append(url)
    return sorted(out)


def dictionary_words(candidates: list[str], language: str = "ar") -> set[str]:
    """The candidates Hunspell's dictionary for `language` knows (`hunspell -l` lists
    the others)."""
    if shutil.which("hunspell") is None:
        raise RuntimeError("the held-out rule needs hunspell and hunspell-ar (apt-get install hunspell-ar)")
    result = subprocess.run(["hunspell", "-d", language, "-l"], input="\n".join(candidates),
                            capture_output=True, text=True, check=True)
    return set(candidates) - set(result.stdout.split())


def _draw(corpus: str, lang: str, category: str, candidates: list) -> list:
    rng = random.Random(f"heldout-{corpus}-{lang}-{category}")
    candidates = sorted(candidates)
    return rng.sample(candidates, min(COUNTS[category], len(candidates)))


def choose(corpus: str, pages: dict[str, tuple[str, list[str]]]) -> list[dict]:
    queries = []
    for lang in ("ar", "en"):
        mine = [found for page_lang, found in pages.values() if page_lang == lang]
        vocabulary = set().union(*map(set, mine)) if mine else set()
        letters = {w for w in vocabulary if w.isalpha()}

        def add(category, query, forms, phrase=False, lang=lang):
            queries.append({"corpus": corpus, "lang": lang, "category": category, "query": query,
                            "forms": forms, "phrase": phrase})

        if lang == "ar":
            prefix_only = sorted({w[1:] for w in letters if w[0] in LETTER_PREFIX and len(w) >= 5
                                  and not w[1:].startswith("ال") and w[1:] not in vocabulary
                                  and "ال" + w[1:] not in vocabulary})
            known = dictionary_words(prefix_only)
            prefix_only = [rest for rest in prefix_only if rest in known]
            for rest in _draw(corpus, lang, "prefix-only", prefix_only):
                add("prefix-only", rest, [arabic_forms(rest)])
            cores = {bare(w) for w in letters}
            pairs = sorted({(c, c[:-1] + "ات") for c in cores if c.endswith("ة") and len(c) >= 4
                            and c[:-1] + "ات" in cores}
                           | {(c, c + end) for c in cores for end in ("ين", "ون")
                              if len(c) >= 3 and c + end in cores})
        else:
            pairs = sorted({(w, w + "s") for w in letters if w + "s" in letters and len(w) >= 4}
                           | {(w, w[:-1] + "ies") for w in letters
                              if w.endswith("y") and w[:-1] + "ies" in letters and len(w) >= 4})
        rng = random.Random(f"heldout-{corpus}-{lang}-number-pick")
        for pair in _draw(corpus, lang, "number", pairs):
            add("number", pair[rng.randrange(2)], [forms_of(lang, list(pair))])
        years = sorted({w for w in vocabulary if re.fullmatch(r"(19|20)\d\d", w)})
        rng = random.Random(f"heldout-{corpus}-{lang}-year-digits")
        for year in _draw(corpus, lang, "year", years):
            typed = year.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) \
                if lang == "ar" and rng.randrange(2) else year
            add("year", typed, [[year]])
        counts: dict[tuple[str, str], int] = {}
        for found in mine:
            for pair in {(a, b) for a, b in zip(found, found[1:], strict=False)
                         if len(a) >= 4 and len(b) >= 4 and a.isalpha() and b.isalpha()}:
                counts[pair] = counts.get(pair, 0) + 1
        phrases = [pair for pair, n in counts.items() if 2 <= n <= 200]
        for a, b in _draw(corpus, lang, "phrase", phrases):
            add("phrase", f'"{a} {b}"', [forms_of(lang, [a]), forms_of(lang, [b])], phrase=True)
    return queries


def corpus_content(corpus: str, folder: Path) -> Path:
    """Write the corpus's content/ into `folder`; return it."""
    if corpus == "sample":
        content = folder / "content"
        shutil.copytree(ROOT / "content", content)
        return content
    from bench.generate import generate

    return generate(folder, PAIRS, SEED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_eval.heldout", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {HELDOUT.name}")
    args = parser.parse_args(argv)
    queries = []
    with tempfile.TemporaryDirectory(prefix="heldout-") as temporary:
        for corpus in CORPORA:
            folder = Path(temporary) / corpus
            folder.mkdir()
            pages = page_words(build_content(corpus_content(corpus, folder), folder))
            queries += choose(corpus, pages)
    text = json.dumps({"queries": queries}, ensure_ascii=False, indent=0)
    if args.write:
        HELDOUT.write_text(text + "\n", encoding="utf-8")
    for corpus in CORPORA:
        for lang in ("ar", "en"):
            mine = [q for q in queries if q["corpus"] == corpus and q["lang"] == lang]
            print(corpus, lang, {c: sum(q["category"] == c for q in mine) for c in COUNTS})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
