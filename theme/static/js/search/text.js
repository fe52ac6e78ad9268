// The text rules of the site search, read from the index: nothing here knows a
// language. Cleaning uses the tables meta.json ships (sitebuild/search.py `clean`);
// a word's keys come from the lexicon the build wrote with the site's one analyzer
// (sitebuild/search.py `analyze`), or, for a word the site lacks, from the ending
// rewrites that analyzer made on the site's words (e.json). Which words to mark is
// decided by the cleaned words each key was indexed from (the `forms` of a term file).

// The cleaning of sitebuild/search.py `clean`, from meta.json's tables.
export function makeCleaner({ strip, letters, to }) {
  const remove = new RegExp(strip, "gu");
  const map = new Map([...letters].map((c, i) => [c, [...to][i]]));
  return (word) => [...word.normalize("NFKC").toLowerCase().normalize("NFD").replace(remove, "")
    .normalize("NFC")].map((c) => map.get(c) ?? c).join("");
}

// The last i with sorted[i] <= key (-1 if none): the file of a sorted range that
// would hold `key`.
export function lastAtMost(sorted, key) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= key) low = middle + 1; else high = middle;
  }
  return low - 1;
}

// The words of `text` (runs of meta.json's `word` class; `_` is punctuation, as
// in sitebuild/search.py `words`), with where each starts.
export function wordsOf(text, wordPattern) {
  return [...text.replaceAll("_", " ").matchAll(new RegExp(wordPattern, "gu"))]
    .map((m) => ({ word: m[0], index: m.index }));
}

// A query's parts: [{words: [...as typed], phrase}]; "…" (or “…”) holds a phrase.
export function parseQuery(query, wordPattern) {
  const parts = [];
  const loose = (text) => {
    for (const { word } of wordsOf(text, wordPattern)) parts.push({ words: [word], phrase: false });
  };
  let at = 0;
  for (const match of query.matchAll(/["“”«»]([^"“”«»]*)["“”«»]?/g)) {
    loose(query.slice(at, match.index));
    const inside = wordsOf(match[1], wordPattern).map(({ word }) => word);
    if (inside.length) parts.push({ words: inside, phrase: inside.length > 1 });
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
export function rewrite(word, rules, split = 0, limit = 6) {
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

// `parts` (markWords) from `keep` words before the first marked word, when more come
// before it: an excerpt shows a few lines only (search.css), and a match late in a
// long passage (a meeting's facts) must stay in them. [parts, whether cut]
export function fromFirstMark(parts, keep = 6) {
  if (parts.length < 2 || parts[0].mark) return [parts, false];
  const pieces = parts[0].text.split(/(?<=\s)(?=\S)/u);
  if (pieces.length <= keep) return [parts, false];
  return [[{ text: pieces.slice(-keep).join(""), mark: false }, ...parts.slice(1)], true];
}

// `text` cut into [{text, mark}]: the words for which `marked(word, n)` holds
// (n: the word's index in wordsOf(text)) on their own, marked.
export function markWords(text, marked, wordPattern) {
  const parts = [];
  const add = (piece, mark) => {
    if (!piece) return;
    const previous = parts[parts.length - 1];
    if (!mark && previous && !previous.mark) previous.text += piece;
    else parts.push({ text: piece, mark });
  };
  let at = 0;
  wordsOf(text, wordPattern).forEach(({ word, index }, n) => {
    add(text.slice(at, index), false);
    add(text.slice(index, index + word.length), marked(word, n));
    at = index + word.length;
  });
  add(text.slice(at), false);
  return parts;
}
