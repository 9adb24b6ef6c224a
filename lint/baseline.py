"""Baselines: accepted findings recorded by content (code + text of the lines), not by line number.

Each entry's path is relative to the baseline file itself (with / separators), so a baseline gives
the same result from any working directory, with relative or absolute arguments.
"""

from __future__ import annotations

import json
import os
from collections import Counter

from .model import Finding

VERSION = 1


def _entry_path(finding_path: str, baseline_dir: str) -> str:
    return os.path.relpath(os.path.abspath(finding_path), baseline_dir).replace(os.sep, "/")


def _key_path(entry_path: str, baseline_dir: str) -> str:
    return os.path.normpath(os.path.join(baseline_dir, entry_path.replace("/", os.sep)))


def baseline_text(findings: list[Finding], path: str) -> str:
    """The baseline file `path` for these findings (entry paths relative to it)."""
    here = os.path.dirname(os.path.abspath(path))
    entries = sorted(
        (
            {"path": _entry_path(f.path, here), "code": f.code, "fingerprint": f.fingerprint, "message": f.message}
            for f in findings
        ),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, findings: list[Finding]) -> None:
    """Write a baseline atomically: the old file stays whole until the new one is complete."""
    from .safeio import AtomicWriter

    AtomicWriter(path).commit(baseline_text(findings, path))


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
    here = os.path.dirname(os.path.abspath(path))
    out: Counter = Counter()
    for n, e in enumerate(doc["findings"], 1):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("path", "code", "fingerprint")):
            raise ValueError(f'{path}: not a vnlint baseline: entry {n} needs "path", "code" and "fingerprint" strings')
        out[(_key_path(e["path"], here), e["code"], e["fingerprint"])] += 1
    return out


def filter_baseline(findings: list[Finding], explicit: str | None, resolver) -> list[Finding]:
    """Drop findings recorded in the baseline (each entry absorbs one finding)."""
    files = {explicit} if explicit else {resolver.for_path(f.path).baseline for f in findings} - {None}
    accepted: Counter = Counter()
    for b in files:
        accepted.update(read_baseline(b))
    out = []
    for f in findings:
        key = (os.path.normpath(os.path.abspath(f.path)), f.code, f.fingerprint)
        if accepted[key] > 0:
            accepted[key] -= 1
        else:
            out.append(f)
    return out
