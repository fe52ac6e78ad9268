"""Static search: a Pagefind index of the content pages, Arabic-aware.

`index_site(folder)` runs after the Pelican runs, on the staging folder, and
writes `folder/pagefind/`: one index per language (Pagefind picks it from the
search page's `<html lang>`), the JS API (`pagefind.js`, its worker and wasm)
and nothing else (the PagefindUI files are removed: the theme has its own form,
`theme/static/js/search.js`). Only pages with `data-pagefind-body` (articles and
pages, see article.html and page.html) are indexed; listings are not.

Stock Pagefind is weak on Arabic: a word with a clitic (والحكومات, فالمحكمة,
وآمنة) is only found by that exact form, its Snowball stemmer strips و ب ك ل from
any longer word (وزارة and زار share a stem), and a query word that is not in the
index falls back to its longest indexed prefix (منظمات finds every page with من).
So Arabic pages are indexed differently:

- Each word of the indexed text keeps its original form (for excerpts) and gets
  its normalized forms appended as `word|form`: Pagefind splits such a compound
  at ASCII punctuation and indexes every part at the word's position, so
  `والحكومات|حكومات` is found as حكومات and still shows as والحكومات (search.js
  strips `|form`). Normalizing: tashkeel, tatweel and invisible marks removed;
  أ إ آ ٱ → ا, ى → ي, ة → ه; Arabic-Indic digits → 0-9; the article ال and the
  clitics before it removed (والحكومات, بالمحكمة, وللأطفال → حكومات, محكمه, اطفال);
  و ف ب ك ل removed before a hamza on alef (وآمنة, لأطفال). Before any other
  letter they may be root letters (وزارة, بيان): there the rest is a form too only
  when it is a word of the site itself (وحكومات → حكومات, as the site has حكومات
  or الحكومات; never وزارة → زاره), see `Vocabulary`.
- Arabic is indexed without Pagefind's stemmer: its pages are indexed under the
  code `arb`, for which Pagefind has no stemmer, and the index is then listed as
  `ar` in `pagefind-entry.json` with the unstemmed wasm.
- The browser normalizes the query with the same rules (search.js mirrors
  `normalize_word` and `query_terms`; tests/test_search_normalizer.py runs both
  over one table), drops one plural or feminine ending (ات ون ين ه) when four
  letters remain and relies on Pagefind's prefix matching for the endings; it
  rejects results a query word only matched through Pagefind's prefix fallback,
  and also searches a word without a leading و or ف, listing those results last.

Other languages are indexed exactly as Pagefind would (with its stemmer).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import shutil
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from lxml import html as lxml_html

from .errors import BuildError

BUNDLE = "pagefind"
# Languages whose pages get the normalized word forms, and the code they are
# indexed under (one Pagefind has no stemmer for) before being listed again
# under their own code.
NORMALIZED = {"ar": "arb"}
# Appended between a word and its normalized forms; an original `|` is replaced.
SEPARATOR = "|"
SEPARATOR_STANDIN = "\u00a6"  # ¦
# What the site needs from the bundle: the JS API and the index. The UI
# bundles (PagefindUI, components, highlighting) are not used.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)

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
# Plural and feminine endings the query drops (Pagefind matches words by prefix).
SUFFIXES = ("ات", "ون", "ين", "ه")
MIN_STEM = 4


def is_word_char(char: str) -> bool:
    """Letters, digits, combining marks and invisible format characters make words
    (the JS side: /[\\p{L}\\p{N}\\p{M}\\p{Cf}]/u)."""
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Cf"


def words(text: str) -> list[str]:
    """The runs of word characters in `text`."""
    found, current = [], []
    for char in text:
        if is_word_char(char):
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


@lru_cache(maxsize=1 << 16)
def _words(chunk: str) -> tuple[str, ...]:
    return tuple(words(chunk))


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
        self.annotated: dict[str, str] = {}  # chunk → chunk|forms (see `annotate`)
        for text in texts:
            self.add(text)

    @staticmethod
    def key(form: str) -> str:
        return strip_suffix(form)

    def add(self, text: str) -> None:
        self.annotated.clear()
        for chunk in set(text.split()):
            self.keys.update(self.key(normalize_word(word)) for word in _words(chunk))

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


def strip_suffix(term: str) -> str:
    """One plural or feminine ending off an Arabic query word, if 4 letters remain."""
    if ARABIC.match(term):
        for suffix in SUFFIXES:
            if term.endswith(suffix) and len(term) - len(suffix) >= MIN_STEM:
                return term[: -len(suffix)]
    return term


def query_terms(query: str, exact: bool = False, conjunction: bool = False) -> list[str]:
    """The words the browser searches for (search.js `queryTerms`); `conjunction`:
    without a leading و or ف, for its second search."""
    terms = (normalize_word(word) for word in words(query))
    terms = (term[1:] if conjunction and CONJUNCTION.match(term) else term for term in terms if term)
    return [term if exact else strip_suffix(term) for term in terms]


def annotate(text: str, vocabulary: Vocabulary | None = None) -> str:
    """Text with each whitespace-separated chunk followed by `|form` for every
    normalized form of its words: Pagefind indexes the parts at the chunk's position."""
    vocabulary = vocabulary if vocabulary is not None else Vocabulary()
    done = vocabulary.annotated

    def chunk(match: re.Match) -> str:
        if match[0] not in done:
            original = match[0].replace(SEPARATOR, SEPARATOR_STANDIN)
            forms = [form for word in _words(original) for form in index_forms(word, vocabulary)]
            done[match[0]] = original + "".join(SEPARATOR + form for form in dict.fromkeys(forms))
        return done[match[0]]

    return re.sub(r"\S+", chunk, text)


# --- Preparing the pages -----------------------------------------------------------

# Elements Pagefind never indexes (its REMOVE_SELECTORS).
SKIPPED_TAGS = {"head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav",
                "iframe", "template"}


def _text_slots(element, ignored: bool = False):
    """(element, "text" or "tail") for each text of a `data-pagefind-body` element
    that Pagefind indexes: not inside `data-pagefind-ignore`, scripts, nav…"""
    ignored = (ignored or element.get("data-pagefind-ignore") is not None
               or not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS)
    if element.text and not ignored:
        yield element, "text"
    for child in element:
        yield from _text_slots(child, ignored)
        if child.tail and not ignored:
            yield child, "tail"


class Page:
    """One built HTML page, parsed; `bodies` are its `data-pagefind-body` elements."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.tree = lxml_html.document_fromstring(raw) if b"data-pagefind-body" in raw else None
        self.bodies = self.tree.xpath("//*[@data-pagefind-body]") if self.tree is not None else []
        self.language = (self.tree.get("lang") or "").lower() if self.bodies else ""
        self.internal = NORMALIZED.get(self.language.split("-")[0]) if self.bodies else None

    def texts(self):
        for body in self.bodies:
            for element, slot in _text_slots(body):
                yield getattr(element, slot)

    def prepared(self, vocabulary: Vocabulary | None) -> str:
        """The HTML to index: as built, or with every word annotated (Arabic)."""
        if self.internal is None:
            return self.raw.decode("utf-8")
        for body in self.bodies:
            for element, slot in list(_text_slots(body)):
                setattr(element, slot, annotate(getattr(element, slot), vocabulary))
        self.tree.set("lang", self.internal)
        return lxml_html.tostring(self.tree, encoding="unicode", doctype="<!doctype html>")


# --- Indexing ------------------------------------------------------------------------


def _content_pages(folder: Path):
    """(relative path, parsed Page) of every page with `data-pagefind-body`, one at a time."""
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder)
        if relative.parts[0] != BUNDLE:
            page = Page(path.read_bytes())
            if page.bodies:
                yield relative, page


def index_site(folder: Path) -> dict[str, int]:
    """Index the content pages of the built site in `folder` into `folder/pagefind/`;
    return the number of pages indexed per language. Raises BuildError on failure.

    Two passes over the pages, each parsing one page at a time (memory stays flat
    however large the archive): the first collects each language's vocabulary, the
    second writes the pages to index."""
    folder = Path(folder)
    bundle = folder / BUNDLE
    counts: dict[str, int] = {}
    vocabularies: dict[str, Vocabulary] = {}
    for _relative, page in _content_pages(folder):
        counts[page.language] = counts.get(page.language, 0) + 1
        if page.internal is not None:
            vocabularies.setdefault(page.language, Vocabulary()).add(" ".join(page.texts()))
    with tempfile.TemporaryDirectory(prefix="search-pages-") as temporary:
        for relative, page in _content_pages(folder):
            target = Path(temporary) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.prepared(vocabularies.get(page.language)), encoding="utf-8")
        try:
            indexed = write_bundle(Path(temporary), bundle)
        except Exception as error:  # the Pagefind service reports plain Exceptions
            raise BuildError(f"search index: Pagefind failed: {error}") from error
    if indexed != sum(counts.values()):
        raise BuildError(
            f"search index: Pagefind indexed {indexed} pages of {sum(counts.values())}"
        )
    _list_under_own_codes(bundle / "pagefind-entry.json")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    return counts


def write_bundle(pages: Path, bundle: Path, attempts: int = 3) -> int:
    """Index the HTML files under `pages` with Pagefind's defaults into `bundle`
    (replaced); return the number of pages indexed."""
    for attempt in range(1, attempts + 1):
        if bundle.exists():
            shutil.rmtree(bundle)
        count = _run(_write_index(pages, bundle))
        problem = _incomplete(bundle)
        if problem is None:
            return count
        if attempt == attempts:
            raise RuntimeError(f"the index in {bundle} is incomplete: {problem}")
    raise AssertionError("unreachable")


async def _write_index(pages: Path, bundle: Path) -> int:
    from pagefind.service import PagefindService

    # Not PagefindIndex's context manager: the service answers WriteFiles before its
    # last writes reach the disk, and closing it kills the process; wait for them.
    async with PagefindService() as service:
        index = await service.create_index()
        result = await index.add_directory(str(pages))
        await index.write_files(str(bundle))
        await _settled(bundle)
        return result["page_count"]


async def _settled(folder: Path, quiet: float = 0.15, limit: float = 20.0) -> None:
    """Wait until no file under `folder` has changed for `quiet` seconds."""
    def state():
        return sorted((str(p), p.stat().st_size) for p in folder.rglob("*") if p.is_file())

    previous, still, waited, step = None, 0.0, 0.0, 0.03
    while still < quiet and waited < limit:
        await asyncio.sleep(step)
        waited += step
        current = state()
        still = still + step if current == previous else 0.0
        previous = current


def _incomplete(bundle: Path) -> str | None:
    """What is wrong with a written bundle (a truncated file), or None."""
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"pagefind-entry.json: {error}"
    for path in sorted(bundle.rglob("*")):
        if path.suffix.startswith(".pf_") or path.name.startswith("wasm."):
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError) as error:
                return f"{path.name}: {error}"
        elif path.suffix == ".js" and path.stat().st_size == 0:
            return f"{path.name} is empty"
    return None


def _run(coroutine):
    """Run a coroutine to the end, also when the caller's thread already runs an
    event loop (Playwright's sync API does, in the browser tests that build a site)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict = {}

    def worker() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _list_under_own_codes(entry_path: Path) -> None:
    """List each normalized language's index under its own code (`arb` → `ar`);
    it keeps the unstemmed wasm it was built with."""
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry["languages"]
    for code, internal in NORMALIZED.items():
        if internal in languages:
            if code in languages:
                raise BuildError(f"search index: both {code} and {internal} pages were indexed")
            languages[code] = languages.pop(internal)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
