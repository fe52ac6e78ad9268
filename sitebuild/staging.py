"""The staging folder a build writes into, and the swap that publishes it.

- The new output replaces the old one in one atomic step: Linux's
  `renameat2(RENAME_EXCHANGE)` swaps the two folders, so a web server or a
  poller always finds a complete output folder, old or new, never none. Where
  the call does not exist (macOS, old kernels, some network filesystems) two
  renames are the fallback, with a moment without an output folder.
- Nothing of a killed build stays behind: the workers die with the driver
  (`PR_SET_PDEATHSIG`), SIGTERM unwinds the driver like Ctrl-C (its cleanup
  runs), and every build first removes the staging folders of builds whose
  process no longer exists (a SIGKILL leaves no chance to clean up).

Written here with ctypes rather than taken from a package: it is two libc calls,
and no maintained package on the registry offers the exchange.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _staging_prefix(output: Path) -> str:
    return f".{output.name}-building-"


def make_staging(output: Path) -> Path:
    """A new, empty staging folder beside `output`, named after this process."""
    return Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(output)}{os.getpid()}-", dir=output.parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(output: Path) -> list[Path]:
    """Delete staging folders left by builds that were killed; returns them."""
    removed = []
    prefix = _staging_prefix(output)
    for path in output.parent.glob(prefix + "*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    renameat2 = getattr(_LIBC, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _delete_in_background(folder: Path) -> None:
    """Thousands of files: the build is done, so a detached `rm` deletes them."""
    subprocess.run(["sh", "-c", 'rm -rf -- "$1" &', "sh", str(folder)], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def swap_in(staging: Path, output: Path) -> None:
    """Put the finished `staging` folder in place of `output`."""
    if not output.exists():
        os.rename(staging, output)
    elif _exchange(staging, output):
        _delete_in_background(staging)  # it now holds the previous output
    else:
        retired = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(output)}{os.getpid()}-old-",
                                        dir=output.parent))
        os.replace(output, retired / "output")
        os.replace(staging, output)
        _delete_in_background(retired)


def kill_with_parent() -> None:
    """In a worker process: die when the driver dies, however it dies; and die at once on
    SIGTERM, which is how the pool stops its workers (a worker forked from a driver inside
    `terminate_cleanly` would otherwise inherit its handler, and could hang the pool)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextmanager
def terminate_cleanly():
    """SIGTERM (a CI runner cancelling, `kill`) unwinds the build like Ctrl-C, so its
    cleanup runs; only possible in the main thread, elsewhere nothing changes."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
