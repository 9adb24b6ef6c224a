"""The results cache: an unchanged notice with unchanged settings is not linted again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from vnlint import resultcache, runner
from vnlint.config import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(d))
    monkeypatch.setenv("VNLINT_RESULT_CACHE", "1")
    return d


def settings(**kw):
    s = Settings()
    s.model = "none"
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def entries(cache_dir):
    return sorted((cache_dir / "results").rglob("*.json"))


def test_hit_returns_the_same_findings_without_linting(cache_dir, tmp_path, monkeypatch):
    f = tmp_path / "n.txt"
    shutil.copy(ROOT / "examples" / "field_defects.txt", f)
    first = runner.lint_file(str(f), settings()).findings
    assert first and len(entries(cache_dir)) == 1

    def boom(*a, **k):
        raise AssertionError("a cache hit must not lint")

    monkeypatch.setattr(runner, "lint_notice", boom)
    second = runner.lint_file(str(f), settings()).findings
    assert second == first


def test_content_settings_and_no_cache_change_the_key(cache_dir, tmp_path):
    f = tmp_path / "n.txt"
    shutil.copy(ROOT / "examples" / "field_defects.txt", f)
    runner.lint_file(str(f), settings())
    # another selection: linted again, its own entry
    only = runner.lint_file(str(f), settings(select={"VN208"})).findings
    assert [x.code for x in only] == ["VN208"]
    assert len(entries(cache_dir)) == 2
    # edited file: linted again (the grade defect fixed -> no VN208)
    f.write_text(f.read_text().replace("Grade : NATO Grade G18", "Grade : NATO Grade G17"))
    fixed = runner.lint_file(str(f), settings(select={"VN208"})).findings
    assert fixed == []
    assert len(entries(cache_dir)) == 3
    # cache off: nothing read, nothing written
    before = entries(cache_dir)
    runner.lint_file(str(f), settings(cache=False))
    assert entries(cache_dir) == before


def test_damaged_entry_is_ignored_and_rewritten(cache_dir, tmp_path):
    f = tmp_path / "n.txt"
    shutil.copy(ROOT / "examples" / "field_defects.txt", f)
    good = runner.lint_file(str(f), settings()).findings
    [entry] = entries(cache_dir)
    entry.write_text("{not json")
    assert runner.lint_file(str(f), settings()).findings == good
    json.loads(entry.read_text())


def test_key_covers_vnlint_source():
    fp = resultcache.code_fingerprint()
    assert len(fp) == 64
    resultcache.code_fingerprint.cache_clear()
    assert resultcache.code_fingerprint() == fp


def test_key_covers_every_data_file():
    """The CLDR names (data/cldr.json) and the daemon's warm-up notice are data too: a changed one
    must invalidate cached results as a changed .toml does (and stop a running daemon)."""
    watched = {path for path, _, _ in resultcache.source_state()}
    assert {os.path.join("data", "cldr.json"), os.path.join("data", "glossary.toml"), "meaning.py"} <= watched
