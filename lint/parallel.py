"""Linting many files: in this process for a few, in worker processes (--jobs) for many.

Each worker loads the model at most once and keeps it for every file it lints. Workers never
outlive vnlint: on Linux the kernel kills a worker when its parent dies (PR_SET_PDEATHSIG, whatever
killed the parent, SIGKILL included), and everywhere a watchdog thread in each worker exits when its
parent process is gone. A worker killed from outside (the OOM killer) is one error (WorkerDied):
the files that finished are still reported.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from .config import ConfigError
from .runner import FileResult, lint_file

SERIAL_BELOW = 6  # fewer files than this are linted in-process (model load dominates otherwise)

_RESOLVER = None
_KEEP = False
_WALKED: frozenset = frozenset()


class WorkerDied(RuntimeError):
    """A worker process was killed (not an error in a notice): `results` holds the files that finished."""

    def __init__(self, message: str, results: list[FileResult]):
        super().__init__(message)
        self.results = results


def _init(resolver, keep=False, parent=None, walked=frozenset()):
    global _RESOLVER, _KEEP, _WALKED
    _RESOLVER, _KEEP, _WALKED = resolver, keep, walked
    os.environ["VNLINT_JOBS_WORKER"] = "1"  # embed.WORKER_ENV: one encoding thread, the other cores are busy
    # Ctrl-C reaches the whole process group: the parent stops the workers; a worker prints nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if parent is not None:
        die_with_parent(parent)


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_INTERVAL = 0.5  # seconds between two checks of the watchdog thread


def die_with_parent(parent: int) -> None:
    """Make this process exit when process `parent` (the one that forked it) is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watchdog below still works
            pass
    if os.getppid() != parent:  # the parent died before prctl: nobody would kill this process
        os._exit(1)

    def watch():
        import time

        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="vnlint-parent-watchdog", daemon=True).start()


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


def lint_many(
    files: list[str], resolver, jobs: int = 0, progress: bool = True, pairs=None, keep: bool = False, walked=frozenset()
) -> list[FileResult]:
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
            if jobs > 1 and not os.environ.get("VNLINT_JOBS_WORKER") and sys.platform.startswith("linux"):
                from . import engine

                # No workers: the glossary rules in a forked copy, on the other core (Linux only: on
                # macOS a fork of a process that used the system's BLAS is not safe to compute in).
                engine.split_rules()
            for p in singles:
                results.append(lint_file(p, resolver.for_path(p), keep=keep, walked=p in walked))
                if bar:
                    bar.update(1)
        else:
            try:
                results += _lint_in_workers(singles, resolver, min(jobs, len(singles)), keep, bar, walked)
            except WorkerDied as exc:
                exc.results = sorted(results + exc.results, key=lambda r: r.path)
                raise
    finally:
        if bar:
            bar.__exit__(None, None, None)
    results.sort(key=lambda r: r.path)
    return results


def _lint_in_workers(
    paths: list[str], resolver, workers: int, keep: bool, bar, walked: frozenset = frozenset()
) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # not imported for one file
    from concurrent.futures.process import BrokenProcessPool

    # fork: workers inherit the resolver (its overrides are closures, not picklable).
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else None)
    if "fork" in methods:
        _load_model_before_fork(paths, resolver)
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_init, initargs=(resolver, keep, os.getpid(), walked), mp_context=mp
    )
    done: list[FileResult] = []
    try:
        pending = {pool.submit(_work, p): p for p in paths}
        lost: list[str] = []
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                path = pending.pop(fut)
                try:
                    done.append(fut.result())
                except BrokenProcessPool:
                    lost.append(path)
                if bar:
                    bar.update(1)
        if lost:
            lost.sort()
            shown = ", ".join(lost[:3]) + (f" and {len(lost) - 3} more" if len(lost) > 3 else "")
            raise WorkerDied(
                f"a worker process was killed (out of memory?); {len(lost)} file"
                f"{'s' if len(lost) != 1 else ''} not linted: {shown}",
                done,
            )
    except BaseException as exc:
        _stop(pool, leaving=isinstance(exc, (KeyboardInterrupt, SystemExit)))
        raise
    pool.shutdown(wait=True)
    return done


def _load_model_before_fork(paths: list[str], resolver) -> None:
    """Load the model here, once, when some file is not in the results cache and its rules need the
    model: the forked workers share it (one tokenizer and one weight table in memory instead of one
    per worker; on the first run the prepared model files are written once, not by every worker)."""
    try:
        from . import resultcache
        from .runner import display_path, needs_model, selected_rules

        for path in paths:
            settings = resolver.for_path(path)
            if not needs_model(selected_rules(settings), settings):
                continue
            if not resultcache.has_entry(path, display_path(path), settings):
                from .embed import preload_for_workers

                preload_for_workers(settings.model, settings.cache)
                return
    except Exception:  # noqa: BLE001 - each worker then loads what it needs, as before
        return


_ABANDONED = False


def abandoned() -> bool:
    """True once a pool was left behind on Ctrl-C or SIGTERM: the process must then end with
    os._exit (cli does), since the interpreter's exit would join the pool's threads."""
    return _ABANDONED


def _stop(pool, leaving: bool = False) -> None:
    """Stop the workers now (Ctrl-C, SIGTERM, a dead worker): no waiting for their current file.

    leaving: vnlint is exiting (Ctrl-C, SIGTERM). The pool's manager and queue-feeder threads are
    then neither shut down nor joined: with its workers killed mid-message, either can block for ever
    on a pipe (a CI run once hung 30 s after `vnlint: interrupted`) or print a traceback from a
    closed pipe. The caller ends the process with os._exit once its clean-up is done."""
    global _ABANDONED
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, ValueError):  # already gone, or closed
            pass
    if leaving:
        _ABANDONED = True
        threading.excepthook = _quiet_thread_error
        return
    pool.shutdown(wait=False, cancel_futures=True)


def _quiet_thread_error(args) -> None:
    """The abandoned pool's threads fail on their closed pipes: that is expected and says nothing."""
