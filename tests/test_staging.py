"""The output folder is swapped atomically, and a killed build leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.generate import generate
from sitebuild.staging import make_staging, remove_stale_staging, swap_in
from tests.conftest import ROOT, write_config


def test_the_output_folder_never_goes_missing_during_a_swap(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("0")
    seen_missing, stop = [], threading.Event()

    def poll():
        while not stop.is_set():
            if not (output / "index.html").is_file():
                seen_missing.append(time.perf_counter())

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for number in range(1, 301):
            staging = make_staging(output)
            (staging / "index.html").write_text(str(number))
            swap_in(staging, output)
    finally:
        stop.set()
        poller.join()
    assert seen_missing == []
    assert (output / "index.html").read_text() == "300"
    time.sleep(0.5)  # the previous outputs are deleted in the background
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_staging_folders_of_dead_builds_are_removed_and_live_ones_kept(tmp_path):
    output = tmp_path / "output"
    stale = tmp_path / f".output-building-{_dead_pid()}-abc"
    (stale / "en").mkdir(parents=True)
    live = make_staging(output)  # this process is alive
    assert remove_stale_staging(output) == [stale]
    assert not stale.exists() and live.is_dir()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory):
    """A site big enough that a build takes a few seconds (time to kill it)."""
    folder = tmp_path_factory.mktemp("slow")
    generate(folder, pairs=150, seed=3)
    return write_config(folder / "config", PATH=folder / "content")


def _start_build(config: Path, output: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "sitebuild", "build", "--config", str(config),
                                "--output", str(output)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait for the language runs to be under way
        workers = _children(process.pid) if _alive(process.pid) else set()
        if len(workers) >= 2 and list(output.parent.glob(".output-building-*")):
            return process
        time.sleep(0.05)
    process.kill()
    pytest.fail("the build never started its workers")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_no_worker_and_no_staging_folder(slow_site, tmp_path, how):
    output = tmp_path / "output"
    process = _start_build(slow_site, output)
    workers = _children(process.pid)
    os.kill(process.pid, how)
    process.wait(timeout=30)
    deadline = time.monotonic() + 1.5  # a language's run takes longer: they were killed
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "workers outlived the driver"
    assert not output.exists()
    leftovers = list(tmp_path.glob(".output-building-*"))
    if how == signal.SIGTERM:
        assert leftovers == []  # the driver cleaned up itself
    # The next build removes whatever a SIGKILL left behind, and publishes.
    done = subprocess.run([sys.executable, "-m", "sitebuild", "build", "--config", str(slow_site),
                           "--output", str(output)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.glob(".output-building-*")) == []
    assert (output / "index.html").is_file()
