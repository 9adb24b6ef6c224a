"""Run one command in a new process and measure it: wall time, CPU time, peak RSS.

Peak RSS is measured two ways, both including worker processes:

* ``rss_proc``: the largest peak RSS of any single process of the tree (the child and every descendant
  it waited for), from ``os.wait4`` -- exact, the figure ``/usr/bin/time -v`` prints.
* ``rss_tree``: the largest *sum* of the RSS of all processes of the tree, polling ``/proc`` every
  ``poll`` seconds (Linux; None elsewhere).  Pages shared between a parent and its forked workers are
  counted once per process, so this is an upper bound of the real footprint.
* ``pss_tree``: the same sum with PSS (``/proc/PID/smaps_rollup``: shared pages split between the
  processes that share them), i.e. the memory the run really occupies.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, the child and its waited-for descendants
    rss_proc: float  # MB, max over processes
    rss_tree: float | None  # MB, max over time of the sum over the tree
    pss_tree: float | None  # MB, same with PSS
    rc: int
    stderr: str


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        rest = stat[stat.rfind(b")") + 2 :].split()
        kids.setdefault(int(rest[1]), []).append(int(name))
    return kids


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree_rss(root: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes over root and its descendants."""
    kids = _children_map()
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                rss += int(fh.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
        pss += _pss(pid)
    return rss, pss


def run(cmd: list[str], env: dict | None = None, poll: float = 0.02, cwd: str | None = None) -> Sample:
    err = tempfile.TemporaryFile()
    can_poll = os.path.isdir("/proc/self")
    peak = [0, 0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                rss, pss = _tree_rss(proc.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            except Exception:
                pass
            stop.wait(poll)

    watcher = threading.Thread(target=watch, daemon=True) if can_poll else None
    if watcher:
        watcher.start()
    # wait4 (not Popen.wait) to get the rusage of the child and its waited-for descendants
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    if watcher:
        watcher.join()
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    rss_proc = usage.ru_maxrss / 1024  # KB on Linux
    tree = peak[0] / 2**20 if can_poll else None
    if tree is not None:
        tree = max(tree, rss_proc)  # a short-lived peak between two polls
    pss = peak[1] / 2**20 if can_poll and peak[1] else None
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss_proc, tree, pss, proc.returncode, text)
