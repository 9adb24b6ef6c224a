"""Shared fixtures: a fictional notice, fast settings, a runner for the real `vnlint` CLI, and one real
use-m3 embedder for the session."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELIABILITY_DATA = ROOT / "tests" / "data" / "reliability"


# Tests lint the same fictional notices again and again, some with a check monkeypatched: the
# results cache (which keys on file, settings and vnlint's source, not on monkeypatches) is off
# for the whole suite; tests/test_resultcache.py switches it back on for itself.
os.environ["VNLINT_RESULT_CACHE"] = "0"
# A vnlint daemon the developer left running must not answer the suite's runs of `vnlint`;
# tests/test_daemon.py starts its own, in a folder of its own.
os.environ["VNLINT_DAEMON"] = "0"


@pytest.fixture(autouse=True)
def _dev_zero_stays_a_device():
    """Tests plant cache entries that are links to /dev/zero. Rewriting such an entry must replace the
    link, never write through it: run as root, that once replaced /dev/zero itself with a cache file."""
    yield
    if os.path.lexists("/dev/zero"):
        assert stat.S_ISCHR(os.stat("/dev/zero").st_mode), "/dev/zero was overwritten through a cache link"


@pytest.fixture
def notice_text() -> str:
    """A structurally clean fictional notice (EN then FR), as text with LF line ends."""
    return (RELIABILITY_DATA / "good.txt").read_text(encoding="utf-8")


@pytest.fixture
def fast_settings():
    """Default settings without the embedding model (structure and text checks only)."""
    from vnlint.config import Settings

    s = Settings()
    s.model = "none"
    return s


@pytest.fixture
def run_vnlint(tmp_path):
    """Run `python -m vnlint.cli ARGS` in a subprocess, with its own cache dir; returns CompletedProcess.

    `.json()` on the result parses stdout. Extra keyword arguments: env (added to the environment),
    cwd, timeout, input (bytes for stdin).
    """

    def run(*args, env=None, cwd=None, timeout=120, input=None):
        full_env = dict(os.environ)
        full_env["VNLINT_CACHE_DIR"] = str(tmp_path / "_vnlint_cache")  # never the user's cache
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", *map(str, args)],
            capture_output=True,
            cwd=cwd or tmp_path,
            env=full_env,
            timeout=timeout,
            input=input,
        )
        proc.stdout_text = proc.stdout.decode("utf-8", "replace")
        proc.stderr_text = proc.stderr.decode("utf-8", "replace")
        proc.json = lambda: json.loads(proc.stdout_text)
        return proc

    return run


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """One real use-m3 embedder for the test session, caching on disk in the session's temporary
    folder (the folder test_calibration.py points its subprocesses at), never in the user's cache."""
    from vnlint.embed import get_embedder

    return get_embedder("use-m3", cache_dir=tmp_path_factory.getbasetemp() / "vnlint-cache")
