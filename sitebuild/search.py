"""Static search: one analyzer, defined here, for the index and for the query.

`write_index(documents, folder, code)` is called by the `search_index` plugin at the
end of a language's Pelican run, with the published articles and pages already in
memory (nothing is parsed twice), and writes `folder` (`<language>/search/data/`).

The analyzer
------------
A word is first *cleaned* (`clean`): NFKC, lower case, NFD, every combining mark and
format character and the tatweel removed, then the letters of LETTERS mapped (ى → ي,
ة → ه, ک → ك, Arabic-Indic and Persian digits → 0-9). The browser does exactly this
with the tables meta.json ships (`clean`); it has no other rule. A cleaned word is
then *analyzed* (`analyze`, Python only) into its keys:

- Arabic: the article and the clitics before it are removed ((و|ف)?(ب|ك|ل)?ال, and
  (و|ف)?لل, as للجنة is ل + اللجنة or ل + الجنة), again while a bare ال remains
  (الالتزام, as التزام alone), then one plural ending (ون ين ات) when MIN_STEM
  letters remain, ات giving two keys, the stem and the stem + ة (معلومات: معلوم and
  معلومه; اجتماعات: اجتماع): the word's own keys. The feminine ة stays (سورية is not
  سوري, and ه is as often "his": جعلته is not جعلت). A word that starts with و ف ب
  ك ل without ال also gets *split* keys, the rest analyzed the same way: وعائلاتهم is
  indexed as وعائلاتهم (own) and عائلاتهم (split), وزارة as وزاره (own) and زاره
  (split), unless the site also has the word with ال (الوزارة: there و is a root
  letter, so وزارة gets no split key and زاره does not find it), or its feminine
  with ال (الكتابة: كتاب is no ك + تاب). A document that
  has a key only from a split ranks after every document that has it as its own
  key: the exact form first. A query word's own split keys (وآمنة typed, آمنة on
  the page) are searched only when its own keys find nothing: a word the site has
  is read as written (engine.js `wordMatches`).
- English: the Snowball stemmer (`snowballstemmer`, as Sphinx and Pagefind use).
- Other languages: the cleaned word. Numbers are their digits (٢٠٢١ is 2021).

The browser never re-implements these rules. It looks a cleaned query word up in
the *lexicon* (`s/<i>.json`, every cleaned word of the site and every form the
analyzer passes through, with its keys). A word the site does not have (family,
when the site has only families) is read by the *endings* table (`e.json`):
(prefix, ending, key ending) rewrites that this analyzer made on the site's own
words, counted; the browser keeps the most used rewrite whose key is in the index.

The files
---------
- `meta.json`: `{"version", "language", "clean", "word", "chunks", "lexicon",
  "documents", "block", "build", "source"}`: `chunks`/`lexicon` list the first
  key/word of each file of `t/`/`s/`; `build` is a digest of every file, added to
  their URLs (`?v=`) so that a cache never mixes two builds; the browser refuses
  another `version`. `source` is a digest of what the index is made from (the
  documents, this module, its settings): a rebuild with the same `source` links the
  last build's files, once their bytes match its `build` (an hourly build that only
  lifts no embargo does not index again).
- `s/<i>.json`: `{word: "own keys|split keys"}` (space-separated; "" = the word is
  its own key, without split keys).
- `t/<i>.json`: `{key: [forms, id, weight, n, passage, passage...]...]}`: `forms`
  are the cleaned words of the site indexed under the key, space-separated ("" = the
  key itself): the browser marks and checks phrases by them, with no rule of its own.
  Then for each document with the key: its id as a delta from the previous id,
  weight = the key's BM25 part (title words count TITLE_WEIGHT times) ×
  WEIGHT_SCALE × 2, + 1 when the key is only a split key there; then the numbers of
  the passages where it occurs (deltas from TITLE, -1, the number of the title).
- `p/<i>.json`: `{key: [n, position, position..., n, ...]}`, the same keys as
  `t/<i>.json`: for each document of the key's postings, in their order, the
  positions of its words (deltas, the first from TITLE_POSITION; see `layout`).
  Loaded only for a quoted phrase: the browser matches adjacent positions. Kept
  apart, so an ordinary query downloads no positions.
- `d/<id>-<b>.json`: a block of BLOCK *passages* of a document, `{"url", "title",
  "date", "section", "passages": {k: {"field", "text", "more"?}}}`; passage k holds
  the words [k × PASSAGE, (k + 1) × PASSAGE) of the document (each field, text,
  facts, tags, date, starts a new passage), and is in block k // BLOCK. A result
  shows one passage: the browser fetches its block (under 1 KB gzipped, not the whole text;
  one file per passage made a site of 4,000 articles 70,000 files).
- `docs.json`: `{"sections": [...], "docs": [id delta, section, yyyymmdd, ...]}`,
  loaded only to filter by section or sort by date.
- `e.json`: `[[prefix, ending, key ending, split, count], ...]` (split: 1 when the
  rewrite made a split key), loaded only for a word the lexicon does not have.

Document ids are stable: from a hash of the item's source path (`document_ids`),
so adding one article changes its own passages, docs.json and the term files of
its words, and every other document keeps its files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from importlib.metadata import version
from itertools import accumulate
from operator import sub as minus
from pathlib import Path

import snowballstemmer

INDEX_VERSION = 3
TITLE_WEIGHT = 3
K1, B = 1.2, 0.75
WEIGHT_SCALE = 50
CHUNK_BYTES = 16_000  # a term file (and its positions file) holds about this much
LEXICON_BYTES = 8_000  # a lexicon file: one is loaded per query word
PASSAGE = 40  # words per passage (an excerpt)
TITLE = -1  # the passage number of the title
TITLE_POSITION = -(1 << 16)  # the position of a title's first word
BLOCK = 4  # passages per file
ENDING_RULES = 400  # at most this many rewrites in e.json (the most used)
ID_SPACE = 32  # document ids are drawn from (at least) 32 × the number of documents

# --- The analyzer ------------------------------------------------------------------

# Removed by `clean` (after NFD): combining marks, format characters, tatweel. The
# browser gets the same class as a regex source (`\p{…}`: Python's re has none, so
# `clean` checks the categories).
STRIP_CATEGORIES = ("Mn", "Mc", "Me", "Cf")
STRIP_EXTRA = "\u0640"
STRIP_JS = "[\\p{M}\\p{Cf}\\u0640]"
LETTERS = {
    "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}
_LETTERS = str.maketrans(LETTERS)
ANALYZED = ("ar", "en")  # languages with more than `clean`
ARTICLE = re.compile("^([وف]?)([بكل]?)ال(.+)$")
LAM_LAM = re.compile("^([وف]?)لل(.{3,})$")
CLITICS = re.compile("^([وف]?)([بكل]?)(.{3,})$")
ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
SUFFIXES = {"ar": ("ات", "ون", "ين")}
FEMININE = "ه"  # ة, as `clean` writes it
MIN_STEM = 4


def _word_class() -> str:
    """A regex class of the word characters: letters, digits, combining marks and
    invisible format characters (the JS side: /[\\p{L}\\p{N}\\p{M}\\p{Cf}]/u)."""
    ranges, start = [], None
    for point in range(0x10000):
        category = unicodedata.category(chr(point))
        inside = category[0] == "M" or category == "Cf"
        if inside and start is None:
            start = point
        elif not inside and start is not None:
            ranges.append((start, point - 1))
            start = None
    listed = "".join(f"\\u{a:04x}" + (f"-\\u{b:04x}" if b > a else "") for a, b in ranges)
    return f"[\\w{listed}]+"


WORD = re.compile(_word_class())
WORD_JS = "[\\p{L}\\p{N}\\p{M}\\p{Cf}]+"


def words(text: str) -> list[str]:
    """The runs of word characters in `text` (`_` is punctuation, as in the browser)."""
    return WORD.findall(text.replace("_", " ") if "_" in text else text)


SPLIT = re.compile(f"({WORD.pattern})")


def split_words(text: str) -> list[str]:
    """`text` cut into [space, word, space, word, ..., space] (the words as `words`
    finds them): the text is "".join of it, its words are [1::2]."""
    if "_" not in text:
        return SPLIT.split(text)
    parts, at = [], 0
    for piece in SPLIT.split(text.replace("_", " ")):  # the same lengths, `_` kept
        parts.append(text[at:at + len(piece)])
        at += len(piece)
    return parts


@lru_cache(maxsize=1 << 17)
def clean(word: str) -> str:
    """The form a word is looked up by (the browser: `clean` in search.js, with
    meta.json's tables)."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", word).lower())
    kept = "".join(c for c in decomposed
                   if c not in STRIP_EXTRA and unicodedata.category(c) not in STRIP_CATEGORIES)
    return unicodedata.normalize("NFC", kept).translate(_LETTERS)


def fold(word: str) -> str:
    """A word of a language without an analyzer: its cleaned form."""
    return clean(word)


def _article(form: str) -> list[str]:
    """The forms of a cleaned Arabic word without its article (and clitics before it)."""
    match = ARTICLE.match(form)
    if match and len(match[3]) >= (3 if match[1] or match[2] else 2):
        rest = match[3]
        inner = ARTICLE.match(rest)  # الالتزام: التزام, and التزام alone is تزام
        if inner and not inner[1] and not inner[2] and len(inner[3]) >= 2:
            return [rest, inner[3]]
        return [rest]
    match = LAM_LAM.match(form)
    if match:  # للجنة: ل + الجنة or ل + اللجنة
        return [match[2], "ل" + match[2]]
    return [form]


def _stems(form: str, language: str) -> tuple[str, ...]:
    if language == "en":
        return (_english(form),)
    if form.isalpha():
        for suffix in SUFFIXES.get(language, ()):
            if form.endswith(suffix) and len(form) - len(suffix) >= MIN_STEM:
                stem = form[: -len(suffix)]
                # ات is the plural of a feminine (معلومة) as often as of a masculine
                # noun (اجتماع): both keys.
                return (stem, stem + FEMININE) if suffix == "ات" else (stem,)
    return (form,)


_SNOWBALL = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 17)
def _english(form: str) -> str:
    return _SNOWBALL.stemWord(form) if form.isalpha() else form


@dataclass(frozen=True)
class Analysis:
    own: tuple[str, ...]  # the word's keys
    split: tuple[str, ...]  # keys with a leading و ف ب ك ل taken off (Arabic)
    forms: tuple[str, ...]  # the cleaned forms on the way (lexicon words too)
    article: bool = False  # an article ((و|ف)?(ب|ك|ل)?ال) was taken off

    def rooted(self) -> Analysis:
        """Without split keys: the site has the word with ال, so its first letter is
        a root letter (الوزارة: وزارة is no و + زارة)."""
        return Analysis(self.own, (), tuple(f for f in self.forms if f in self.own), self.article)


@lru_cache(maxsize=1 << 17)
def analyze(form: str, language: str) -> Analysis:
    """The keys of a cleaned word (see the module's docstring)."""
    if language not in ANALYZED or not form:
        return Analysis((form,) if form else (), (), ())
    if language != "ar":
        return Analysis(_stems(form, language), (), ())
    bare = _article(form)
    own = tuple(dict.fromkeys(key for f in bare for key in _stems(f, "ar")))
    forms = [f for f in bare if f != form]
    split: list[str] = []
    if bare == [form]:
        match = CLITICS.match(form)
        if match and (match[1] or match[2]) and (ARABIC_WORD.match(form) or match[3].isdigit()):
            rests = [match[3]] + ([match[2] + match[3]] if match[1] and match[2] else [])
            for rest in rests:
                for f in _article(rest):
                    forms.append(f)
                    split.extend(_stems(f, "ar"))
    split = [key for key in dict.fromkeys(split) if key not in own]
    article = bare != [form] and ARTICLE.match(form) is not None
    return Analysis(own, tuple(split), tuple(dict.fromkeys(forms)), article)


def word_keys(word: str, language: str) -> Analysis:
    return analyze(clean(word), language)


def query_keys(query: str, language: str) -> list[Analysis]:
    """Python's reading of a query's words (the browser gets the same from the
    lexicon): for tests and the evaluation."""
    return [word_keys(word, language) for word in words(query) if clean(word)]


QUOTED = re.compile("[\"“”«»]([^\"“”«»]*)[\"“”«»]?")


def parse_phrases(query: str) -> list[tuple[bool, list[str]]]:
    """A query's parts, (phrase, words), as the browser reads them (text.js
    `parseQuery`): words in quotes are one phrase."""
    parts: list[tuple[bool, list[str]]] = []
    at = 0
    for match in QUOTED.finditer(query):
        parts += [(False, [word]) for word in words(query[at:match.start()])]
        inside = words(match[1])
        if inside:
            parts.append((len(inside) > 1, inside))
        at = match.end()
    parts += [(False, [word]) for word in words(query[at:])]
    return parts


def _lexicon_value(form: str, analysis: Analysis) -> str:
    if analysis.own == (form,) and not analysis.split:
        return ""
    return " ".join(analysis.own) + ("|" + " ".join(analysis.split) if analysis.split else "")


def ending_rule(form: str, key: str) -> tuple[str, str, str] | None:
    """(prefix, ending, key ending): `key` is `form` without `prefix` (up to 4
    letters) and `ending`, plus `key ending`; None if they share under 2 letters."""
    best, best_common = None, 1
    for cut in range(0, min(4, len(form) - 1) + 1):
        rest = form[cut:]
        common = len(os.path.commonprefix([rest, key]))
        if common > best_common:
            best, best_common = (form[:cut], rest[common:], key[common:]), common
    return best


# --- The index -----------------------------------------------------------------------

BLOCK_TAG = re.compile(
    r"<(?:script|style)\b.*?</(?:script|style)\s*>"
    r"|</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre"
    r"|br|hr|figure|figcaption|section|aside|header|footer|img|caption)\b[^>]*>",
    re.S | re.I,
)
TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The text of rendered HTML: block elements separate words, inline ones do not.
    A line break is kept between two blocks (paragraphs, list items, headings): a
    quoted phrase never runs from one into the next (text.js `findPhrase`)."""
    text = unescape(TAG.sub("", BLOCK_TAG.sub("\n", html)))
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


@dataclass(frozen=True)
class Document:
    """One page to index. `source`: its path under the content folder (its id);
    `facts` and `tags` are indexed and shown when a query matched there; `day`:
    yyyymmdd (0 for pages), for sorting by date. The body is `text`, or else `html`
    (the item's rendered HTML, which the run keeps anyway) made into text each time
    the index reads it (twice): held as text, the documents took 20 MiB a language at
    2,000 articles, and the build's processes 113 MiB more at 10,000 (bench/README)."""

    url: str
    title: str
    date: str
    text: str = ""
    facts: str = ""
    authors: str = ""
    tags: str = ""
    section: str = ""
    source: str = ""
    day: int = 0
    html: str = ""

    def fields(self) -> list[tuple[str, str]]:
        """The indexed fields, each shown as such when a query matched there; "date"
        is the article's date line as the page shows it (with the authors), "section"
        the section's name above its title."""
        byline = " · ".join(part for part in (self.date, self.authors) if part)
        text = self.text or html_text(self.html)
        return [("text", text), ("facts", self.facts), ("tags", self.tags), ("date", byline),
                ("section", self.section)]


def document_ids(documents: list[Document]) -> list[int]:
    """A stable id per document: a hash of its source path (else its URL) in a space
    of ID_SPACE × the number of documents (a power of two), the next free one on a
    collision (in source order)."""
    space = 1024
    while space < ID_SPACE * len(documents):
        space *= 2
    taken: set[int] = set()
    ids = {}
    for number in sorted(range(len(documents)), key=lambda n: documents[n].source or documents[n].url):
        name = documents[number].source or documents[number].url
        wanted = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % space
        while wanted in taken:
            wanted = (wanted + 1) % space
        taken.add(wanted)
        ids[number] = wanted
    return [ids[n] for n in range(len(documents))]


@dataclass
class Passage:
    field: str
    number: int  # k: it holds the words k × PASSAGE to (k + 1) × PASSAGE of the document
    text: str
    more: bool  # its field goes on after it


def layout(document: Document):
    """The document's passages, each with its words and their positions: each field
    starts at a passage boundary, so a passage never mixes two fields. A position
    counts words, plus one at each line break (a new paragraph) and two between
    fields, so that a phrase never runs from one paragraph or field into the next."""
    passages = 0
    at = 0
    position = 0
    for field, text in document.fields():
        parts = split_words(text)
        found = parts[1::2]
        if not found:
            continue
        at = -(-at // PASSAGE) * PASSAGE
        steps = [2 if "\n" in space else 1 for space in parts[2:-1:2]]
        positions = list(accumulate(steps, initial=position + 2))
        position = positions[-1]
        for first in range(0, len(found), PASSAGE):
            more = first + PASSAGE < len(found)
            piece = "".join(parts[2 * first + 1 if first else 0:2 * (first + PASSAGE) + 1 if more else None])
            # Spaces trimmed, a line break kept: the next passage may start a new paragraph.
            yield (Passage(field, (at + first) // PASSAGE, piece.strip(" "), more),
                   found[first:first + PASSAGE], positions[first:first + PASSAGE])
            passages += 1
        at += len(found)
    if not passages:  # no text at all: still a record to show
        yield Passage("text", 0, "", False), [], []


def _dumps(value) -> bytes:
    # `<` and `>` as \u escapes: an index file opened on its own can hold no markup.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").encode("utf-8")


class _Builder:
    """One language's index, built in two passes over the documents in memory.

    The first pass keeps only the distinct words (and the keys the site has with an
    article) and each document's length; the second analyses each distinct word once
    and yields each document's passage blocks as soon as they are made, keeping only
    the postings (arrays of ints) and the lexicon. Nothing holds a document's words
    after its turn."""

    def __init__(self, documents: list[Document], language: str):
        self.language = language
        self.documents = documents
        self.ids = document_ids(documents)
        self.order = sorted(range(len(documents)), key=lambda n: self.ids[n])
        self.lexicon: dict[str, str] = {}
        self.forms: dict[str, set[str]] = {}  # key → the cleaned words indexed under it
        self.endings: Counter = Counter()
        self.postings: dict[str, array] = {}
        self.positions: dict[str, array] = {}  # per key, in the order of its postings
        self.rooted: set[str] = set()  # keys of words the site has with an article
        self.pending: list[str] = []
        self.analysed: dict[str, tuple[Analysis, str]] = {}

    def analysis(self, word: str) -> tuple[Analysis, str]:
        """A word's keys and cleaned form (once `rooted` is complete), each distinct
        word analysed once."""
        known = self.analysed.get(word)
        if known is None:
            known = self.analysed[word] = self._analysis(word)
        return known

    def _analysis(self, word: str) -> tuple[Analysis, str]:
        form = clean(word)
        found = analyze(form, self.language)
        if found.split and not self.rooted.isdisjoint(found.own):
            found = found.rooted()
        for key in found.own + found.split:
            self.forms.setdefault(key, set()).add(form)
        if form in self.lexicon:
            return found, form
        self.lexicon[form] = _lexicon_value(form, found)
        for tier, keys in ((0, found.own), (1, found.split)):
            for key in keys:
                rule = ending_rule(form, key)
                if rule:
                    self.endings[(*rule, tier)] += 1
        for extra in found.forms:
            if extra not in self.lexicon:
                self.lexicon[extra] = ""  # set below, once every word is known
                self.pending.append(extra)
        return found, form

    def finish_lexicon(self) -> None:
        for extra in self.pending:
            if self.lexicon[extra] == "":
                found = analyze(extra, self.language)
                if found.split and not self.rooted.isdisjoint(found.own):
                    found = found.rooted()
                self.lexicon[extra] = _lexicon_value(extra, found)

    def passage_files(self):
        """(path, value) of each document's passage blocks, made while the postings
        are collected."""
        lengths = {}
        seen: set[str] = set()
        for number, document in enumerate(self.documents):
            length = 0
            for _field, text in document.fields():
                found = words(text)
                length += len(found)
                seen.update(found)
            seen.update(words(document.title))
            lengths[number] = length or 1
        for word in seen:
            found = analyze(clean(word), self.language)
            if found.article:  # and the stem of a feminine (الكتابة: كتاب is rooted too)
                self.rooted.update(found.own)
                self.rooted.update(key[:-1] for key in found.own if key.endswith(FEMININE))
        del seen
        average = sum(lengths.values()) / max(1, len(lengths))
        scale = WEIGHT_SCALE * (K1 + 1)
        last: dict[str, int] = {}
        for number in self.order:
            document = self.documents[number]
            doc_id = self.ids[number]
            norm = K1 * (1 - B + B * lengths[number] / average)
            head = {"url": document.url, "title": document.title, "date": document.date,
                    "section": document.section}
            blocks: dict[int, dict] = {}
            # Each distinct word of the document: its count and its passages (counted
            # per passage in C; Python only sees each word once per passage).
            times: Counter = Counter()
            where: dict[str, list[int]] = {}
            title = words(document.title)
            at: dict[str, list[int]] = {}  # word → its positions, in order
            for offset, word in enumerate(title):
                at.setdefault(word, []).append(TITLE_POSITION + offset)
            for passage, found, positions in layout(document):
                k = passage.number
                blocks.setdefault(k // BLOCK, {})[str(k)] = {
                    "field": passage.field, "text": passage.text,
                    **({"more": True} if passage.more else {})}
                times.update(found)
                for word, position in zip(found, positions, strict=True):
                    listed = at.get(word)
                    if listed is None:
                        at[word] = [position]
                    else:
                        listed.append(position)
                for word in set(found):
                    listed = where.get(word)
                    if listed is None:
                        where[word] = [k]
                    else:
                        listed.append(k)
            for block, passages in blocks.items():
                yield f"d/{doc_id}-{block}.json", {**head, "passages": passages}
            for word in set(title):
                where[word] = [TITLE, *where.get(word, ())]
            times.update({word: TITLE_WEIGHT * n for word, n in Counter(title).items()})
            counts: dict[str, int] = {}
            own: set[str] = set()
            places: dict[str, list[int]] = {}
            spots: dict[str, list[int]] = {}
            for word, count in times.items():
                analysis = self.analysis(word)[0]
                found, positions = where[word], at[word]
                for key in analysis.own + analysis.split:
                    if key in counts:
                        counts[key] += count
                        places[key] = sorted(set(places[key]).union(found))
                        spots[key] = sorted(spots[key] + positions)
                    else:
                        counts[key] = count
                        places[key] = found
                        spots[key] = positions
                own.update(analysis.own)
            for key, count in counts.items():
                weight = max(1, round(scale * count / (count + norm)))
                listed = self.postings.get(key)
                if listed is None:
                    listed = self.postings[key] = array("i")
                found = places[key]
                # One extend each (the gaps between passages and between positions made
                # in C): this loop runs once per key of every document.
                listed.extend((doc_id - last.get(key, 0), 2 * weight + (key not in own), len(found),
                               found[0] - TITLE, *map(minus, found[1:], found)))
                positions = spots[key]
                stored = self.positions.get(key)
                if stored is None:
                    stored = self.positions[key] = array("i")
                stored.extend((len(positions), positions[0] - TITLE_POSITION, *map(minus, positions[1:], positions)))
                last[key] = doc_id
        self.finish_lexicon()


def _chunked(entries, size_of, limit=None):
    """Split sorted (key, value) pairs into chunks of about `limit` (CHUNK_BYTES) bytes."""
    limit = limit or CHUNK_BYTES
    chunk, size = {}, 0
    for key, value in entries:
        chunk[key] = value
        size += size_of(key, value)
        if size >= limit:
            yield chunk
            chunk, size = {}, 0
    if chunk:
        yield chunk


def _forms_value(key: str, forms: set[str]) -> str:
    """The cleaned words indexed under `key`, space-separated ("" = the key alone)."""
    return "" if forms == {key} else " ".join(sorted(forms))


def documents_digest(documents: list[Document], language: str) -> str:
    """What an index is made from: the documents in order, this module's code and
    settings, the stemmer's version."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    settings = (INDEX_VERSION, language, CHUNK_BYTES, LEXICON_BYTES, PASSAGE, BLOCK, ENDING_RULES, ID_SPACE,
                WEIGHT_SCALE, TITLE_WEIGHT, K1, B, version("snowballstemmer"))
    digest.update(repr(settings).encode())
    for document in documents:
        for value in (document.url, document.title, document.date, document.text, document.facts, document.authors,
                      document.tags, document.section, document.source, str(document.day), document.html):
            digest.update(value.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:16]


def index_files(documents: list[Document], language: str, source: str = ""):
    """(path under the index folder, bytes) of each file of one language's index,
    `meta.json` last (it has the digest of the others; `source`: `documents_digest`)."""
    builder = _Builder(documents, language)
    digest = hashlib.sha256()

    def file(path: str, value) -> tuple[str, bytes]:
        data = _dumps(value)
        digest.update(path.encode() + b"\0" + data)
        return path, data

    for path, value in builder.passage_files():
        yield file(path, value)
    chunks: list[str] = []
    postings, forms = builder.postings, builder.forms

    def entries():
        for key in sorted(postings):
            yield key, [_forms_value(key, forms.pop(key, {key})), *postings.pop(key)]

    def size(key, value):
        return len(key) * 2 + len(value[0]) * 2 + 3 * len(value)

    positions = builder.positions
    for number, chunk in enumerate(_chunked(entries(), size)):
        chunks.append(next(iter(chunk)))
        yield file(f"t/{number}.json", chunk)
        yield file(f"p/{number}.json", {key: positions.pop(key).tolist() for key in chunk})
    lexicon: list[str] = []
    entries = sorted(builder.lexicon.items())
    lexicon_size = LEXICON_BYTES * CHUNK_BYTES // 16_000  # (tests shrink CHUNK_BYTES)
    for number, chunk in enumerate(_chunked(entries, lambda k, v: len(k.encode()) + len(v.encode()) + 6,
                                            lexicon_size)):
        lexicon.append(next(iter(chunk)))
        yield file(f"s/{number}.json", chunk)
    sections = sorted({d.section for d in documents})
    table, previous = [], 0
    for number in builder.order:
        document = documents[number]
        table += [builder.ids[number] - previous, sections.index(document.section), document.day]
        previous = builder.ids[number]
    yield file("docs.json", {"sections": sections, "docs": table})
    rules = [[*rule, count] for rule, count in builder.endings.items() if count >= 2]
    yield file("e.json", sorted(rules, key=lambda r: (-r[4], r[:4]))[:ENDING_RULES])
    yield "meta.json", _dumps({
        "version": INDEX_VERSION,
        "language": language,
        "clean": {"strip": STRIP_JS, "letters": "".join(LETTERS), "to": "".join(LETTERS.values())},
        "word": WORD_JS,
        "chunks": chunks,
        "lexicon": lexicon,
        "documents": len(documents),
        "block": BLOCK,
        "build": digest.hexdigest()[:16],
        "source": source or documents_digest(documents, language),
    })


def write_index(documents: list[Document], folder: Path, language: str,
                previous: Path | None = None) -> int:
    """Write one language's index into `folder` (which must not exist yet); a file
    that `previous` (the last build's index) has with the same bytes is hard-linked
    from there instead (most passages, on a rebuild), and all of them when it was made
    from the same documents (`_linked_whole`). Return the number of documents."""
    source = documents_digest(documents, language)
    if previous is not None and _linked_whole(previous, folder, source):
        return len(documents)
    for sub in ("t", "p", "d", "s"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for path, data in index_files(documents, language, source):
        if previous is not None and _same_bytes(previous / path, data):
            try:
                os.link(previous / path, folder / path)
                continue
            except OSError:
                pass
        (folder / path).write_bytes(data)
    return len(documents)


def _linked_whole(previous: Path, folder: Path, source: str) -> bool:
    """Link every file of the index in `previous` into `folder` (which must not exist)
    if it was made from `source` and its files are the bytes its `build` digest names
    (read in the order `index_files` wrote them); else write nothing and say so."""
    made = False
    try:
        meta = json.loads((previous / "meta.json").read_bytes())
        if meta.get("source") != source or meta.get("version") != INDEX_VERSION:
            return False
        blocks = sorted((int(name[:-5].split("-")[0]), int(name[:-5].split("-")[1]), name)
                        for name in os.listdir(previous / "d"))
        paths = [f"d/{name}" for _id, _block, name in blocks]
        paths += [path for number in range(len(meta["chunks"])) for path in (f"t/{number}.json", f"p/{number}.json")]
        paths += [f"s/{number}.json" for number in range(len(meta["lexicon"]))] + ["docs.json", "e.json"]
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.encode() + b"\0" + (previous / path).read_bytes())
        if digest.hexdigest()[:16] != meta["build"]:
            return False
        made = True
        for sub in ("t", "p", "d", "s"):
            (folder / sub).mkdir(parents=True)
        for path in [*paths, "meta.json"]:
            os.link(previous / path, folder / path)
        return True
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        if made:  # a half-linked folder: written anew, never into
            shutil.rmtree(folder, ignore_errors=True)
        return False


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
