"""A seeded random sequence of edits: after each, the rebuild that reuses the caches
(Pelican's content cache, the render cache, the search index files, the check's and
the images' caches) gives byte for byte the output of a build from nothing."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from sitebuild.build import build
from tests.conftest import ROOT, write_config

EDITS = 40
SEED = 20261201


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Project:
    def __init__(self, folder: Path):
        self.folder = folder
        self.content = folder / "content"
        self.theme = folder / "theme"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme)
        self.setting = ""
        self.counter = 0

    def config(self, name: str) -> Path:
        return write_config(self.folder / name, self.setting, base="publishconf", PATH=self.content,
                            THEME=self.theme, CACHE_PATH=self.folder / name / "cache")

    def articles(self, rng: random.Random, unlinked: bool = False) -> Path:
        """An article; `unlinked`: one no other file links to (it may become a draft or move)."""
        found = sorted(p for p in self.content.glob("*/*/*.md") if p.parent.name != "pages")
        if unlinked:
            texts = [p.read_text(encoding="utf-8") for p in self.content.rglob("*.md")]
            found = [p for p in found if not any(p.name in text for text in texts)]
        return rng.choice(found)

    @staticmethod
    def replace_line(path: Path, key: str, value: str) -> None:
        lines = path.read_text(encoding="utf-8").split("\n")
        index = next((i for i, line in enumerate(lines) if line.lower().startswith(key.lower() + ":")), None)
        if index is None:
            lines.insert(1, f"{key}: {value}")
        else:
            lines[index] = f"{key}: {value}"
        path.write_text("\n".join(lines), encoding="utf-8")

    # --- the kinds of edit ----------------------------------------------------------

    def body(self, rng):
        path = self.articles(rng)
        path.write_text(path.read_text(encoding="utf-8") + f"\nAdded sentence {rng.randrange(10**6)}.\n",
                        encoding="utf-8")

    def title(self, rng):
        self.replace_line(self.articles(rng), "Title", f"A new title {rng.randrange(10**6)}")

    def tags(self, rng):
        self.replace_line(self.articles(rng), "Tags", f"fuzz-{rng.randrange(5)}, sanctions")

    def date(self, rng):
        day = rng.randrange(1, 28)
        self.replace_line(self.articles(rng), "Date", f"2021-03-{day:02d} 10:00:00+02:00")

    def slug(self, rng):
        self.replace_line(self.articles(rng), "Slug", f"renamed-{rng.randrange(10**6)}")

    def delete(self, rng):
        candidates = [p for p in self.content.glob("*/news/added-*.md")]
        if candidates:
            rng.choice(candidates).unlink()

    def add(self, rng):
        self.counter += 1
        lang = rng.choice(["ar", "en"])
        (self.content / lang / "news" / f"added-{self.counter}.md").write_text(
            f"Title: Added item {self.counter}\nDate: 2021-04-{self.counter % 27 + 1:02d} 09:00:00+02:00\n"
            f"Lang: {lang}\nSlug: added-{self.counter}\nTags: added\nScript_Check: off\n\nText {self.counter}.\n",
            encoding="utf-8")

    def translation(self, rng):
        added = sorted(self.content.glob("*/news/added-*.md"))
        if added:
            source = rng.choice(added)
            other = "en" if source.parts[-3] == "ar" else "ar"
            target = self.content / other / "news" / source.name
            target.write_text(source.read_text(encoding="utf-8").replace(f"Lang: {source.parts[-3]}",
                                                                         f"Lang: {other}"), encoding="utf-8")

    def draft(self, rng):
        path = self.articles(rng, unlinked=True)
        text = path.read_text(encoding="utf-8")
        if "\nStatus: draft" in text:
            path.write_text(text.replace("\nStatus: draft", ""), encoding="utf-8")
        else:
            self.replace_line(path, "Status", "draft")

    def template(self, rng):
        """A line that shows another item's body and metadata: every page then depends
        on that item's text (later body edits must reach every page)."""
        path = self.theme / "templates" / "partials" / "footer.html"
        line = (f"{{% for item in articles %}}{{% if loop.index == {rng.randrange(1, 4)} %}}"
                "<p>{{ item.content|length }} {{ item.source }}</p>{% endif %}{% endfor %}")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")

    def css(self, rng):
        path = self.theme / "static" / "css" / "site.css"
        path.write_text(path.read_text(encoding="utf-8") + f"\n/* fuzz {rng.randrange(10**6)} */\n",
                        encoding="utf-8")

    def catalog(self, rng):
        path = self.theme / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        one, other = 'msgstr "الأرشيف"', 'msgstr "أرشيف الموقع"'
        path.write_text(text.replace(one, other) if one in text else text.replace(other, one), encoding="utf-8")

    def settings(self, rng):
        self.setting = f"DEFAULT_PAGINATION = {rng.choice([2, 3, 10])}"

    def rename(self, rng):
        path = self.articles(rng, unlinked=True)
        text = path.read_text(encoding="utf-8")
        if "\nSlug:" not in text:
            self.replace_line(path, "Slug", path.stem)
        path.rename(path.with_name(f"renamed-{rng.randrange(10**6)}.md"))

    KINDS = ("body", "title", "tags", "date", "slug", "delete", "add", "translation", "draft", "template",
             "css", "catalog", "settings", "rename")


def test_every_warm_build_equals_a_cold_build(tmp_path):
    rng = random.Random(SEED)
    project = Project(tmp_path)
    warm_output = tmp_path / "warm" / "output"
    build(project.config("warm"), warm_output)
    kinds = [*Project.KINDS, *(rng.choice(Project.KINDS) for _ in range(EDITS - len(Project.KINDS)))]
    rng.shuffle(kinds)
    for step, kind in enumerate(kinds):
        getattr(project, kind)(rng)
        build(project.config("warm"), warm_output)
        cold = tmp_path / f"cold-{step}"
        build(project.config(f"cold-{step}"), cold / "output")
        warm_files, cold_files = tree(warm_output), tree(cold / "output")
        different = sorted(name for name in warm_files.keys() | cold_files.keys()
                           if warm_files.get(name) != cold_files.get(name))
        assert different == [], f"step {step} ({kind}): {different[:10]}"
        shutil.rmtree(cold)
