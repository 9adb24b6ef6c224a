"""A cache of each file's findings, keyed by its content, the settings and the vnlint code (as ruff does).

Re-linting an unchanged notice with unchanged settings returns its findings without running any
check or loading any model. Any change to the file's bytes, to the configuration (selection,
severities, model, rule options, knowledge) or to vnlint's own source files gives a new key.
Entries live in `<cache root>/results/` (VNLINT_CACHE_DIR or the user cache directory), are
written atomically, and a damaged entry is ignored. `--no-cache` (cache = false) bypasses it, and so does VNLINT_RESULT_CACHE=0
(the embedding cache stays on).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Optional

from .model import Finding, Fix, Place

VERSION = 1


def cache_root() -> Path:
    env = os.environ.get("VNLINT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("vnlint"))


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """vnlint's version and the size and mtime of every source and data file of the package."""
    from . import __version__

    h = hashlib.sha256(f"{VERSION}\0{__version__}".encode())
    roots = [Path(__file__).resolve().parent]
    try:
        import vnlint.checks as checks

        roots.append(Path(checks.__file__).resolve().parent)
    except Exception:  # pragma: no cover
        pass
    for root in roots:
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml", ".csv", ".tbx")):
                    st = os.stat(os.path.join(dirpath, name))
                    h.update(f"{os.path.relpath(os.path.join(dirpath, name), root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def settings_fingerprint(settings) -> str:
    parts = {
        "select": sorted(settings.select),
        "severity": sorted(settings.severity.items()),
        "model": settings.model,
        "max_file_size": settings.max_file_size,
        "rules": json.dumps(settings.rule_options, sort_keys=True, default=str),
        "knowledge": json.dumps(settings.knowledge_ext, sort_keys=True, default=str),
        "tm": _tm_stamp(getattr(settings, "tm", None)),  # the translation memory's suggestions
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _tm_stamp(path) -> str:
    if not path:
        return ""
    try:
        st = os.stat(path)
        return f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}"
    except OSError:
        return str(path)


def _key(path: str, shown: str, settings, data: bytes) -> str:
    h = hashlib.sha256()
    for part in (code_fingerprint(), settings_fingerprint(settings), shown):
        h.update(part.encode("utf-8", "replace") + b"\0")
    h.update(data)
    return h.hexdigest()


def _entry(key: str) -> Path:
    return cache_root() / "results" / key[:2] / f"{key}.json"


def _read_bytes(path: str, settings) -> Optional[bytes]:
    try:
        st = os.stat(path)
        import stat as st_mod

        if not st_mod.S_ISREG(st.st_mode) or st.st_size > settings.max_file_size:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def lookup(path: str, shown: str, settings) -> tuple[Optional[list[Finding]], Optional[str]]:
    """(findings, key) on a hit; (None, key) on a miss; (None, None) when this file is not cacheable."""
    if not settings.cache or path == "-" or os.environ.get("VNLINT_RESULT_CACHE", "1") == "0":
        return None, None
    data = _read_bytes(path, settings)
    if data is None:
        return None, None
    key = _key(path, shown, settings, data)
    try:
        with open(_entry(key), encoding="utf-8") as fh:
            doc = json.load(fh)
        return [_finding(d) for d in doc["findings"]], key
    except (OSError, ValueError, KeyError, TypeError):
        return None, key


def store(key: Optional[str], findings: list[Finding]) -> None:
    if key is None:
        return
    target = _entry(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"version": VERSION, "findings": [_dump(f) for f in findings]}, fh, ensure_ascii=False)
        os.replace(tmp, target)
    except OSError:
        pass  # an unwritable cache only costs time


def _dump(f: Finding) -> dict:
    d = dict(f.__dict__)
    d["related"] = [[r.line, r.end_line, r.lang, r.column] for r in f.related]
    d["fix"] = f.fix.to_json() if f.fix is not None else None
    return d


def _finding(d: dict) -> Finding:
    d = dict(d)
    d["related"] = tuple(Place(*r) for r in d["related"])
    d["fix"] = Fix.from_json(d["fix"]) if d.get("fix") else None
    return Finding(**d)
