// Site search over the index each language's build writes to SEARCH_INDEX_URL
// (sitebuild/search.py describes its files: meta.json, s/<i>.json lexicon, t/<i>.json
// keys with positions, d/<id>-<k>.json passages, docs.json, e.json). Nothing is
// fetched but the site's own files. The form in search.html is hidden until this
// module runs; without JavaScript the page shows its <noscript> message instead.
//
// This file has no language rule of its own: a query word is cleaned with the
// tables of meta.json (`clean`), then read in the lexicon the build wrote with the
// site's one analyzer (sitebuild/search.py `analyze`); a word the site does not have
// goes through the ending rewrites that analyzer made on the site's words (e.json).
// Excerpts mark the words at the positions that matched.

export const INDEX_VERSION = 2; // sitebuild/search.py INDEX_VERSION
const WEIGHT_SCALE = 50 * 2; // weights are BM25 parts × 50, × 2 (+ 1 for a split key)
export const SPLIT_DISCOUNT = 0.5; // a key the document has only with a prefix letter off
const PER_PAGE = 10;
const MAX_CANDIDATES = 6; // ending rewrites tried for a word the lexicon lacks
const MIN_PREFIX = 4; // a shorter word is not matched as the start of longer ones

// --- Pure parts (node --test: tests/js/search.test.mjs) ------------------------------

// The cleaning of sitebuild/search.py `clean`, from meta.json's tables.
export function makeCleaner({ strip, letters, to }) {
  const remove = new RegExp(strip, "gu");
  const map = new Map([...letters].map((c, i) => [c, [...to][i]]));
  return (word) => [...word.normalize("NFKC").toLowerCase().normalize("NFD").replace(remove, "")
    .normalize("NFC")].map((c) => map.get(c) ?? c).join("");
}

// The last i with sorted[i] <= key (-1 if none).
export function lastAtMost(sorted, key) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= key) low = middle + 1; else high = middle;
  }
  return low - 1;
}

// A query's parts: [{words: [...as typed], phrase}]; "…" holds a phrase.
export function parseQuery(query, wordPattern) {
  const word = new RegExp(wordPattern, "gu");
  const parts = [];
  const quoted = /"([^"]*)"?/g;
  let at = 0;
  const loose = (text) => {
    for (const w of text.match(word) ?? []) parts.push({ words: [w], phrase: false });
  };
  for (const match of query.matchAll(quoted)) {
    loose(query.slice(at, match.index));
    const inside = match[1].match(word) ?? [];
    if (inside.length > 1) parts.push({ words: inside, phrase: true });
    else if (inside.length) parts.push({ words: inside, phrase: false });
    at = match.index + match[0].length;
  }
  loose(query.slice(at));
  return parts;
}

// A lexicon value: "" = the word is its own key; else "own keys|split keys".
export function readLexicon(word, value) {
  if (value === undefined) return null;
  if (value === "") return { own: [word], split: [] };
  const [own, split = ""] = value.split("|");
  return { own: own.split(" ").filter(Boolean), split: split.split(" ").filter(Boolean) };
}

// The keys the ending rewrites (e.json, most used first) make of `word`.
export function rewrite(word, rules, split = 0, limit = MAX_CANDIDATES) {
  const found = [];
  for (const [prefix, ending, keyEnding, tier] of rules) {
    if (tier !== split) continue;
    if (!word.startsWith(prefix) || !word.endsWith(ending)) continue;
    const core = word.slice(prefix.length, word.length - ending.length);
    if ([...core].length < 2) continue;
    const key = core + keyEnding;
    if (!found.includes(key)) found.push(key);
    if (found.length >= limit) break;
  }
  return found;
}

// {id → {weight, split, positions}} of one key's postings.
export function decodePostings(list) {
  const docs = new Map();
  let id = 0;
  for (let i = 0; i < list.length;) {
    id += list[i];
    const packed = list[i + 1];
    const n = list[i + 2];
    const positions = [];
    let at = 0;
    for (let j = 0; j < n; j++) {
      at += list[i + 3 + j];
      positions.push(at);
    }
    docs.set(id, { weight: packed >> 1, split: (packed & 1) === 1, positions });
    i += 3 + n;
  }
  return docs;
}

const idf = (total, df) => Math.log(1 + (total - df + 0.5) / (df + 0.5));

// One word's matches: {id → {score, tier, positions}} over its keys ({key, tier,
// docs}); tier 0 when the document has a key as its own and the query word too.
export function scoreWord(keys, total) {
  const out = new Map();
  for (const { tier, docs } of keys) {
    const weightOf = idf(total, docs.size) / WEIGHT_SCALE;
    for (const [id, posting] of docs) {
      const level = Math.max(tier, posting.split ? 1 : 0); // 0 own, 1 split, 2 longer word
      const score = weightOf * posting.weight * SPLIT_DISCOUNT ** level;
      const had = out.get(id);
      if (!had) out.set(id, { score, tier: level, positions: new Set(posting.positions) });
      else {
        had.score = Math.max(had.score, score);
        had.tier = Math.min(had.tier, level);
        for (const p of posting.positions) had.positions.add(p);
      }
    }
  }
  return out;
}

// Documents where the words' positions follow one another; the positions kept are
// the phrase's own.
export function matchPhrase(wordMatches) {
  const [first, ...rest] = wordMatches;
  const out = new Map();
  for (const [id, match] of first) {
    if (!rest.every((m) => m.has(id))) continue;
    const kept = new Set();
    for (const start of match.positions) {
      if (rest.every((m, i) => m.get(id).positions.has(start + i + 1))) {
        for (let i = 0; i <= rest.length; i++) kept.add(start + i);
      }
    }
    if (!kept.size) continue;
    const all = [match, ...rest.map((m) => m.get(id))];
    out.set(id, {
      score: all.reduce((sum, m) => sum + m.score, 0),
      tier: Math.max(...all.map((m) => m.tier)),
      positions: kept,
    });
  }
  return out;
}

// Documents that match every part: [{id, score, tier, positions: [...], parts}].
export function combine(partMatches) {
  if (!partMatches.length) return [];
  const sorted = [...partMatches].sort((a, b) => a.size - b.size);
  const results = [];
  for (const [id, first] of sorted[0]) {
    if (!sorted.every((m) => m.has(id))) continue;
    const all = partMatches.map((m) => m.get(id));
    results.push({
      id,
      score: all.reduce((sum, m) => sum + m.score, 0),
      tier: Math.max(...all.map((m) => m.tier)),
      positions: all.map((m) => [...m.positions].sort((a, b) => a - b)),
    });
  }
  return results.sort((a, b) => a.tier - b.tier || b.score - a.score || a.id - b.id);
}

// The passage to show: the one with the most parts matched, then the most words
// (title words, at titleBase and after, count for none: passage 0 then).
export function bestPassage(positions, passage, titleBase) {
  const counts = new Map();
  positions.forEach((list, part) => {
    for (const p of list) {
      if (p >= titleBase) continue;
      const k = Math.floor(p / passage);
      const entry = counts.get(k) ?? { parts: new Set(), words: 0 };
      entry.parts.add(part);
      entry.words += 1;
      counts.set(k, entry);
    }
  });
  let best = 0;
  let score = [-1, -1];
  for (const [k, { parts, words }] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (parts.size > score[0] || (parts.size === score[0] && words > score[1])) {
      best = k;
      score = [parts.size, words];
    }
  }
  return best;
}

// A text cut into [{text, mark}] with the words at `marked` positions (the text's
// first word being at `from`) marked.
export function markWords(text, from, marked, wordPattern) {
  const word = new RegExp(wordPattern, "gu");
  const parts = [];
  const add = (piece, mark) => {
    if (!piece) return;
    const previous = parts[parts.length - 1];
    if (!mark && previous && !previous.mark) previous.text += piece;
    else parts.push({ text: piece, mark });
  };
  let at = 0;
  let position = from;
  for (const match of text.replaceAll("_", " ").matchAll(word)) {
    add(text.slice(at, match.index), false);
    add(text.slice(match.index, match.index + match[0].length), marked.has(position));
    at = match.index + match[0].length;
    position += 1;
  }
  add(text.slice(at), false);
  return parts;
}

// --- The index -----------------------------------------------------------------------

export class IndexVersionError extends Error {}

// The search over the index at `indexUrl` (ending in "/"). `fetchImpl` is the
// browser's fetch, or one that reads files (search_eval/search.mjs, the node tests).
//   search(query, {section, sort}) → [{id, score, tier, positions}], best first
//   passage(result) → {url, title, date, section, field, from, text, more,
//                      titleParts, parts} (the words that matched marked)
//   meta() → meta.json; fetched → the paths loaded so far (for the measurements)
// meta.json is loaded once (revalidated: it names the build), then every other file
// with ?v=<build>; loaded files are kept in memory. A failed load is forgotten.
export function createSearch(indexUrl, fetchImpl = (url, options) => fetch(url, options)) {
  const base = indexUrl.endsWith("/") ? indexUrl : `${indexUrl}/`;
  const files = new Map();
  const fetched = [];
  let metaLoad = null;
  let cleaner = null;

  async function get(path, options) {
    const response = await fetchImpl(base + path, options);
    if (!response.ok) throw new Error(`search index: ${path}: HTTP ${response.status}`);
    fetched.push(path);
    return response.json();
  }

  function meta() {
    metaLoad ??= get("meta.json", { cache: "no-cache" }).then((info) => {
      if (info.version !== INDEX_VERSION) {
        throw new IndexVersionError(`search index version ${info.version}, expected ${INDEX_VERSION}`);
      }
      cleaner = makeCleaner(info.clean);
      return info;
    }).catch((error) => {
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

  async function postings(key) {
    const info = await meta();
    const at = lastAtMost(info.chunks, key);
    if (at < 0) return new Map();
    const chunk = await file(`t/${at}.json`);
    return chunk[key] ? decodePostings(chunk[key]) : new Map();
  }

  // {own, split} keys of a cleaned word.
  async function keysOf(word) {
    const info = await meta();
    const at = lastAtMost(info.lexicon, word);
    const found = at >= 0 ? readLexicon(word, (await file(`s/${at}.json`))[word]) : null;
    if (found) return found;
    const rules = await file("e.json");
    const first = async (candidates) => {
      const present = await Promise.all(candidates.map(async (key) => (await postings(key)).size > 0));
      return candidates.filter((_, i) => present[i]).slice(0, 1);
    };
    const [own, split] = await Promise.all([first(rewrite(word, rules, 0)), first(rewrite(word, rules, 1))]);
    return { own, split: split.filter((key) => !own.includes(key)) };
  }

  // The own keys of the site's longer words that start with `word` (child → children),
  // ranked after the word's own and split keys.
  async function prefixKeys(word) {
    if ([...word].length < MIN_PREFIX) return [];
    const info = await meta();
    const at = Math.max(0, lastAtMost(info.lexicon, word));
    const wanted = [at];
    for (let i = at + 1; i < info.lexicon.length && info.lexicon[i].startsWith(word); i++) wanted.push(i);
    const keys = new Set();
    for (const chunk of await Promise.all(wanted.map((i) => file(`s/${i}.json`)))) {
      for (const [other, value] of Object.entries(chunk)) {
        if (other !== word && other.startsWith(word)) for (const key of readLexicon(other, value).own) keys.add(key);
      }
    }
    return [...keys];
  }

  async function wordMatches(word, withSplit) {
    const info = await meta();
    const { own, split } = await keysOf(word);
    const longer = (await prefixKeys(word)).filter((key) => !own.includes(key) && !split.includes(key));
    const keys = [...own.map((key) => ({ key, tier: 0 })),
      ...(withSplit ? split.map((key) => ({ key, tier: 1 })) : []),
      ...longer.map((key) => ({ key, tier: 2 }))];
    const loaded = await Promise.all(keys.map(async (k) => ({ ...k, docs: await postings(k.key) })));
    return scoreWord(loaded, info.documents);
  }

  async function docTable() {
    const { sections, docs } = await file("docs.json");
    const table = new Map();
    let id = 0;
    for (let i = 0; i < docs.length; i += 3) {
      id += docs[i];
      table.set(id, { section: sections[docs[i + 1]], day: docs[i + 2] });
    }
    return table;
  }

  async function run(parts, withSplit) {
    const matched = await Promise.all(parts.map(async (part) => {
      const each = await Promise.all(part.words.map((w) => wordMatches(cleaner(w), withSplit)));
      return part.phrase ? matchPhrase(each) : each[0];
    }));
    return combine(matched);
  }

  async function search(query, { section = "", sort = "" } = {}) {
    const info = await meta();
    const parts = parseQuery(query, info.word).filter((part) => part.words.every((w) => cleaner(w)));
    if (!parts.length) return [];
    // A word typed with a prefix letter (وآمنة) finds the word without it too
    // (its split keys: only for words the site never has with ال), ranked after.
    let results = await run(parts, true);
    if (section || sort === "date") {
      const table = await docTable();
      if (section) results = results.filter((r) => table.get(r.id)?.section === section);
      if (sort === "date") {
        results = [...results].sort((a, b) => (table.get(b.id)?.day ?? 0) - (table.get(a.id)?.day ?? 0)
          || a.tier - b.tier || b.score - a.score);
      }
    }
    return results;
  }

  async function passage(result) {
    const info = await meta();
    const k = bestPassage(result.positions, info.passage, info.titleBase);
    const block = await file(`d/${result.id}-${Math.floor(k / info.block)}.json`);
    const { passages, ...head } = block;
    const record = { ...head, ...(passages[k] || Object.values(passages)[0]) };
    const marked = new Set(result.positions.flat());
    return {
      ...record,
      titleParts: markWords(record.title, info.titleBase, marked, info.word),
      parts: markWords(record.text, record.from, marked, info.word),
    };
  }

  return { search, meta, passage, fetched };
}

// --- The search page ---------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attributes);
  node.append(...children);
  return node;
}

const marked = (parts) => parts.map(({ text, mark }) => (mark ? element("mark", {}, text) : text));

function init(form) {
  const lang = document.documentElement.lang;
  const messages = JSON.parse(document.getElementById("search-messages").textContent);
  const input = form.querySelector("input[type=search]");
  const sectionField = form.querySelector("select[name=section]");
  const sortField = form.querySelector("select[name=sort]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const help = document.getElementById("search-help");
  const numbers = new Intl.NumberFormat(lang, { numberingSystem: form.dataset.digits === "arab" ? "arab" : "latn" });
  const plurals = new Intl.PluralRules(lang);
  const index = createSearch(form.dataset.index);
  let current = 0;
  let found = [];
  let timer = 0;

  const say = (text) => { status.textContent = text; };
  const count = (n) => (messages.results[plurals.select(n)] ?? messages.results.other)
    .replace("{n}", numbers.format(n));

  // A result's place is drawn at once (its reserved height) and filled when its
  // passage arrives.
  function slot(result, id) {
    const item = element("li", { className: "pending" });
    item.append(element("p", { className: "meta" }, "\u00a0"), element("h2", {}, "\u00a0"),
      element("p", { className: "excerpt" }, "\u00a0"));
    index.passage(result).then((data) => {
      if (id !== current) return;
      const meta = [data.section, data.date].filter(Boolean).join(" · ");
      const excerpt = element("p", { className: "excerpt" });
      if (data.field !== "text") excerpt.append(element("span", { className: "field" }, messages.fields[data.field] ?? ""), " ");
      if (data.from > 0 && data.field === "text") excerpt.append("… ");
      excerpt.append(...marked(data.parts));
      if (data.more) excerpt.append(" …");
      item.replaceChildren(
        element("p", { className: "meta" }, meta || "\u00a0"),
        element("h2", {}, element("a", { href: data.url }, ...(data.title ? marked(data.titleParts) : [data.url]))),
        excerpt,
      );
      item.className = "";
    }).catch((error) => {
      if (id === current) item.replaceChildren(element("p", {}, messages.failed));
      console.error(error);
    });
    return item;
  }

  function showMore(id) {
    const next = found.slice(list.children.length, list.children.length + PER_PAGE);
    list.append(...next.map((result) => slot(result, id)));
    more.hidden = list.children.length >= found.length;
  }

  async function search() {
    const query = input.value;
    const options = { section: sectionField?.value ?? "", sort: sortField?.value ?? "" };
    const id = ++current;
    const url = new URL(location.href);
    for (const [name, value] of [["q", query.trim() ? query : ""], ["section", options.section], ["sort", options.sort]]) {
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    }
    history.replaceState(null, "", url);
    help.hidden = true;
    if (!query.trim()) {
      list.replaceChildren();
      more.hidden = true;
      say("");
      return;
    }
    say(messages.searching);
    try {
      const results = await index.search(query, options);
      if (id !== current) return;
      found = results;
      list.replaceChildren();
      showMore(id);
      say(results.length ? count(results.length) : messages.none.replace("{query}", query.trim()));
      help.hidden = results.length > 0;
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
    search();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
  for (const field of [sectionField, sortField]) field?.addEventListener("change", () => search());
  more.addEventListener("click", () => {
    const first = list.children.length;
    showMore(current);
    list.children[first]?.setAttribute("tabindex", "-1");
    list.children[first]?.focus();
  });
  form.hidden = false;
  const params = new URLSearchParams(location.search);
  if (sectionField && params.get("section")) sectionField.value = params.get("section");
  if (sortField && params.get("sort")) sortField.value = params.get("sort");
  const query = params.get("q");
  if (query) {
    input.value = query;
    search();
  }
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  const form = document.querySelector("form[data-search]");
  if (form) init(form);
}
