"""Writing a file atomically: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO, Callable


def write_atomic(
    path,
    data: bytes | Callable[[BinaryIO], object],
    *,
    durable: bool = True,
    mode_of_target: bool = True,
    prefix: str | None = None,
    suffix: str = ".tmp",
    follow_links: bool = True,
) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half of
    one. ``durable``: flushed to disk before the rename. ``mode_of_target``: an existing file keeps
    its permissions, a new one gets the usual mode for the umask (not mkstemp's private 0600).
    ``prefix``/``suffix`` name the temporary file (default: ".NAME." and ".tmp"). ``data`` may be a
    function that writes into the open file (a large array, without a copy in memory).
    ``follow_links``: a link at ``path`` has its target rewritten (a user's file, as an editor does);
    False replaces the link itself (cache entries: a link planted there, to /dev/zero say, is a
    damaged entry, and its target must never be written)."""
    target = os.path.realpath(path) if follow_links else os.path.abspath(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}." if prefix is None else prefix,
        suffix=suffix,
        dir=os.path.dirname(target) or ".",
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode_of_target:
            try:
                mode = os.stat(target).st_mode & 0o7777
            except OSError:
                mask = os.umask(0)
                os.umask(mask)
                mode = 0o666 & ~mask
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
