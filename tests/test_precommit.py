"""The pre-commit hook, end to end: pre-commit clones this repository, installs vnlint into its own
virtualenv (from PyPI: the one step of the test suite that needs the network), and runs the hook.

The hook must see the code as it is in the working tree, committed or not, so the test commits a
snapshot of the working tree (tracked and untracked, not ignored files) into a repository of its
own and points pre-commit at that. The snapshot commit has fixed dates, so an unchanged tree gives
the same sha: with VNLINT_TEST_PRE_COMMIT_HOME set to a directory kept between runs, pre-commit
reuses the environment it built last time. Takes about 50 s with a warm pip cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INPUTS = Path(__file__).resolve().parent / "data" / "inputs"

pytestmark = pytest.mark.slow

GIT_ENV = {
    "GIT_AUTHOR_NAME": "vnlint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "vnlint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_AUTHOR_DATE": "2030-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2030-01-01T00:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _pre_commit() -> list[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    if exe.exists():
        return [str(exe)]
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    pytest.skip("pre-commit is not installed (pip install -e '.[test]')")


def _git(*args, cwd, env=None) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_ENV)
    env["PRE_COMMIT_HOME"] = str(home)
    env["NO_COLOR"] = "1"
    env["PRE_COMMIT_COLOR"] = "never"
    return env


@pytest.fixture(scope="module")
def cache_dir():
    """PRE_COMMIT_HOME's parent: a temporary directory (the environment is about 170 MB), or
    VNLINT_TEST_PRE_COMMIT_HOME, kept between runs so that an unchanged tree is not installed again."""
    base = os.environ.get("VNLINT_TEST_PRE_COMMIT_HOME")
    if base:
        Path(base).mkdir(parents=True, exist_ok=True)
        yield Path(base)
        return
    with tempfile.TemporaryDirectory(prefix="vnlint-pre-commit-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def hook_repo(cache_dir) -> tuple[Path, str]:
    """A git repository holding the working tree of this checkout, and its (deterministic) sha."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot snapshot the hook repository")
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    snap = cache_dir / "hook-repo"
    shutil.rmtree(snap, ignore_errors=True)
    snap.mkdir(parents=True)
    env = _env(cache_dir / "pre-commit")
    _git("init", "-q", "-b", "main", cwd=snap, env=env)
    for rel in sorted(p for p in listed if p):
        src = ROOT / rel
        if not src.is_file():  # deleted in the working tree
            continue
        dst = snap / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        os.chmod(dst, 0o755 if os.access(src, os.X_OK) else 0o644)
    _git("add", "-A", cwd=snap, env=env)
    _git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=snap, env=env)
    return snap, _git("rev-parse", "HEAD", cwd=snap, env=env)


@pytest.fixture()
def project(tmp_path, hook_repo, cache_dir):
    """A user's repository with vnlint's hook configured and installed as a git pre-commit hook."""
    repo, sha = hook_repo
    proj = tmp_path / "notices-repo"
    proj.mkdir()
    env = _env(cache_dir / "pre-commit")
    _git("init", "-q", "-b", "main", cwd=proj, env=env)
    (proj / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo.as_posix()}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        "      - id: vnlint\n"
        # No model (fast), and only the structure rules: the test is about the hook, not about rules
        # that other tests cover and that may change.
        "        args: [--model=none, --select=structure]\n",
        encoding="utf-8",
    )
    (proj / "README.md").write_text("# Vacancy notices\n\nNot a notice: the hook must leave it alone.\n")
    _git("add", "-A", cwd=proj, env=env)
    subprocess.run([*_pre_commit(), "install"], cwd=proj, env=env, check=True, capture_output=True)
    return proj, env


def _commit(proj: Path, env: dict, name: str, text: str) -> subprocess.CompletedProcess:
    (proj / "notices").mkdir(exist_ok=True)
    (proj / "notices" / name).write_text(text, encoding="utf-8")
    _git("add", "-A", cwd=proj, env=env)
    return subprocess.run(
        ["git", "commit", "-m", f"add {name}"], cwd=proj, env=env, capture_output=True, text=True, timeout=1800
    )


def test_hook_blocks_a_defective_notice_and_accepts_a_clean_one(project):
    proj, env = project
    bad = _commit(proj, env, "archive_assistant.txt", (INPUTS / "defective_notice.txt").read_text())
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "vnlint (bilingual vacancy notices)" in out and "Failed" in out, out
    # The findings are shown, with the file, the line and the code.
    assert "notices/archive_assistant.txt:66:1: error VN112" in out, out
    assert "VN114" in out, out
    # Nothing was committed.
    assert (
        subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=proj, env=env, capture_output=True).returncode != 0
    )

    good = _commit(proj, env, "archive_assistant.txt", (INPUTS / "clean_notice.txt").read_text())
    out = good.stdout + good.stderr
    assert good.returncode == 0, out
    assert "vnlint (bilingual vacancy notices)" in out and "Passed" in out, out
    assert _git("log", "--format=%s", cwd=proj, env=env) == "add archive_assistant.txt"


def test_pre_commit_run_on_files(project):
    """`pre-commit run --files` runs only on the notices given; README.md is excluded by the hook."""
    proj, env = project
    notices = proj / "notices"
    notices.mkdir()
    (notices / "bad.txt").write_text((INPUTS / "defective_notice.txt").read_text(), encoding="utf-8")
    (notices / "good.txt").write_text((INPUTS / "clean_notice.txt").read_text(), encoding="utf-8")
    _git("add", "-A", cwd=proj, env=env)
    run = [*_pre_commit(), "run", "--files"]
    ok = subprocess.run([*run, "notices/good.txt", "README.md"], cwd=proj, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    ko = subprocess.run(
        [*run, "notices/bad.txt", "notices/good.txt"], cwd=proj, env=env, capture_output=True, text=True
    )
    assert ko.returncode == 1, ko.stdout + ko.stderr
    assert "notices/bad.txt:60:1: warning VN114" in ko.stdout
    assert not any(line.startswith("notices/good.txt:") for line in ko.stdout.splitlines())


def test_hook_skips_staged_files_that_are_not_notices(project):
    """Issue 12, item 9: NOTES.md and requirements.txt staged next to notices are not VN103."""
    proj, env = project
    (proj / "notices").mkdir()
    (proj / "notices" / "NOTES.md").write_text("# Notes\n\n1. Ask HR about the deadline.\n", encoding="utf-8")
    (proj / "requirements.txt").write_text("click>=8.1\nbabel>=2.12\n", encoding="utf-8")
    _git("add", "-A", cwd=proj, env=env)
    res = subprocess.run(
        ["git", "commit", "-m", "notes"], cwd=proj, env=env, capture_output=True, text=True, timeout=1800
    )
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert "VN103" not in out


def test_hook_with_one_file_of_a_pair_staged_reads_the_other_from_disk(project):
    """Issue 12, item 7: editing only notices/post_fr.txt lints it with notices/post_en.txt, not VN105."""
    proj, env = project
    clean = (INPUTS / "clean_notice.txt").read_text(encoding="utf-8").splitlines()
    defective = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8").splitlines()
    (proj / "notices").mkdir()
    (proj / "notices" / "post_en.txt").write_text("\n".join(clean[:36]) + "\n", encoding="utf-8")
    ok = _commit(proj, env, "post_fr.txt", "\n".join(clean[37:]) + "\n")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # Only the French file changes and is staged.
    bad = _commit(proj, env, "post_fr.txt", "\n".join(defective[37:]) + "\n")
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "notices/post_fr.txt:29:1: error VN112" in out, out
    assert "VN105" not in out and "VN104" not in out, out
