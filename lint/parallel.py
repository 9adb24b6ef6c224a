"""Linting many files: in this process for a few, in worker processes (--jobs) for many.

Each worker loads the model at most once and keeps it for every file it lints.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor

from .config import ConfigError
from .runner import FileResult, lint_file

SERIAL_BELOW = 6  # fewer files than this are linted in-process (model load dominates otherwise)

_RESOLVER = None
_KEEP = False
_WALKED: frozenset = frozenset()


def _init(resolver, keep=False, walked=frozenset()):
    global _RESOLVER, _KEEP, _WALKED
    _RESOLVER, _KEEP, _WALKED = resolver, keep, walked


def _work(path: str) -> FileResult:
    try:
        return lint_file(path, _RESOLVER.for_path(path), keep=_KEEP, walked=path in _WALKED)
    except ConfigError:
        raise  # a usage error (unusable model): the main process reports it, exit 2
    except Exception as exc:  # pragma: no cover - defensive: a worker never takes the run down
        from .engine import internal_error

        return FileResult(path, [internal_error(path, f"{type(exc).__name__}: {exc}")])


def _lint_pair(en_path: str, fr_path: str, resolver, keep: bool = False) -> FileResult:
    from .pairs import lint_pair

    return lint_pair(en_path, fr_path, resolver.for_path(en_path), keep=keep)


def lint_many(files: list[str], resolver, jobs: int = 0, progress: bool = True, pairs=None,
              keep: bool = False, walked=frozenset()) -> list[FileResult]:
    """keep: results carry the notice and its alignment (for the HTML report). walked: files found by
    a directory walk or named by the pre-commit hook (skipped when they are not notices at all)."""
    walked = frozenset(walked)
    if pairs:
        return [_lint_pair(a, b, resolver, keep) for a, b in pairs]
    from .pairs import group_pairs

    singles, paired = group_pairs(files, on_disk=True)
    results: list[FileResult] = [_lint_pair(a, b, resolver, keep) for a, b in paired]
    jobs = jobs or os.cpu_count() or 1
    show = progress and sys.stderr.isatty() and len(singles) > 1
    bar = None
    if show:
        import click

        bar = click.progressbar(length=len(singles), label="linting", file=sys.stderr)
        bar.__enter__()
    try:
        if jobs <= 1 or len(singles) < SERIAL_BELOW:
            for p in singles:
                results.append(lint_file(p, resolver.for_path(p), keep=keep, walked=p in walked))
                if bar:
                    bar.update(1)
        else:
            import multiprocessing

            # fork: workers inherit the resolver (its overrides are closures, not picklable).
            methods = multiprocessing.get_all_start_methods()
            mp = multiprocessing.get_context("fork" if "fork" in methods else None)
            with ProcessPoolExecutor(max_workers=min(jobs, len(singles)), initializer=_init,
                                     initargs=(resolver, keep, walked), mp_context=mp) as pool:
                for r in pool.map(_work, singles, chunksize=max(1, len(singles) // (jobs * 4))):
                    results.append(r)
                    if bar:
                        bar.update(1)
    finally:
        if bar:
            bar.__exit__(None, None, None)
    results.sort(key=lambda r: r.path)
    return results
