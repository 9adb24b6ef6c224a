"""Compiled regular expressions kept between runs (vnlint.regexcache): the patterns it gives back are
those `re` builds, only patterns compiled by two runs are kept, a damaged file is ignored, and the
`vnlint` command's output is the same with the file as without it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vnlint import regexcache as rc

ROOT = Path(__file__).resolve().parent.parent
VNLINT = str(Path(sys.executable).with_name("vnlint"))
CPYTHON = sys.implementation.name == "cpython"

PATTERNS = [
    (r"(?P<amount>\d{1,3}(?:[ ,.\u202f]\d{3})*(?:[.,]\d+)?)\s*(?:EUR|€)", 0),
    (r"(?<![\w'’])((?:des|les|la)\s+)?([^\W\d_]{4,})(\s*,\s*|\s+et\s+)(?(1)(?:\1)?)(\2)(?![\w])", re.IGNORECASE),
    (r"^\s*(\d+)\.\s+(?P<heading>[A-ZÉ][^\n]*)$", re.MULTILINE),
    (r"\bne\b\W+(?:\w+\W+){0,3}?(?:pas|jamais|plus)\b", re.IGNORECASE | re.UNICODE),
    (rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", 0),
    (r"(?x) \b (?: at \s+ least | no \s+ later \s+ than ) \b", 0),
]
TEXTS = [
    "Salaire : 8 754,21 EUR, puis 12,000.50 € des risques et des risques",
    "1. Summary\n2. Rôle\nÉté : ne doit pas, ne sera jamais, at least no later than",
    "des contrats, des contrats et les incidents et les incidents",
]


def _behaviour(p: re.Pattern) -> tuple:
    texts = [t.encode("utf-8") for t in TEXTS] if isinstance(p.pattern, bytes) else TEXTS
    return (
        p.pattern,
        p.flags,
        p.groups,
        dict(p.groupindex),
        [[m.span() + m.groups() for m in p.finditer(t)] for t in texts],
    )


@pytest.fixture
def fresh(tmp_path):
    """install() as a new run would, on the file in tmp_path; uninstalled afterwards."""
    path = str(tmp_path / "regex" / "sre-test.json")

    def run():
        rc.uninstall()
        re.purge()  # re's own cache would answer before the file is asked
        assert rc.install(path)
        rc.keep(True)
        return path

    yield run
    rc.uninstall()
    re.purge()


pytestmark = pytest.mark.skipif(not CPYTHON, reason="the file holds CPython's regular-expression code")


def test_this_python_is_supported():
    assert rc._supported()


def test_patterns_from_the_file_are_those_re_builds(fresh):
    expected = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]
    for _ in range(2):  # a pattern is kept once two runs have compiled it
        path = fresh()
        got = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]
        assert got == expected
        rc._save()
    fresh()
    stored = rc._state["stored"]
    for p, f in PATTERNS:
        key = (isinstance(p, bytes), p.decode("latin-1") if isinstance(p, bytes) else p, int(f))
        assert key in stored, p
    got = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]
    assert got == expected
    assert rc._state["new"] == {}  # every one of them came from the file
    assert Path(path).is_file()


def test_a_pattern_compiled_by_one_run_only_waits(fresh):
    path = fresh()
    re.compile("only-this-run-[abc]+")
    rc._save()
    assert not Path(path).exists()  # nothing kept yet
    pending = json.loads(Path(rc._pending_path(path)).read_text(encoding="utf-8"))
    assert [False, "only-this-run-[abc]+", 0] in pending
    fresh()
    re.compile("another-run-[xyz]+")  # the first pattern is not compiled again: it is dropped
    rc._save()
    pending = json.loads(Path(rc._pending_path(path)).read_text(encoding="utf-8"))
    assert pending == [[False, "another-run-[xyz]+", 0]]
    assert not Path(path).exists()


def test_nothing_is_written_unless_the_run_keeps_it(fresh):
    path = fresh()
    rc.keep(False)
    re.compile("not-kept-[abc]+")
    rc._save()
    assert not Path(path).parent.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-10],  # cut short: the checksum no longer matches
        lambda b: b.replace(b"vnlint-regex 1", b"vnlint-regex 9"),
        lambda b: b"garbage\n" + b,
        lambda b: b.split(b"\n")[0] + b"\n" + b"[]",  # another body under the same header
    ],
    ids=["cut", "version", "garbage", "body"],
)
def test_a_damaged_file_is_ignored(fresh, damage):
    for _ in range(2):
        path = fresh()
        re.compile("(?P<x>damaged-[abc]+)")
        rc._save()
    data = Path(path).read_bytes()
    Path(path).write_bytes(damage(data))
    assert rc._read(path) == {}
    fresh()
    assert re.compile("(?P<x>damaged-[abc]+)").match("damaged-ab").group("x") == "damaged-ab"


def test_a_wrong_entry_is_refused():
    good = rc._encode("a+", 0, rc._build("a+", 0)[0])
    assert rc._decode(good)[0] == (False, "a+", 0)
    for bad in (good[:7], [*good[:2], "0", *good[3:]], [*good[:7], "!!not base64!!"], {"a": 1}):
        with pytest.raises((ValueError, TypeError)):
            rc._decode(bad)


def _lint(env, *args):
    return subprocess.run(
        [VNLINT, "--format", "json", *args, str(ROOT / "examples" / "field_defects.txt")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_command_gives_the_same_findings_with_the_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VNLINT_REGEX_CACHE",)}
    env.update(VNLINT_DAEMON="0", VNLINT_CACHE_DIR=str(tmp_path / "cache"), VNLINT_RESULT_CACHE="0")
    runs = [_lint(env) for _ in range(3)]
    files = sorted(p.name for p in (tmp_path / "cache" / "regex").iterdir())
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".pending.json"), files
    assert len(rc._read(str(tmp_path / "cache" / "regex" / files[0]))) > 300  # vnlint's and pysbd's patterns
    alone = _lint({**env, "VNLINT_CACHE_DIR": str(tmp_path / "other")}, "--no-cache")
    assert not (tmp_path / "other").exists()  # --no-cache: no file read or written
    assert [r.returncode for r in runs] == [1, 1, 1] and alone.returncode == 1
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout == alone.stdout
    assert json.loads(runs[2].stdout)["findings"]


def test_the_switch_turns_it_off(tmp_path):
    env = dict(os.environ, VNLINT_DAEMON="0", VNLINT_CACHE_DIR=str(tmp_path / "cache"), VNLINT_REGEX_CACHE="0")
    assert _lint(env).returncode == 1
    assert not (tmp_path / "cache" / "regex").exists()


def test_a_fifo_in_place_of_the_file_does_not_block(fresh, tmp_path):
    path = tmp_path / "regex" / "sre-test.json"
    path.parent.mkdir()
    os.mkfifo(path)
    fresh()  # would block forever on a plain open()
    assert rc._state["stored"] == {}
    assert re.compile("fifo-[ab]+").match("fifo-ab")


def test_the_command_keeps_more_compiled_patterns(monkeypatch):
    """The vnlint command's process raises `re`'s cache (pysbd's patterns overflowed its 512) and
    never lowers a larger one."""
    from vnlint import client

    monkeypatch.setattr(re, "_MAXCACHE", 512)
    client._larger_re_cache()
    assert re._MAXCACHE == client.RE_CACHE
    monkeypatch.setattr(re, "_MAXCACHE", client.RE_CACHE * 2)
    client._larger_re_cache()
    assert re._MAXCACHE == client.RE_CACHE * 2
