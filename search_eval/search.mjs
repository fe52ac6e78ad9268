// Runs queries in node against our index and stock Pagefind, the way a browser does.
// Input (stdin, JSON): {"modules": "<folder of theme/static/js/search/>", "runs": [{"name",
// "index": "<folder>/", "lang", "mode": "ours"|"stock", "queries": [...]}]}: for
// "ours" the folder of one language's index (<site>/<prefix>search/data/), for
// "stock" Pagefind's bundle.
// Output (stdout, JSON): {name: [[url, ...] (top 10 per query), ...]}.
// "ours" goes through engine.js's createSearch (the search page's own code);
// "stock" hands the raw query to Pagefind's JS API, as a stock Pagefind page would.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

// Both read their files relative to a URL: serve file: URLs from disk (the query
// string, such as engine.js's ?v=<build>, is not part of the file's name).
const fileFetch = async (url) => {
  const target = new URL(String(url));
  if (target.protocol !== "file:") throw new Error(`no network in the evaluation: ${url}`);
  try {
    return new Response(await readFile(fileURLToPath(target)));
  } catch {
    return new Response(null, { status: 404 });
  }
};
globalThis.fetch = fileFetch;
const job = JSON.parse(readFileSync(0, "utf8"));
const modules = pathToFileURL(job.modules).href.replace(/\/?$/, "/");
const text = await import(`${modules}text.js`);
const { createSearch } = await import(`${modules}engine.js`);

// Pagefind picks the index from <html lang>; the document is only asked for that.
let language = "";
globalThis.document = {
  currentScript: null,
  querySelector: () => ({ getAttribute: () => language }),
};

async function ours(run) {
  const index = createSearch(`${pathToFileURL(run.index).href.replace(/\/?$/, "/")}`, { text, fetch: fileFetch });
  const answers = [];
  for (const query of run.queries) {
    const results = await index.search(query);
    const top = await Promise.all(results.slice(0, 10).map((result) => index.passage(result)));
    answers.push(top.map((data) => decodeURI(data.url)));
  }
  return answers;
}

async function stock(run) {
  language = run.lang;
  const bundle = pathToFileURL(run.index).href.replace(/\/?$/, "/");
  // One module instance per run: a module loads one wasm (one language's stemmer).
  const pagefind = await import(`${bundle}pagefind.js?${encodeURIComponent(run.name)}`);
  const instance = pagefind.createInstance({ basePath: bundle, baseUrl: "/" });
  const answers = [];
  for (const query of run.queries) {
    const { results } = await instance.search(query);
    const top = await Promise.all(results.slice(0, 10).map((result) => result.data()));
    answers.push(top.map((data) => decodeURI(data.url)));
  }
  return answers;
}

const output = {};
for (const run of job.runs) {
  output[run.name] = run.mode === "ours" ? await ours(run) : await stock(run);
}
process.stdout.write(JSON.stringify(output));
