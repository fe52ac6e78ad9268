// Runs queries in node against our index and Pagefind bundles, the way a browser does.
// Input (stdin, JSON): {"modules": "<folder of theme/static/js/search/>", "runs": [{"name",
// "index": "<folder>/", "lang", "mode": "ours"|"stock", "queries": [...], "measure"}]}:
// for "ours" the folder of one language's index (<site>/<prefix>search/data/), for
// "stock" a Pagefind bundle.
// Output (stdout, JSON): {name: {"answers": [[url, ...] (top 10 per query), ...],
// "bytes": {"first": [...], "follow": [...]}}}. Bytes are what the files weigh as
// served: Pagefind's are gzip files already; ours are counted gzipped (as a host
// compresses JSON, or serves the build's optional .gz copies, sitebuild/compress.py).
// `follow`: the bytes a query
// loads after the previous query of the run (the same page, its files kept);
// `first` (with "measure"): a fresh page per query, for the first 10 queries.
// "ours" goes through engine.js's createSearch (the search page's own code);
// "stock" hands the query to Pagefind's JS API, as a Pagefind page would.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

let loaded = 0;
// Both read their files relative to a URL: serve file: URLs from disk (the query
// string, such as engine.js's ?v=<build>, is not part of the file's name).
const fileFetch = async (url) => {
  const target = new URL(String(url));
  if (target.protocol !== "file:") throw new Error(`no network in the evaluation: ${url}`);
  try {
    const data = await readFile(fileURLToPath(target));
    const gzipped = /\.(pf_\w+)$|wasm\./.test(target.pathname);
    loaded += gzipped ? data.length : gzipSync(data, { level: 9 }).length;
    return new Response(data);
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

let instances = 0;
async function engine(run) {
  if (run.mode === "ours") {
    const index = createSearch(`${pathToFileURL(run.index).href.replace(/\/?$/, "/")}`, { text, fetch: fileFetch });
    return async (query) => {
      const results = await index.search(query);
      const top = await Promise.all(results.slice(0, 10).map((result) => index.passage(result)));
      return top.map((data) => decodeURI(data.url));
    };
  }
  language = run.lang;
  const bundle = pathToFileURL(run.index).href.replace(/\/?$/, "/");
  // One module instance per page: a module loads one wasm (one language's stemmer).
  const pagefind = await import(`${bundle}pagefind.js?${encodeURIComponent(run.name)}-${instances++}`);
  const instance = pagefind.createInstance({ basePath: bundle, baseUrl: "/" });
  return async (query) => {
    const { results } = await instance.search(query);
    const top = await Promise.all(results.slice(0, 10).map((result) => result.data()));
    return top.map((data) => decodeURI(data.url));
  };
}

const output = {};
for (const run of job.runs) {
  const answers = [];
  const follow = [];
  const first = [];
  const page = await engine(run);
  for (const query of run.queries) {
    const before = loaded;
    answers.push(await page(query));
    follow.push(loaded - before);
  }
  if (run.measure) {
    for (const query of run.queries.slice(0, 10)) {
      const before = loaded;
      await (await engine(run))(query);
      first.push(loaded - before);
    }
  }
  output[run.name] = { answers, bytes: { first, follow: follow.slice(1) } };
}
process.stdout.write(JSON.stringify(output));
