"""A cache of each file's findings, keyed by its content, the settings and the vnlint code (as ruff does).

Re-linting an unchanged notice with unchanged settings returns its findings without running any
check or loading any model. Any change to the file's bytes, to the configuration (selection,
severities, model, rule options, knowledge) or to vnlint's own source files gives a new key.
Entries live in `<cache root>/results/` (VNLINT_CACHE_DIR or the user cache directory), are
written atomically, and an entry is used only when it passes `_valid` (a regular file of bounded size,
known codes, severities and rule names, this file's path, line numbers inside this file): any doubt
is a miss, and the notice is linted again. `--no-cache` (cache = false) bypasses it, and so does VNLINT_RESULT_CACHE=0
(the embedding cache stays on).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Optional

from .model import Edit, Finding, Fix, Place
from .safeio import read_regular, write_cache_entry

VERSION = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024


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
    for path, size, mtime in source_state():
        h.update(f"{path}\0{size}\0{mtime}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def source_state(roots: list[str] | None = None) -> tuple[tuple[str, int, int], ...]:
    """(path relative to its root, size, mtime) of every source and data file below `roots` (default: the vnlint and
    vnlint.checks packages), in a fixed order: what the results cache keys on, and what a running
    daemon watches (it stops when this changes)."""
    out = []
    for root in roots or _package_roots():
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml", ".json", ".csv", ".tbx", ".txt")):
                    p = os.path.join(dirpath, name)
                    try:
                        st = os.stat(p)
                    except OSError:
                        continue
                    out.append((os.path.relpath(p, root), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _package_roots() -> list[str]:
    roots = [str(Path(__file__).resolve().parent)]
    try:
        import vnlint.checks as checks

        roots.append(str(Path(checks.__file__).resolve().parent))
    except Exception:  # pragma: no cover
        pass
    return roots


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
    raw = read_regular(_entry(key), MAX_ENTRY_BYTES)
    if raw is None:
        return None, key
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None, key
    findings = _valid(doc, shown, _line_count(data))
    return findings, key


def has_entry(path: str, shown: str, settings) -> bool:
    """Whether the results cache holds an entry for this file as it is now (not read nor checked:
    a cheap test, for deciding whether to load the model before forking workers)."""
    if not settings.cache or path == "-" or os.environ.get("VNLINT_RESULT_CACHE", "1") == "0":
        return False
    data = _read_bytes(path, settings)
    return data is not None and os.path.isfile(_entry(_key(path, shown, settings, data)))


def store(key: Optional[str], findings: list[Finding]) -> None:
    if key is None:
        return
    target = _entry(key)
    doc = {"version": VERSION, "findings": [_dump(f) for f in findings]}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_cache_entry(target, json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # an unwritable cache only costs time


def _dump(f: Finding) -> dict:
    d = dict(f.__dict__)
    d["related"] = [[r.line, r.end_line, r.lang, r.column, r.end_column] for r in f.related]
    d["fix"] = f.fix.to_json() if f.fix is not None else None
    return d


def _line_count(data: bytes) -> int:
    from .source import decode, split_lines

    return max(1, len(split_lines(decode(data)[0])))


def _is_int(v, low: int, high: int) -> bool:
    return type(v) is int and low <= v <= high


def _opt_str(v) -> bool:
    return v is None or isinstance(v, str)


_FIELDS = {
    "path",
    "code",
    "rule",
    "severity",
    "message",
    "line",
    "end_line",
    "column",
    "lang",
    "section",
    "related",
    "suggestion",
    "fingerprint",
    "end_column",
    "fix",
    "page",
    "page_line",
}


def _valid_fix(d, n_lines: int) -> Optional[Fix]:
    """The fix of a cache entry, or None when it is not exactly what vnlint writes."""
    if (
        not isinstance(d, dict)
        or set(d) != {"safe", "description", "edits"}
        or type(d["safe"]) is not bool
        or not isinstance(d["description"], str)
        or not isinstance(d["edits"], list)
        or not d["edits"]
    ):
        return None
    edits = []
    for e in d["edits"]:
        if (
            not isinstance(e, dict)
            or set(e) != {"line", "column", "end_line", "end_column", "text"}
            or not _is_int(e["line"], 1, n_lines + 1)
            or not _is_int(e["end_line"], e["line"], n_lines + 1)
            or not _is_int(e["column"], 1, 1 << 31)
            or not _is_int(e["end_column"], 1, 1 << 31)
            or not isinstance(e["text"], str)
        ):
            return None
        edits.append(Edit(**e))
    return Fix(tuple(edits), d["safe"], d["description"])


def _valid(doc, shown: str, n_lines: int) -> Optional[list[Finding]]:
    """The findings of a cache entry, or None when anything in it is not what vnlint writes: a type,
    a code, a severity, a rule name, another path, a line outside the file's `n_lines`."""
    from .codes import CODES, SEVERITIES

    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        return None
    out = []
    for d in doc["findings"]:
        if not isinstance(d, dict) or set(d) != _FIELDS:
            return None
        code = CODES.get(d["code"]) if isinstance(d["code"], str) else None
        if (
            code is None
            or d["rule"] != code.name
            or d["severity"] not in SEVERITIES
            or d["path"] != shown
            or not isinstance(d["message"], str)
            or not isinstance(d["fingerprint"], str)
            or not _opt_str(d["suggestion"])
            or not _opt_str(d["section"])
            or d["lang"] not in (None, "", "en", "fr")
            or not _is_int(d["line"], 1, n_lines)
            or not _is_int(d["end_line"], d["line"], n_lines)
            or not _is_int(d["column"], 1, 1 << 31)
            or not (d["end_column"] is None or _is_int(d["end_column"], 1, 1 << 31))
            or not all(d[k] is None or _is_int(d[k], 1, n_lines) for k in ("page", "page_line"))
            or not isinstance(d["related"], list)
        ):
            return None
        related = []
        for r in d["related"]:
            if (
                not isinstance(r, list)
                or len(r) != 5
                or not _is_int(r[0], 1, n_lines)
                or not _is_int(r[1], r[0], n_lines)
                or r[2] not in ("", "en", "fr")
                or not _is_int(r[3], 1, 1 << 31)
                or not (r[4] is None or _is_int(r[4], 1, 1 << 31))
            ):
                return None
            related.append(Place(*r))
        fix = None
        if d["fix"] is not None:
            fix = _valid_fix(d["fix"], n_lines)
            if fix is None:
                return None
        out.append(Finding(**{**d, "related": tuple(related), "fix": fix}))
    return out
