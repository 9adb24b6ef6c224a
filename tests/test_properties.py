"""Property-based tests (Hypothesis): a mangled notice never crashes vnlint.

A fictional notice is cut, duplicated, shuffled and sprinkled with odd Unicode (controls, RTL
marks, lone surrogates, combining marks, BOMs, Unicode line separators) and odd bytes. Whatever
comes in: no exception, no VN199 (internal-error) finding, every line and end_line (and those of
related places) within the file's physical lines, and the same input always gives the same JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vnlint.config import Settings
from vnlint.report import render
from vnlint.runner import lint_file, lint_text
from vnlint.source import split_lines

ROOT = Path(__file__).resolve().parent.parent
BASES = [ROOT / "tests" / "data" / "reliability" / "good.txt"] + [
    p for p in (ROOT / "examples" / "clean_notice.txt", ROOT / "examples" / "pdf_layout_defects.txt") if p.is_file()
]
TEXTS = [p.read_text(encoding="utf-8") for p in BASES]

SPECIAL = [
    "\x00",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",  # controls, separators
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u061c",  # bidi marks and overrides
    "\ud800",
    "\udfff",
    "\ud83d",
    "\ude00",
    "\ud83d\ude00",  # lone surrogates, and a valid pair
    "\u0301",
    "\u0327",
    "\u20dd",
    "\u0301" * 30,  # combining marks, stacked
    "\ufeff",
    "\ufffd",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "é",
    "’",
    "«\u00a0",
    "\u00a0»",
    "•",
    "\uf0b7",
    "- ",
    "1. ",
    "12) ",
    "Grade: ",
    "Emplacement principal : ",
    "Primary Location: ",
    "Description",
    "http://",
    "<!-- vnlint: disable=VN300 -->",
    "# vnlint: disable-file=VN5",
    "\\",
    "€",
    "𝔘𝔫𝔦",
    "中文",
    "العربية",
    "🇧🇪",
]
UNICODE = st.lists(
    st.one_of(
        st.characters(codec="utf-8"), st.characters(min_codepoint=0, max_codepoint=0x7F), st.sampled_from(SPECIAL)
    ),
    max_size=8,
).map("".join)

OPS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 12)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000), st.integers(1, 12), st.integers(0, 10_000)),
    st.tuples(st.just("shuffle"), st.integers(0, 10_000), st.integers(2, 30), st.integers(0, 2**32 - 1)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.integers(0, 400), UNICODE),
    st.tuples(st.just("new_line"), st.integers(0, 10_000), UNICODE),
)


def mutate(text: str, ops) -> str:
    lines = text.split("\n")
    for op in ops:
        n = len(lines)
        if n == 0:
            lines = [""]
            n = 1
        kind, i = op[0], op[1] % n
        if kind == "delete":
            del lines[i : i + op[2]]
        elif kind == "duplicate":
            chunk = lines[i : i + op[2]]
            j = op[3] % (n + 1)
            lines[j:j] = chunk
        elif kind == "shuffle":
            chunk = lines[i : i + op[2]]
            order = np.random.default_rng(op[3]).permutation(len(chunk))
            lines[i : i + op[2]] = [chunk[k] for k in order]
        elif kind == "insert":
            line = lines[i]
            pos = op[2] % (len(line) + 1)
            lines[i] = line[:pos] + op[3] + line[pos:]
        elif kind == "new_line":
            lines.insert(i, op[2])
    return "\n".join(lines)


def no_model() -> Settings:
    s = Settings()
    s.model = "none"
    return s


def as_json(result) -> str:
    return render("json", result.findings, [result.path], results=[result])


def check_invariants(text: str, result) -> None:
    assert result.error is None
    codes = [f.code for f in result.findings]
    assert "VN199" not in codes, [f.message for f in result.findings if f.code == "VN199"]
    # The file's physical lines, as lint_text sees them (lone surrogates become one U+FFFD each).
    n = max(1, len(split_lines(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").lstrip("\ufeff"))))
    for f in result.findings:
        assert 1 <= f.line <= f.end_line <= n, (f.code, f.line, f.end_line, n)
        assert f.column >= 1
        for r in f.related:
            assert 1 <= r.line <= r.end_line <= n, (f.code, r, n)
        json.dumps(f.to_json())


# Example counts are kept modest: a full lint of a notice (term checks included) takes ~0.3 s.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(range(len(TEXTS))), ops=st.lists(OPS, min_size=1, max_size=6))
def test_mangled_notice_never_crashes(base, ops):
    text = mutate(TEXTS[base], ops)
    first = lint_text(text, no_model())
    check_invariants(text, first)
    second = lint_text(text, no_model())
    assert as_json(first) == as_json(second)


class HashEmbedder:
    """A deterministic stand-in for the model (hashed character trigrams): runs the semantic layer
    (alignment DP, move detection, semantic checks) on mangled notices in no time."""

    name = "hash-trigrams"
    cache_id = name
    dim = 128

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, t in enumerate(texts):
            t = t.lower()
            for k in range(max(1, len(t) - 2)):
                out[row, zlib.crc32(t[k : k + 3].encode("utf-8", "surrogatepass")) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(range(len(TEXTS))), ops=st.lists(OPS, min_size=1, max_size=5))
def test_mangled_notice_semantic_layer_never_crashes(base, ops):
    # Few examples: with block pairs the term checks take about a second per notice.
    text = mutate(TEXTS[base], ops)
    s = Settings()
    s.model = "hash-trigrams"  # any name but "none": the factory below supplies the embedder
    result = lint_text(text, s, embedder_factory=lambda _settings: HashEmbedder())
    check_invariants(text, result)


@pytest.fixture(scope="module")
def byte_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("bytes")


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=st.sampled_from(range(len(TEXTS))),
    encoding=st.sampled_from(ENCODINGS),
    cut=st.integers(0, 10**9),
    edits=st.lists(st.tuples(st.integers(0, 10**9), st.binary(min_size=1, max_size=6)), max_size=5),
)
def test_mangled_bytes_never_crash(byte_dir, base, encoding, cut, edits):
    """Bytes level: any encoding, stray bytes, a file cut anywhere (half a UTF-16 unit, half a
    UTF-8 sequence): lint_file never raises and gives no internal error."""
    data = bytearray(TEXTS[base].encode(encoding, "replace"))
    for pos, blob in edits:
        p = pos % (len(data) + 1)
        data[p:p] = blob
    data = bytes(data[: cut % (len(data) + 1)]) if cut % 3 == 0 else bytes(data)
    path = byte_dir / f"b{hashlib.sha256(data).hexdigest()[:12]}.txt"
    path.write_bytes(data)
    result = lint_file(str(path), no_model())
    assert result.error is None
    from vnlint.source import read_source, NotText

    try:
        n = max(1, len(read_source(str(path)).lines))
    except NotText:
        n = 1
    for f in result.findings:
        assert f.code != "VN199", f.message
        assert 1 <= f.line <= f.end_line <= n
        for r in f.related:
            assert 1 <= r.line <= r.end_line <= n


# ------------------------------------------------------------------ examples with the real model


def _mangled_examples() -> list[str]:
    """A few fixed manglings (shuffled section, deleted bullets, duplicated paragraph, RTL and
    combining marks, a lone surrogate) of the fictional notice."""
    text = TEXTS[0]
    return [
        mutate(text, [("shuffle", 13, 12, 7)]),
        mutate(text, [("delete", 22, 3), ("duplicate", 15, 2, 60)]),
        mutate(text, [("insert", 15, 10, "\u202e\u0301\u200f"), ("insert", 56, 0, "\ud800 \x0b")]),
        mutate(text, [("delete", 44, 40)]),  # the French half gone
    ]


def test_mangled_examples_with_the_real_model(tmp_path, monkeypatch):
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "cache"))
    s = Settings()  # default model: use-m3
    assert s.model == "use-m3"
    for text in _mangled_examples():
        first = lint_text(text, s)
        check_invariants(text, first)
        assert as_json(first) == as_json(lint_text(text, s))


def test_json_is_identical_across_processes(tmp_path):
    """Hash randomisation (PYTHONHASHSEED) must not change order or content of the output."""
    d = tmp_path / "notices"
    d.mkdir()
    for k, text in enumerate(_mangled_examples()):
        (d / f"m{k}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, VNLINT_CACHE_DIR=str(tmp_path / "cache"))
        proc = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", str(d), "--format", "json", "--model", "none"],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, proc.stderr.decode()
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    assert json.loads(outs[0])["findings"], "the mangled notices should give findings"


# ------------------------------------------------------- terminal safety and file names (issue 15)

# Everything a terminal or a log viewer acts on, alone and in the sequences an attacker would use.
UNSAFE_CHARS = [
    chr(c)
    for c in (
        *range(9),
        *range(10, 32),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
    )
]
ESCAPES = [
    "\x1b[31m",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x9b2J",
    "\x9d0;t\x9c",
    "\r\n",
    "\nfake.txt:1:1: VN300 forged\n",
    "\u202eevil\u202c",
    "\u2066\u2069",
]
TERMINAL = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(UNSAFE_CHARS), st.sampled_from(ESCAPES)), max_size=12
).map("".join)
FILE_NAMES = (
    st.lists(
        st.one_of(
            st.characters(codec="utf-8", exclude_characters="/\x00"),
            st.sampled_from([c for c in UNSAFE_CHARS if c != "\x00"]),
            st.sampled_from([e for e in ESCAPES if "/" not in e]),
        ),
        min_size=1,
        max_size=12,
    )
    .map(lambda s: "".join(s) + ".txt")
    .filter(lambda s: len(s.encode("utf-8")) <= 200)
)


def _no_raw_unsafe(text: str, newlines: int) -> None:
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # vnlint's own colours
    assert text.count("\n") == newlines, text
    assert not [c for c in text if c in UNSAFE_CHARS and c != "\n"], text


@settings(max_examples=200, deadline=None)
@given(path=TERMINAL, message=TERMINAL, color=st.booleans())
def test_text_and_github_findings_are_one_safe_line(path, message, color):
    from vnlint.model import Finding
    from vnlint.report import github
    from vnlint.report.text import format_finding, safe

    f = Finding(path or "x", "VN300", "paragraph-missing", "error", message, 3, 4, 1, "fr", None)
    line = format_finding(f, color=color)
    _no_raw_unsafe(line + "\n", 1)
    if not color:
        assert line.startswith(f"{safe(f.path)}:3:1: error VN300 {safe(message)}")
    _no_raw_unsafe(github.annotation(f) + "\n", 1)


@pytest.fixture(scope="module")
def name_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("names")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=FILE_NAMES)
def test_any_file_name_is_one_safe_line(name_dir, name):
    """Any file name (controls, escapes, bidi, newlines): one finding is one line, its path escaped."""
    from click.testing import CliRunner

    from vnlint.cli import main
    from vnlint.report.text import safe

    d = name_dir / hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    d.mkdir(exist_ok=True)
    path = d / name
    path.write_bytes(b"")  # VN102 empty-notice, on this path
    for fmt in ("text", "github"):
        res = CliRunner().invoke(main, [str(path), "--model", "none", "--format", fmt, "-q"])
        assert res.exit_code == 1, (res.exit_code, res.stderr)
        _no_raw_unsafe(res.stdout, 1)
        if fmt == "text":
            assert res.stdout.startswith(f"{safe(str(path))}:1:1: error VN102 ")
