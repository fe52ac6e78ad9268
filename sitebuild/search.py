"""Static search: an Arabic-aware inverted index, written by each language's run.

`write_index(documents, folder, code)` is called by the `search_index` plugin at the
end of a language's Pelican run, with the published articles and pages already in
memory (nothing is parsed twice), and writes `folder` (`<language>/search/data/`):

- `meta.json`: `{"version", "language", "normalize", "suffixes", "minStem",
  "documents", "chunks", "build"}`. `chunks` lists the first term of each term
  file `t/<i>.json`; `build` is a digest of every file, added to their URLs
  (`?v=`) so that a cache never mixes two builds.
- `t/<i>.json`: `{term: [id, weight, id, weight, ...]}` for the terms from
  `chunks[i]` up to `chunks[i + 1]`, in code point order (a prefix is looked up in
  the file where it would sort and the next ones that start with it); ids are
  deltas from the previous id; a weight is the term's BM25 part for that document
  (its frequency, a title word counting TITLE_WEIGHT times, against the
  document's length) times WEIGHT_SCALE. The browser adds the inverse document
  frequency from the length of the list.
- `d/<id>.json`: `{"url", "title", "date", "text"}` of one document, fetched for
  the results shown (title, link and an excerpt around the matched words).

Documents are numbered by URL. Stock search engines are weak on Arabic: a word with
a clitic (والحكومات, فالمحكمة, وآمنة) is only found by that exact form, a Snowball
stemmer strips و ب ك ل from any longer word (وزارة and زار share a stem). So Arabic
words are indexed under normalized forms only (`normalize` in meta.json):

- tashkeel, tatweel and invisible marks removed; أ إ آ ٱ → ا, ى → ي, ة → ه;
  Arabic-Indic digits → 0-9; the article ال and the clitics before it removed
  (والحكومات, بالمحكمة, وللأطفال → حكومات, محكمه, اطفال); و ف ب ك ل removed before
  a hamza on alef (وآمنة, لأطفال). Before any other letter they may be root
  letters (وزارة, بيان): there the rest is a form too only when it is a word of the
  site itself (وحكومات → حكومات, as the site has حكومات or الحكومات; never
  وزارة → زاره), see `Vocabulary`.
- The browser (theme/static/js/search.js) normalizes the query with the same rules
  (tests/test_search_normalizer.py runs both over one table), drops one plural or
  feminine ending (QUERY_SUFFIXES) when MIN_STEM letters remain, matches the rest
  as a prefix of indexed terms, and also searches a word without a leading و or ف,
  listing those results last.

Other languages are indexed by their words, lower-cased and without accents, and
their queries lose one ending from QUERY_SUFFIXES (English: plurals, -ing, -ed).

Written here rather than taken from a package: Pagefind (used before) costs about
9 s of CPU and 1.3 GB at 4,000 pages, cannot update an index, and needs every
Arabic form spelled into the HTML it parses; lunr-style indexes are one file the
reader downloads whole. This index is built from memory in the language's own
process in about a second for 2,000 documents and is loaded by term range.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

# Languages whose words are indexed under their normalized Arabic forms.
NORMALIZED = ("ar",)
# Endings a query word loses (the first that fits), leaving at least MIN_STEM
# letters; the rest is matched as the start of indexed words.
QUERY_SUFFIXES = {
    "ar": (("ات", ""), ("ون", ""), ("ين", ""), ("ه", "")),
    "en": (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")),
}
INDEX_VERSION = 1
TITLE_WEIGHT = 3
K1, B = 1.2, 0.75
WEIGHT_SCALE = 50
CHUNK_BYTES = 24_000

# --- The normalizer (theme/static/js/search.js has the same rules) ---------------

TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
})
# (و|ف)? (ب|ك|ل)? ال stem — the stem keeps 2 letters after a bare ال, 3 after clitics.
ARTICLE = re.compile("^([وف]?)([بكل]?)ال(.+)$")
# (و|ف)? لل stem: ل + ال is written لل (للحكومة).
LAM_LAM = re.compile("^([وف]?)لل(.{3,})$")
# و ف ب ك ل before a hamza on alef (وآمنة, لأطفال, فإذا), matched before the
# alef is normalized: there the clitic cannot be a root letter.
HAMZA = re.compile("^([وف]?)([بكل]?)([أإآ].{2,})$")
# و ف, then ب ك ل, before a word without ال (وحكومات, بحكومات): split off only when
# the rest is a word of the site (see `Vocabulary`).
CLITICS = re.compile("^([وف]?)([بكل]?)(.{3,})$")
ARABIC = re.compile("^[\u0621-\u064a]+$")
# A leading و or ف the browser also searches without (see query_terms).
CONJUNCTION = re.compile("^[وف][\u0621-\u064a]{3,}$")
MIN_STEM = 4


def _word_class() -> str:
    """A regex class of the word characters: letters, digits, combining marks and
    invisible format characters (the JS side: /[\\p{L}\\p{N}\\p{M}\\p{Cf}]/u).
    `\\w` has the letters and digits of every plane (and `_`, see `words`); the marks
    and format characters are listed (those of the Basic Multilingual Plane)."""
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


def words(text: str) -> list[str]:
    """The runs of word characters in `text` (`_` is punctuation, as in the browser)."""
    return WORD.findall(text.replace("_", " ") if "_" in text else text)


def _clean(word: str) -> str:
    """Compatibility forms, tashkeel, tatweel and invisible marks removed; lower case."""
    word = unicodedata.normalize("NFKC", word)
    return INVISIBLE.sub("", TASHKEEL.sub("", word)).lower()


def _article(form: str) -> tuple[str, str]:
    """(stem, rule) with (و|ف)?(ب|ك|ل)?ال or (و|ف)?لل removed from `form`."""
    match = ARTICLE.match(form)
    if match and len(match[3]) >= (3 if match[1] or match[2] else 2):
        return match[3], "article"
    match = LAM_LAM.match(form)
    if match:
        return match[2], "lam"
    return form, ""


@lru_cache(maxsize=1 << 16)
def _normalize(word: str) -> tuple[str, str, str]:
    """(form, rule, letters): the form a word is matched by, the rule that removed
    its clitics ("article", "lam", "hamza" or ""), and the word with its letters
    normalized but nothing removed. The article is a plain ال: آلاف, إلى, ألمانيا
    have none (their hamza or madda says so)."""
    spelled = _clean(word)
    letters = spelled.translate(LETTERS)
    stem, rule = _article(spelled)
    if rule:
        return stem.translate(LETTERS), rule, letters
    match = HAMZA.match(spelled)
    if match and (match[1] or match[2]):
        return match[3].translate(LETTERS), "hamza", letters
    return letters, "", letters


def normalize_word(word: str) -> str:
    """The form a word is matched by: ال و ف ب ك ل (see the module's docstring)
    removed, letters normalized. Only Arabic letters change besides case."""
    return _normalize(word)[0]


class Vocabulary:
    """The words of the site's pages in one language, to tell a clitic from a root
    letter: و is split from وحكومات because حكومات (or الحكومات, حكومة…) is a word of
    the site, never from وزارة, as زارة is none (so a search for زار does not find it)."""

    def __init__(self, texts=()):
        self.keys: set[str] = set()
        for text in texts:
            self.add(text)

    @staticmethod
    def key(form: str) -> str:
        return strip_suffix(form)

    def add(self, text: str) -> None:
        self.add_words(set(words(text)))

    def add_words(self, distinct) -> None:
        self.keys.update(self.key(normalize_word(word)) for word in distinct)

    def __contains__(self, form: str) -> bool:
        return self.key(form) in self.keys


def index_forms(word: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """The forms one word of an Arabic page is indexed under, besides its own."""
    stem, rule, letters = _normalize(word)
    # As if typed without its hamza or madda: المانيا finds ألمانيا, الاف finds آلاف.
    forms = [stem, _article(letters)[0]]
    if rule == "article":  # الالتزام → التزام, and التزام alone → تزام
        forms.append(_article(stem)[0])
    elif rule == "lam":  # للجنة: ل + اللجنة or ل + الجنة
        forms.append("ل" + stem)
    elif rule == "hamza":  # وآمنة typed without the hamza: وامنه
        forms.append(letters)
    elif vocabulary is not None and ARABIC.match(stem):
        match = CLITICS.match(stem)
        if match and (match[1] or match[2]):
            # The longest clitics first: وبحكومات → حكومات, else بحكومات.
            for rest in (match[3], match[2] + match[3]):
                if rest != stem and rest in vocabulary:
                    forms.append(rest)
                    break
    own = word.lower()
    return [form for form in dict.fromkeys(forms) if form and form != own]


def strip_suffix(term: str, language: str = "ar") -> str:
    """One ending (QUERY_SUFFIXES) off a query word of letters, if MIN_STEM letters remain."""
    if term.isalpha():
        for suffix, replacement in QUERY_SUFFIXES.get(language, ()):
            if term.endswith(suffix) and len(term) - len(suffix) >= MIN_STEM:
                return term[: -len(suffix)] + replacement
    return term


def fold(word: str) -> str:
    """A word of a language without the Arabic normalizer: lower case, no accents."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def query_terms(query: str, exact: bool = False, conjunction: bool = False,
                language: str = "ar") -> list[str]:
    """The words the browser searches for (search.js `queryTerms`); `conjunction`:
    without a leading و or ف, for its second search (Arabic)."""
    if language not in NORMALIZED:
        terms = [fold(word) for word in words(query)]
        return [term if exact else strip_suffix(term, language) for term in terms if term]
    terms = (normalize_word(word) for word in words(query))
    terms = (term[1:] if conjunction and CONJUNCTION.match(term) else term for term in terms if term)
    return [term if exact else strip_suffix(term) for term in terms]


# --- The index -------------------------------------------------------------------

BLOCK_TAG = re.compile(
    r"<(?:script|style)\b.*?</(?:script|style)\s*>"
    r"|</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre"
    r"|br|hr|figure|figcaption|section|aside|header|footer|img|caption)\b[^>]*>",
    re.S | re.I,
)
TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The text of rendered HTML: block elements separate words, inline ones do not."""
    return " ".join(unescape(TAG.sub("", BLOCK_TAG.sub(" ", html))).split())


@dataclass(frozen=True)
class Document:
    """One page to index: `text` is shown in excerpts, `extra` (tags, meeting
    facts) is only indexed."""

    url: str
    title: str
    date: str
    text: str
    extra: str = ""

    @property
    def fragment(self) -> dict:
        return {"url": self.url, "title": self.title, "date": self.date, "text": self.text}


class Terms:
    """The index terms of a word, remembered per word: for Arabic its normalized
    forms (they depend on the site's vocabulary), else the folded word."""

    def __init__(self, language: str, vocabulary: Vocabulary | None = None):
        self.normalized = language in NORMALIZED
        self.vocabulary = vocabulary
        self.known: dict[str, tuple[str, ...]] = {}

    def __call__(self, word: str) -> tuple[str, ...]:
        found = self.known.get(word)
        if found is None:
            if self.normalized:
                forms = [normalize_word(word), *index_forms(word, self.vocabulary)]
                found = tuple(form for form in dict.fromkeys(forms) if form)
            else:
                found = (fold(word),)
            self.known[word] = found
        return found


def _dumps(value) -> bytes:
    # `<` and `>` as \u escapes: an index file opened on its own can hold no markup.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").encode("utf-8")


def _postings(documents: list[Document], language: str) -> dict[str, array]:
    """{term: [id, weight, id, weight…]} (ids as deltas) of the documents, in order.

    Two passes, so that only the postings are kept: the lengths (and, for Arabic,
    the vocabulary the forms depend on), then each document's terms."""
    lengths, distinct = [], set()
    for document in documents:
        found = words(f"{document.title} {document.text} {document.extra}")
        lengths.append(len(found))
        if language in NORMALIZED:
            distinct.update(found)
    vocabulary = None
    if language in NORMALIZED:
        vocabulary = Vocabulary()
        vocabulary.add_words(distinct)
    terms = Terms(language, vocabulary)
    known = terms.known
    average = sum(lengths) / len(lengths) if lengths else 1.0
    scale = WEIGHT_SCALE * (K1 + 1)
    postings: dict[str, array] = {}
    last: dict[str, int] = {}
    for number, (document, length) in enumerate(zip(documents, lengths, strict=True)):
        norm = K1 * (1 - B + B * length / average)
        counts: dict[str, int] = {}
        for text, weight in ((f"{document.text} {document.extra}", 1), (document.title, TITLE_WEIGHT)):
            for word, times in Counter(words(text)).items():
                for term in known.get(word) or terms(word):
                    counts[term] = counts.get(term, 0) + weight * times
        for term, count in counts.items():
            listed = postings.get(term)
            if listed is None:
                listed = postings[term] = array("i")
            listed.extend((number - last.get(term, 0), max(1, round(scale * count / (count + norm)))))
            last[term] = number
    return postings


def index_files(documents: list[Document], language: str):
    """(path under the index folder, bytes) of each file of one language's index,
    `meta.json` last (it has the digest of the others)."""
    documents = sorted(documents, key=lambda document: document.url)
    postings = _postings(documents, language)
    digest = hashlib.sha256()

    def file(path: str, value) -> tuple[str, bytes]:
        data = _dumps(value)
        digest.update(path.encode() + b"\0" + data)
        return path, data

    chunks: list[str] = []
    chunk: dict[str, list[int]] = {}
    size = 0
    for term in sorted(postings):
        if not chunk:
            chunks.append(term)
        chunk[term] = postings.pop(term).tolist()
        size += len(term) * 2 + 4 * len(chunk[term])
        if size >= CHUNK_BYTES:
            yield file(f"t/{len(chunks) - 1}.json", chunk)
            chunk, size = {}, 0
    if chunk:
        yield file(f"t/{len(chunks) - 1}.json", chunk)
    for number, document in enumerate(documents):
        yield file(f"d/{number}.json", document.fragment)
    yield "meta.json", _dumps({
        "version": INDEX_VERSION,
        "language": language,
        "normalize": language in NORMALIZED,
        "suffixes": QUERY_SUFFIXES.get(language, ()),
        "minStem": MIN_STEM,
        "documents": len(documents),
        "chunks": chunks,
        "build": digest.hexdigest()[:16],
    })


def write_index(documents: list[Document], folder: Path, language: str,
                previous: Path | None = None) -> int:
    """Write one language's index into `folder` (which must not exist yet); a file
    that `previous` (the last build's index) has with the same bytes is hard-linked
    from there instead (most fragments, on a rebuild). Return the number of documents."""
    for sub in ("t", "d"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for path, data in index_files(documents, language):
        if previous is not None and _same_bytes(previous / path, data):
            try:
                os.link(previous / path, folder / path)
                continue
            except OSError:
                pass
        (folder / path).write_bytes(data)
    return len(documents)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
