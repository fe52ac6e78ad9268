// Site search over the index each language's build writes to SEARCH_INDEX_URL
// (sitebuild/search.py describes its files: meta.json, t/<i>.json term chunks,
// d/<id>.json documents). Nothing is fetched but the site's own files. The form in
// search.html is hidden until this module runs; without JavaScript the page shows
// its <noscript> message instead.
//
// The query is read by the rules the index was written with: Arabic words are
// normalized (normalizeWord), other languages folded (fold), then one ending is
// dropped (stripSuffix). Keep normalizeWord, fold, stripSuffix, queryTerms and words
// in step with normalize_word, fold, strip_suffix, query_terms and words in
// sitebuild/search.py: tests/test_search_normalizer.py runs both over one table.

const TASHKEEL = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
  "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه" };
for (let d = 0; d < 10; d++) {
  LETTERS[String.fromCharCode(0x0660 + d)] = String(d);
  LETTERS[String.fromCharCode(0x06f0 + d)] = String(d);
}
const LETTER = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");
const ARTICLE = /^([وف]?)([بكل]?)ال(.+)$/u;
const LAM_LAM = /^([وف]?)لل(.{3,})$/u;
const HAMZA = /^([وف]?)([بكل]?)([أإآ].{2,})$/u;
const CONJUNCTION = /^[وف][\u0621-\u064a]{3,}$/;
const ALPHA = /^\p{L}+$/u; // Python's str.isalpha
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}]+/gu;
// Clitics a word of a result may carry before a query word (for the excerpt's marks).
const CLITIC = /^[وفبكل]/;

// Defaults of the index's settings (meta.json repeats them; the search uses those).
const NORMALIZED = ["ar"];
export const QUERY_SUFFIXES = {
  ar: [["ات", ""], ["ون", ""], ["ين", ""], ["ه", ""]],
  en: [["ies", "y"], ["ing", ""], ["es", ""], ["ed", ""], ["s", ""]],
};
export const MIN_STEM = 4;
const WEIGHT_SCALE = 50; // sitebuild/search.py: weights are BM25 parts × 50
// A query word matched as the start of a longer indexed word scores this share.
export const PREFIX_DISCOUNT = 0.7;
// Shorter query words match whole words only: as prefixes they would match (and
// download) a large part of the index.
export const MIN_PREFIX = 3;
const PER_PAGE = 10;
const EXCERPT_WORDS = 30;

const letters = (word) => word.replace(LETTER, (c) => LETTERS[c]);
const length = (text) => [...text].length;

export const words = (text) => text.match(WORD) ?? [];

function clean(word) {
  return word.normalize("NFKC").replace(TASHKEEL, "").replace(INVISIBLE, "").toLowerCase();
}

// (و|ف)?(ب|ك|ل)?ال or (و|ف)?لل removed (the stem keeps 2 letters after a bare ال,
// 3 after clitics); then و ف ب ك ل before a hamza on alef. The article is a plain ال.
export function normalizeWord(word) {
  const spelled = clean(word);
  let match = ARTICLE.exec(spelled);
  if (match && length(match[3]) >= (match[1] || match[2] ? 3 : 2)) return letters(match[3]);
  match = LAM_LAM.exec(spelled);
  if (match) return letters(match[2]);
  match = HAMZA.exec(spelled);
  if (match && (match[1] || match[2])) return letters(match[3]);
  return letters(spelled);
}

// A word of a language without the Arabic normalizer: lower case, no accents.
export const fold = (word) => word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

// One ending (the first that fits) off a word of letters, if minStem letters remain.
export function stripSuffix(term, language = "ar", suffixes = QUERY_SUFFIXES[language] ?? [],
  minStem = MIN_STEM) {
  if (ALPHA.test(term)) {
    for (const [suffix, replacement] of suffixes) {
      if (term.endsWith(suffix) && length(term) - length(suffix) >= minStem) {
        return term.slice(0, term.length - suffix.length) + replacement;
      }
    }
  }
  return term;
}

// The words searched for; `conjunction` (Arabic): without a leading و or ف
// (وحكومات), for a second search (the index splits و off only where the rest is a
// word of the site). `rules`: the index's own settings (meta.json), else the defaults.
export function queryTerms(query, exact = false, conjunction = false, language = "ar", rules = {}) {
  const {
    normalize = NORMALIZED.includes(language),
    suffixes = QUERY_SUFFIXES[language] ?? [],
    minStem = MIN_STEM,
  } = rules;
  const strip = (term) => (exact ? term : stripSuffix(term, language, suffixes, minStem));
  if (!normalize) return words(query).map(fold).filter(Boolean).map(strip);
  return words(query).map(normalizeWord).filter(Boolean)
    .map((term) => (conjunction && CONJUNCTION.test(term) ? term.slice(1) : term))
    .map(strip);
}

// --- The index -----------------------------------------------------------------------

// The last i with sorted[i] <= term (-1 if none).
function lastAtMost(sorted, term) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= term) low = middle + 1; else high = middle;
  }
  return low - 1;
}

const byScore = (a, b) => b.score - a.score || a.id - b.id;

// The search over the index at `indexUrl` (ending in "/"). `fetchImpl` is the
// browser's fetch, or one that reads files (search_eval/search.mjs).
//   search(query) → [{id, score, terms, exact}], best first; `terms` are the query
//                   terms the document matched (for `excerpt`)
//   document(id)  → {url, title, date, text}
//   meta()        → the index's meta.json
// meta.json is loaded once (revalidated: it names the build), then every other file
// with ?v=<build>; loaded files are kept in memory. A failed load is forgotten, so the
// next search tries again.
export function createSearch(indexUrl, fetchImpl = (url, options) => fetch(url, options)) {
  const base = indexUrl.endsWith("/") ? indexUrl : `${indexUrl}/`;
  const files = new Map();
  let metaLoad = null;

  async function get(path, options) {
    const response = await fetchImpl(base + path, options);
    if (!response.ok) throw new Error(`search index: ${path}: HTTP ${response.status}`);
    return response.json();
  }

  function meta() {
    metaLoad ??= get("meta.json", { cache: "no-cache" }).catch((error) => {
      metaLoad = null;
      throw error;
    });
    return metaLoad;
  }

  async function file(path) {
    const { build } = await meta();
    if (!files.has(path)) {
      files.set(path, get(`${path}?v=${encodeURIComponent(build)}`).catch((error) => {
        files.delete(path);
        throw error;
      }));
    }
    return files.get(path);
  }

  // {id → score} of the documents with an indexed term that is `term` (exact) or
  // starts with it: idf × BM25 weight, the best of the terms it matched.
  async function match(term, exactly) {
    const exact = exactly || length(term) < MIN_PREFIX;
    const info = await meta();
    const { chunks } = info;
    const at = lastAtMost(chunks, term);
    const wanted = at >= 0 ? [at] : [];
    if (!exact) {
      for (let i = at + 1; i < chunks.length && chunks[i].startsWith(term); i++) wanted.push(i);
    }
    const loaded = await Promise.all(wanted.map((i) => file(`t/${i}.json`)));
    const scores = new Map();
    const total = info.documents;
    for (const terms of loaded) {
      for (const [key, postings] of Object.entries(terms)) {
        if (exact ? key !== term : !key.startsWith(term)) continue;
        const df = postings.length / 2;
        const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
        const factor = (idf / WEIGHT_SCALE) * (key === term ? 1 : PREFIX_DISCOUNT);
        let id = 0;
        for (let i = 0; i < postings.length; i += 2) {
          id += postings[i];
          const score = factor * postings[i + 1];
          if (!(scores.get(id) >= score)) scores.set(id, score);
        }
      }
    }
    return scores;
  }

  // The documents that match every term, scored by the sum over the terms.
  async function find(terms, exact) {
    terms = [...new Set(terms)];
    if (!terms.length) return [];
    const matched = await Promise.all(terms.map((term) => match(term, exact)));
    matched.sort((a, b) => a.size - b.size);
    const results = [];
    for (const [id, first] of matched[0]) {
      let score = first;
      for (const other of matched.slice(1)) {
        if (!other.has(id)) {
          score = -1;
          break;
        }
        score += other.get(id);
      }
      if (score >= 0) results.push({ id, score, terms, exact });
    }
    return results.sort(byScore);
  }

  async function search(query) {
    const info = await meta();
    const exact = /^\s*".+"\s*$/.test(query);
    const rules = { normalize: info.normalize, suffixes: info.suffixes, minStem: info.minStem };
    const terms = queryTerms(query, exact, false, info.language, rules);
    const results = await find(terms, exact);
    if (!info.normalize) return results;
    // Arabic: a word with و or ف in front (وحكومات) is also searched without it;
    // those results come after the others.
    const bare = queryTerms(query, exact, true, info.language, rules);
    if (bare.join(" ") === terms.join(" ")) return results;
    const seen = new Set(results.map((result) => result.id));
    return [...results, ...(await find(bare, exact)).filter((result) => !seen.has(result.id))];
  }

  return { search, meta, document: (id) => file(`d/${id}.json`) };
}

// --- Excerpts -------------------------------------------------------------------------

// The forms a word of a result is compared by: normalized (Arabic, also without up
// to two clitics before it) or folded.
function wordForms(word, normalize) {
  if (!normalize) return [fold(word)];
  const form = normalizeWord(word);
  const forms = [form];
  if (CLITIC.test(form) && length(form) > 2) {
    forms.push(form.slice(1));
    if (CLITIC.test(form.slice(1)) && length(form) > 3) forms.push(form.slice(2));
  }
  return forms;
}

// The words of a document's text to show: about EXCERPT_WORDS around most of the
// matched words. `parts` is the text as written, in order, with the matched words on
// their own (`mark`); `before`/`after`: text was left out there.
export function excerpt(text, terms, { normalize = false, exact = false } = {}) {
  const found = [...text.matchAll(WORD)];
  const whole = (term) => exact || length(term) < MIN_PREFIX;
  const hit = (form) => terms.some((term) => (whole(term) ? form === term : form.startsWith(term)));
  const marked = found.map((m) => wordForms(m[0], normalize).some(hit));
  const positions = marked.flatMap((yes, at) => (yes ? [at] : []));
  let start = 0;
  let best = -1;
  for (const at of positions) {
    const from = Math.max(0, at - 5);
    const count = positions.filter((p) => p >= from && p < from + EXCERPT_WORDS).length;
    if (count > best) [start, best] = [from, count];
  }
  start = Math.max(0, Math.min(start, found.length - EXCERPT_WORDS));
  const end = Math.min(found.length, start + EXCERPT_WORDS);
  if (!found.length) return { before: false, after: false, parts: [] };
  // From the whitespace before the first word to the whitespace after the last one
  // (punctuation stays with its word).
  const from = start > 0 ? text.slice(0, found[start].index).search(/\S*$/) : 0;
  const last = found[end - 1];
  const rest = text.slice(last.index + last[0].length);
  const to = end < found.length ? last.index + last[0].length + rest.search(/\s|$/) : text.length;
  const parts = [];
  const add = (piece, mark) => {
    if (!piece) return;
    const previous = parts[parts.length - 1];
    if (!mark && previous && !previous.mark) previous.text += piece;
    else parts.push({ text: piece, mark });
  };
  let at = from;
  for (let i = start; i < end; i++) {
    const { index, 0: word } = found[i];
    add(text.slice(at, index), false);
    add(word, marked[i]);
    at = index + word.length;
  }
  add(text.slice(at, to), false);
  return { before: start > 0, after: end < found.length, parts };
}

// --- The search page ---------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attributes);
  node.append(...children);
  return node;
}

function init(form) {
  const lang = document.documentElement.lang;
  const messages = JSON.parse(document.getElementById("search-messages").textContent);
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const numbers = new Intl.NumberFormat(lang, { numberingSystem: form.dataset.digits === "arab" ? "arab" : "latn" });
  const plurals = new Intl.PluralRules(lang);
  const index = createSearch(form.dataset.index);
  let current = 0;
  let found = [];
  let timer = 0;

  const say = (text) => { status.textContent = text; };
  const count = (n) => (messages.results[plurals.select(n)] ?? messages.results.other)
    .replace("{n}", numbers.format(n));

  async function render(result) {
    const [data, info] = await Promise.all([index.document(result.id), index.meta()]);
    const parts = excerpt(data.text, result.terms, { normalize: info.normalize, exact: result.exact });
    const text = element("p", { className: "excerpt" });
    if (parts.before) text.append("… ");
    for (const { text: piece, mark } of parts.parts) text.append(mark ? element("mark", {}, piece) : piece);
    if (parts.after) text.append(" …");
    const item = element("li", {}, element("h2", {}, element("a", { href: data.url }, data.title || data.url)));
    if (data.date) item.append(element("p", { className: "meta" }, data.date));
    item.append(text);
    return item;
  }

  async function showMore(id) {
    const next = found.slice(list.children.length, list.children.length + PER_PAGE);
    const items = await Promise.all(next.map(render));
    if (id !== current) return;
    list.append(...items);
    more.hidden = list.children.length >= found.length;
  }

  async function search(query) {
    const id = ++current;
    const url = new URL(location.href);
    if (query.trim()) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query.trim()) {
      list.replaceChildren();
      more.hidden = true;
      say("");
      return;
    }
    say(messages.searching);
    try {
      const results = await index.search(query);
      if (id !== current) return;
      found = results;
      list.replaceChildren();
      await showMore(id);
      if (id !== current) return;
      say(results.length ? count(results.length) : messages.none.replace("{query}", query.trim()));
    } catch (error) {
      if (id === current) {
        list.replaceChildren();
        more.hidden = true;
        say(messages.failed);
      }
      console.error(error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 300);
  });
  more.addEventListener("click", async () => {
    const first = list.children.length;
    await showMore(current);
    list.children[first]?.querySelector("a")?.focus();  // the button may be gone now
  });
  form.hidden = false;
  const query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  const form = document.querySelector("form[data-search]");
  if (form) init(form);
}
