// Runs queries against built Pagefind bundles in node, the way the browser does.
// Input (stdin, JSON): {"module": "<search.js copied to .mjs>", "runs": [{"name",
// "bundle": "<site>/pagefind/", "lang", "mode": "ours"|"stock", "queries": [...]}]}.
// Output (stdout, JSON): {name: [[url, ...] (top 10 per query), ...]}.
// "ours" goes through search.js's runSearch (normalized query, fallback check);
// "stock" hands the raw query to pagefind.search, as a stock Pagefind page would.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

// pagefind.js fetches its index relative to its own URL: serve file: URLs from disk.
globalThis.fetch = async (url) => {
  const target = new URL(String(url));
  if (target.protocol !== "file:") throw new Error(`no network in the evaluation: ${url}`);
  try {
    return new Response(await readFile(fileURLToPath(target)));
  } catch {
    return new Response(null, { status: 404 });
  }
};
const job = JSON.parse(readFileSync(0, "utf8"));
const { runSearch } = await import(pathToFileURL(job.module).href);

// Pagefind picks the index from <html lang>; the document is only asked for that.
let language = "";
globalThis.document = {
  currentScript: null,
  querySelector: () => ({ getAttribute: () => language }),
};

const output = {};
for (const run of job.runs) {
  language = run.lang;
  const bundle = pathToFileURL(run.bundle).href;
  // One module instance per run: a module loads one wasm (one language's stemmer).
  const pagefind = await import(`${bundle}pagefind.js?${encodeURIComponent(run.name)}`);
  const instance = pagefind.createInstance({ basePath: bundle, baseUrl: "/" });
  const answers = [];
  for (const query of run.queries) {
    const results = run.mode === "ours"
      ? await runSearch(instance, query, run.lang === "ar")
      : (await instance.search(query)).results;
    const top = await Promise.all(results.slice(0, 10).map((result) => result.data()));
    answers.push(top.map((data) => decodeURI(data.url)));
  }
  output[run.name] = answers;
}
process.stdout.write(JSON.stringify(output));
