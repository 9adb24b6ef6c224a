"""Directory walks honour .gitignore files as git does: each file's patterns apply below its own
directory, a deeper file overrides a shallower one, the last matching pattern wins (`!` re-includes),
and an ignored directory is not entered. Inside a git repository, the .gitignore files from the
repository root down and .git/info/exclude apply; outside one, those from the walked directory down.
Matching is pathspec's implementation of gitignore's rules."""

from __future__ import annotations

import os
from typing import Optional


def _repo_root(start: str) -> Optional[str]:
    d = start
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


class GitIgnores:
    """Which paths below `top` git would ignore."""

    def __init__(self, top: str):
        self.top = os.path.abspath(top)
        self.repo = _repo_root(self.top)
        self._specs: dict[str, object] = {}

    def _spec(self, d: str):
        if d not in self._specs:
            import pathspec

            lines = _read_lines(os.path.join(d, ".gitignore"))
            if d == self.repo:
                lines = _read_lines(os.path.join(d, ".git", "info", "exclude")) + lines
            self._specs[d] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[d]

    def _bases(self, d: str) -> list[str]:
        """Directories whose .gitignore applies to entries of `d`, outermost first."""
        stop = self.repo or self.top
        out = []
        while True:
            out.append(d)
            if d == stop:
                break
            parent = os.path.dirname(d)
            if parent == d or not d.startswith(stop):
                break
            d = parent
        return out[::-1]

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        full = os.path.abspath(path)
        verdict = None
        for base in self._bases(os.path.dirname(full)):
            spec = self._spec(base)
            if spec is None:
                continue
            rel = os.path.relpath(full, base).replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)
