"""vnlint performance benchmark: one command, one table, measured in one run.

    .venv/bin/python benchmarks/bench.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench.py --quick    # tiny run for the smoke test (n=1, 8 notices)

Every lint run is a new process (`vnlint`, the installed console script) with VNLINT_CACHE_DIR pointing
into a fresh temporary folder: "cold" = empty embedding cache (the model is loaded if any selected rule
needs it), "warm" = the same files again with the cache the cold run filled.  Wall times are medians of
n runs (n printed).  Peak RSS includes worker processes: "proc" is the largest single process
(os.wait4, as /usr/bin/time -v), "tree" the largest sum over the process tree (polling /proc; shared
pages counted per process, so an upper bound); the target is checked against "tree".  "cores" is
(user + system CPU seconds of the whole tree) / wall.  Paragraphs/s is measured in a separate process on
the distinct paragraphs and bullets of the generated notices, model load excluded (printed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _measure  # noqa: E402
import _notices  # noqa: E402
import _pofilter  # noqa: E402
import _shapes  # noqa: E402

ROOT = HERE.parent
PY = sys.executable
VNLINT = str(Path(PY).with_name("vnlint"))

TARGETS = {  # row key -> seconds (issue 13, item 8)
    "version": 0.3,
    "one_cold": 1.6,  # the very first run after install: empty cache, nothing prepared
    "one_new": 1.0,  # a notice never seen before, the model prepared (any machine that ran vnlint once)
    "one_warm": 0.3,
    "one_edit": 0.5,  # the same notice after editing one paragraph
    "many_cold": 15.0,
}
DAEMON_PAUSE = 1.0  # seconds between the daemon rows' runs (see there)
POFILTER_RATIO = 5.0  # "1 notice, cold, model prepared" <= 5 x pofilter on the same notice
RSS_TARGET_MB = 300.0
# Pathological files (issue 12): each shape at size n and 10 n. Targets: the 10 n file in <= 5 s of
# CPU and <= 400 MB, and 10 times the input costs at most 12 times the CPU time (linear).
SCALING = [
    ("token", 100_000, "one token of {n:,} characters"),
    ("long_paragraph", 20_000, "a paragraph of {n:,} characters a side"),
    ("bullets", 500, "{n:,} bullets a side"),
    ("sections", 200, "{n:,} numbered sections a side"),
    ("brackets", 400, "{n:,} words of '[[[[[[[['"),
]
SCALING_TARGET_S, SCALING_RATIO, SCALING_RSS_MB = 5.0, 12.0, 400.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        cpu = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), cpu)
    except (OSError, subprocess.SubprocessError):
        pass
    ram = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        ram = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPUs (nproc), {cpu}{ram}, Python {platform.python_version()}"


def vnlint_cmd(paths, model, jobs=None) -> list[str]:
    cmd = [VNLINT, "--no-color", "-q"]
    if model:
        cmd += ["--model", model]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    return cmd + [str(p) for p in paths]


DAEMON_DIR: Path | None = None  # set while the daemon rows run: their runs go to that daemon


def env_with_cache(cache: Path | None) -> dict:
    env = dict(os.environ)
    if cache is not None:
        env["VNLINT_CACHE_DIR"] = str(cache)
    env.pop("VNLINT_DAEMON_DIR", None)
    if DAEMON_DIR is None:
        env["VNLINT_DAEMON"] = "0"  # a daemon the user left running must not answer these runs
    else:
        env["VNLINT_DAEMON"] = "1"
        env["VNLINT_DAEMON_DIR"] = str(DAEMON_DIR)
    return env


def count_vectors(cache: Path) -> int:
    return sum(1 for _ in cache.rglob("*.vec")) if cache.exists() else 0


class Row:
    def __init__(self, key, label, target=None, versus=None):
        self.key, self.label, self.target = key, label, target
        self.versus = versus  # key of the pofilter row this row is compared with (ratio column)
        self.samples: list[_measure.Sample] = []

    def add(self, s: _measure.Sample) -> None:
        if s.rc not in (0, 1):  # 1 = findings; anything else is a failed run
            raise SystemExit(f"benchmark: {self.label}: vnlint exited {s.rc}\n{s.stderr[-2000:]}")
        self.samples.append(s)

    def fields(self) -> dict:
        if not self.samples:
            return {}
        walls = [s.wall for s in self.samples]
        med = statistics.median(walls)
        tree = [s.rss_tree for s in self.samples if s.rss_tree is not None]
        proc = max(s.rss_proc for s in self.samples)
        peak_tree = max(tree) if tree else None
        pss = [s.pss_tree for s in self.samples if s.pss_tree is not None]
        # The memory target is checked on the PSS of the whole tree (see the RSS note printed below).
        rss_for_target = max(pss) if pss else (peak_tree if peak_tree is not None else proc)
        return {
            "n": len(walls),
            "median_s": med,
            "min_s": min(walls),
            "max_s": max(walls),
            "cores": statistics.median(s.cpu / s.wall for s in self.samples if s.wall > 0),
            "cpu_s": statistics.median(s.cpu for s in self.samples),
            "rss_proc_mb": proc,
            "rss_tree_mb": peak_tree,
            "pss_tree_mb": max(pss) if pss else None,
            "time_ok": None if self.target is None else med <= self.target,
            "rss_ok": rss_for_target <= RSS_TARGET_MB,
        }


def measure(row: Row, cmd, cache, poll=0.02) -> _measure.Sample:
    s = _measure.run(cmd, env=env_with_cache(cache), poll=poll, cwd=str(ROOT))
    row.add(s)
    print(f"  {row.label}: {s.wall:.2f} s wall, {s.cpu:.2f} s CPU, load {loadavg()}", file=sys.stderr, flush=True)
    return s


def daemon_memory(start_output: str) -> str:
    """The daemon's own memory (the daemon rows' memory columns are the client's)."""
    import re

    m = re.search(r"pid (\d+)", start_output)
    figures = {}
    try:
        with open(f"/proc/{m.group(1)}/smaps_rollup") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss"):
                    figures[key] = int(rest.split()[0]) / 1024
    except (AttributeError, OSError, ValueError, IndexError):
        return "daemon rows: the memory columns are the client's; the daemon's own could not be read"
    return (
        f"daemon rows: the memory columns are the client's; the daemon itself holds RSS "
        f"{figures.get('Rss', 0):.0f} MB, PSS {figures.get('Pss', 0):.0f} MB (model loaded, rules built), "
        f"and each run is a fork of it sharing those pages"
    )


def loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "n/a"


def embed_worker(args) -> None:
    """Child mode: paragraphs/s of the embedder itself, printed as JSON."""
    from vnlint.runner import load_notice
    from vnlint.config import Settings
    from vnlint import embed

    settings = Settings()
    texts: list[str] = []
    total = 0
    for p in sorted(Path(args.folder).glob("*.txt")):
        try:
            notice = load_notice(str(p), settings)
        except Exception:
            continue
        for b in notice.blocks:
            if b.kind in ("paragraph", "bullet") and b.text.strip():
                total += 1
                texts.append(b.text)
    distinct = list(dict.fromkeys(texts))[: args.max_paragraphs]
    spec = args.model if args.model and args.model != "none" else embed.DEFAULT_MODEL
    out = {"paragraphs": total, "distinct": len(set(texts)), "measured": len(distinct), "model": spec}
    t0 = time.perf_counter()
    emb = embed.get_embedder(spec, cache=False)
    emb.encode(distinct[:2])  # loads the model
    out["load_s"] = time.perf_counter() - t0
    emb.encode(distinct[2:66])  # warm-up, so that the first measured pass is not penalised
    rates = {}
    for threads in sorted({os.cpu_count() or 1, 1}, reverse=True):
        model = getattr(embed, "_USE_MODEL", None)
        if model is not None:  # use-m3: BLAS threads of the numpy forward pass
            model.threads = threads
            backend = getattr(model, "_backend", None)
            if backend is not None:
                backend.threads = threads
        elif threads != (os.cpu_count() or 1):
            continue
        t0 = time.perf_counter()
        emb.encode(distinct)
        rates[threads] = len(distinct) / (time.perf_counter() - t0)
    out["per_s"] = rates
    print(json.dumps(out))


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def verdict(ok) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def scaling(work: Path, model, prepared: Path | None) -> list[str]:
    """Rows of the scaling table: each pathological shape at n and 10 n, a new vnlint process each,
    on a fresh embedding cache (the prepared model files copied in, as on a machine that ran vnlint
    before). The ratio and the target are on CPU seconds, which other load on the machine does not
    inflate as it does wall time (both are printed)."""
    lines = [
        f"{'scaling: shape (n -> 10 n)':<62} {'CPU n':>8} {'CPU 10n':>8} {'ratio':>6} {'wall 10n':>9} "
        f"{'RSS 10n':>8}  verdict (10n <= {SCALING_TARGET_S:g} s CPU, <= {SCALING_RSS_MB:.0f} MB, "
        f"ratio <= {SCALING_RATIO:g})"
    ]
    for name, n, label in SCALING:
        got = []
        for size in (n, 10 * n):
            path = work / f"shape_{name}_{size}.txt"
            path.write_text(_shapes.shape(name, size), encoding="utf-8")
            cache = work / f"cache-shape-{name}-{size}"
            if prepared is not None and (prepared / "models").is_dir():
                shutil.copytree(prepared / "models", cache / "models")
            s = _measure.run(vnlint_cmd([path], model), env=env_with_cache(cache), poll=0.05, cwd=str(ROOT))
            if s.rc not in (0, 1):
                raise SystemExit(f"benchmark: shape {name} {size}: vnlint exited {s.rc}\n{s.stderr[-2000:]}")
            print(f"  shape {name} {size}: {s.wall:.2f} s wall, {s.cpu:.2f} s CPU", file=sys.stderr, flush=True)
            got.append(s)
        small, big = got
        ratio = big.cpu / max(small.cpu, 1e-6)
        rss = big.rss_tree if big.rss_tree is not None else big.rss_proc
        ok = big.cpu <= SCALING_TARGET_S and rss <= SCALING_RSS_MB and ratio <= SCALING_RATIO
        shown = f"{name}: {label.format(n=n)} -> x10"
        lines.append(
            f"{shown:<62} {fmt_s(small.cpu):>8} {fmt_s(big.cpu):>8} {ratio:>5.1f}x {fmt_s(big.wall):>9} "
            f"{rss:>5.0f} MB  {'PASS' if ok else 'FAIL'}"
        )
    return lines


# The texts a lint run of a notice gives the model (paragraphs, sentences, compound words), in order.
_RECORD_TEXTS = """
import json, sys
from vnlint import embed, runner
from vnlint.config import Settings
texts = []
inner = embed.UseM3Embedder.encode
def record(self, batch):
    texts.extend(batch)
    return inner(self, batch)
embed.UseM3Embedder.encode = record
runner.lint_text(open(sys.argv[1], encoding="utf-8").read(), Settings())
json.dump(texts, open(sys.argv[2], "w", encoding="utf-8"))
"""
# use-m3 alone: import, load the prepared model, encode those texts (two threads, as a run does).
_ENCODE_TEXTS = """
import json, sys
from vnlint.embed import UseM3Embedder
UseM3Embedder().encode(json.load(open(sys.argv[1], encoding="utf-8")))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny run: n=1, 8 notices, 64 paragraphs (smoke test)")
    ap.add_argument("--notices", type=int, default=None, help="number of generated notices [100; quick: 8]")
    ap.add_argument("--model", default=None, help="--model passed to vnlint [vnlint's default]")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the raw figures as JSON")
    ap.add_argument(
        "--scaling",
        action="store_true",
        help="only the scaling table: pathological files at n and 10 n (the full run includes it)",
    )
    ap.add_argument("--_embed-worker", dest="embed_worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--max-paragraphs", type=int, default=100000, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.embed_worker:
        embed_worker(args)
        return 0

    if args.scaling:
        work = Path(tempfile.mkdtemp(prefix="vnlint-bench-"))
        try:
            from vnlint import __version__

            print(f"vnlint {__version__} scaling benchmark: {machine()}; load average at start {loadavg()}")
            prep = work / "cache-prep"
            measure(
                Row("prep", "prepare the model files"),
                vnlint_cmd([ROOT / "examples" / "clean_notice.txt"], args.model),
                prep,
            )
            print("\n".join(scaling(work, args.model, prep)))
            print(f"load average at end {loadavg()}")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0

    quick = args.quick
    # Byte-compile vnlint's sources, as installing a wheel does: with an editable install under
    # PYTHONDONTWRITEBYTECODE (set on some machines) every run would recompile them (~0.25 s).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "lint"), str(ROOT / "checks")], capture_output=True)
    load0 = loadavg()
    n_notices = args.notices or (8 if quick else 100)
    n_quick, n_one, n_many = (1, 1, 1) if quick else (5, 3, 2)
    one = ROOT / "examples" / "clean_notice.txt"
    work = Path(tempfile.mkdtemp(prefix="vnlint-bench-"))
    rows: list[Row] = []
    notes: list[str] = []
    try:
        corpus = _notices.generate(work / "notices", n_notices)
        files = corpus["files"]
        from vnlint import __version__

        print(f"vnlint {__version__} benchmark{' (--quick)' if quick else ''}: {machine()}")
        groups = ", ".join(f"{n} from {g}" for g, n in corpus["groups"].items())
        print(
            f"corpus: {n_notices} notices generated from {corpus['sources']} sources ({groups}), "
            f"{corpus['bytes'] / 1e6:.1f} MB; one notice = examples/{one.name}"
        )
        shown = os.path.relpath(VNLINT, ROOT) if VNLINT.startswith(str(ROOT)) else VNLINT
        print(f"model: {args.model or 'vnlint default'}; vnlint = {shown}\n")

        # 0. pofilter (Translate Toolkit) on the same notice and the same N notices, as PO files of
        # their aligned units: the yardstick of item 8 ("<= 5 x pofilter's time"), measured in this run.
        pofilter = _pofilter.ensure(install=not quick)
        po_dir = work / "po"
        po_dir.mkdir()
        po_one = po_dir / "one" / f"{one.stem}.po"
        po_one.parent.mkdir()
        po_units = _pofilter.write_po(one, po_one)
        for f in files:
            (po_dir / "many").mkdir(exist_ok=True)
            _pofilter.write_po(Path(f), po_dir / "many" / f"{Path(f).stem}.po")
        if pofilter is not None:
            row = Row("pofilter_one", f"pofilter, 1 notice ({po_units} units)")
            for i in range(n_quick):
                measure(row, _pofilter.command(po_one, work / f"po-out-{i}.po"), None)
            rows.append(row)
            row = Row("pofilter_many", f"pofilter, {n_notices} notices")
            for i in range(n_many):
                measure(row, _pofilter.command(po_dir / "many", work / f"po-out-many-{i}"), None)
            rows.append(row)
        else:
            notes.append(
                "pofilter not measured: benchmarks/.venv-pofilter has no pofilter (run the full "
                "benchmark once to make it)"
            )
        versus_one = "pofilter_one" if pofilter is not None else None
        versus_many = "pofilter_many" if pofilter is not None else None

        # 1. --version
        row = Row("version", "vnlint --version", TARGETS["version"])
        for _ in range(n_quick):
            measure(row, [VNLINT, "--version"], None)
        rows.append(row)

        # 2. one notice cold (fresh cache each run: the very first run after install), then 2b. with the
        # model prepared, 3. warm (the cache the last cold run filled)
        row = Row("one_cold", "1 notice, cold cache (first run)", TARGETS["one_cold"], versus_one)
        cache = None
        for i in range(n_one):
            cache = work / f"cache-one-{i}"
            measure(row, vnlint_cmd([one], args.model), cache)
        vec_one = count_vectors(cache)
        rows.append(row)
        # 2b. a new notice on a machine that has run vnlint before: the prepared model files
        # (use-m3's tokenizer as plain arrays, its weights uncompressed for memory-mapping) and the
        # compiled regular expressions (kept once two runs compiled them: one more run, untimed, on
        # another notice) are kept, embeddings and results are empty.
        primed = work / "cache-primed"  # a copy: the warm rows below count the vectors of `cache`
        shutil.copytree(cache, primed)
        other = sorted(p for p in (ROOT / "examples").glob("*.txt") if p.name != one.name)[:1]
        if other:
            subprocess.run(vnlint_cmd(other, args.model), env=env_with_cache(primed), capture_output=True, timeout=600)
        row = Row("one_new", "1 notice, cold, model prepared", TARGETS["one_new"], versus_one)
        for i in range(n_one):
            fresh = work / f"cache-new-{i}"
            for kept in ("models", "regex"):
                if (primed / kept).is_dir():
                    shutil.copytree(primed / kept, fresh / kept)
            measure(row, vnlint_cmd([one], args.model), fresh)
        rows.append(row)
        # 2c. the floor under 2b: a new process that only imports numpy and vnlint.embed, loads the
        # prepared use-m3 and encodes the texts a run of the notice encodes (written beforehand,
        # untimed): no reading, no alignment, no rule. If this alone is over 5 x pofilter, no lint
        # run of the notice in a new process can be under it with this model.
        if args.model in (None, "", "use-m3") and other:
            texts_file = work / "notice-texts.json"
            subprocess.run(
                [PY, "-c", _RECORD_TEXTS, str(one), str(texts_file)],
                env=env_with_cache(work / "cache-texts"),
                capture_output=True,
                timeout=600,
                check=True,
            )
            n_texts = len(json.loads(texts_file.read_text(encoding="utf-8")))
            row = Row("one_model_floor", f"use-m3 alone ({n_texts} texts)", None, versus_one)
            for i in range(n_one):
                fresh = work / f"cache-floor-{i}"
                shutil.copytree(primed / "models", fresh / "models")
                measure(row, [PY, "-c", _ENCODE_TEXTS, str(texts_file)], fresh)
            rows.append(row)
        row = Row("one_warm", "1 notice, warm cache", TARGETS["one_warm"], versus_one)
        for _ in range(n_quick):
            measure(row, vnlint_cmd([one], args.model), cache)
        warm_new = count_vectors(cache) - vec_one  # vectors a warm run had to compute (should be 0)
        rows.append(row)
        # 3b. the notice edited: one paragraph changed (a different edit each run), so its findings
        # are not in the results cache and that paragraph's texts are not in the embedding cache: the
        # model is loaded for them; every other paragraph's vectors come from the cache.
        row = Row("one_edit", "1 notice, one paragraph edited", TARGETS["one_edit"], versus_one)
        edited = work / "edited" / one.name
        edited.parent.mkdir()
        original = one.read_text(encoding="utf-8")
        before = count_vectors(cache)
        for i in range(n_quick):
            edited.write_text(_notices.edit_one_paragraph(original, i), encoding="utf-8")
            measure(row, vnlint_cmd([edited], args.model), cache)
        edit_vec = (count_vectors(cache) - before) / max(1, n_quick)
        rows.append(row)
        # 3c. the same file again with the results cache cleared: every vector from the cache
        row = Row("one_warm_emb", "1 notice, warm embeddings only", None, versus_one)
        for _ in range(n_quick):
            shutil.rmtree(cache / "results", ignore_errors=True)
            measure(row, vnlint_cmd([one], args.model), cache)
        rows.append(row)

        # 3d. the same with a daemon running (`vnlint daemon start`): each run is answered by a warm copy
        # of it (modules imported, model loaded, rules built), with the run's own empty or warm cache.
        global DAEMON_DIR
        DAEMON_DIR = work / "daemon"
        DAEMON_DIR.mkdir(mode=0o700)
        started = subprocess.run(
            [VNLINT, "daemon", "start", "--idle-timeout", "900"],
            env=env_with_cache(work / "cache-daemon"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        try:
            if started.returncode != 0:
                notes.append(f"daemon rows not measured: `vnlint daemon start` failed: {started.stderr.strip()}")
            else:
                # Each run comes DAEMON_PAUSE s after the last, as a hook's runs come (a commit, an
                # edit, another commit): the daemon, idle, has forked and warmed the next run's copy.
                row = Row("one_new_daemon", "1 notice, cold, daemon running", TARGETS["one_new"], versus_one)
                for i in range(n_quick):
                    time.sleep(DAEMON_PAUSE)
                    measure(row, vnlint_cmd([one], args.model), work / f"cache-new-daemon-{i}")
                rows.append(row)
                row = Row("one_edit_daemon", "1 notice, edited, daemon running", TARGETS["one_edit"], versus_one)
                for i in range(n_quick):
                    edited.write_text(_notices.edit_one_paragraph(original, 100 + i), encoding="utf-8")
                    time.sleep(DAEMON_PAUSE)
                    measure(row, vnlint_cmd([edited], args.model), cache)
                rows.append(row)
                notes.append(daemon_memory(started.stdout))
        finally:
            subprocess.run([VNLINT, "daemon", "stop"], env=env_with_cache(None), capture_output=True, timeout=60)
            DAEMON_DIR = None

        # 4. N notices, --jobs default (all cores) and --jobs 1, cold (an empty cache: nothing prepared)
        # then warm.
        many_vec = {}
        for jobs, reps in ((None, n_many), (1, 1)):
            tag = "default" if jobs is None else str(jobs)
            cold = Row(
                "many_cold" if jobs is None else f"many_cold_j{jobs}",
                f"{n_notices} notices, cold, --jobs {tag}",
                TARGETS["many_cold"] if jobs is None else None,
                versus_many,
            )
            warm = Row(
                "many_warm" if jobs is None else f"many_warm_j{jobs}",
                f"{n_notices} notices, warm, --jobs {tag}",
                None,
                versus_many,
            )
            for i in range(reps):
                cache = work / f"cache-many-{tag}-{i}"
                measure(cold, vnlint_cmd(files, args.model, jobs), cache, poll=0.05)
                many_vec[tag] = count_vectors(cache)
                measure(warm, vnlint_cmd(files, args.model, jobs), cache, poll=0.05)
                warm_new += count_vectors(cache) - many_vec[tag]
            rows += [cold, warm]

        # 5. paragraphs/s, in a separate process
        cmd = [
            PY,
            str(Path(__file__).resolve()),
            "--_embed-worker",
            "1",
            "--folder",
            str(work / "notices"),
            "--max-paragraphs",
            "64" if quick else "100000",
        ]
        if args.model:
            cmd += ["--model", args.model]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT))
        if proc.returncode != 0:
            raise SystemExit(f"benchmark: embedding measurement failed\n{proc.stderr[-2000:]}")
        emb = json.loads(proc.stdout.strip().splitlines()[-1])

        # 6. pathological files at n and 10 n (not in --quick: minutes)
        scale_lines = [] if quick else scaling(work, args.model, work / "cache-one-0")

        # the table
        head = (
            f"{'measurement':<34} {'n':>2} {'median':>8} {'min-max':>15} {'target':>8} {'':4} "
            f"{'RSS proc':>9} {'RSS tree':>9} {'PSS tree':>9} {'':4} {'cores':>5} {'CPU':>8} {'x pofilter':>10}"
        )
        print(head)
        print("-" * len(head))
        out_rows = {}
        medians = {r.key: r.fields().get("median_s") for r in rows}
        for r in rows:
            f = r.fields()
            ratio = None
            if r.versus and medians.get(r.versus):
                ratio = f["median_s"] / medians[r.versus]
            out_rows[r.key] = {"label": r.label, **f, "x_pofilter": ratio}
            rng = f"{f['min_s']:.2f}-{f['max_s']:.2f}"
            tgt = f"<= {r.target:g} s" if r.target is not None else ""
            tree = f"{f['rss_tree_mb']:.0f} MB" if f["rss_tree_mb"] is not None else "n/a"
            pss = f"{f['pss_tree_mb']:.0f} MB" if f["pss_tree_mb"] is not None else "n/a"
            x_pof = f"{ratio:.1f}x" if ratio is not None else ""
            print(
                (
                    f"{r.label:<34} {f['n']:>2} {fmt_s(f['median_s']):>8} {rng:>15} {tgt:>8} "
                    f"{verdict(f['time_ok']):4} {f['rss_proc_mb']:>6.0f} MB {tree:>9} {pss:>9} "
                    f"{verdict(f['rss_ok']):4} "
                    f"{f['cores']:>5.2f} {fmt_s(f['cpu_s']):>8} {x_pof:>10}"
                ).rstrip()
            )
        rates = {int(k): v for k, v in emb["per_s"].items()}
        rate_txt = ", ".join(
            f"{v:.0f}/s with {k} thread{'s' if k > 1 else ''}" for k, v in sorted(rates.items(), reverse=True)
        )
        print(
            f"{'paragraphs embedded per second':<34} {1:>2} {rate_txt}  ({emb['model']}, {emb['measured']} "
            f"distinct paragraphs; model load {emb['load_s']:.2f} s)"
        )
        if scale_lines:
            print()
            print("\n".join(scale_lines))
            failed_scaling = [ln.split(":")[0] for ln in scale_lines[1:] if ln.endswith("FAIL")]
            if failed_scaling:
                notes.append(f"scaling targets missed: {', '.join(failed_scaling)}")
        print(
            f"\nPeak memory target: <= {RSS_TARGET_MB:.0f} MB, checked on 'PSS tree': the peak over time of the "
            f"summed PSS of vnlint and its --jobs workers, i.e. the memory the run occupies, pages shared "
            f"between processes (the model the workers inherit by fork, libraries) counted once. 'RSS tree' "
            f"sums RSS, counting each shared page once per process (an upper bound); 'RSS proc' is the largest "
            f"single process (as /usr/bin/time -v). CPU = median user+system seconds of the process tree "
            f"(less sensitive to other load than wall)."
        )
        print(
            f"load average (1 min) at start {load0}, at end {loadavg()}: other processes on this machine "
            f"compete for its {os.cpu_count()} cores"
        )
        print(
            f"embeddings computed by the cold runs: 1 notice {vec_one}; {n_notices} notices "
            + ", ".join(f"--jobs {k}: {v}" for k, v in many_vec.items())
            + f" (of {emb['paragraphs']} paragraphs/bullets, {emb['distinct']} distinct; blocks and "
            f"sentences are embedded); by the warm runs: {warm_new}"
        )
        if vec_one == 0:
            notes.append(
                "no embedding was computed: no selected rule needs the model (semantic layer absent "
                "or --model none), so cold and warm runs do the same work"
            )
        for n in notes:
            print(f"note: {n}")
        failed = [r.label for r in rows if r.fields()["time_ok"] is False or r.fields()["rss_ok"] is False]
        for key in ("one_new", "one_new_daemon"):
            new_ratio = out_rows.get(key, {}).get("x_pofilter")
            if new_ratio is None:
                continue
            ok = new_ratio <= POFILTER_RATIO
            label = out_rows[key]["label"]
            print(
                f"ratio to pofilter: {label} = {new_ratio:.1f}x pofilter's time on the same "
                f"notice (target <= {POFILTER_RATIO:g}x) {'PASS' if ok else 'FAIL'}; 'x pofilter' = median / "
                f"pofilter's median on the same input (1 notice, or the {n_notices} notices)"
            )
            if not ok:
                failed.append(f"{label}: {new_ratio:.1f}x pofilter")
        if "one_edit" in out_rows:
            print(
                f"embeddings computed per edit: {edit_vec:g} (the edited paragraph's texts; every other from the cache)"
            )
        print(f"targets: {'all PASS' if not failed else 'FAIL: ' + '; '.join(failed)}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "machine": machine(),
                        "rows": out_rows,
                        "embed": emb,
                        "vectors": {"one": vec_one, "many": many_vec, "warm_new": warm_new},
                    },
                    indent=2,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
