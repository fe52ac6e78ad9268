"""Work a plugin leaves for after Pelican's run of a language, once the run's objects are
gone.

The search index needs its documents (each item's text), not Pelican's articles, their
contexts and their memoized HTML. Built while those were alive, at the end of the run,
its postings came on top of them: at 10,000 articles one language's process peaked at
567 MiB, against 479 MiB when the index is built after the run, in the memory the
run's objects had used (bench/README).

`sitebuild.build.run_language` collects the work (`collected`), releases the run's
objects (`release`) and then does it. A Pelican run without it (the `pelican` command on
pelicanconf.py) has no collector: `later` then does the work at once.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_queue: list[Callable[[], None]] | None = None
_releasers: list[Callable[[], None]] = []


def later(task: Callable[[], None]) -> None:
    """Do `task` after the run (now, when nothing collects)."""
    if _queue is None:
        task()
    else:
        _queue.append(task)


@contextmanager
def collected() -> Iterator[list[Callable[[], None]]]:
    """The tasks `later` is given inside the block (dropped if the block fails)."""
    global _queue
    _queue = []
    try:
        yield _queue
    finally:
        _queue = None


def on_release(forget: Callable[[], None]) -> None:
    """Have `release` call `forget` (a plugin's cache of the run's objects)."""
    if forget not in _releasers:
        _releasers.append(forget)


def release() -> None:
    """Free what outlives a run: the plugins' caches (`on_release`), and Pelican's own:
    `get_content` and `get_summary` are memoized on the class (`pelican.utils.memoized`),
    and their caches hold every article, and through them every context, for the life
    of the process."""
    from pelican.contents import Content

    for forget in _releasers:
        forget()
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
    gc.collect()
