"""A daemon's run gives the glossary rules to a forked copy of itself while it runs the others
(engine.split_rules): the findings are those of one process running every rule, whatever happens
to the copy."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from vnlint import engine
from vnlint.config import Settings
from vnlint.runner import lint_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
NOTICES = sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _findings(path: Path, embedder) -> list:
    text = path.read_text(encoding="utf-8")
    return lint_text(text, Settings(), path=path.name, embedder_factory=lambda s: embedder).findings


@pytest.fixture
def split(monkeypatch):
    """split_rules on for this process, and the forks it makes counted."""
    forks = []
    real = os.fork

    def fork():
        forks.append(1)
        return real()

    monkeypatch.setattr(os, "fork", fork)
    engine.split_rules()
    yield forks
    engine._SPLIT["pid"] = None


def test_findings_are_those_of_one_process(embedder, split):
    paths = NOTICES[:3] + (sorted(CORPUS.glob("*.txt"))[:1] if CORPUS.is_dir() else [])
    engine._SPLIT["pid"] = None
    alone = {p: _findings(p, embedder) for p in paths}
    engine.split_rules()
    aside = {p: _findings(p, embedder) for p in paths}
    assert aside == alone
    assert any(f.rule in engine.ASIDE_RULES for fs in alone.values() for f in fs)  # the copy's share shows
    assert len(split) >= 2  # every notice of 12 pairs or more went to a copy


def test_no_fork_means_every_rule_here(embedder, split, monkeypatch):
    path = ROOT / "examples" / "field_defects.txt"
    engine._SPLIT["pid"] = None
    want = _findings(path, embedder)
    engine.split_rules()

    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _findings(path, embedder) == want


def test_a_damaged_answer_means_every_rule_here(embedder, split, monkeypatch):
    path = ROOT / "examples" / "field_defects.txt"
    engine._SPLIT["pid"] = None
    want = _findings(path, embedder)
    engine.split_rules()
    monkeypatch.setattr(pickle, "loads", lambda data: [(0, [])])  # not the rules it was given
    assert _findings(path, embedder) == want
    assert split  # the copy was forked; its answer was refused


def test_a_worker_forked_by_the_run_runs_every_rule_itself(split):
    engine._SPLIT["pid"] = os.getpid() + 1  # as in a --jobs worker: another process's setting
    assert not engine._may_split({"block": [object()] * 50})
    engine.split_rules()
    assert engine._may_split({"block": [object()] * 50})
    assert not engine._may_split({"block": [object()] * (engine.MIN_SPLIT_PAIRS - 1)})


def test_no_copy_while_another_thread_runs(split):
    """A fork copies only the calling thread: with another one running (holding who knows what
    lock), every rule runs here."""
    import threading

    engine.split_rules()
    assert engine._may_split({"block": [object()] * 50})
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not engine._may_split({"block": [object()] * 50})
    finally:
        release.set()
        other.join()


def test_the_command_lints_one_file_with_the_glossary_rules_aside(tmp_path, run_vnlint):
    """`vnlint FILE` (its files one after the other, no --jobs 1) gives the glossary rules to a copy;
    --jobs 1 keeps every rule in the one process: the same report."""
    path = ROOT / "examples" / "field_defects.txt"
    fresh = {"VNLINT_RESULT_CACHE": "0"}  # each run computes its findings
    split_run = run_vnlint("--format", "json", str(path), env=fresh)
    alone = run_vnlint("--jobs", "1", "--format", "json", str(path), env=fresh)
    assert (split_run.returncode, split_run.stdout) == (alone.returncode, alone.stdout)
    assert split_run.json()["findings"]
