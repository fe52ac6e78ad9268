// The search page (theme/templates/search.html): the form, `?q=` links, results
// drawn as they arrive. Without JavaScript a <noscript> stylesheet hides the form
// and the page shows its <noscript> message instead. The engine and the
// text rules are separate modules whose (hashed) URLs the form names.

const PER_PAGE = 10;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attributes);
  node.append(...children);
  return node;
}

const marked = (parts) => parts.map(({ text, mark }) => (mark ? element("mark", {}, text) : text));

async function init(form) {
  const [text, engine] = await Promise.all([import(form.dataset.text), import(form.dataset.engine)]);
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
  const index = engine.createSearch(form.dataset.index, { text });
  let current = 0;
  let found = [];
  let timer = 0;

  const say = (message) => { status.textContent = message; };
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
      const [parts, cut] = text.fromFirstMark(data.parts);
      if (data.field !== "text") {
        excerpt.append(element("span", { className: "field" }, messages.fields[data.field] ?? ""), " ");
      }
      if (cut || (data.field === "text" && data.from > 0)) excerpt.append("… ");
      excerpt.append(...marked(parts));
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

  const options = () => ({ section: sectionField?.value ?? "", sort: sortField?.value ?? "" });

  async function search() {
    const query = input.value;
    const chosen = options();
    const id = ++current;
    const url = new URL(location.href);
    for (const [name, value] of [["q", query.trim() ? query : ""], ["section", chosen.section], ["sort", chosen.sort]]) {
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
      const results = await index.search(query, chosen);
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
  const params = new URLSearchParams(location.search);
  if (sectionField && params.get("section")) sectionField.value = params.get("section");
  if (sortField && params.get("sort")) sortField.value = params.get("sort");
  const query = params.get("q");
  if (query) {
    input.value = query;
    search();
  }
}

const form = document.querySelector("form[data-search]");
if (form) init(form);
