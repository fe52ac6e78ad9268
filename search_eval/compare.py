"""The held-out evaluation: ours against stock Pagefind and Pagefind fed our forms.

    python -m search_eval.compare [--corpus sample|pairs1000] [--details]

For each corpus of search_eval/heldout.json (see heldout.py: the queries, their
forms and the relevance rule), builds the corpus with the site's own build, then
runs every query, in node, through three systems:

- `ours`: the site's index (sitebuild/search.py) through theme/static/js/search/
  engine.js, as the search page does;
- `pagefind`: stock Pagefind over the built HTML (search_eval/stock.py), the query
  as typed;
- `pagefind+forms`: Pagefind fed, through its `add_custom_record` API, each page's
  words replaced by our analyzer's keys (own keys in order, then the split keys),
  and the query's words replaced by their own keys the same way (quotes kept).

Over the top 10 results: recall@10 = relevant found / min(relevant, 10), averaged
over the queries; precision@10 = relevant results / results (a query with no
result scores 0). Also the bytes a query downloads (gzip, as served): the first
query of a fresh page (meta, index files, the 10 results' records) and a
follow-up query on the same page, for ours and stock Pagefind.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from statistics import mean, median

from search_eval.heldout import (
    CORPORA,
    HELDOUT,
    corpus_content,
    page_words,
    relevant,
)
from search_eval.shared import BREAK, build_content, run_node
from search_eval.stock import write_bundle
from sitebuild.search import parse_phrases, word_keys

SYSTEMS = ("ours", "pagefind", "pagefind+forms")
TOP = 10


def records(pages: dict[str, tuple[str, list[str]]]) -> list[dict]:
    """Pagefind custom records of the pages, in our analyzer's keys."""
    out = []
    for url, (lang, found) in pages.items():
        own, split = [], []
        for word in found:
            if word == BREAK:
                continue
            analysis = word_keys(word, lang)
            own.extend(analysis.own[:1])
            split.extend(analysis.own[1:] + analysis.split)
        out.append({"url": url, "content": " ".join(own + split), "language": lang,
                    "meta": {"title": url}})
    return out


def normalized_query(query: str, lang: str) -> str:
    """The query in our keys (each word's first own key), quoted phrases kept."""
    parts = []
    for phrase, part in parse_phrases(query):
        keys = [(word_keys(word, lang).own or (word,))[0] for word in part]
        parts.append(f'"{" ".join(keys)}"' if phrase else " ".join(keys))
    return " ".join(parts)


def scores(answers: list[list[str]], relevant_: list[list[str]]) -> tuple[float, float]:
    recalls, precisions = [], []
    for top, wanted in zip(answers, relevant_, strict=True):
        hits = len(set(top) & set(wanted))
        recalls.append(hits / min(len(wanted), TOP) if wanted else 1.0)
        precisions.append(hits / len(top) if top else (1.0 if not wanted else 0.0))
    return mean(recalls), mean(precisions)


def run_corpus(corpus: str, queries: list[dict], folder: Path) -> dict:
    site = build_content(corpus_content(corpus, folder), folder)
    pages = page_words(site)
    wanted = [relevant(q, pages) for q in queries]
    write_bundle(site, folder / "pagefind")
    write_bundle(records(pages), folder / "pagefind-forms")
    indexes = {json.loads(m.read_text(encoding="utf-8"))["language"]: m.parent
               for m in site.rglob("search/data/meta.json")}
    runs = []
    for lang in ("ar", "en"):
        mine = [q for q in queries if q["lang"] == lang]
        for system, index, typed in (
            ("ours", indexes[lang], [q["query"] for q in mine]),
            ("pagefind", folder / "pagefind", [q["query"] for q in mine]),
            ("pagefind+forms", folder / "pagefind-forms", [normalized_query(q["query"], lang) for q in mine]),
        ):
            runs.append({"name": f"{system}-{lang}", "lang": lang, "index": f"{index}/",
                         "mode": "ours" if system == "ours" else "stock", "queries": typed,
                         "measure": system != "pagefind+forms"})
    output = run_node(runs, folder, timeout=1800)
    rows = {}
    for lang in ("ar", "en"):
        index = [i for i, q in enumerate(queries) if q["lang"] == lang]
        for system in SYSTEMS:
            answers = output[f"{system}-{lang}"]["answers"]
            recall, precision = scores(answers, [wanted[i] for i in index])
            rows[lang, system] = {"queries": len(index), "recall": recall, "precision": precision,
                                  "bytes": output[f"{system}-{lang}"]["bytes"], "answers": answers}
    rows["relevant"] = wanted
    return rows


def kb(values: list[int], average) -> str:
    return f"{average(values) / 1000:.1f}" if values else "–"


def table(corpus: str, rows: dict) -> str:
    lines = [f"**{corpus}**", "",
             "| language | system | queries | recall@10 | precision@10 | first query, KB (median) "
             "| follow-up query, KB (median / mean) |", "|---|---|---|---|---|---|---|"]
    for lang in ("ar", "en"):
        for system in SYSTEMS:
            row = rows[lang, system]
            first, follow = row["bytes"]["first"], row["bytes"]["follow"]
            lines.append(f"| {lang} | {system} | {row['queries']} | {row['recall']:.3f} | "
                         f"{row['precision']:.3f} | {kb(first, median)} | "
                         f"{kb(follow, median)} / {kb(follow, mean)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_eval.compare", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=CORPORA, action="append")
    parser.add_argument("--details", action="store_true", help="every query's misses and noise")
    parser.add_argument("--out", help="work folder (default: a temporary one)")
    args = parser.parse_args(argv)
    queries = json.loads(HELDOUT.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory(prefix="compare-") as temporary:
        for corpus in args.corpus or CORPORA:
            folder = Path(args.out or temporary) / corpus
            folder.mkdir(parents=True, exist_ok=True)
            mine = [q for q in queries if q["corpus"] == corpus]
            rows = run_corpus(corpus, mine, folder)
            print(table(corpus, rows) + "\n")
            if args.details:
                for lang in ("ar", "en"):
                    index = [i for i, q in enumerate(mine) if q["lang"] == lang]
                    for n, i in enumerate(index):
                        wanted = set(rows["relevant"][i])
                        line = [f"[{lang}] {mine[i]['category']} {mine[i]['query']} ({len(wanted)} relevant)"]
                        for system in SYSTEMS:
                            top = rows[lang, system]["answers"][n]
                            follow = rows[lang, system]["bytes"]["follow"]
                            size = f" ({follow[n - 1] / 1000:.1f} KB)" if n and follow else ""
                            line.append(f"  {system}: {len(set(top) & wanted)}/{len(top)}{size}"
                                        + "".join(f" -{u}" for u in top if u not in wanted)[:300])
                        print("\n".join(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
