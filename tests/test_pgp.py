"""The contact page's PGP key is the key its fingerprint names, and usable (sitebuild/pgp.py).

Keys are made for the tests with gpg in a temporary GNUPGHOME: a good one, another one,
one that expired in 2020 (made with --faked-system-time), a revoked one, one that can
only sign. Every build gets its own copy of the sample content with the key file in
content/extra/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from lxml import html

from sitebuild.build import build
from sitebuild.config import load_site
from sitebuild.errors import BuildError
from sitebuild.pgp import group, read_keys, submission_key_problems
from tests.conftest import ROOT, write_config
from tests.quality import require_tool

KEY_FILE = "content/extra/evidence-key.asc"


@dataclass
class Keyring:
    home: Path

    def gpg(self, *args: str, faked_time: str | None = None) -> str:
        command = ["gpg", "--homedir", str(self.home), "--batch", "--pinentry-mode", "loopback",
                   "--passphrase", ""]
        command += ["--faked-system-time", faked_time] if faked_time else []
        result = subprocess.run([*command, *args], capture_output=True, text=True, timeout=120,
                                env={**os.environ, "LC_ALL": "C"})
        assert result.returncode == 0, result.stderr
        return result.stdout

    def make(self, name: str, algorithm="future-default", usage="default", expire="1y",
             faked_time: str | None = None) -> str:
        """A new key; its fingerprint."""
        uid = f"{name} <{name.lower()}@example.org>"
        self.gpg("--quick-gen-key", uid, algorithm, usage, expire, faked_time=faked_time)
        listing = self.gpg("--with-colons", "--list-keys", f"={uid}")
        return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))

    def export(self, fingerprint: str, secret: bool = False) -> str:
        return self.gpg("--armor", "--export-secret-keys" if secret else "--export", fingerprint)

    def revoke(self, fingerprint: str) -> None:
        """Import the revocation certificate gpg wrote when it made the key."""
        certificate = (self.home / "openpgp-revocs.d" / f"{fingerprint}.rev").read_text()
        revocation = self.home / "revocation.asc"
        revocation.write_text(certificate.replace(":-----BEGIN", "-----BEGIN"))
        self.gpg("--import", str(revocation))


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    require_tool(bool(shutil.which("gpg") and shutil.which("gpg-agent")),
                 "gpg and gpg-agent (Debian packages gpg, gpg-agent)")
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    keyring = Keyring(home)
    try:
        made = {
            "good": keyring.make("Evidence"),
            "other": keyring.make("Other"),
            "expired": keyring.make("Old", faked_time="20200101T000000!"),
            "revoked": keyring.make("Revoked"),
            "sign-only": keyring.make("Signer", algorithm="ed25519", usage="sign"),
        }
        keyring.revoke(made["revoked"])
        yield keyring, made
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False,
                       capture_output=True, timeout=30)


def as_gpg_prints(fingerprint: str) -> str:
    """`C1A2 0F51 … 88AA  C1F9 …`: how `gpg --fingerprint` shows it (to paste into settings)."""
    grouped = group(fingerprint).split(" ")
    return " ".join(grouped[:5]) + "  " + " ".join(grouped[5:])


def site_config(folder: Path, key_text: str | None, body: str, base: str = "pelicanconf") -> Path:
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    if key_text is not None:
        (content / "extra").mkdir(exist_ok=True)
        (content / "extra" / "evidence-key.asc").write_text(key_text, encoding="utf-8")
    return write_config(folder, body, base, PATH=content)


def settings(fingerprint: str | None = None, key: str | None = "extra/evidence-key.asc") -> str:
    lines = []
    if fingerprint is not None:
        lines.append(f"SUBMISSION_PGP_FINGERPRINT = {fingerprint!r}")
    if key is not None:
        lines.append(f"SUBMISSION_PGP_KEY = {key!r}")
    return "\n".join(lines)


def failed_build(folder: Path, key_text: str | None, body: str) -> str:
    """Build over a previous output; the build must fail and leave that output as it was."""
    config = site_config(folder, key_text, body)
    output = folder / "output"
    output.mkdir()
    (output / "index.html").write_text("the previous build", encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(BuildError) as failure:
        build(config, output)
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the previous build"
    # No staging folder either: the check runs before anything is built.
    assert sorted(p.name for p in folder.iterdir()) == before
    return str(failure.value)


def test_the_matching_key_builds_and_the_contact_page_shows_its_fingerprint(keys, tmp_path):
    keyring, made = keys
    key_text = keyring.export(made["good"])
    config = site_config(tmp_path, key_text, settings(as_gpg_prints(made["good"]).lower()),
                         base="publishconf")
    report = build(config, tmp_path / "output")
    siteurl = load_site(config).settings["SITEURL"]
    grouped = group(made["good"])
    assert len(grouped.split(" ")) == 10 and all(len(part) == 4 for part in grouped.split(" "))
    for page, words in (("contact/index.html", "نزّل مفتاح التشفير العام الخاص بنا"),
                        ("en/contact/index.html", "Download our public PGP key")):
        tree = html.fromstring((report.output / page).read_bytes())
        (code,) = tree.xpath("//dl[@class='channels']//code[@class='fingerprint']")
        assert code.text == grouped and code.get("dir") == "ltr" and code.get("translate") == "no"
        (link,) = tree.xpath("//dl[@class='channels']//a[@download]")
        assert link.get("href") == f"{siteurl}/extra/evidence-key.asc"
        assert link.get("type") == "application/pgp-keys"
        assert link.text_content().split() == [*words.split(), "(evidence-key.asc)"]
    published = report.output / "extra" / "evidence-key.asc"
    assert published.read_text(encoding="utf-8") == key_text


def test_a_key_with_another_fingerprint_stops_the_build_naming_both(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["other"]), settings(made["good"]))
    line = next(line for line in message.splitlines() if "does not match" in line)
    assert line.startswith("siteconf.py: SUBMISSION_PGP_FINGERPRINT: ")
    assert KEY_FILE in line and group(made["good"]) in line and group(made["other"]) in line
    assert "nothing was built or published" in message


def test_an_expired_key_stops_the_build(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["expired"]), settings(made["expired"]))
    assert f"siteconf.py: SUBMISSION_PGP_KEY: the key in {KEY_FILE} ({group(made['expired'])}) " \
           "expired on 2020-12-31 (extend it: gpg --quick-set-expire" in message


def test_a_revoked_key_stops_the_build_saying_when(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["revoked"]), settings(made["revoked"]))
    assert f"the key in {KEY_FILE} ({group(made['revoked'])}) was revoked on 20" in message


def test_a_key_that_cannot_encrypt_stops_the_build(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["sign-only"]), settings(made["sign-only"]))
    assert "cannot encrypt: it has no valid encryption subkey" in message


def test_a_key_file_outside_content_stops_the_build(keys, tmp_path):
    keyring, made = keys
    (tmp_path / "key.asc").write_text(keyring.export(made["good"]), encoding="utf-8")
    message = failed_build(tmp_path, None, settings(made["good"], "../key.asc"))
    assert "siteconf.py: SUBMISSION_PGP_KEY: '../key.asc' is outside the content folder content/" in message


def test_a_key_without_a_fingerprint_stops_the_build(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["good"]), settings(None))
    assert ("siteconf.py: SUBMISSION_PGP_KEY: 'extra/evidence-key.asc' is set without "
            "SUBMISSION_PGP_FINGERPRINT") in message


def test_a_secret_key_is_never_published(keys, tmp_path):
    keyring, made = keys
    message = failed_build(tmp_path, keyring.export(made["good"], secret=True), settings(made["good"]))
    assert f"{KEY_FILE} contains a SECRET key, which must never be published" in message


@pytest.mark.parametrize(("case", "expected"), [
    ("two keys", "holds 2 keys"),
    ("not a key", "is not an OpenPGP public key (gpg: no valid OpenPGP data found.)"),
    ("missing", f"{KEY_FILE} does not exist (export the public key there: gpg --armor --export"),
    ("short id", "'ABCD1234' is not a full key fingerprint"),
    ("not published", "content/ar/evidence-key.asc is not in a published folder (STATIC_PATHS: images, extra)"),
])
def test_other_wrong_key_settings(keys, tmp_path, case, expected):
    keyring, made = keys
    key_text = {"two keys": keyring.export(made["good"]) + keyring.export(made["other"]),
                "not a key": "not a key\n", "missing": None}.get(case, keyring.export(made["good"]))
    body = {"short id": settings("ABCD1234"),
            "not published": settings(made["good"], "ar/evidence-key.asc")}.get(case, settings(made["good"]))
    config = site_config(tmp_path, key_text, body)
    if case == "not published":
        shutil.copy(tmp_path / KEY_FILE, tmp_path / "content" / "ar" / "evidence-key.asc")
    problems, _grouped = submission_key_problems(load_site(config))
    assert any(expected in str(problem) for problem in problems), problems
    assert all(problem.severity == "error" for problem in problems)


def test_a_key_that_expires_within_thirty_days_gives_a_warning(keys, tmp_path):
    keyring, made = keys
    config = site_config(tmp_path, keyring.export(made["good"]), settings(made["good"]))
    (key,) = read_keys(tmp_path / KEY_FILE)
    site = load_site(config)
    assert submission_key_problems(site, now=key.expires - timedelta(days=31))[0] == []
    (warning,), grouped = submission_key_problems(site, now=key.expires - timedelta(days=10, hours=1))
    assert warning.severity == "warning" and grouped == group(made["good"])
    assert str(warning).startswith(f"siteconf.py: SUBMISSION_PGP_KEY: warning: the key in {KEY_FILE}")
    assert f"expires on {key.expires:%Y-%m-%d}, in 10 day(s)" in str(warning)


def test_invoke_check_reports_the_key_too(keys, tmp_path):
    keyring, made = keys
    config = site_config(tmp_path, keyring.export(made["other"]), settings(made["good"]))
    result = subprocess.run([sys.executable, "-m", "sitebuild", "check", "--config", str(config)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert any(line.startswith("siteconf.py: SUBMISSION_PGP_FINGERPRINT: ") and "does not match" in line
               for line in result.stdout.splitlines()), result.stdout + result.stderr
