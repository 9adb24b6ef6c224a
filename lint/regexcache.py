"""Compiled regular expressions kept from one `vnlint` run to the next.

A run compiles about a thousand regular expressions the first time it uses them: vnlint's own (field
labels, cue words, glossary terms, CLDR names) and those of the libraries it uses (pysbd alone
compiles some 270 per process). Python's `re` parses and compiles each in pure Python, about 0.1 s of
a one-notice run, in every new process. The result of that work is a list of integers (the regular
expression engine's code), which `re` hands to `_sre.compile` with the pattern's flags and groups.
This module keeps those lists in the cache folder and, in later runs, gives them straight to
`_sre.compile`: the same Pattern objects as `re` would build, without parsing.

Only the `vnlint` command installs it (vnlint.client, before vnlint is imported), never an
importing program. It steps aside on anything unexpected: another Python (the file's name holds the
interpreter's version and the engine's magic number and code size), a `re` without the internals it
relies on, an entry that differs from what `re` builds for a probe pattern, a file that is not
exactly what it wrote (size limit, checksum, types). Nothing read can run code: the file is JSON,
and `_sre.compile` validates the code it is given. New patterns are written at exit, only by a lint
run whose cache is on (not with --no-cache or `cache = false`), and only once two runs in a row have
compiled them (``sre-<tag>.pending.json`` holds the last run's new ones): a pattern built from a
set's order, which changes from one process to the next, is never kept.

File: ``<cache root>/regex/sre-<tag>.json``: a first line ``vnlint-regex 1 <crc32 of the rest>``,
then one JSON list of entries ``[bytes?, pattern, flags, final flags, groups, {name: index},
[index -> name], base64 of the uint32 code]``.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import re
import sys
import zlib
from array import array

MAX_ENTRIES = 6000  # more patterns than this are compiled as usual, and not kept
MAX_BYTES = 16 * 1024 * 1024  # the file (about 0.9 MB for vnlint's own patterns)
ENV_SWITCH = "VNLINT_REGEX_CACHE"  # "0": never read or write the file

_state: dict = {}  # path, stored, new, keep, original


def _tag() -> str:
    import _sre

    version = zlib.crc32(sys.version.encode("utf-8"))
    return f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{version:08x}"


def default_path() -> str | None:
    root = os.environ.get("VNLINT_CACHE_DIR")
    if not root:
        try:
            import platformdirs
        except ImportError:  # pragma: no cover - a dependency of vnlint
            return None
        root = platformdirs.user_cache_dir("vnlint")
    return os.path.join(os.path.expanduser(root), "regex", f"sre-{_tag()}.json")


def _build(pattern, flags: int):
    """What re._compiler.compile computes for a pattern: (final flags, code, groups, groupindex,
    indexgroup), with the Pattern."""
    import _sre
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    final = int(flags | parsed.state.flags)
    args = (final, list(code), parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return args, _sre.compile(pattern, *args)


def _same(a, b) -> bool:
    return (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)


def _supported() -> bool:
    """Whether this interpreter's `re` has the internals used here and they build, for a probe, the
    very Pattern that `re` builds."""
    try:
        from re import _compiler  # noqa: F401

        probe = r"(?P<word>[^\W\d_]+)(?:\s+(\d{1,3}(?:[ ,]\d{3})*))?|(?i:é)"
        args, built = _build(probe, re.IGNORECASE)
        import _sre

        again = _sre.compile(probe, *_decode(_encode(probe, re.IGNORECASE, args))[1])
        reference = _compiler.compile(probe, re.IGNORECASE)
        text = "Salaire 8 754 et É, then 12,000"
        return (
            _same(built, reference)
            and _same(again, reference)
            and [m.groups() for m in again.finditer(text)] == [m.groups() for m in reference.finditer(text)]
        )
    except Exception:  # noqa: BLE001 - anything unexpected: compile as usual
        return False


def _encode(pattern, flags: int, args) -> list:
    final, code, groups, groupindex, indexgroup = args
    is_bytes = isinstance(pattern, bytes)
    text = pattern.decode("latin-1") if is_bytes else pattern
    packed = base64.b64encode(array("I", code).tobytes()).decode("ascii")
    return [is_bytes, text, int(flags), int(final), groups, groupindex, list(indexgroup), packed]


def _decode(entry) -> tuple[tuple, tuple]:
    """((bytes?, pattern, flags), (final flags, code, groups, groupindex, indexgroup)); ValueError
    when the entry is not what _encode writes."""
    if not isinstance(entry, list) or len(entry) != 8:
        raise ValueError("entry")
    is_bytes, text, flags, final, groups, groupindex, indexgroup, packed = entry
    if not (
        isinstance(is_bytes, bool)
        and isinstance(text, str)
        and all(type(x) is int for x in (flags, final, groups))
        and isinstance(groupindex, dict)
        and all(isinstance(k, str) and type(v) is int for k, v in groupindex.items())
        and isinstance(indexgroup, list)
        and all(x is None or isinstance(x, str) for x in indexgroup)
        and isinstance(packed, str)
    ):
        raise ValueError("entry")
    code = array("I")
    code.frombytes(base64.b64decode(packed, validate=True))
    return (is_bytes, text, flags), (final, code.tolist(), groups, groupindex, tuple(indexgroup))


_MAGIC = b"vnlint-regex 1 "


def _read(path: str) -> dict:
    from .safeio import read_regular  # a regular file of bounded size: a FIFO cannot block the run

    try:
        data = read_regular(path, MAX_BYTES)
        if data is None:
            return {}
        head, _, body = data.partition(b"\n")
        if not head.startswith(_MAGIC) or int(head[len(_MAGIC) :]) != zlib.crc32(body):
            return {}
        entries = json.loads(body)
        if not isinstance(entries, list):
            return {}
        return dict(_decode(e) for e in entries[:MAX_ENTRIES])
    except Exception:  # noqa: BLE001 - a partial or foreign file: nothing stored
        return {}


def install(path: str | None = None) -> bool:
    """Serve `re`'s compilations from the file (and record new ones); False when it cannot."""
    if _state or os.environ.get(ENV_SWITCH) == "0":
        return False
    path = path or default_path()
    if not path or not _supported():
        return False
    import _sre
    from re import _compiler

    stored = _read(path)
    original = _compiler.compile
    new: dict = {}
    _state.update(path=path, stored=stored, new=new, keep=False, original=original)

    def compile(p, flags=0):
        if type(flags) is not int:
            try:
                flags = int(flags)
            except (TypeError, ValueError):
                return original(p, flags)
        if isinstance(p, (str, bytes)) and not flags & re.DEBUG:  # DEBUG prints as it compiles
            key = (isinstance(p, bytes), p.decode("latin-1") if isinstance(p, bytes) else p, flags)
            args = stored.get(key)
            if args is not None:
                try:
                    return _sre.compile(p, *args)
                except Exception:  # noqa: BLE001 - a bad entry: compile it as usual
                    stored.pop(key, None)
            if len(stored) + len(new) < MAX_ENTRIES:
                try:
                    args, pattern = _build(p, flags)
                    new[key] = args
                    return pattern
                except Exception:  # noqa: BLE001 - `re` raises its own error below
                    pass
        return original(p, flags)

    _compiler.compile = compile
    atexit.register(_save)
    return True


def keep(on: bool = True) -> None:
    """Write the patterns compiled by this run at exit (a lint run whose cache is on)."""
    if _state:
        _state["keep"] = on


def uninstall() -> None:
    """Back to `re`'s own compilation (tests)."""
    if _state:
        from re import _compiler

        _compiler.compile = _state["original"]
        atexit.unregister(_save)
        _state.clear()


def _pending_path(path: str) -> str:
    return path[: -len(".json")] + ".pending.json"


def _key(k) -> tuple | None:
    ok = isinstance(k, list) and len(k) == 3 and isinstance(k[0], bool) and isinstance(k[1], str)
    return (k[0], k[1], k[2]) if ok and type(k[2]) is int else None


def _read_pending(path: str) -> set:
    from .safeio import read_regular

    try:
        data = read_regular(_pending_path(path), MAX_BYTES)
        return {k for k in map(_key, json.loads(data))} - {None} if data is not None else set()
    except Exception:  # noqa: BLE001 - nothing pending
        return set()


def _write(path: str, data: bytes) -> None:
    from .safeio import write_cache_entry

    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    write_cache_entry(path, data)


def _save() -> None:
    """Keep the patterns this run compiled that the previous run compiled too (the others wait in
    the pending file): a pattern built from a set's order, which changes from one process to the
    next, is never kept."""
    if not _state or not _state["keep"] or not _state["new"]:
        return
    path, new = _state["path"], _state["new"]
    try:
        pending = _read_pending(path)
        promoted = {k: v for k, v in new.items() if k in pending}
        if promoted:
            merged = {**_read(path), **_state["stored"], **promoted}  # what another run wrote is kept too
            entries = [_encode(k[1].encode("latin-1") if k[0] else k[1], k[2], v) for k, v in merged.items()]
            body = json.dumps(entries[:MAX_ENTRIES], separators=(",", ":")).encode("utf-8")
            _write(path, _MAGIC + str(zlib.crc32(body)).encode("ascii") + b"\n" + body)
        waiting = sorted(k for k in new if k not in promoted)
        if set(waiting) != pending:
            _write(_pending_path(path), json.dumps([list(k) for k in waiting]).encode("utf-8"))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        pass
