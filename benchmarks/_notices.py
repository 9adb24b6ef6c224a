"""Benchmark corpus: N distinct notice files that share boilerplate, generated in a temporary folder.

Sources: examples/*.txt, tests/data/notices/*.txt and, where present, ../shared/corpus/*.txt (real
notices: copied only into the temporary folder, never into the repository). Copy k of a source is the
source with two small edits, so every file is distinct but most paragraphs (the boilerplate every notice
shares) are identical across copies:

* every 6-digit requisition number (e.g. 260845) gets a per-copy number, in both halves;
* one long line in the first half and one in the second half get a short per-copy suffix " (k)".
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_GLOBS = (
    ("examples", ROOT / "examples"),
    ("tests/data/notices", ROOT / "tests" / "data" / "notices"),
    ("../shared/corpus", ROOT.parent / "shared" / "corpus"),
)
_REQ = re.compile(r"(?<!\d)(2\d{5})(?!\d)")


def sources() -> list[tuple[str, Path]]:
    """(group, path) of every source notice, sorted, groups in SOURCE_GLOBS order."""
    out = []
    for group, folder in SOURCE_GLOBS:
        if folder.is_dir():
            out += [(group, p) for p in sorted(folder.glob("*.txt"))]
    return out


def _vary(text: str, k: int) -> str:
    if k == 0:
        return text
    text = _REQ.sub(lambda m: f"{(int(m.group(1)) + 1000 * k) % 900000 + 100000:06d}", text)
    lines = text.split("\n")
    long_idx = [i for i, line in enumerate(lines) if len(line.strip()) >= 100]
    if long_idx:
        half = len(lines) // 2
        first = [i for i in long_idx if i < half] or long_idx
        second = [i for i in long_idx if i >= half] or long_idx
        for group in (first, second):
            i = group[(k * 7) % len(group)]
            lines[i] = lines[i].rstrip() + f" ({k})"
    return "\n".join(lines)


def generate(folder: Path, n: int) -> dict:
    """Write n notices into folder; return a summary (sources per group, files, bytes)."""
    src = sources()
    if not src:
        raise SystemExit("benchmark: no source notices found (examples/, tests/data/notices/)")
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8", errors="replace") for _, p in src]
    total = 0
    files = []
    for i in range(n):
        s, k = i % len(src), i // len(src)
        out = folder / f"notice_{i:03d}_{src[s][1].stem[:24]}.txt"
        data = _vary(texts[s], k)
        out.write_text(data, encoding="utf-8")
        total += len(data.encode("utf-8"))
        files.append(out)
    groups: dict[str, int] = {}
    for g, _ in src:
        groups[g] = groups.get(g, 0) + 1
    return {"files": files, "bytes": total, "groups": groups, "sources": len(src)}


def edit_one_paragraph(text: str, k: int) -> str:
    """The notice with one paragraph of its English half edited (a few words added at the end of
    its longest line; a different edit for each k), as a writer does between two runs."""
    lines = text.split("\n")
    half = max(1, len(lines) // 2)
    i = max(range(half), key=lambda j: len(lines[j]))
    lines[i] = lines[i].rstrip() + f" This sentence was added in edit {k + 1}."
    return "\n".join(lines)
