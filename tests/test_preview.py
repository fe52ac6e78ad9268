"""The editors' preview settles: one save, one rebuild, one reload; errors printed once;
the site's own 404 page; nothing written inside the watched folders."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitebuild.build import build
from tests.conftest import ROOT, write_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def files_of(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*") if p.is_file()}


class Preview:
    def __init__(self, tmp_path: Path, *flags: str):
        self.content = tmp_path / "content"
        self.theme = tmp_path / "theme"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme)
        self.output = tmp_path / "output"
        self.config = config = write_config(tmp_path / "config", PATH=self.content, THEME=self.theme)
        self.port = free_port()
        self.lines: list[str] = []
        self.reloads = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitebuild.preview", "--config", str(config),
             "--output", str(tmp_path / "output"), "--port", str(self.port), *flags],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(lambda: any(line.startswith("Serving") for line in self.lines), 60)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail("preview did not get there:\n" + "\n".join(self.lines))
            time.sleep(0.05)

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")

    def listen(self) -> None:
        """Count the reload events an open page receives."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("GET", "/_preview/events")
        response = connection.getresponse()

        def read():
            for raw in response:
                if raw.startswith(b"event: reload"):
                    self.reloads += 1

        threading.Thread(target=read, daemon=True).start()

    def builds(self) -> int:
        return sum(line.startswith("Built ") for line in self.lines)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


@pytest.fixture
def preview(tmp_path):
    running = Preview(tmp_path, "--watch")
    yield running
    running.stop()


def updates(preview) -> int:
    return sum(line.startswith("Updated ") for line in preview.lines)


def test_one_save_gives_one_update_and_one_reload(preview):
    """A change to an article's text is applied in place by the language processes
    (sitebuild/live.py): the pages that show it, and nothing else, are written."""
    assert preview.builds() == 1
    preview.listen()
    time.sleep(0.3)
    theme_before = files_of(preview.theme)
    output_before = files_of(preview.output)
    article = preview.content / "en" / "news" / "detainees-families-vigil.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added in the preview.\n",
                       encoding="utf-8")
    preview.wait_for(lambda: updates(preview) == 1 and preview.reloads == 1, 60)
    time.sleep(3)  # nothing else happens: the preview has settled
    assert (preview.builds(), updates(preview), preview.reloads) == (1, 1, 1), preview.lines
    status, page = preview.get("/en/news/detainees-families-vigil/")
    assert status == 200 and "A sentence added in the preview." in page
    assert '<script src="/_preview/reload.js" defer></script></head>' in page
    assert files_of(preview.theme) == theme_before  # no build writes inside the theme
    output_after = files_of(preview.output)
    changed = sorted(name for name in output_after if output_after[name] != output_before.get(name))
    assert "en/news/detainees-families-vigil/index.html" in changed
    assert not [name for name in changed if not name.startswith("en/")], changed
    assert len(changed) < 10, changed


def test_updated_pages_are_what_a_full_build_gives(preview, tmp_path):
    """After text and title edits applied in place, every page and feed is byte for byte what a
    build from nothing gives (the search index waits for the next full build)."""
    for lang, name, sentence in (("en", "reports/caesar-act-first-year.md", "An English sentence."),
                                 ("ar", "news/detainees-families-vigil.md", "جملة عربية جديدة."),
                                 ("en", "news/detainees-families-vigil.md", None)):
        article = preview.content / lang / name
        text = article.read_text(encoding="utf-8")
        article.write_text(text + f"\n{sentence}\n" if sentence else text.replace("Title: ", "Title: New: ", 1),
                           encoding="utf-8")
        count = updates(preview)
        preview.wait_for(lambda count=count: updates(preview) == count + 1, 60)
    assert preview.builds() == 1, preview.lines
    fresh = build(preview.config, tmp_path / "fresh").output
    for path in sorted(fresh.rglob("*")):
        name = path.relative_to(fresh).as_posix()
        if path.suffix in (".html", ".xml") and not name.startswith(("sitemap", "en/sitemap")):
            assert (preview.output / name).read_bytes() == path.read_bytes(), name


def test_a_new_title_is_applied_in_place_and_the_listings_show_it(preview):
    """A title is shown by listings and the pages that read it (recorded when they were
    rendered): they are rendered again, and nothing else."""
    preview.listen()
    time.sleep(0.3)
    before = files_of(preview.output)
    article = preview.content / "en" / "news" / "detainees-families-vigil.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Title: ", "Title: Retitled: ", 1), encoding="utf-8")
    preview.wait_for(lambda: updates(preview) == 1 and preview.reloads == 1, 60)
    assert preview.builds() == 1, preview.lines
    for page in ("/en/news/", "/en/archives/", "/en/news/detainees-families-vigil/"):
        assert "Retitled: " in preview.get(page)[1], page
    after = files_of(preview.output)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert not [name for name in changed if not name.startswith("en/")], changed


def test_a_text_edit_with_a_problem_is_reported_and_the_last_good_build_stays(preview):
    preview.listen()
    time.sleep(0.3)
    article = preview.content / "en" / "news" / "detainees-families-vigil.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n<script>alert(1)</script> Not shown.\n",
                       encoding="utf-8")
    preview.wait_for(lambda: any("nothing was published" in line for line in preview.lines), 60)
    time.sleep(2)
    assert preview.reloads == 0 and updates(preview) == 0, preview.lines
    assert any("detainees-families-vigil.md" in line and "script" in line for line in preview.lines), preview.lines
    assert "Not shown." not in preview.get("/en/news/detainees-families-vigil/")[1]


def test_a_broken_save_prints_its_problem_once_and_keeps_the_last_good_build(preview):
    preview.listen()
    time.sleep(0.3)
    shutil.copy(ROOT / "tests/fixtures/bad_content/missing_title.md", preview.content / "en/news")
    preview.wait_for(lambda: any("missing_title.md:1: title: missing" in line for line in preview.lines), 60)
    time.sleep(3)
    assert sum("missing_title.md:1: title: missing" in line for line in preview.lines) == 1, preview.lines
    assert preview.reloads == 0
    assert preview.get("/en/")[0] == 200


def test_a_missing_page_gets_the_sites_own_404(preview):
    status, page = preview.get("/en/no-such-page/")
    assert status == 404
    assert 'class="not-found"' in page and "Page not found" in page and "/_preview/reload.js" in page


def test_serve_builds_first_when_there_is_nothing_to_serve(tmp_path):
    running = Preview(tmp_path)
    try:
        assert running.builds() == 1
        status, page = running.get("/")
        assert status == 200 and "/_preview/" not in page  # no watching, no reload script
        assert running.get("/_preview/events")[0] == 404
    finally:
        running.stop()
