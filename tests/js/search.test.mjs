// Unit tests of the search modules (theme/static/js/search/), run by
// tests/test_search_js.py with `node --test`: SEARCH_MODULES is a copy of the modules,
// SEARCH_INDEX an index that test wrote with small term and lexicon files (many chunks),
// SEARCH_EXPECT what it holds.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const modules = pathToFileURL(process.env.SEARCH_MODULES).href.replace(/\/?$/, "/");
const text = await import(`${modules}text.js`);
const engine = await import(`${modules}engine.js`);
const WORD = "[\\p{L}\\p{N}\\p{M}\\p{Cf}]+";

const fileFetch = async (url) => {
  try {
    return new Response(await readFile(fileURLToPath(new URL(String(url)))));
  } catch {
    return new Response(null, { status: 404 });
  }
};

test("a split key ranks after an own key, whatever the weights", () => {
  // Key "k": document 5 has it as its own key (weight 10), document 9 only through a
  // prefix letter taken off (weight 90, split bit set).
  const list = ["", 5, 2 * 10, 1, 1, 4, 2 * 90 + 1, 1, 3];
  const { forms, docs } = engine.decodePostings("k", list);
  assert.deepEqual([...forms], ["k"]);
  assert.deepEqual(docs.get(5), { weight: 10, split: false, passages: [0] });
  assert.deepEqual(docs.get(9), { weight: 90, split: true, passages: [2] });
  const scored = engine.scoreWord([{ tier: 0, forms, docs }], 100);
  assert.ok(scored.get(9).score > scored.get(5).score);
  const ranked = engine.combine([scored]);
  assert.deepEqual(ranked.map((r) => r.id), [5, 9]);
  assert.deepEqual(ranked.map((r) => r.tier), [0, 1]);
});

test("every word must match; scores add up; a rarer key weighs more", () => {
  const common = engine.decodePostings("a", ["", 1, 20, 0, 1, 20, 0, 1, 20, 0]); // docs 1, 2, 3
  const rare = engine.decodePostings("b", ["", 2, 20, 0]); // doc 2
  const a = engine.scoreWord([{ tier: 0, ...common }], 50);
  const b = engine.scoreWord([{ tier: 0, ...rare }], 50);
  assert.ok(b.get(2).score > a.get(2).score);
  const both = engine.combine([a, b]);
  assert.deepEqual(both.map((r) => r.id), [2]);
  assert.equal(both[0].score, a.get(2).score + b.get(2).score);
});

test("the excerpt is the passage with the most query words, the title aside", () => {
  const parts = [{ passages: new Set([engine.TITLE, 0, 3]) }, { passages: new Set([3, 4]) }];
  assert.equal(engine.bestPassage(parts), 3);
  assert.equal(engine.bestPassage([{ passages: new Set([engine.TITLE]) }]), 0);
});

test("words are marked by the forms the index lists, punctuation kept", () => {
  const clean = text.makeCleaner({ strip: "[\\p{M}\\p{Cf}\\u0640]", letters: "ة", to: "ه" });
  const forms = new Set(["وعايلاتهم", "عايلاتهم"]);
  const parts = text.markWords("حماية الشهود وعائلاتهم، والمدنيين.", (w) => forms.has(clean(w)), WORD);
  assert.deepEqual(parts, [
    { text: "حماية الشهود ", mark: false },
    { text: "وعائلاتهم", mark: true },
    { text: "، والمدنيين.", mark: false },
  ]);
  assert.equal(parts.map((p) => p.text).join(""), "حماية الشهود وعائلاتهم، والمدنيين.");
});

test("an excerpt starts a few words before its first marked word", () => {
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
  const late = text.markWords(words.join(" ") + "\nالمتابعات (3) تلي", (w) => w === "المتابعات", WORD);
  const [parts, cut] = text.fromFirstMark(late, 6);
  assert.equal(cut, true);
  assert.deepEqual(parts, [
    { text: "w24 w25 w26 w27 w28 w29\n", mark: false },
    { text: "المتابعات", mark: true },
    { text: " (3) تلي", mark: false },
  ]);
  // Near the start, or no mark at all: unchanged.
  const early = text.markWords("w1 w2 المتابعات w3", (w) => w === "المتابعات", WORD);
  assert.deepEqual(text.fromFirstMark(early, 6), [early, false]);
  const none = text.markWords(words.join(" "), () => false, WORD);
  assert.deepEqual(text.fromFirstMark(none, 6), [none, false]);
});

test("a phrase matches adjacent positions in order only", () => {
  // "detainees" at 4 in document 1, 9 in document 2, 7 in 3; "families" at 5, 7, 8 and 20
  // (document 3: a line break between them moved "families" to 9, no phrase).
  const word = (positions) => new Map(Object.entries(positions).map(([id, list]) => [Number(id), {
    score: 1, tier: 0, passages: new Set([0]), forms: new Set(), positions: new Set(list) }]));
  const detainees = word({ 1: [4], 2: [9], 3: [7] });
  const families = word({ 1: [5], 2: [7, 20], 3: [9] });
  assert.deepEqual([...engine.matchPhrase([detainees, families]).keys()], [1]);
  assert.deepEqual([...engine.matchPhrase([families, detainees]).keys()], []);
  assert.deepEqual(text.parseQuery('a "b c" «d»', WORD), [
    { words: ["a"], phrase: false }, { words: ["b", "c"], phrase: true }, { words: ["d"], phrase: false },
  ]);
  // Positions files: per document of the postings, n then deltas from the title's position.
  const docs = new Map([[3, {}], [8, {}]]);
  const title = -(1 << 16);
  const decoded = engine.decodePositions([1, 4 - title, 2, 0 - title, 3], docs);
  assert.deepEqual([...decoded.get(3)], [4]);
  assert.deepEqual([...decoded.get(8)], [0, 3]);
});

test("every key is found across chunk boundaries of a multi-chunk index", async () => {
  const expect = JSON.parse(readFileSync(process.env.SEARCH_EXPECT, "utf8"));
  const index = engine.createSearch(pathToFileURL(process.env.SEARCH_INDEX).href + "/", { text, fetch: fileFetch });
  const meta = await index.meta();
  assert.ok(meta.chunks.length >= 5 && meta.lexicon.length >= 5, "a multi-chunk index");
  // The first and last key of each term file, and a word between two files that the
  // index does not have.
  for (const { word, url } of expect.found) {
    const results = await index.search(word);
    assert.equal(results.length, 1, word);
    assert.equal((await index.passage(results[0])).url, url, word);
  }
  for (const word of expect.missing) assert.deepEqual(await index.search(word), [], word);
  // Only the files of the words asked for were loaded, not the whole index.
  const terms = index.fetched.filter((path) => path.startsWith("t/")).length;
  assert.ok(terms < meta.chunks.length, `${terms} of ${meta.chunks.length} term files`);
});

test("an index of another version is refused", async () => {
  const fetchOld = async (url) => (String(url).includes("meta.json")
    ? new Response(JSON.stringify({ version: engine.INDEX_VERSION - 1 })) : fileFetch(url));
  const index = engine.createSearch("file:///nowhere/", { text, fetch: fetchOld });
  await assert.rejects(index.search("x"), engine.IndexVersionError);
});
