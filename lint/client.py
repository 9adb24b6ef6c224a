"""The `vnlint` command: hands the run to a resident vnlint (`vnlint daemon start`) when one is
running for this installation, else runs it in this process (vnlint.cli).

This module imports only the standard library's small modules: when no daemon is running it costs
one stat() before vnlint.cli is imported, and when one is, the whole run costs this process about
as much as starting Python. What is sent and why it gives the same result: see vnlint.daemon.
"""

from __future__ import annotations

import os
import sys
import zlib

PROTOCOL = 1
ENV_SWITCH = "VNLINT_DAEMON"  # "0": never use a daemon
ENV_DIR = "VNLINT_DAEMON_DIR"  # where the socket lives (default: $XDG_RUNTIME_DIR/vnlint-UID or /tmp)
# Commands that always run here: the daemon's own controls, and what prints help or a version.
LOCAL = {"daemon", "--help", "-h", "--version"}


def package_dir() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def socket_dir() -> str:
    env = os.environ.get(ENV_DIR)
    if env:
        return env
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    return os.path.join(base, f"vnlint-{os.getuid()}")


def socket_path() -> str:
    """One daemon per Python environment and vnlint installation (a venv's vnlint never answers for
    another's): the socket's name is a checksum of the environment's prefix and vnlint's folder."""
    tag = zlib.crc32(f"{sys.prefix}\0{sys.version}\0{package_dir()}".encode("utf-8", "surrogateescape"))
    return os.path.join(socket_dir(), f"{tag:08x}.sock")


def safe_dir(path: str) -> bool:
    """The socket's folder is this user's and nobody else can write in it."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def usable() -> bool:
    return (
        os.environ.get(ENV_SWITCH, "1") != "0"
        and sys.platform != "win32"
        and hasattr(os, "fork")
        and os.path.exists(socket_path())
    )


def main() -> None:
    argv = sys.argv[1:]
    if not (argv and argv[0] in LOCAL) and usable():
        code = run_in_daemon(argv)
        if code is not None:
            sys.exit(code)

    _larger_re_cache()
    if "--no-cache" not in argv:
        from vnlint import regexcache  # before vnlint's modules and their libraries compile theirs

        regexcache.install()
    from vnlint.cli import main as run_here

    run_here()


RE_CACHE = 4096  # patterns `re` keeps compiled in the vnlint command's process (its own: 512)


def _larger_re_cache() -> None:
    """The vnlint command's process (and a daemon started from it) keeps more compiled patterns than
    `re`'s 512: pysbd builds about 300 patterns per text from its abbreviation list, so with vnlint's
    own they overflow `re`'s cache and pysbd compiles the same ones again for every paragraph
    (364 compilations on a notice in a daemon run, 80 with this). Only this command does it, never a
    program that imports vnlint."""
    import re

    if isinstance(getattr(re, "_MAXCACHE", None), int) and re._MAXCACHE < RE_CACHE:
        re._MAXCACHE = RE_CACHE


def _send(sock, header: dict, fds: list[int]) -> None:
    import json
    import socket

    data = json.dumps(header).encode("utf-8", "surrogateescape")
    socket.send_fds(sock, [b"%08x" % len(data)], fds)
    sock.sendall(data)


def run_in_daemon(argv: list[str]) -> int | None:
    """The run's exit code, from a copy of the daemon that wrote to this process's own stdout and
    stderr; None when the daemon cannot take the run (none listening, another version, its code
    changed since it started): the caller then runs it here, and nothing was written."""
    import signal
    import socket

    if not safe_dir(socket_dir()):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    child: list[int] = []
    forwarded: list[int] = []

    def kill(signum: int) -> None:
        try:
            os.kill(child[0], signum)
        except OSError:
            pass

    def forward(signum, frame):  # Ctrl-C and kill reach this process: pass them on to the run
        forwarded.append(signum)
        if child:
            kill(signum)

    previous: dict = {}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    try:
        sock.settimeout(5.0)
        sock.connect(socket_path())
        header = {
            "protocol": PROTOCOL,
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "umask": _umask(),
            "streams": [_stream(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
        }
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, forward)
        _send(sock, header, [0, 1, 2])
        replies = sock.makefile("rb")
        reply = _line(replies)
    except (OSError, ValueError):
        sock.close()
        restore()
        return _not_taken(forwarded)
    if not reply.startswith("pid ") or not reply[4:].isdigit():
        sock.close()
        restore()
        return _not_taken(forwarded)  # "fallback": another version, or its code changed
    child.append(int(reply[4:]))
    for signum in list(forwarded):  # a signal that came before the run's pid did
        kill(signum)
    sock.settimeout(None)
    try:
        reply = _line(replies)
    except OSError:
        reply = ""
    finally:
        replies.close()
        sock.close()
    if reply.startswith("exit ") and reply[5:].isdigit():
        return int(reply[5:])
    if forwarded:  # the run ended on the signal without saying so (as a process killed by it)
        return 128 + forwarded[-1]
    sys.stderr.write("vnlint: error: the run in the vnlint daemon ended without a result (`vnlint daemon status`)\n")
    return 2


def _not_taken(forwarded: list[int]) -> int | None:
    """The daemon did not take the run: run it here, unless Ctrl-C (or kill) came meanwhile."""
    if forwarded:
        sys.stderr.write("vnlint: interrupted\n")
        return 128 + forwarded[-1]
    return None


def _line(replies) -> str:
    return replies.readline(256).decode("ascii", "replace").strip()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stream(s) -> dict | None:
    """How Python set up this process's stream: the daemon's copy rebuilds it the same way."""
    if s is None:
        return None
    return {"encoding": getattr(s, "encoding", None), "errors": getattr(s, "errors", None)}


if __name__ == "__main__":  # pragma: no cover
    main()
