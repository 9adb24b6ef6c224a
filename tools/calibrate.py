#!/usr/bin/env python
"""Calibrate the semantic checks: inject defects into French halves, measure recall and noise.

Usage:
    python tools/calibrate.py [NOTICE ...] [--heldout] [--per-kind 3] [--seed 0] [--model use-m3]
                              [--kinds drop-paragraph,...] [--limit N] [--json FILE] [--verbose]

Without NOTICE arguments the calibration set is examples/clean_notice.txt, tests/data/notices/*.txt
and, where present, ../shared/corpus/*.txt; with --heldout it is tests/data/heldout/*.txt (held
out: never used to choose thresholds). Files without both halves, or with several notices, are
skipped.

For each notice: lint the untouched file (its findings are the baseline); then, for each defect kind
(see tools/inject.py), inject --per-kind defects one at a time into the French half with a fixed
seed, lint the edited file in-process (vnlint.runner.lint_text, real model and cache) and check:
- found: a finding with one of the kind's expected codes points at or next to the injected place
  (its French lines within the neighbouring blocks, or its English lines on the English counterpart);
- spurious: findings of the semantic rules (VN3xx, VN116) that are neither in the baseline
  (same fingerprint) nor explained by the injection (an expected or explained code at the place).
Baseline findings of fictional clean notices are spurious; those of corpus notices (real notices
with real defects) are listed separately for review and not counted.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from inject import EXPECTED, KINDS, Injector, donor_paragraphs  # noqa: E402

from vnlint.codes import resolve  # noqa: E402
from vnlint.config import Settings  # noqa: E402
from vnlint.runner import lint_text  # noqa: E402
from vnlint.source import source_from_bytes  # noqa: E402
from vnlint.split import split  # noqa: E402

# How the number of French content blocks changes with each injection (the reader must see exactly
# that, else the injection confused the layout reader and is skipped).
BLOCK_DELTA = {"drop-paragraph": -1, "drop-bullet": -1, "duplicate": 1}
COUNTED = (
    {c.code for c in resolve("semantic")} | {c.code for c in resolve("meaning")} | {"VN116"}
)  # rules whose noise is measured here
# plus the structure rules and the term rules that report injections
SELECT = COUNTED | {"VN111", "VN112", "VN113", "VN114", "VN403", "VN408"}


def default_files(heldout: bool) -> list[str]:
    if heldout:
        return sorted(glob.glob(str(ROOT / "tests/data/heldout/*.txt")))
    files = [str(ROOT / "examples/clean_notice.txt")] + sorted(glob.glob(str(ROOT / "tests/data/notices/*.txt")))
    files += sorted(glob.glob(str(ROOT.parent / "shared/corpus/*.txt")))
    return [f for f in files if os.path.exists(f)]


def is_corpus(path: str) -> bool:
    return "/shared/corpus/" in os.path.abspath(path)


def usable(text: str, path: str):
    """The split notice when it has one EN and one FR half, else None."""
    notice = split(source_from_bytes(path, text.encode("utf-8")))
    if notice.en is None or notice.fr is None or any(p.rule == "multiple-notices" for p in notice.problems):
        return None
    return notice


def unrelated_donors(base, candidates: list[str], settings, max_cos: float = 0.5) -> list[str]:
    """Paragraphs of other notices that resemble no French block of this notice (raw cosine < max_cos).

    Boilerplate shared by notices (the diversity or no-fee statements) would not be a defect when
    pasted in another notice; it is left out of the unrelated-paragraph injections.
    """
    from vnlint.runner import get_embedder
    from vnlint.paragraph_align import data

    d = data(base.alignment) if base.alignment is not None else None
    if d is None or not candidates or not len(d.fr_vecs):
        return candidates
    vecs = get_embedder(settings).encode(candidates)
    best = (vecs @ d.fr_vecs.T).max(axis=1)
    return [t for t, b in zip(candidates, best) if float(b) < max_cos]


def near(f, inj) -> bool:
    a, b = inj.fr_span
    if f.lang == "fr" and f.line <= b + 1 and f.end_line >= a - 1:
        return True
    places = [(f.line, f.end_line, f.lang)] + [(r.line, r.end_line, r.lang) for r in f.related]
    if inj.en_span:
        ea, eb = inj.en_span
        if any(lang == "en" and l1 <= eb and l2 >= ea for l1, l2, lang in places):
            return True
    return any(lang == "fr" and l1 <= b + 1 and l2 >= a - 1 for l1, l2, lang in places)


def fmt(f) -> str:
    rel = ",".join(f"{r.lang}{r.line}" for r in f.related)
    return f"{Path(f.path).name}:{f.line} [{f.lang}] {f.code} {f.message}" + (f" (related {rel})" if rel else "")


def run(
    files: list[str],
    *,
    per_kind: int,
    seed: int,
    model: str,
    kinds: list[str],
    verbose: bool,
    out=sys.stdout,
    half: str = "all",
) -> dict:
    settings = Settings()
    settings.model = model
    settings.select = set(SELECT)
    texts = {}
    notices = {}
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        notice = usable(text, path)
        if notice is None:
            print(f"skipped {path}: not one bilingual notice", file=out)
            continue
        texts[path], notices[path] = text, notice
    donors = {p: donor_paragraphs(n) for p, n in notices.items()}
    stats = {k: {"injected": 0, "found": 0, "missed": []} for k in kinds}
    spurious_base: list[str] = []
    spurious_inj: list[str] = []
    corpus_base: list[str] = []
    n_injected = 0
    n_confused = 0
    t0 = time.time()
    for path, text in texts.items():
        base = lint_text(text, settings, path=path)
        base_fp = {f.fingerprint for f in base.findings} | {(f.code, f.message) for f in base.findings}
        for f in base.findings:
            if f.code in COUNTED:
                (corpus_base if is_corpus(path) else spurious_base).append(fmt(f))
        other = unrelated_donors(base, [t for p, ds in donors.items() if p != path for t in ds], settings)
        n_fr_sections = len(notices[path].fr.sections)
        n_fr_blocks = len(notices[path].fr.content())
        for kind in kinds:
            inj_seed = f"{seed}:{Path(path).name}:{kind}:{zlib.crc32(text.encode())}"
            injector = Injector(text, base.notice, base.alignment, inj_seed, other, half=half)
            for inj in injector.make(kind, per_kind):
                check = usable(inj.text, path)
                expect_secs = n_fr_sections - (1 if kind == "drop-section" else 0)
                expect_blocks = n_fr_blocks + BLOCK_DELTA.get(kind, 0)
                if (
                    check is None
                    or len(check.fr.sections) != expect_secs
                    or (kind != "drop-section" and len(check.fr.content()) != expect_blocks)
                ):
                    n_confused += 1
                    if verbose:
                        print(f"  reader confused, skipped: {Path(path).name} {inj.description}", file=out)
                    continue
                res = lint_text(inj.text, settings, path=path)
                n_injected += 1
                st = stats[kind]
                st["injected"] += 1
                hits = [f for f in res.findings if f.code in inj.expected and near(f, inj)]
                if hits:
                    st["found"] += 1
                else:
                    st["missed"].append(f"{Path(path).name}: {inj.description}")
                for f in res.findings:
                    if f.code not in COUNTED or f.fingerprint in base_fp or (f.code, f.message) in base_fp:
                        continue
                    if f.code in inj.explained and near(f, inj):
                        continue
                    spurious_inj.append(f"{fmt(f)}  <- after: {inj.description}")
    elapsed = time.time() - t0
    fictional = [p for p in texts if not is_corpus(p)]
    corpus = [p for p in texts if is_corpus(p)]

    print(
        f"notices: {len(texts)} ({len(fictional)} fictional, {len(corpus)} corpus); "
        f"{per_kind} injections per kind per notice; seed {seed}; model {model}; word lists: {half}; "
        f"{elapsed:.0f}s",
        file=out,
    )
    print(f"{'kind':<18} {'injected':>8} {'found':>6} {'recall':>7}  expected codes", file=out)
    result = {"notices": len(texts), "fictional": len(fictional), "corpus": len(corpus), "kinds": {}}
    for k in kinds:
        st = stats[k]
        rec = st["found"] / st["injected"] if st["injected"] else float("nan")
        print(f"{k:<18} {st['injected']:>8} {st['found']:>6} {rec:>7.2f}  {','.join(sorted(EXPECTED[k][0]))}", file=out)
        result["kinds"][k] = {"injected": st["injected"], "found": st["found"], "recall": rec, "missed": st["missed"]}
    per_base = len(spurious_base) / len(fictional) if fictional else 0.0
    per_inj = len(spurious_inj) / n_injected if n_injected else 0.0
    print(
        f"spurious, untouched fictional notices: {len(spurious_base)} in {len(fictional)} notices "
        f"({per_base:.2f} per notice)",
        file=out,
    )
    print(
        f"spurious, injected notices: {len(spurious_inj)} in {n_injected} notices ({per_inj:.2f} per notice)", file=out
    )
    if n_confused:
        print(f"injections skipped because the reader saw a different structure: {n_confused}", file=out)
    if corpus:
        print(f"corpus baseline findings (real notices; review, not counted): {len(corpus_base)}", file=out)
        for line in corpus_base:
            print(f"  {line}", file=out)
    if spurious_base:
        print("spurious findings on untouched notices:", file=out)
        for line in spurious_base:
            print(f"  {line}", file=out)
    if verbose:
        for k in kinds:
            for m in stats[k]["missed"]:
                print(f"  missed {k}: {m}", file=out)
        for line in spurious_inj:
            print(f"  spurious: {line}", file=out)
    result.update(
        {
            "spurious_untouched": spurious_base,
            "spurious_untouched_per_notice": per_base,
            "spurious_injected": spurious_inj,
            "spurious_injected_per_notice": per_inj,
            "injected": n_injected,
            "skipped_confused": n_confused,
            "corpus_baseline": corpus_base,
        }
    )
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notices", nargs="*", help="clean notices (default: the calibration set)")
    ap.add_argument("--heldout", action="store_true", help="use tests/data/heldout/*.txt")
    ap.add_argument("--per-kind", type=int, default=3, help="injections per kind per notice (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="use-m3")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated defect kinds")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N notices")
    ap.add_argument(
        "--half",
        choices=("all", "tune", "report"),
        default="all",
        help="which half of the word lists drives the word-level kinds (default all)",
    )
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed injections and spurious findings")
    args = ap.parse_args(argv)
    files = args.notices or default_files(args.heldout)
    if args.limit:
        files = files[: args.limit]
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        ap.error(f"unknown kind(s): {', '.join(bad)} (known: {', '.join(KINDS)})")
    result = run(
        files,
        per_kind=args.per_kind,
        seed=args.seed,
        model=args.model,
        kinds=kinds,
        verbose=args.verbose,
        half=args.half,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
