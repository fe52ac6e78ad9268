// The search over the index each language's build writes to SEARCH_INDEX_URL
// (sitebuild/search.py describes its files: meta.json, s/<i>.json lexicon,
// t/<i>.json keys with their forms and passages, d/<id>-<b>.json passage blocks,
// docs.json, e.json). Nothing is fetched but the site's own files.
//
// `text` is the module with the text rules read from the index (text.js), handed in
// by the page (theme asset names carry their content's hash, so one module cannot
// name another) or by the node tests and search_eval/search.mjs.

export const INDEX_VERSION = 3; // sitebuild/search.py INDEX_VERSION
const WEIGHT_SCALE = 50 * 2; // weights are BM25 parts × 50, × 2 (+ 1 for a split key)
export const SPLIT_DISCOUNT = 0.5; // a key the document has only with a prefix letter off
const MIN_PREFIX = 4; // a shorter word is not matched as the start of longer ones
export const TITLE = -1; // sitebuild/search.py TITLE: the passage number of the title
const TITLE_POSITION = -(1 << 16); // sitebuild/search.py TITLE_POSITION

// The positions of one key's entry in a positions file (p/<i>.json), for the
// documents of its postings (`docs`, in their order): id → Set of positions.
export function decodePositions(list, docs) {
  const out = new Map();
  let i = 0;
  for (const id of docs.keys()) {
    const n = list[i];
    const positions = new Set();
    let at = TITLE_POSITION;
    for (let j = 0; j < n; j++) {
      at += list[i + 1 + j];
      positions.add(at);
    }
    out.set(id, positions);
    i += 1 + n;
  }
  return out;
}

// {forms: Set, docs: id → {weight, split, passages}} of one key's entry in a term file.
export function decodePostings(key, list) {
  const forms = new Set(list[0] ? list[0].split(" ") : [key]);
  const docs = new Map();
  let id = 0;
  for (let i = 1; i < list.length;) {
    id += list[i];
    const packed = list[i + 1];
    const n = list[i + 2];
    const passages = [];
    let k = TITLE;
    for (let j = 0; j < n; j++) {
      k += list[i + 3 + j];
      passages.push(k);
    }
    docs.set(id, { weight: packed >> 1, split: (packed & 1) === 1, passages });
    i += 3 + n;
  }
  return { forms, docs };
}

const idf = (total, df) => Math.log(1 + (total - df + 0.5) / (df + 0.5));

// One word's matches: {id → {score, tier, passages: Set, forms: Set, positions: Set}}
// over its keys ([{tier, forms, docs, positions?}]); tier 0: the document has the
// key as its own and the query word too, 1: through a prefix letter taken off, 2: a
// longer word. `positions` only when the keys came with theirs (a phrase).
export function scoreWord(keys, total) {
  const out = new Map();
  for (const { tier, forms, docs, positions } of keys) {
    const weightOf = idf(total, docs.size) / WEIGHT_SCALE;
    for (const [id, posting] of docs) {
      const level = Math.max(tier, posting.split ? 1 : 0);
      const score = weightOf * posting.weight * SPLIT_DISCOUNT ** level;
      let had = out.get(id);
      if (!had) {
        had = { score, tier: level, passages: new Set(), forms: new Set(), positions: new Set() };
        out.set(id, had);
      }
      had.score = Math.max(had.score, score);
      had.tier = Math.min(had.tier, level);
      for (const k of posting.passages) had.passages.add(k);
      for (const form of forms) had.forms.add(form);
      for (const position of positions?.get(id) ?? []) had.positions.add(position);
    }
  }
  return out;
}

// Documents where the words follow one another (positions p, p + 1, ...); the
// passages kept are those of the phrase's first word.
export function matchPhrase(wordMatches) {
  const [first, ...rest] = wordMatches;
  const out = new Map();
  for (const [id, match] of first) {
    const others = rest.map((m) => m.get(id));
    if (others.some((m) => !m)) continue;
    const starts = [...match.positions].filter((p) => others.every((m, j) => m.positions.has(p + j + 1)));
    if (!starts.length) continue;
    const all = [match, ...others];
    out.set(id, {
      score: all.reduce((sum, m) => sum + m.score, 0),
      tier: Math.max(...all.map((m) => m.tier)),
      passages: match.passages,
      forms: new Set(all.flatMap((m) => [...m.forms])),
    });
  }
  return out;
}

// Documents that match every part: [{id, score, tier, parts}], best first (the
// exact forms before prefix letters taken off, then by score, then by id).
export function combine(partMatches) {
  if (!partMatches.length) return [];
  const sorted = [...partMatches].sort((a, b) => a.size - b.size);
  const results = [];
  for (const [id] of sorted[0]) {
    if (!sorted.every((m) => m.has(id))) continue;
    const parts = partMatches.map((m) => m.get(id));
    results.push({
      id,
      score: parts.reduce((sum, m) => sum + m.score, 0),
      tier: Math.max(...parts.map((m) => m.tier)),
      parts,
    });
  }
  return results.sort((a, b) => a.tier - b.tier || b.score - a.score || a.id - b.id);
}

// The passage to show: the one with the most parts matched, the first of those (a
// match only in the title has no passage: 0).
export function bestPassage(parts) {
  const counts = new Map();
  for (const part of parts) {
    for (const k of part.passages) if (k !== TITLE) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let best = 0;
  let most = 0;
  for (const [k, n] of counts) if (n > most || (n === most && k < best)) [best, most] = [k, n];
  return best;
}

export class IndexVersionError extends Error {}

// The search over the index at `indexUrl` (ending in "/"):
//   search(query, {section, sort}) → [{id, score, tier, parts}], best first (a
//                   quoted phrase loads the positions files of its words' keys)
//   passage(result) → {url, title, date, section, field, text, more, from, titleParts,
//                      parts} (the words that matched marked)
//   meta() → meta.json; fetched → the paths loaded so far (for the measurements)
// meta.json is loaded once (revalidated: it names the build, and a version this
// code does not read is refused), then every other file with ?v=<build>; loaded
// files are kept in memory. A failed load is forgotten, so the next search retries.
export function createSearch(indexUrl, { text, fetch: fetchImpl = (url, options) => fetch(url, options) }) {
  const base = indexUrl.endsWith("/") ? indexUrl : `${indexUrl}/`;
  const files = new Map();
  const fetched = [];
  let metaLoad = null;
  let clean = null;

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
      clean = text.makeCleaner(info.clean);
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
    const at = text.lastAtMost(info.chunks, key);
    if (at < 0) return { forms: new Set(), docs: new Map() };
    const chunk = await file(`t/${at}.json`);
    return chunk[key] ? decodePostings(key, chunk[key]) : { forms: new Set(), docs: new Map() };
  }

  // {own, split} keys of a cleaned word.
  async function keysOf(word) {
    const info = await meta();
    const at = text.lastAtMost(info.lexicon, word);
    const found = at >= 0 ? text.readLexicon(word, (await file(`s/${at}.json`))[word]) : null;
    if (found) return found;
    const rules = await file("e.json");
    const first = async (candidates) => {
      const present = await Promise.all(candidates.map(async (key) => (await postings(key)).docs.size > 0));
      return candidates.filter((_, i) => present[i]).slice(0, 1);
    };
    const [own, split] = await Promise.all([first(text.rewrite(word, rules, 0)), first(text.rewrite(word, rules, 1))]);
    return { own, split: split.filter((key) => !own.includes(key)) };
  }

  // The own keys of the site's longer words that start with `word` (child → children),
  // ranked after the word's own and split keys.
  async function prefixKeys(word) {
    if ([...word].length < MIN_PREFIX) return [];
    const info = await meta();
    const at = Math.max(0, text.lastAtMost(info.lexicon, word));
    const wanted = [at];
    for (let i = at + 1; i < info.lexicon.length && info.lexicon[i].startsWith(word); i++) wanted.push(i);
    const keys = new Set();
    for (const chunk of await Promise.all(wanted.map((i) => file(`s/${i}.json`)))) {
      for (const [other, value] of Object.entries(chunk)) {
        if (other !== word && other.startsWith(word)) for (const key of text.readLexicon(other, value).own) keys.add(key);
      }
    }
    return [...keys];
  }

  // A word's matches: by its own keys (the site's words that are the word, with an
  // article or prefix letters before it taken off: جعلت finds وجعلت too, ranked
  // after), or else, when they find nothing, by its split keys (the word with its own
  // prefix letter taken off: لنظام is read as ل + نظام only on a site without لنظام);
  // then the site's longer words that start with it (child → children), ranked after.
  async function wordMatches(word, phrase) {
    const info = await meta();
    const { own, split } = await keysOf(word);
    const load = (keys) => Promise.all(keys.map(async (k) => {
      const found = { ...k, ...(await postings(k.key)) };
      if (phrase && found.docs.size) {
        const at = text.lastAtMost(info.chunks, k.key);
        found.positions = decodePositions((await file(`p/${at}.json`))[k.key], found.docs);
      }
      return found;
    }));
    const longer = prefixKeys(word).then((keys) => keys.filter((key) => !own.includes(key) && !split.includes(key)));
    let found = await load(own.map((key) => ({ key, tier: 0 })));
    if (!found.some((k) => k.docs.size)) found = await load(split.map((key) => ({ key, tier: 1 })));
    found = [...found, ...await load((await longer).map((key) => ({ key, tier: 2 })))];
    return scoreWord(found, info.documents);
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

  async function search(query, { section = "", sort = "" } = {}) {
    const info = await meta();
    const parts = text.parseQuery(query, info.word)
      .map((part) => ({ ...part, words: part.words.map(clean).filter(Boolean) }))
      .filter((part) => part.words.length);
    if (!parts.length) return [];
    const matched = await Promise.all(parts.map(async (part) => {
      const each = await Promise.all(part.words.map((word) => wordMatches(word, part.phrase)));
      return part.phrase ? matchPhrase(each) : each[0];
    }));
    let results = combine(matched);
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
    const k = bestPassage(result.parts);
    const block = await file(`d/${result.id}-${Math.floor(k / info.block)}.json`);
    const { passages, ...head } = block;
    const number = passages[k] ? k : Number(Object.keys(passages)[0]);
    const record = { ...head, ...passages[number], from: number };
    const forms = new Set(result.parts.flatMap((part) => [...part.forms]));
    const marked = (word) => forms.has(clean(word));
    return {
      ...record,
      titleParts: text.markWords(record.title, marked, info.word),
      parts: text.markWords(record.text, marked, info.word),
    };
  }

  return { search, meta, passage, fetched };
}
