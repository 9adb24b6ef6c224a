"""Issue 15: vnlint as an attacker and a flaky CI runner would try it.

CI caches are restored from other branches (a pull request can plant anything in them), timeouts
send SIGTERM, the OOM killer takes a worker, terminals interpret escape sequences, disks fill up.

* Cache faults: each is planted in a copy of a warm cache, then the real CLI runs with the network
  blocked (tests/test_offline.py's sitecustomize), a read-only HOME (left untouched) and a 3 GB
  address-space limit (so a link to /dev/zero cannot take the machine down). The report must be
  exactly the one of a clean run: a bad entry is a miss, never code, a crash, a hang or a
  different finding.
* Processes and signals: workers die with their parent whatever the signal, a killed worker is one
  error line (exit 2) with the finished files reported, Ctrl-C exits 130.
* Output: terminal-safe text, atomic reports, unreadable directories, hostile configs and baselines.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from test_offline import SITECUSTOMIZE
from test_reliability import defective
from vnlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "reliability" / "good.txt"
UNSAFE = [chr(c) for c in (*range(9), *range(10, 32), *range(0x7F, 0xA0))] + [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


def defective_notice() -> str:
    """The fictional notice with a French paragraph dropped (VN300) and a section renumbered (VN111)."""
    text = GOOD.read_text(encoding="utf-8")
    return defective(
        text.replace(
            "Le ou la titulaire coordonne trois techniciens et gère un budget de 250 000 euros par an.\n\n", ""
        )
    )[0]


# ------------------------------------------------------------------------- the hostile sandbox


class Sandbox:
    """Runs `python -m vnlint.cli` with the network blocked, HOME read-only, a 3 GB address space."""

    def __init__(self, base: Path):
        self.base = base
        site = base / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        self.net_log = base / "network.log"
        self.net_log.write_text("", encoding="utf-8")
        self.home = base / "home"
        self.home.mkdir()
        self.home.chmod(0o555)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
        self.env.update(
            PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            VNLINT_NET_LOG=str(self.net_log),
            HOME=str(self.home),
            VNLINT_THREADS="1",
        )

    @staticmethod
    def _limits():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    def run(self, cache: Path, *args, result_cache=True, timeout=90, env=None):
        full = dict(self.env, VNLINT_CACHE_DIR=str(cache), VNLINT_RESULT_CACHE="1" if result_cache else "0")
        full.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", *map(str, args)],
            capture_output=True,
            check=False,
            env=full,
            cwd=self.base,
            timeout=timeout,
            preexec_fn=self._limits,
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err, err[-3000:]
        assert self.net_log.read_text() == "", "network used: " + self.net_log.read_text()
        assert list(self.home.iterdir()) == [], "vnlint wrote to HOME"
        return proc


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """(sandbox, notice, warm cache, the report of a clean run)."""
    base = tmp_path_factory.mktemp("hostile")
    box = Sandbox(base)
    notice = base / "notice.txt"
    notice.write_text(defective_notice(), encoding="utf-8")
    cache = base / "warm-cache"
    first = box.run(cache, notice, "--format", "json", timeout=170)
    assert first.returncode == 1
    codes = {f["code"] for f in json.loads(first.stdout)["findings"]}
    assert {"VN111", "VN300"} <= codes, codes
    assert list((cache / "results").rglob("*.json")) and list(cache.rglob("*.vec"))
    yield box, notice, cache, first.stdout
    box.home.chmod(0o755)


def _cache_copy(cache: Path, dest: Path, keep=("embeddings", "models", "results")) -> Path:
    dest.mkdir()
    for part in keep:
        shutil.copytree(cache / part, dest / part, symlinks=True)
    return dest


def _entry(cache: Path) -> Path:
    [entry] = (cache / "results").rglob("*.json")
    return entry


def _edit_entry(field: str, value):
    def plant(cache: Path, tmp: Path):
        entry = _entry(cache)
        doc = json.loads(entry.read_text(encoding="utf-8"))
        doc["findings"][0][field] = value
        entry.write_text(json.dumps(doc), encoding="utf-8")

    return plant


def _replace_entry(make):
    def plant(cache: Path, tmp: Path):
        entry = _entry(cache)
        entry.unlink()
        make(entry)

    return plant


RESULT_FAULTS = {
    # One changed byte: a traceback before (KeyError on the severity rank).
    "severity-errar": lambda c, t: _entry(c).write_bytes(
        _entry(c).read_bytes().replace(b'"severity": "warning"', b'"severity": "errar"', 1)
    ),
    "line-outside-the-file": _edit_entry("line", 9186),
    "end-line-before-line": _edit_entry("end_line", 0),
    "unknown-code": _edit_entry("code", "VN999"),
    "string-line": _edit_entry("line", "12"),
    "bool-column": _edit_entry("column", True),
    "another-path": _edit_entry("path", "/etc/passwd"),
    "missing-key": lambda c, t: _entry(c).write_text('{"version": 1, "findings": [{}]}', encoding="utf-8"),
    "deep-json": lambda c, t: _entry(c).write_text("[" * 100_000, encoding="utf-8"),
    "fifo": _replace_entry(os.mkfifo),
    "link-to-dev-zero": _replace_entry(lambda p: os.symlink("/dev/zero", p)),
}


def test_rewriting_a_linked_cache_entry_replaces_the_link_not_its_target(tmp_path):
    """A cache entry that is a link (planted, or left by a tool) is a damaged entry: the rewrite puts a
    regular file in its place and never writes into what it points at (/dev/zero, a user's file)."""
    from vnlint.embed import _write_file
    from vnlint.safeio import write_cache_entry

    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not the cache's")
    writers = {
        "write_cache_entry": lambda p: write_cache_entry(p, b"entry"),
        "prepared weights": lambda p: _write_file(p, lambda fh: fh.write(b"entry")),
    }
    for name, write in writers.items():
        link = tmp_path / f"{name}.bin"
        link.symlink_to(outside)
        write(link)
        assert not link.is_symlink() and link.read_bytes() == b"entry", name
        assert outside.read_bytes() == b"not the cache's", name


@pytest.mark.parametrize("fault", sorted(RESULT_FAULTS))
def test_results_cache_fault_is_a_miss(warm, tmp_path, fault):
    box, notice, cache, report = warm
    planted = _cache_copy(cache, tmp_path / "cache")
    RESULT_FAULTS[fault](planted, tmp_path)
    proc = box.run(planted, notice, "--format", "json", timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == report


def _vec(vec: np.ndarray) -> bytes:
    payload = np.ascontiguousarray(vec, dtype="<f4").tobytes()
    return struct.pack("<4sII", b"VNE1", vec.shape[0], zlib.crc32(payload)) + payload


def _every_vec(transform):
    def plant(cache: Path, tmp: Path):
        rng = np.random.default_rng(15)
        for p in cache.rglob("*.vec"):
            vec = np.frombuffer(p.read_bytes()[12:], dtype="<f4")
            p.write_bytes(_vec(transform(vec, rng)))

    return plant


def _one_vec(make):
    def plant(cache: Path, tmp: Path):
        p = min(cache.rglob("*.vec"))
        p.unlink()
        make(p)

    return plant


def _unit(v):
    return (v / np.linalg.norm(v)).astype(np.float32)


VEC_FAULTS = {
    # Valid checksums: only the dimension (or the length) says they are not use-m3's vectors.
    "wrong-dimension": _every_vec(lambda v, rng: _unit(rng.standard_normal(384))),
    "not-unit-length": _every_vec(lambda v, rng: v * 3),
    "fifo": _one_vec(os.mkfifo),
    "link-to-dev-zero": _one_vec(lambda p: os.symlink("/dev/zero", p)),
    "meta-forged": lambda c, t: [m.write_text('{"dim": 7}') for m in c.rglob("meta.json")],
}


@pytest.mark.parametrize("fault", sorted(VEC_FAULTS))
def test_embedding_cache_fault_is_a_miss(warm, tmp_path, fault):
    box, notice, cache, report = warm
    planted = _cache_copy(cache, tmp_path / "cache", keep=("embeddings", "models"))
    VEC_FAULTS[fault](planted, tmp_path)
    proc = box.run(planted, notice, "--format", "json", result_cache=False, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == report


class _Bomb:
    """Unpickling this creates the marker file: what a planted pickle could do, harmlessly."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _tokenizer_name(cache: Path) -> str:
    """The prepared tokenizer's file name (the .pickle of vnlint before issue 15 names the same key)."""
    [stem] = {p.stem for p in (cache / "models").glob("use-m3-tokenizer-*")}
    return stem + ".npz"


def _plant_pickles(cache: Path, tmp: Path):
    """The old pickle file, and a .npz whose arrays are pickled objects, both with a code bomb."""
    name = _tokenizer_name(cache)
    models = cache / "models"
    (models / name.replace(".npz", ".pickle")).write_bytes(pickle.dumps(_Bomb(tmp / "pwned-by-pickle")))
    buf = io.BytesIO()
    arrays = {
        k: np.array([_Bomb(tmp / f"pwned-by-npz-{k}")], dtype=object)
        for k in ("format", "flags", "pieces", "scores", "prefixes", "values", "charsmap")
    }
    np.savez(buf, **arrays)
    (models / name).write_bytes(buf.getvalue())


def _replace_tokenizer(make):
    """The fault in place of the prepared tokenizer, under its name and its old (.pickle) name."""

    def plant(cache: Path, tmp: Path):
        name = _tokenizer_name(cache)
        for p in (cache / "models" / name, cache / "models" / name.replace(".npz", ".pickle")):
            p.unlink(missing_ok=True)
            make(p)

    return plant


TOKENIZER_FAULTS = {
    "pickles": _plant_pickles,
    "fifo": _replace_tokenizer(os.mkfifo),
    "link-to-dev-zero": _replace_tokenizer(lambda p: os.symlink("/dev/zero", p)),
}


@pytest.mark.parametrize("fault", sorted(TOKENIZER_FAULTS))
def test_prepared_model_fault_runs_no_code(warm, tmp_path, fault):
    """The model must load (no embeddings cached): the planted tokenizer data is read, never run."""
    box, notice, cache, report = warm
    planted = _cache_copy(cache, tmp_path / "cache", keep=("models",))
    TOKENIZER_FAULTS[fault](planted, tmp_path)
    for no_cache in (False, True):
        proc = box.run(
            planted, notice, "--format", "json", *(["--no-cache"] if no_cache else []), result_cache=False, timeout=120
        )
        assert proc.returncode == 1
        assert proc.stdout == report
        assert not list(tmp_path.glob("pwned*")), "a file from the cache ran code"
    if fault == "pickles":  # rebuilt as plain arrays, and used by the next run
        from vnlint.embed import load_prepared_tokenizer

        assert load_prepared_tokenizer(planted / "models" / _tokenizer_name(planted)) is not None


_PIECES = ["<unk>", "<s>", "</s>", "\u2581a", "b"]
_KEYS = ["<unk>", "<s>", "</s>", "<", "<u", "<un", "<unk", "<s", "</", "</s", "\u2581", "\u2581a", "b"]


def _table(**ids) -> dict:
    """The small tokenizer's prefix table (key -> piece id + 1, 0 for a mere prefix), with changes."""
    prefixes = {k: 0 for k in _KEYS}
    for i, p in enumerate(_PIECES):
        prefixes[p] = i + 1
    prefixes.update({k.replace("_", "\u2581"): v for k, v in ids.items()})
    return prefixes


def _values(**ids) -> np.ndarray:
    """The values array as the file stores it (keys sorted), with changes."""
    table = _table(**ids)
    return np.array([table[k] for k in sorted(table)], dtype="<i4")


def _npz(**changes) -> bytes:
    """A small, well-formed prepared tokenizer (5 pieces) with `changes` applied to its arrays."""
    from vnlint.embed import tokenizer_arrays

    arrays = tokenizer_arrays(_PIECES, [0, 0, 0, -1, -2], _table(), (0, 1, 2), (True, True, True), b"")
    arrays.update(changes)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_prepared_tokenizer_checks(tmp_path):
    """Each way a prepared tokenizer file can be wrong makes it a miss (None), fast, in-process."""
    from vnlint.embed import load_prepared_tokenizer

    p = tmp_path / "tok.npz"
    p.write_bytes(_npz())
    tok = load_prepared_tokenizer(p)
    assert tok is not None and tok.encode("ab") == [1, 3, 4, 2]
    compressed = io.BytesIO()
    np.savez_compressed(compressed, **dict(np.load(io.BytesIO(_npz()))))
    good = dict(np.load(io.BytesIO(_npz())))
    bad = {
        "wrong-dtype": _npz(scores=np.array([0, 0, 0, -1, -2], dtype="<f8")),
        "count-mismatch": _npz(scores=np.array([0, 0, 0], dtype="<f4")),
        "nan-score": _npz(scores=np.array([0, 0, 0, np.nan, 0], dtype="<f4")),
        "id-out-of-range": _npz(values=np.full(13, 99, dtype="<i4")),
        # the prefix table gives piece 3 (id 4) to '▁' and none to '▁a': the stored pieces
        # are not the table's
        "piece-not-its-id": _npz(values=_values(_=4, _a=0)),
        "two-pieces-one-id": _npz(values=_values(_a=4, b=4)),
        "piece-blob-differs": _npz(pieces=np.frombuffer("<unk>\0<s>\0</s>\0▁a\0c".encode(), dtype=np.uint8)),
        "unknown-format": _npz(format=np.array([1, 0, 1, 2, 5], dtype="<i8")),
        "not-utf8": _npz(prefixes=np.frombuffer(b"\xff\xfe", dtype=np.uint8)),
        "2-d": _npz(flags=np.array([[True, True, True]])),
        "object-array": _npz(pieces=np.array(["x"], dtype=object)),
        # the bucket index: out of order, not closing the table, cutting it elsewhere
        "buckets-unsorted": _npz(bucket_names=good["bucket_names"][::-1].copy()),
        "buckets-short": _npz(bucket_first=good["bucket_first"][:-1].copy()),
        "buckets-misplaced": _npz(
            bucket_start=good["bucket_start"] + np.array([0] + [1] * (len(good["bucket_start"]) - 1))
        ),
        "no-buckets": _npz(
            bucket_names=np.zeros(0, dtype="<U3"),
            bucket_first=np.array([0], dtype="<i8"),
            bucket_start=np.array([0], dtype="<i8"),
        ),
        "compressed (zip bomb)": compressed.getvalue(),
        "truncated": _npz()[:1000],
        "garbage": os.urandom(5000),
    }
    for name, data in bad.items():
        p.write_bytes(data)
        assert load_prepared_tokenizer(p) is None, name
    p.unlink()
    os.mkfifo(p)
    assert load_prepared_tokenizer(p) is None  # returns at once, no writer needed
    p.unlink()
    os.symlink("/dev/zero", p)
    assert load_prepared_tokenizer(p) is None


# ------------------------------------------------------------------------ processes and signals


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds no memory and runs nothing


@pytest.fixture
def many(tmp_path):
    """400 notices (`--jobs 2 --model none`: a run of several seconds, in two workers)."""
    d = tmp_path / "many"
    d.mkdir()
    text = defective(GOOD.read_text(encoding="utf-8"))[0]
    for i in range(400):
        (d / f"n{i:03d}.txt").write_text(text, encoding="utf-8")
    return d


def _start_with_workers(tmp_path, many, *extra):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    env = dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "vnlint.cli", str(many), "--jobs", "2", "--model", "none", "--format", "json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        # SIGINT as a terminal's foreground job has it, whatever this suite inherited: a shell starts
        # background jobs (`.ci/run &`) with SIGINT ignored, and vnlint rightly keeps it ignored then.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 30
    while len(_children(proc.pid)) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert len(workers) == 2, "no workers started"
    time.sleep(0.3)
    return proc, workers


def _gone(workers, seconds=5.0) -> list[int]:
    deadline = time.time() + seconds
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    return [w for w in workers if _alive(w)]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_their_parent(tmp_path, many, sig):
    """SIGTERM (a CI timeout) or SIGKILL of vnlint: its workers are gone within seconds, not
    re-parented to PID 1 for ever; with SIGTERM no temporary report file is left either."""
    proc, workers = _start_with_workers(tmp_path, many, "-o", tmp_path / "report.json")
    try:
        os.kill(proc.pid, sig)
        proc.communicate(timeout=30)
        assert proc.returncode in (-sig, 128 + sig)
        assert _gone(workers) == [], "workers outlived vnlint"
        if sig == signal.SIGTERM:  # (SIGKILL leaves no chance to remove a temporary file)
            assert {p.name for p in tmp_path.iterdir()} - {"cache"} == {"many"}  # no report, no temp
    finally:
        for w in workers:  # what this test started, by pid
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def test_ctrl_c_exits_130(tmp_path, many):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it): exit 130, one line."""
    proc, workers = _start_with_workers(tmp_path, many)
    try:
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err.decode()[-3000:]
        assert err.decode() == "vnlint: interrupted\n"
        assert _gone(workers) == []
    finally:
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def test_killed_worker_is_one_error_and_the_rest_is_reported(tmp_path, monkeypatch):
    """A worker killed from outside (the OOM killer): one error line, exit 2, and every file that
    finished is still in the report. (Workers are forked: they run the patched lint_file.)"""
    from vnlint import parallel

    d = tmp_path / "notices"
    d.mkdir()
    text = defective(GOOD.read_text(encoding="utf-8"))[0]
    names = [f"n{i}.txt" for i in range(7)] + ["zz_killed.txt"]
    for n in names:
        (d / n).write_text(text, encoding="utf-8")
    done = tmp_path / "done"
    done.mkdir()
    real = parallel.lint_file

    def work(path, *args, **kwargs):
        if path.endswith("zz_killed.txt"):
            deadline = time.time() + 20
            while len(list(done.iterdir())) < 7 and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # the other worker's last result reaches the parent
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(path, *args, **kwargs)
        (done / os.path.basename(path)).touch()
        return result

    monkeypatch.setattr(parallel, "lint_file", work)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 2)
    res = CliRunner().invoke(main, [str(d), "--jobs", "2", "--model", "none", "--format", "json"])
    assert res.exit_code == 2, (res.exit_code, res.stderr, res.exception)
    assert res.stderr.splitlines() == [
        f"vnlint: error: a worker process was killed (out of memory?); 1 file not linted: {d / 'zz_killed.txt'}"
    ]
    reported = {os.path.basename(f["path"]) for f in json.loads(res.stdout)["findings"]}
    assert reported == set(names[:7])


# ------------------------------------------------------------------------------ terminal safety


def _assert_terminal_safe(text: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if c in UNSAFE and c != "\n"})
    assert not bad, bad


HOSTILE_NAME = "a\x1b]0;pwned\x07\u202e\x9b2J\nforged.txt:1:1: VN999 fake finding\n.txt"


def test_text_and_github_output_are_terminal_safe(tmp_path, run_vnlint):
    """A file name with OSC, bidi, C1 and newlines, a notice with ESC and bidi controls: every
    finding is one line, and nothing reaches the terminal raw (text, --color, github, stderr)."""
    d = tmp_path / "n"
    d.mkdir()
    (d / HOSTILE_NAME).write_bytes(b"")  # VN102 empty-notice: a finding on this path
    text = defective(GOOD.read_text(encoding="utf-8"))[0].replace(
        "The incumbent coordinates", "The \x1b[2J\u202e\x9b incumbent coordinates"
    )
    (d / "notice.txt").write_text(text, encoding="utf-8")
    for args in (["--format", "text"], ["--format", "text", "--color"], ["--format", "github"]):
        proc = run_vnlint(d, "--model", "none", "--select", "structure", *args)
        assert proc.returncode == 1
        out = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout_text)  # vnlint's own colours (--color) only
        _assert_terminal_safe(out)
        assert "forged.txt" in out and not any(line.startswith("forged.txt") for line in out.splitlines())
        n_findings = sum(1 for line in out.splitlines() if "VN1" in line and not line.startswith("Not run"))
        assert n_findings == len(proc_json(run_vnlint, d)), out
    proc = run_vnlint(tmp_path / HOSTILE_NAME, "--model", "none")  # no such file: the error line
    assert proc.returncode == 2
    assert len(proc.stderr_text.splitlines()) == 1
    _assert_terminal_safe(proc.stderr_text)
    proc = run_vnlint("show", d / "notice.txt")
    assert proc.returncode == 0 and "The \\x1b[2J\\u202e\\x9b incumbent" in proc.stdout_text
    _assert_terminal_safe(proc.stdout_text)
    proc = run_vnlint("show", d / HOSTILE_NAME)
    _assert_terminal_safe(proc.stdout_text)
    assert proc.stdout_text.startswith(f"{d}/a\\x1b]0;pwned\\x07\\u202e\\x9b2J\\x0aforged.txt:1:1: VN999 fake")
    assert not any(line.startswith("forged.txt") for line in proc.stdout_text.splitlines())


def proc_json(run_vnlint, d):
    return run_vnlint(d, "--model", "none", "--select", "structure", "--format", "json").json()["findings"]


# --------------------------------------------------------------------------------- atomic outputs


def _fsize_limited(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_reports_are_atomic(tmp_path):
    """A write that fails half-way (a full disk; here a 1 KB file size limit): the earlier good
    report and baseline stay whole, no temporary file is left, one error line, exit 2."""
    d = tmp_path / "n"
    d.mkdir()
    for i in range(10):  # a report and a baseline well over 1 KB
        (d / f"n{i}.txt").write_text(defective_notice(), encoding="utf-8")
    env = dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "cache"))
    for opt, name in (("-o", "report.json"), ("--write-baseline", "baseline.json")):
        target = tmp_path / name
        target.write_text('{"version": 1, "findings": []}\n', encoding="utf-8")
        before = sorted(p.name for p in tmp_path.iterdir())
        proc = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", str(d), "--model", "none", "--format", "json", opt, str(target)],
            capture_output=True,
            check=False,
            env=env,
            cwd=tmp_path,
            timeout=120,
            preexec_fn=_fsize_limited(1024),
        )
        err = proc.stderr.decode()
        assert proc.returncode == 2 and "Traceback" not in err, err
        assert err.splitlines() == [f"vnlint: error: {target}: cannot write {name.split('.')[0]}: File too large"]
        assert target.read_text(encoding="utf-8") == '{"version": 1, "findings": []}\n'
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left


def test_stdout_on_a_full_disk(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    (tmp_path / "n.txt").write_text(defective_notice(), encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", "n.txt", "--model", "none"],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            cwd=tmp_path,
            timeout=60,
            env=dict(os.environ, VNLINT_CACHE_DIR=str(tmp_path / "cache")),
        )
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        "vnlint: error: cannot write the report to standard output: No space left on device"
    ]


def test_unwritable_report_fails_before_linting(tmp_path, monkeypatch, run_vnlint):
    import vnlint.parallel

    (tmp_path / "n.txt").write_text(defective_notice(), encoding="utf-8")
    calls = []
    monkeypatch.setattr(vnlint.parallel, "lint_many", lambda *a, **k: calls.append(a) or [])
    for opt, target, why in (
        ("-o", tmp_path / "no" / "such" / "r.json", "No such file or directory"),
        ("--write-baseline", tmp_path, "Is a directory"),
        ("-o", tmp_path, "Is a directory"),
    ):
        res = CliRunner().invoke(main, [str(tmp_path / "n.txt"), "--model", "none", opt, str(target)])
        assert res.exit_code == 2 and calls == [], (opt, res.stderr)
        assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("vnlint: error: ")
        assert why in res.stderr or "is a directory" in res.stderr, res.stderr
    # A target that is not a regular file (/dev/stdout, a FIFO) is written to, not replaced.
    monkeypatch.undo()
    res = CliRunner().invoke(main, [str(tmp_path / "n.txt"), "--model", "none", "-o", "/dev/null"])
    assert res.exit_code == 1 and os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    proc = run_vnlint(tmp_path / "n.txt", "--model", "none", "--format", "json", "-o", "/dev/stdout")
    assert proc.returncode == 1 and proc.json()["findings"], proc.stderr_text


# ----------------------------------------------------------------- unreadable input, hostile files


def test_unreadable_directory_is_an_error(tmp_path, monkeypatch):
    """A directory that cannot be listed is one error line naming it, exit 2, not "No findings in 0
    files" (exit 0). Permission bits do not stop root, so listing it is made to fail."""
    d = tmp_path / "notices"
    (d / "locked").mkdir(parents=True)
    (d / "n.txt").write_text(defective_notice(), encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for target in (d, d / "locked"):
        res = CliRunner().invoke(main, [str(target), "--model", "none", "--format", "json"])
        assert res.exit_code == 2, res.stderr
        assert res.stderr.splitlines() == [f"vnlint: error: {d / 'locked'}: cannot read directory: Permission denied"]
    assert {os.path.basename(f["path"]) for f in json.loads(res.stdout)["findings"]} == set()


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod 000 directory anyway")
def test_chmod_000_directory(tmp_path, run_vnlint):
    d = tmp_path / "locked"
    d.mkdir()
    d.chmod(0)
    try:
        proc = run_vnlint(d, "--model", "none")
    finally:
        d.chmod(0o755)
    assert proc.returncode == 2
    assert proc.stderr_text.splitlines() == [f"vnlint: error: {d}: cannot read directory: Permission denied"]


HOSTILE_CONFIGS = {
    "nested-500-arrays": "[tool.vnlint]\nexclude = " + "[" * 500 + "]" * 500 + "\n",
    "nested-500-tables": "[tool.vnlint]\nrules = " + "{a=" * 500 + "1" + "}" * 500 + "\n",
}
HOSTILE_BASELINES = {
    "empty-entry": '{"version": 1, "findings": [{}]}',
    "wrong-types": '{"version": 1, "findings": [{"path": 1, "code": [], "fingerprint": {}}]}',
    "entry-not-a-table": '{"version": 1, "findings": [7]}',
    "nested-100000": "[" * 100_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS) + sorted(HOSTILE_BASELINES) + ["config-dir", "output-dir"])
def test_hostile_config_and_baseline(tmp_path, name):
    notice = tmp_path / "n.txt"
    notice.write_text(defective_notice(), encoding="utf-8")
    args = [str(notice), "--model", "none"]
    if name in HOSTILE_CONFIGS:
        (tmp_path / "vnlint.toml").write_text(HOSTILE_CONFIGS[name], encoding="utf-8")
        args += ["--config", str(tmp_path / "vnlint.toml")]
    elif name in HOSTILE_BASELINES:
        (tmp_path / "b.json").write_text(HOSTILE_BASELINES[name], encoding="utf-8")
        args += ["--baseline", str(tmp_path / "b.json")]
    else:
        args += ["--config" if name == "config-dir" else "-o", str(tmp_path)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, (res.exit_code, res.exception, res.stderr)
    assert isinstance(res.exception, SystemExit), res.exception
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vnlint: error: "), res.stderr


def test_ctrl_c_swallowed_by_a_library_still_exits_130(notice_text, tmp_path, monkeypatch):
    """A KeyboardInterrupt that some code swallows (one raised inside a finaliser is only printed)
    must not turn Ctrl-C into a finished run with a report and exit 1: vnlint remembers the signal."""
    from click.testing import CliRunner

    from vnlint import cli, parallel

    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is not Python's default handler here (inherited as ignored)")
    real = parallel.lint_many

    def lint_many_swallowing_ctrl_c(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs here
        except KeyboardInterrupt:
            pass  # what a careless library does
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "lint_many", lint_many_swallowing_ctrl_c)
    monkeypatch.setattr(cli, "_INTERRUPTS", [])
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "cache"))
    notice = tmp_path / "notice.txt"
    notice.write_text(defective(notice_text)[0], encoding="utf-8")
    result = CliRunner().invoke(cli.main, [str(notice), "--model", "none", "--format", "json"])
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.output and '"findings"' not in result.output
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
