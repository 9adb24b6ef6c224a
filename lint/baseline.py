"""Baselines: accepted findings recorded by content (code + text of the lines), not by line number."""

from __future__ import annotations

import json
import os
from collections import Counter

from .model import Finding

VERSION = 1


def baseline_text(findings: list[Finding]) -> str:
    entries = sorted(
        ({"path": os.path.normpath(f.path), "code": f.code, "fingerprint": f.fingerprint, "message": f.message}
         for f in findings),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, findings: list[Finding]) -> None:
    """Write a baseline atomically: the old file stays whole until the new one is complete."""
    from .safeio import AtomicWriter

    AtomicWriter(path).commit(baseline_text(findings))


def read_baseline(path: str) -> Counter:
    """The accepted (path, code, fingerprint) entries; ValueError (a one-line message) for a file that
    cannot be read or is not exactly what `baseline_text` writes."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block, a device never end
            raise ValueError(f"{path}: cannot read baseline: not a regular file")
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: baseline is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"{path}: baseline is not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise ValueError(f"{path}: not a vnlint baseline (version {VERSION})")
    out: Counter = Counter()
    for n, e in enumerate(doc["findings"], 1):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("path", "code", "fingerprint")):
            raise ValueError(f"{path}: not a vnlint baseline: entry {n} needs \"path\", \"code\" and "
                             f"\"fingerprint\" strings")
        out[(os.path.normpath(e["path"]), e["code"], e["fingerprint"])] += 1
    return out


def filter_baseline(findings: list[Finding], explicit: str | None, resolver) -> list[Finding]:
    """Drop findings recorded in the baseline (each entry absorbs one finding)."""
    files = {explicit} if explicit else {resolver.for_path(f.path).baseline for f in findings} - {None}
    accepted: Counter = Counter()
    for b in files:
        accepted.update(read_baseline(b))
    out = []
    for f in findings:
        key = (os.path.normpath(f.path), f.code, f.fingerprint)
        if accepted[key] > 0:
            accepted[key] -= 1
        else:
            out.append(f)
    return out
