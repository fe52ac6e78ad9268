"""The PGP key the contact page offers is the key its fingerprint names, and usable.

`SUBMISSION_PGP_FINGERPRINT` is printed on the contact page; `SUBMISSION_PGP_KEY`
(optional) is the public key file under the content folder that readers download.
The build checks them once, before the languages build (so a failure leaves the
published output as it was), and `invoke check` does too, with `gpg --show-keys`
(Debian's `gpg` package) in a throwaway home folder: nothing is imported anywhere.

- The fingerprint is a full one (40 hexadecimal digits, 64 for v5 keys); a short key
  ID is refused, as anyone can make a key with the same short ID.
- A key file needs the fingerprint, lies inside the content folder in a published
  (STATIC_PATHS) folder, and holds exactly one key: a public key (a secret key is
  refused) with that fingerprint, neither revoked nor expired, able to encrypt.
  A warning when it stops being usable within WARN_DAYS days.
- A fingerprint without a key file is allowed (the key is published elsewhere).

The contact page shows the fingerprint in groups of four (`group`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from .config import Site
from .errors import BuildError, Problem

FINGERPRINT = "SUBMISSION_PGP_FINGERPRINT"
KEY = "SUBMISSION_PGP_KEY"
FINGERPRINT_LENGTHS = (40, 64)  # v4, v5 keys
WARN_DAYS = 30
GPG_TIMEOUT = 30  # seconds
REVOCATION_CLASS = "20"  # signature class of a key revocation (a `rev` record)


@dataclass(frozen=True)
class Key:
    """One primary key of a key file, as `gpg --show-keys --with-colons` lists it."""

    fingerprint: str
    secret: bool
    revoked: bool
    expired: bool
    expires: datetime | None
    revoked_on: datetime | None
    can_encrypt: bool  # a valid encryption (sub)key: `E` in the key's capabilities
    encryption_expires: datetime | None  # when its last encryption subkey expires
    subkeys: tuple[str, ...]  # subkey fingerprints


def normalise(value) -> str | None:
    """The fingerprint as upper-case hexadecimal without spaces, or None if it is not one."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"\s+", "", value).upper()
    if len(digits) in FINGERPRINT_LENGTHS and re.fullmatch(r"[0-9A-F]+", digits):
        return digits
    return None


def group(fingerprint: str) -> str:
    """`ABCD 1234 …`: groups of four, as people compare fingerprints."""
    digits = normalise(fingerprint) or fingerprint
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def _time(field: str) -> datetime | None:
    return datetime.fromtimestamp(int(field), UTC) if field.strip().isdigit() else None


def parse_colons(text: str) -> list[Key]:
    """The primary keys of `gpg --with-colons --with-sig-list` output."""
    keys, current, last = [], None, ""
    for line in text.splitlines():
        record = line.split(":")
        kind = record[0]
        record += [""] * (13 - len(record))
        if kind in ("pub", "sec"):
            current = {"secret": kind == "sec", "validity": record[1], "expires": _time(record[6]),
                       "capabilities": record[11], "fingerprint": None, "revoked_on": None,
                       "subkeys": [], "encryption": []}
            keys.append(current)
        elif current is None:
            continue
        elif kind == "fpr":
            if last in ("pub", "sec"):
                current["fingerprint"] = record[9]
            elif last in ("sub", "ssb"):
                current["subkeys"].append(record[9])
        elif kind in ("sub", "ssb") and "e" in record[11] and record[1] not in ("r", "e"):
            current["encryption"].append(_time(record[6]))
        elif kind == "rev" and record[10].startswith(REVOCATION_CLASS):
            current["revoked_on"] = current["revoked_on"] or _time(record[5])
        if kind not in ("fpr", "grp"):
            last = kind  # what the next `fpr` record belongs to
    return [
        Key(
            fingerprint=k["fingerprint"] or "",
            secret=k["secret"],
            revoked="r" in k["validity"],
            expired="e" in k["validity"],
            expires=k["expires"],
            revoked_on=k["revoked_on"],
            can_encrypt="E" in k["capabilities"],
            encryption_expires=(None if not k["encryption"] or None in k["encryption"]
                                else max(k["encryption"])),
            subkeys=tuple(k["subkeys"]),
        )
        for k in keys
    ]


class KeyFileError(Exception):
    """gpg could not read the file (the message is gpg's)."""


class GpgMissing(KeyFileError):
    """There is no gpg to read the file with."""


def read_keys(path: Path) -> list[Key]:
    """The keys in a key file, read by `gpg --show-keys` in a throwaway home folder."""
    gpg = shutil.which("gpg")
    if not gpg:
        raise GpgMissing("gpg is not installed")
    home = tempfile.mkdtemp(prefix="sitebuild-gnupg-")
    try:
        result = subprocess.run(
            [gpg, "--homedir", home, "--batch", "--no-tty", "--no-autostart", "--quiet",
             "--with-colons", "--with-sig-list", "--show-keys", "--", str(path)],
            capture_output=True, text=True, timeout=GPG_TIMEOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise KeyFileError(f"gpg failed: {error}") from error
    finally:
        shutil.rmtree(home, ignore_errors=True)
    keys = parse_colons(result.stdout)
    if result.returncode != 0 or not keys:
        said = " ".join(line.strip() for line in result.stderr.splitlines() if line.strip())
        raise KeyFileError(said or f"gpg exited with status {result.returncode}")
    return keys


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def submission_key_problems(site: Site, now: datetime | None = None) -> tuple[list[Problem], str | None]:
    """Every problem with the PGP settings, and the fingerprint in groups of four (None
    when no fingerprint is set or it is malformed)."""
    settings, where = site.settings, site.config_path.name
    now = now or datetime.now(UTC)
    problems: list[Problem] = []

    def problem(setting: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(where, 0, setting, message, hint, severity))

    configured, key_setting = settings.get(FINGERPRINT), settings.get(KEY)
    wanted = normalise(configured)
    if configured and not wanted:
        problem(FINGERPRINT, f"{configured!r} is not a full key fingerprint",
                "write all 40 hexadecimal digits that `gpg --fingerprint` shows; a short key ID can be forged")
    if not key_setting:
        return problems, group(wanted) if wanted else None
    if not configured:
        problem(KEY, f"{key_setting!r} is set without {FINGERPRINT}",
                f"add the key's fingerprint ({FINGERPRINT}): readers compare it with the key "
                "they download; `gpg --show-keys FILE` shows it")

    content = site.content_root.resolve()
    relative = PurePosixPath(str(key_setting))
    path = (content / relative).resolve()
    shown = os.path.relpath(path, site.root)
    if relative.is_absolute() or not path.is_relative_to(content):
        problem(KEY, f"{key_setting!r} is outside the content folder {os.path.relpath(content, site.root)}/",
                "put the public key in content/extra/ and write 'extra/<name>.asc'")
        return problems, None
    inside = path.relative_to(content).as_posix()
    static = [str(p).strip("/") for p in settings.get("STATIC_PATHS", [])]
    if not any(inside == p or inside.startswith(p + "/") for p in static):
        problem(KEY, f"{shown} is not in a published folder (STATIC_PATHS: {', '.join(static) or 'none'})",
                "move it to content/extra/, or add its folder to STATIC_PATHS")
    if not path.is_file():
        problem(KEY, f"{shown} does not exist",
                f"export the public key there: gpg --armor --export {wanted or 'FINGERPRINT'} > {shown}")
        return problems, None
    try:
        keys = read_keys(path)
    except GpgMissing:
        problem(KEY, f"gpg is not installed, so {shown} cannot be checked",
                "install Debian's gpg package: apt-get install gpg")
        return problems, None
    except KeyFileError as error:
        problem(KEY, f"{shown} is not an OpenPGP public key ({error})",
                f"export it with: gpg --armor --export {wanted or 'FINGERPRINT'} > {shown}")
        return problems, None
    export = f"gpg --armor --export {wanted or 'FINGERPRINT'} > {shown}"
    if any(key.secret for key in keys):
        problem(KEY, f"{shown} contains a SECRET key, which must never be published",
                "delete the file now (if it was ever committed or published, treat the key as "
                f"exposed and make a new one); export only the public key: {export}")
        return problems, None
    if len(keys) > 1:
        listed = "; ".join(group(key.fingerprint) for key in keys)
        problem(KEY, f"{shown} holds {len(keys)} keys ({listed})",
                f"publish only the key with {FINGERPRINT}: {export}")
        return problems, None
    (key,) = keys
    if wanted and key.fingerprint != wanted:
        subkey = " (that is one of its subkeys: give the primary key's fingerprint)" if (
            wanted in key.subkeys) else ""
        problem(FINGERPRINT, f"{group(wanted)} does not match {KEY} {shown}, whose key has "
                f"the fingerprint {group(key.fingerprint)}{subkey}",
                f"set {FINGERPRINT} to the fingerprint of the key you publish, or publish the key "
                "with this fingerprint")
    label = f"the key in {shown} ({group(key.fingerprint)})"
    renew = (f"extend it: gpg --quick-set-expire {key.fingerprint} 1y, and its subkeys: gpg "
             f"--quick-set-expire {key.fingerprint} 1y '*'; export it again to {shown}; or publish a new key")
    if key.revoked:
        when = f" on {_day(key.revoked_on)}" if key.revoked_on else ""
        problem(KEY, f"{label} was revoked{when}", f"publish a new key and set {FINGERPRINT} to its fingerprint")
    elif key.expired or (key.expires and key.expires <= now):
        problem(KEY, f"{label} expired on {_day(key.expires)}" if key.expires else f"{label} has expired",
                renew)
    elif not key.can_encrypt:
        problem(KEY, f"{label} cannot encrypt: it has no valid encryption subkey (it may have expired)",
                f"add one: gpg --quick-add-key {key.fingerprint} default encr 1y, then export the key again")
    else:
        ends = [moment for moment in (key.expires, key.encryption_expires) if moment]
        if ends and min(ends) - now <= timedelta(days=WARN_DAYS):
            end = min(ends)
            problem(KEY, f"{label} expires on {_day(end)}, in {max((end - now).days, 0)} day(s)", renew,
                    severity="warning")
    return problems, group(wanted) if wanted else None


def check_submission_key(site: Site, now: datetime | None = None) -> str | None:
    """The build's check: warnings are logged, errors stop the build. Returns the
    fingerprint in groups of four (what the contact page shows), or None."""
    problems, grouped = submission_key_problems(site, now)
    for warning in (p for p in problems if p.severity == "warning"):
        logging.getLogger("sitebuild").warning("%s", warning)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BuildError("the PGP key settings are wrong; nothing was built or published", errors)
    return grouped
