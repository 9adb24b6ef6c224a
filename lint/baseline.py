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


def write_baseline(path: str, findings: list[Finding]) -> None:
    here = os.path.dirname(os.path.abspath(path))
    entries = sorted(
        ({"path": _entry_path(f.path, here), "code": f.code, "fingerprint": f.fingerprint, "message": f.message}
         for f in findings),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"version": VERSION, "findings": entries}, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, path)


def read_baseline(path: str) -> Counter:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise ValueError(f"{path}: not a vnlint baseline (version {VERSION})")
    here = os.path.dirname(os.path.abspath(path))
    try:
        return Counter((_key_path(e["path"], here), e["code"], e["fingerprint"]) for e in doc["findings"])
    except (KeyError, TypeError, AttributeError):
        raise ValueError(f"{path}: not a vnlint baseline (an entry lacks path, code or fingerprint)") from None


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
