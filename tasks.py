#!/usr/bin/env python3
"""Set-up and the two jobs the README starts with, using nothing but python3 and pip.

    python3 tasks.py demo    install into .venv, ingest the bundled demo corpus into
                             var/demo.sqlite, run the pipeline, print a brief, then serve
                             the dashboard on 127.0.0.1:8000 with a one-time admin login
                             (PACTWATCH_DEMO_SERVE=0 stops after the brief)
    python3 tasks.py test    install into .venv, then ruff, mypy and the whole test suite

Both are idempotent: the install is skipped when requirements/lock.txt and pyproject.toml
have not changed since the last one (a stamp file in .venv records their hash).
Everything pip installs comes from requirements/lock.txt with hashes checked.
"""

from __future__ import annotations

import hashlib
import os
import subprocess  # nosec B404: this script's whole job is running pip and the tools
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP = VENV / ".pactwatch-install-stamp"
DEMO_STORE = ROOT / "var" / "demo.sqlite"


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command, echoing it; stop with its exit code if it fails."""
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(result.returncode)


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml", Path(__file__)):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_installed() -> None:
    """Create .venv and install the locked dependencies and pactwatch itself, once."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before the venv exists
        sys.exit(f"pactwatch needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check", "--no-input", "--quiet"]
    print("Installing the locked dependencies into .venv (the first time takes a few minutes)")
    run(*pip, "install", "--require-hashes", "--no-deps", "-r", LOCK)
    # The project itself is installed without touching the network: the build backend
    # (setuptools) came from the lock above.
    run(*pip, "install", "--no-deps", "--no-build-isolation", "--editable", ROOT)
    STAMP.write_text(fingerprint)


def demo() -> None:
    """The main job on the embedded default: a SQLite file and the bundled demo corpus,
    then the dashboard on it."""
    ensure_installed()
    DEMO_STORE.parent.mkdir(parents=True, exist_ok=True)
    existed = DEMO_STORE.exists()
    run(BIN / "pactwatch", "--db", DEMO_STORE, "demo")
    if os.environ.get("PACTWATCH_DEMO_SERVE", "1") == "0":
        return
    if existed:
        # A demo store from an earlier run has its admin already: give it a fresh one-time
        # password so that every run ends with a login that works.
        subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [str(BIN / "pactwatch"), "--db", str(DEMO_STORE), "users", "reset-password", "admin"],
            check=False,
        )
    print("Serving the dashboard (user admin); stop it with Ctrl+C.", flush=True)
    try:
        run(BIN / "pactwatch", "--db", DEMO_STORE, "serve")
    except KeyboardInterrupt:
        print("\ndashboard stopped")


def test() -> None:
    """Lint, type-check and run the whole test suite (PostgreSQL tests run when
    PACTWATCH_TEST_POSTGRES_URL names a server; .ci/run starts one)."""
    ensure_installed()
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    run(BIN / "mypy")
    env = dict(os.environ)
    # pytest exits 5 when it collected nothing; run() treats that as the failure it is.
    run(BIN / "pytest", *sys.argv[2:], env=env)


def main() -> None:
    jobs = {"demo": demo, "test": test, "install": ensure_installed}
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(jobs)}}} [pytest arguments]")
    jobs[sys.argv[1]]()


if __name__ == "__main__":
    main()
