"""Files vnlint does not trust (cache entries) and files it must not leave half-written (reports).

`read_regular` reads a cache entry only when it is a regular file of bounded size: a FIFO planted in
the cache would block a reader forever, a link to /dev/zero would fill memory. `AtomicWriter` writes
a report or a baseline to a temporary file beside its target and renames it into place, so the
target is either the old file or the whole new one, and no temporary file outlives an error.
"""

from __future__ import annotations

import os
import stat
import tempfile

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def read_regular(path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link, FIFO, device or socket) of at most
    `limit` bytes; None otherwise, or if it cannot be read. Never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while read
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicWriter:
    """Reserve `target` now (a temporary file beside it, so an unwritable place fails before any
    work), write it later with `commit(text)`, or `discard()` it. A target that exists and is not a
    regular file (/dev/stdout, a FIFO) is written directly: it cannot be replaced by a rename."""

    def __init__(self, target: str):
        self.target = target
        self.tmp: str | None = None
        self._direct = False
        try:
            mode = os.stat(target).st_mode  # through links: /dev/stdout is a link to a pipe or a tty
        except FileNotFoundError:
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory")
        if mode is not None and not stat.S_ISREG(mode):
            self._direct, self.real = True, target
            if not os.access(target, os.W_OK):
                raise PermissionError(13, "Permission denied")
            return
        # A link to a report is followed: the new report goes beside the file it points to.
        self.real = real = os.path.realpath(target) if mode is not None else target
        fd, self.tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=os.path.dirname(real) or "."
        )
        os.close(fd)
        try:  # mkstemp makes 0600; a report gets the usual mode (the old file's, or 0666 less umask)
            os.chmod(self.tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        except OSError:
            pass

    def commit(self, text: str) -> None:
        """Write `text` (UTF-8) and move it into place; on any error the temporary file is removed
        and the old target is left as it was."""
        if self._direct:
            with open(self.real, "w", encoding="utf-8") as fh:
                fh.write(text)
            return
        try:
            with open(self.tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(self.tmp, self.real)
            self.tmp = None
        finally:
            self.discard()

    def discard(self) -> None:
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None


def write_cache_entry(path, data: bytes) -> None:
    """Write a cache entry atomically (a temporary ".tmp-*.part" file beside it, then a rename), so
    concurrent readers see the old entry or the whole new one; not flushed to disk (a lost entry only
    costs time)."""
    from .atomic import write_atomic

    write_atomic(path, data, durable=False, mode_of_target=False, prefix=".tmp-", suffix=".part", follow_links=False)
