#!/usr/bin/env python
"""What the word-level layer (the meaning family, VN600-VN605) adds to one notice, model loaded.

For each notice: lint it in-process with every rule, and with every rule but the meaning family,
with the embedder's disk cache off (so every text the layer embeds is really computed, as on a
notice never seen before). The model is loaded once, before timing. Prints the
median of --runs runs per notice and the added time; the target is <= 0.3 s per notice.

    python benchmarks/wordlevel.py [NOTICE ...] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notices", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    files = [Path(p) for p in args.notices] or (
        [ROOT / "examples/clean_notice.txt", ROOT / "examples/pdf_layout_defects.txt"]
        + sorted((ROOT / "tests/data/heldout").glob("*.txt"))
    )

    from vnlint.codes import CODES, resolve
    from vnlint.config import Settings
    from vnlint.embed import get_embedder
    from vnlint.runner import lint_text

    meaning = {c.code for c in resolve("meaning")}
    with_all = Settings()
    without = Settings()
    without.select = set(CODES) - meaning
    emb = get_embedder("use-m3", cache=False)
    emb.encode(["warm up"])  # load the model once

    print(f"{'notice':<36} {'all rules':>10} {'no meaning':>11} {'added':>8}")
    added_all = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        times = {"all": [], "without": []}
        for _ in range(args.runs):
            for key, settings in (("all", with_all), ("without", without)):
                t0 = time.perf_counter()
                lint_text(text, settings, path=str(path), embedder_factory=lambda s: emb)
                times[key].append(time.perf_counter() - t0)
        a, w = statistics.median(times["all"]), statistics.median(times["without"])
        added_all.append(a - w)
        print(f"{path.name:<36} {a:>9.2f}s {w:>10.2f}s {a - w:>7.2f}s")
    worst = max(added_all)
    print(
        f"\nadded by the word-level layer: median {statistics.median(added_all):.2f} s, worst {worst:.2f} s "
        f"per notice (target <= {TARGET_S} s): {'PASS' if worst <= TARGET_S else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
