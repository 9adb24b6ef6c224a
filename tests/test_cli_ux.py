"""Rule documentation and terminal behaviour: `vnlint rules`, `vnlint explain`, --statistics, --quiet,
a progress bar only on a terminal, colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main
from vnlint.codes import CODES
from vnlint.engine import load_checks

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "data" / "inputs"
FAST = ["--model", "none", "--isolated", "--select", "structure"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _invoke(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


@pytest.fixture()
def two_notices(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text((INPUTS / "defective_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "good.txt").write_text((INPUTS / "clean_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return ["bad.txt", "good.txt"]


# ---------------------------------------------------------------- rules and explain

DOC_PART = re.compile(r"^(Why|Bad|Good):[ \t]*(\S.*)?$", re.M)


def _doc_parts(doc: str) -> dict[str, str]:
    parts, order = {}, []
    matches = list(DOC_PART.finditer(doc))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        parts[m.group(1)] = doc[m.start() : end].split(":", 1)[1].strip()
        order.append(m.group(1))
    parts["What"] = doc[: matches[0].start()].strip() if matches else doc.strip()
    parts["_order"] = order
    return parts


def test_rules_lists_every_registered_rule():
    rules = load_checks()
    res = _invoke("rules")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert len(lines) == len(rules)
    for line, (code, rule) in zip(lines, sorted(rules.items())):
        assert line.split()[:4] == [code, rule.name, rule.scope, rule.code.severity]
        assert line.endswith(rule.doc.splitlines()[0])
    doc = json.loads(_invoke("rules", "--format", "json").stdout)
    assert [r["code"] for r in doc] == sorted(rules)
    assert all(r["name"] == CODES[r["code"]].name for r in doc)
    md = _invoke("rules", "--format", "markdown").stdout.splitlines()
    assert md[0].startswith("| code |") and len(md) == len(rules) + 2


@pytest.mark.parametrize("code", sorted(load_checks()))
def test_every_rule_has_what_why_bad_good(code):
    rule = load_checks()[code]
    parts = _doc_parts(rule.doc)
    assert parts["_order"] == ["Why", "Bad", "Good"], f"{code} {rule.name}: docstring needs Why:, Bad:, Good:"
    first = parts["What"].splitlines()[0] if parts["What"] else ""
    assert len(first) >= 15 and first[0].isupper(), f"{code}: first line must say what the rule finds"
    for key in ("Why", "Bad", "Good"):
        assert len(parts[key]) >= 10, f"{code} {rule.name}: {key}: is empty"
    assert parts["Bad"] != parts["Good"]

    res = _invoke("explain", code)
    assert res.exit_code == 0
    assert res.stdout.startswith(
        f"{code} {rule.name} ({rule.code.family}, {rule.scope} scope, default severity {rule.code.severity})"
    )
    for key in ("Why", "Bad", "Good"):
        assert f"{key}: {parts[key].splitlines()[0]}" in res.stdout
    # By rule name too.
    assert _invoke("explain", rule.name).stdout == res.stdout


def test_explain_unknown_code():
    res = _invoke("explain", "VN999")
    assert res.exit_code == 2
    assert "unknown rule 'VN999'" in res.stderr
    res = _invoke("explain", "VN1")  # a prefix is many rules, not one
    assert res.exit_code == 2


# ---------------------------------------------------------------- statistics and quiet


def test_statistics(two_notices):
    res = _invoke("lint", *FAST, "--statistics", *two_notices)
    assert res.exit_code == 1
    assert "    1  VN112  section-missing" in res.stdout.splitlines()
    assert "    1  VN114  bullet-count-mismatch" in res.stdout.splitlines()
    # With a machine-readable format, the counts go to stderr and stdout stays parseable.
    res = _invoke("lint", *FAST, "--statistics", "--format", "json", *two_notices)
    assert len(json.loads(res.stdout)["findings"]) == 2
    assert "    1  VN112  section-missing" in res.stderr


def test_quiet(two_notices):
    loud = _invoke("lint", *FAST, *two_notices)
    quiet = _invoke("lint", *FAST, "--quiet", *two_notices)
    assert loud.stdout.splitlines()[-2] == "Found 2 findings (1 error, 1 warning) in 2 files."
    assert loud.stdout.splitlines()[-1].startswith("Not run (--model none")  # VN116 needs the model
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-2]
    assert quiet.exit_code == loud.exit_code == 1
    clean = _invoke("lint", *FAST, "--quiet", "good.txt")
    assert clean.stdout == "" and clean.exit_code == 0


# ---------------------------------------------------------------- terminals


def _run_on_tty(args: list[str], *, tty: str, env: dict | None = None, cwd=None) -> tuple[str, str]:
    """Run vnlint with stdout or stderr (`tty`) on a pseudo-terminal; returns (stdout, stderr)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    full_env["TERM"] = "xterm"
    kwargs = {"stdout": slave} if tty == "stdout" else {"stderr": slave}
    other = "stderr" if tty == "stdout" else "stdout"
    kwargs[other] = subprocess.PIPE
    proc = subprocess.Popen(
        [sys.executable, "-m", "vnlint.cli", *args], env=full_env, cwd=cwd, stdin=subprocess.DEVNULL, **kwargs
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("vnlint did not finish")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    piped = getattr(proc, other).read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    on_tty = b"".join(chunks).decode("utf-8", "replace")
    return (on_tty, piped) if tty == "stdout" else (piped, on_tty)


def _notices(tmp_path, n=3) -> list[str]:
    names = []
    for i in range(n):
        p = tmp_path / f"n{i}.txt"
        p.write_text((INPUTS / "defective_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
        names.append(p.name)
    return names


def test_progress_bar_only_on_a_terminal(tmp_path):
    files = _notices(tmp_path)
    out, err = _run_on_tty([*FAST, "-j", "1", *files], tty="stderr", cwd=tmp_path)
    assert "linting" in err and "100%" in err, err
    assert "linting" not in out
    # --quiet: no bar even on a terminal.
    _, err = _run_on_tty([*FAST, "-j", "1", "--quiet", *files], tty="stderr", cwd=tmp_path)
    assert "linting" not in err
    # stderr is not a terminal: no bar.
    proc = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", *FAST, *files], capture_output=True, text=True, cwd=tmp_path
    )
    assert "linting" not in proc.stderr and proc.returncode == 1


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    files = _notices(tmp_path, 1)
    out, _ = _run_on_tty([*FAST, *files], tty="stdout", cwd=tmp_path)
    assert ANSI.search(out), out
    assert "VN112" in ANSI.sub("", out)
    out, _ = _run_on_tty([*FAST, *files], tty="stdout", env={"NO_COLOR": "1"}, cwd=tmp_path)
    assert "VN112" in out and not ANSI.search(out), out
    out, _ = _run_on_tty([*FAST, "--no-color", *files], tty="stdout", cwd=tmp_path)
    assert "VN112" in out and not ANSI.search(out)
    # Piped: no colour unless asked for.
    proc = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", *FAST, *files], capture_output=True, text=True, cwd=tmp_path
    )
    assert "VN112" in proc.stdout and not ANSI.search(proc.stdout)
    proc = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", *FAST, "--color", *files], capture_output=True, text=True, cwd=tmp_path
    )
    assert ANSI.search(proc.stdout)
    # A report written to a file never has colour codes.
    out, _ = _run_on_tty([*FAST, "-o", "report.txt", *files], tty="stdout", cwd=tmp_path)
    assert "VN112" in (tmp_path / "report.txt").read_text() and not ANSI.search((tmp_path / "report.txt").read_text())
