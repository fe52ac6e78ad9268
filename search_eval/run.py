"""Search evaluation: stock Pagefind against the site's Arabic-aware search.

    python -m search_eval.run [--out DIR] [--details] [--suggest]

Builds the evaluation corpus (search_eval/corpus.py: the sample content and
generated articles with known words) with the site's own build, which writes
OUR index (sitebuild/search.py, one per language at SEARCH_INDEX_URL), and
indexes the same built HTML with stock Pagefind (search_eval/stock.py: its
defaults, the articles and pages as its root elements, Arabic stemming). Then
node runs every query of queries.json through each, in the same run: stock gets
the query as typed through Pagefind's JS API; ours goes through
theme/static/js/search/engine.js (`createSearch`), as the search page does.

For each query, `expect` lists the pages that must be found. Measures, per
language and system, over the top 10 results:
  recall@10     found expected pages / min(expected pages, 10), averaged over the
                queries that expect pages;
  precision@10  expected pages among the results / results, averaged over all
                queries; a query that returns nothing scores 1 if it expects
                nothing, else 0 (so a query that must find nothing and finds
                something scores 0).
Before measuring, the expectations are checked against the built pages: a page
is expected when its own text (title, facts, body and tags, see `page_words`)
contains one of the written forms listed for every word of the query, and no
other page may contain them (--suggest prints what the corpus says, to update
queries.json after changing the corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_eval.corpus import generate  # noqa: E402
from search_eval.shared import build_content, item_texts, run_node  # noqa: E402
from search_eval.stock import write_bundle  # noqa: E402
from sitebuild.search import words  # noqa: E402

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.json"
SYSTEMS = ("stock", "ours")
TOP = 10


@dataclass
class Query:
    lang: str
    query: str
    forms: list[list[str]]
    expect: list[str]
    note: str = ""
    results: dict[str, list[str]] = field(default_factory=dict)  # system → top URLs

    def recall(self, system: str) -> float | None:
        if not self.expect:
            return None
        found = set(self.results[system]) & set(self.expect)
        return len(found) / min(len(self.expect), TOP)

    def precision(self, system: str) -> float:
        top = self.results[system]
        if not top:
            return 0.0 if self.expect else 1.0
        return len(set(top) & set(self.expect)) / len(top)


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))["queries"]]


def build_corpus(folder: Path) -> Path:
    """Generate and build the corpus in `folder`; return the built site's folder."""
    return build_content(generate(folder), folder)


def index_stock(site: Path, bundle: Path) -> None:
    """Stock Pagefind over the built HTML: its defaults, the articles and pages
    (`article.item`) as the indexed part of each page."""
    write_bundle(site, bundle)


def our_indexes(site: Path) -> dict[str, Path]:
    """The folder of our index of each language in the built site."""
    found = {}
    for meta in sorted(site.rglob("search/data/meta.json")):
        found[json.loads(meta.read_text(encoding="utf-8"))["language"]] = meta.parent
    return found


# What a reader sees as an article's or page's own text: its title, facts, body and
# tags; not the section and date lines, the source and disclaimer, the print
# address, the share links or the "Tags:" label.
SKIPPED_CLASSES = {"meta", "print-url", "source", "disclaimer", "related"}  # related: other items' titles


def page_words(site: Path) -> dict[str, tuple[str, set[str]]]:
    """The language and the words (as written, lower case) of each article and page, by URL."""
    return {url: (lang, {word.lower() for word in words(text)})
            for url, lang, text in item_texts(site, SKIPPED_CLASSES)}


def relevant(query: Query, pages: dict[str, tuple[str, set[str]]]) -> list[str]:
    """The pages of the query's language whose text has a listed form of every word
    of the query."""
    groups = [{form.lower() for form in group} for group in query.forms]
    return sorted(url for url, (lang, found) in pages.items()
                  if lang == query.lang and all(group & found for group in groups))


def run_searches(queries: list[Query], site: Path, stock: Path, folder: Path) -> None:
    """Each query through each system (node: engine.js on our index of the query's
    language, Pagefind's JS on the stock bundle); fills `query.results`."""
    ours = our_indexes(site)
    runs = [
        {"name": f"{system}-{lang}", "lang": lang, "mode": system,
         "index": f"{ours[lang] if system == 'ours' else stock}/",
         "queries": [q.query for q in queries if q.lang == lang]}
        for system in SYSTEMS for lang in sorted({q.lang for q in queries})
    ]
    answers = run_node(runs, folder, timeout=600)
    for run in runs:
        mine = [q for q in queries if q.lang == run["lang"]]
        for query, top in zip(mine, answers[run["name"]]["answers"], strict=True):
            query.results[run["mode"]] = top


@dataclass
class Score:
    queries: int
    recall: float
    precision: float
    negatives: int  # queries that must find nothing
    negatives_quiet: int  # … and found nothing


def score(queries: list[Query], lang: str, system: str) -> Score:
    mine = [q for q in queries if q.lang == lang]
    recalls = [r for q in mine if (r := q.recall(system)) is not None]
    negatives = [q for q in mine if not q.expect]
    return Score(
        queries=len(mine),
        recall=sum(recalls) / len(recalls),
        precision=sum(q.precision(system) for q in mine) / len(mine),
        negatives=len(negatives),
        negatives_quiet=sum(1 for q in negatives if not q.results[system]),
    )


@dataclass
class Evaluation:
    queries: list[Query]
    scores: dict[tuple[str, str], Score]  # (lang, system)
    seconds: float

    def table(self) -> str:
        lines = [f"{'language':<9}{'queries':>8}  {'system':<7}{'recall@10':>10}{'precision@10':>13}"
                 f"{'  must-find-nothing queries that found nothing'}"]
        for (lang, system), s in self.scores.items():
            lines.append(f"{lang:<9}{s.queries:>8}  {system:<7}{s.recall:>10.3f}{s.precision:>13.3f}"
                         f"  {s.negatives_quiet}/{s.negatives}")
        return "\n".join(lines)

    def details(self) -> str:
        lines = []
        for q in self.queries:
            lines.append(f"[{q.lang}] {q.query}  expect {len(q.expect)}  ({q.note})")
            for system in SYSTEMS:
                recall = q.recall(system)
                lines.append(f"    {system:<6} R={'-' if recall is None else f'{recall:.2f}'} "
                             f"P={q.precision(system):.2f}  {' '.join(q.results[system])}")
        return "\n".join(lines)


def check_expectations(queries: list[Query], pages: dict[str, tuple[str, set[str]]]) -> list[str]:
    problems = []
    for q in queries:
        found = relevant(q, pages)
        if found != sorted(q.expect):
            problems.append(f"[{q.lang}] {q.query}: queries.json expects {sorted(q.expect)}, "
                            f"the corpus has its forms on {found}")
    return problems


def evaluate(folder: Path, queries: list[Query] | None = None) -> Evaluation:
    started = time.perf_counter()
    queries = queries or load_queries()
    site = build_corpus(folder)
    problems = check_expectations(queries, page_words(site))
    if problems:
        raise ValueError("queries.json does not match the corpus:\n" + "\n".join(problems))
    stock = folder / "stock" / "pagefind"
    index_stock(site, stock)
    run_searches(queries, site, stock, folder)
    scores = {(lang, system): score(queries, lang, system)
              for lang in sorted({q.lang for q in queries}) for system in SYSTEMS}
    return Evaluation(queries, scores, time.perf_counter() - started)


def suggest(folder: Path) -> str:
    """Each query's pages according to the corpus, and the corpus words that start
    like its forms (candidates for `forms`)."""
    site = build_corpus(folder)
    pages = page_words(site)
    vocabulary = sorted(set().union(*(found for _lang, found in pages.values())))
    lines = []
    for q in load_queries():
        lines.append(f"[{q.lang}] {q.query}: {json.dumps(relevant(q, pages), ensure_ascii=False)}")
        for group in q.forms:
            stems = {form.lower()[:4] for form in group}
            near = [w for w in vocabulary if any(s in w for s in stems) and w not in
                    {f.lower() for f in group}]
            if near:
                lines.append(f"    not listed: {' '.join(near)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_eval.run", description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="work folder (default: a temporary one)")
    parser.add_argument("--details", action="store_true", help="print every query's results")
    parser.add_argument("--suggest", action="store_true",
                        help="print the pages each query's forms are on (to update queries.json)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-eval-") as temporary:
        folder = Path(args.out or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if args.suggest:
            print(suggest(folder))
            return 0
        evaluation = evaluate(folder)
    if args.details:
        print(evaluation.details())
    print(evaluation.table())
    print(f"({len(evaluation.queries)} queries, {evaluation.seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
