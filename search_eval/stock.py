"""Stock Pagefind, the evaluation's baseline: its Python API (`pagefind[bin]`,
requirements-dev.txt) over the built HTML with its default settings, except the
root element: `article.item`, the article or page itself (the pages carry no
`data-pagefind-*` markers; without a root Pagefind would also index every listing,
tag page and the home page). Queried in node with Pagefind's own JS API
(search_eval/search.mjs).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
from pathlib import Path

ROOT_SELECTOR = "article.item"
# Inside an article, the list of related items (other items' titles) is not its text:
# the relevance rule (heldout.py, run.py) skips it, our index never has it.
EXCLUDED = [".related"]


def write_bundle(pages: Path | list[dict], bundle: Path, attempts: int = 3, timeout: float = 300) -> int:
    """Index the HTML files under `pages`, or the custom records `pages` ({"url",
    "content", "language", "meta"}: Pagefind's `add_custom_record`), into `bundle`
    (replaced); return the number of pages indexed. An attempt whose service has not
    answered after `timeout` seconds is given up (the service sometimes never answers)."""
    for attempt in range(1, attempts + 1):
        if bundle.exists():
            shutil.rmtree(bundle)
        try:
            count = asyncio.run(asyncio.wait_for(_write_index(pages, bundle), timeout))
        except TimeoutError:
            if attempt == attempts:
                raise RuntimeError(f"Pagefind did not answer in {timeout:.0f} s, {attempts} times") from None
            continue
        problem = _incomplete(bundle)
        if problem is None:
            return count
        if attempt == attempts:
            raise RuntimeError(f"the index in {bundle} is incomplete: {problem}")
    raise AssertionError("unreachable")


async def _write_index(pages: Path | list[dict], bundle: Path) -> int:
    from pagefind.service import PagefindService

    # Not PagefindIndex's context manager: the service answers WriteFiles before its
    # last writes reach the disk, and closing it kills the process; wait for them.
    async with PagefindService() as service:
        index = await service.create_index({"root_selector": ROOT_SELECTOR, "exclude_selectors": EXCLUDED})
        if isinstance(pages, Path):
            count = (await index.add_directory(str(pages)))["page_count"]
        else:
            for record in pages:
                await index.add_custom_record(**record)
            count = len(pages)
        await index.write_files(str(bundle))
        await _settled(bundle)
        return count


async def _settled(folder: Path, quiet: float = 0.15, limit: float = 20.0) -> None:
    """Wait until no file under `folder` has changed for `quiet` seconds."""
    def state():
        return sorted((str(p), p.stat().st_size) for p in folder.rglob("*") if p.is_file())

    previous, still, waited, step = None, 0.0, 0.0, 0.03
    while still < quiet and waited < limit:
        await asyncio.sleep(step)
        waited += step
        current = state()
        still = still + step if current == previous else 0.0
        previous = current


def _incomplete(bundle: Path) -> str | None:
    """What is wrong with a written bundle (a truncated file), or None."""
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"pagefind-entry.json: {error}"
    for path in sorted(bundle.rglob("*")):
        if path.suffix.startswith(".pf_") or path.name.startswith("wasm."):
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError) as error:
                return f"{path.name}: {error}"
        elif path.suffix == ".js" and path.stat().st_size == 0:
            return f"{path.name} is empty"
    return None
