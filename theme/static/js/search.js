// Site search on Pagefind's JS API (<site>/pagefind/pagefind.js, written by the build).
// The form in search.html is hidden until this module runs; without JavaScript the
// page shows its <noscript> message instead.
//
// Arabic: the index holds each word's normalized forms (sitebuild/search.py), so the
// query is normalized by the same rules here. Keep normalizeWord and queryTerms in
// step with normalize_word and query_terms: tests/test_search_normalizer.py runs both
// over one table of cases.

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
const ARABIC = /^[\u0621-\u064a]+$/;
const CONJUNCTION = /^[وف][\u0621-\u064a]{3,}$/;
const SUFFIXES = ["ات", "ون", "ين", "ه"];
const MIN_STEM = 4;
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}]+/gu;
// `word|form|form` in the Arabic index: the forms end each word and are shown to
// nobody, nor the period Pagefind adds after them at the end of a paragraph.
const FORMS = /(?:\|[\p{L}\p{N}\p{M}\p{Cf}]*)+(\.?)$/u;
const bare = (chunk) => chunk.replace(FORMS, (_, period, at) =>
  (period && !/\p{P}$/u.test(chunk.slice(0, at)) ? period : ""));
export const shown = (text) => text.split(" ").map(bare).join(" ");
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

export function stripSuffix(term) {
  if (ARABIC.test(term)) {
    for (const suffix of SUFFIXES) {
      if (term.endsWith(suffix) && term.length - suffix.length >= MIN_STEM) {
        return term.slice(0, -suffix.length);
      }
    }
  }
  return term;
}

// The words searched for; `conjunction`: without a leading و or ف (وحكومات), for a
// second search (the index splits و off only where the rest is a word of the site).
export function queryTerms(query, exact = false, conjunction = false) {
  return words(query).map(normalizeWord).filter(Boolean)
    .map((term) => (conjunction && CONJUNCTION.test(term) ? term.slice(1) : term))
    .map((term) => (exact ? term : stripSuffix(term)));
}

// What Pagefind itself does to words before comparing them.
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

// Pagefind matches a query word that is in no indexed word by the longest indexed
// word it starts with (منظمات → من). A result matched that way shows it: none of
// its matched words starts with the term, one is a shorter start of it.
export function fellBack(data, terms) {
  const chunks = data.content.split(/\s+/);
  const found = data.locations.flatMap((at) => {
    const parts = words(chunks[at] ?? "").map(fold);
    return [...parts, parts.join("")];
  });
  return terms.map(fold).some((term) => !found.some((part) => part.startsWith(term))
    && found.some((part) => part && part.length < term.length && term.startsWith(part)));
}

// Search: Pagefind's results for the query (normalized in Arabic: `normalize`).
// An Arabic word with و or ف in front (وحكومات) is also searched without it; those
// results come after the others.
export async function runSearch(pagefind, query, normalize) {
  if (!normalize) {
    return query.trim() ? (await pagefind.search(query.trim())).results : [];
  }
  const exact = /^\s*".+"\s*$/.test(query);
  const once = async (terms) => {
    if (!terms.length) return [];
    const { results } = await pagefind.search(exact ? `"${terms.join(" ")}"` : terms.join(" "));
    if (!exact && results.length && fellBack(await results[0].data(), terms)) return [];
    return results;
  };
  const terms = queryTerms(query, exact);
  let results = await once(terms);
  const bare = queryTerms(query, exact, true);
  if (bare.join(" ") !== terms.join(" ")) {
    const seen = new Set(results.map((result) => result.id));
    results = [...results, ...(await once(bare)).filter((result) => !seen.has(result.id))];
  }
  return results;
}

// The words of a result to show: about EXCERPT_WORDS around most matches.
export function excerpt(data, normalized) {
  const chunks = data.content.split(/\s+/);
  const marked = new Set(data.locations);
  let start = 0;
  let best = -1;
  for (const at of marked) {
    const from = Math.max(0, at - 5);
    const count = [...marked].filter((l) => l >= from && l < from + EXCERPT_WORDS).length;
    if (count > best) [start, best] = [from, count];
  }
  start = Math.max(0, Math.min(start, chunks.length - EXCERPT_WORDS));
  const end = Math.min(chunks.length, start + EXCERPT_WORDS);
  const show = (chunk) => (normalized ? shown(chunk) : chunk);
  return {
    before: start > 0,
    after: end < chunks.length,
    words: chunks.slice(start, end).map((chunk, i) => ({ text: show(chunk), mark: marked.has(start + i) })),
  };
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
  const normalize = lang.split("-")[0].toLowerCase() === "ar";
  const messages = JSON.parse(document.getElementById("search-messages").textContent);
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const numbers = new Intl.NumberFormat(lang, { numberingSystem: form.dataset.digits === "arab" ? "arab" : "latn" });
  const plurals = new Intl.PluralRules(lang);
  let pagefind = null;
  let current = 0;
  let found = [];
  let timer = 0;

  const say = (text) => { status.textContent = text; };
  const count = (n) => (messages.results[plurals.select(n)] ?? messages.results.other)
    .replace("{n}", numbers.format(n));

  async function render(result) {
    const data = await result.data();
    const title = data.meta.title || data.url;
    const parts = excerpt(data, normalize);
    const text = element("p", { className: "excerpt" });
    if (parts.before) text.append("… ");
    parts.words.forEach(({ text: word, mark }, i) => {
      if (i) text.append(" ");
      text.append(mark ? element("mark", {}, word) : word);
    });
    if (parts.after) text.append(" …");
    const item = element("li", {}, element("h2", {}, element("a", { href: data.url }, normalize ? shown(title) : title)));
    if (data.meta.date) item.append(element("p", { className: "meta" }, data.meta.date));
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
      pagefind ??= await import(form.dataset.bundle + "pagefind.js");
      const results = await runSearch(pagefind, query, normalize);
      if (id !== current) return;
      found = results;
      list.replaceChildren();
      await showMore(id);
      if (id !== current) return;
      say(results.length ? count(results.length) : messages.none.replace("{query}", query.trim()));
    } catch (error) {
      if (id === current) say(messages.failed);
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
