"""A resident vnlint: `vnlint daemon start` keeps one warm process per installation.

What a new `vnlint` process pays before it reads a notice (importing its modules, loading the
model's tokenizer and weights, building rule tables and compiling their regular expressions: about
0.5 s of a one-notice run) the daemon pays once, at start, by linting a small built-in notice. For
each run, `vnlint` (vnlint.client) connects to the daemon's socket and sends its arguments, working
folder, environment, umask and its own standard input, output and error (the descriptors
themselves, SCM_RIGHTS). The daemon forks: the copy takes the client's folder, environment,
umask and descriptors, sends its pid, runs exactly what `vnlint ARGS` runs (vnlint.cli), and
sends its exit code. So output goes straight to the client's terminal or pipe (colour, width and
encoding decided as for a process of its own), the configuration is found from the client's
folder, and no state passes from one run to the next: every run starts from the warm copy.
Ctrl-C, SIGTERM and SIGHUP sent to the client are passed on to the run.

The daemon stops when told (`vnlint daemon stop`), after `--idle-timeout` seconds without a run,
and as soon as any of vnlint's source or data files changed (the run that notices it is done by
the client itself). It never answers another interpreter's or another installation's client (its
socket name says which), and its socket lives in a folder only its user can enter.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import sys
import time

from . import __version__
from .client import PROTOCOL, safe_dir, socket_dir, socket_path

DEFAULT_IDLE_TIMEOUT = 1800.0  # seconds without a run before the daemon stops
_LOCK = -1  # the daemon's lock file (one daemon per socket)
_HEADER_MAX = 4 * 1024 * 1024  # arguments and environment


def log_path() -> str:
    return socket_path()[: -len(".sock")] + ".log"


def files_state(roots: list[str] | None = None) -> tuple:
    """(path, size, mtime) of every source and data file of the installation (the results cache's
    `source_state`): the daemon stops when it changes (a new version, an edited data file), so no
    run uses code that is not on disk."""
    from .resultcache import source_state

    return source_state(roots)


# ------------------------------------------------------------------------------------ control


def _request(header: dict, timeout: float = 5.0) -> dict | None:
    """A control request (status, stop) to the running daemon; None when none answers."""
    from .client import _send

    if not safe_dir(socket_dir()) or not os.path.exists(socket_path()):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(socket_path())
        _send(sock, {"protocol": PROTOCOL, **header}, [])
        with sock.makefile("rb") as fh:
            line = fh.readline(1 << 16)
        return json.loads(line) if line else None
    except (OSError, ValueError):
        return None
    finally:
        sock.close()


def status() -> dict | None:
    return _request({"command": "status"})


def stop(timeout: float = 10.0) -> bool:
    """Tell the daemon to stop and wait until it has; False if none was running."""
    got = _request({"command": "stop"})
    if got is None:
        return False
    deadline = time.monotonic() + timeout
    while os.path.exists(socket_path()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def start(idle_timeout: float = DEFAULT_IDLE_TIMEOUT, wait: float = 60.0) -> dict:
    """Start the daemon in the background (detached from this terminal) and wait until it listens;
    the status of the daemon that answers (one already running is left as it is)."""
    running = status()
    if running is not None:
        return {**running, "already": True}
    folder = socket_dir()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if not safe_dir(folder):
        raise RuntimeError(f"{folder} is not a folder that only this user can write in")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the daemon's side (tests see it through its socket)
        try:
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            _detach()
            serve(idle_timeout)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        got = status()
        if got is not None:
            return got
        time.sleep(0.05)
    raise RuntimeError(f"the daemon did not start within {wait:.0f} s (see {log_path()})")


def _detach() -> None:  # pragma: no cover - runs in the daemon
    """Let go of whatever the starting process had open (a CI step that waits for its pipes to close
    must not wait for the daemon), and write to the log file."""
    os.closerange(3, 1 << 16)
    os.chdir("/")
    fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(fd, 0)
    os.close(fd)
    fd = os.open(log_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


# ------------------------------------------------------------------------------------ server


def warm_up() -> None:
    """Do once what every run would do: import vnlint and its checks, load the default model, build
    the rule tables and compile their regular expressions, by linting a small built-in notice."""

    from . import cli, embed, runner  # noqa: F401 - cli: imported for the runs
    from .config import Settings

    settings = Settings()
    runner.lint_text(_warm_up_notice(), settings)
    try:  # every term of the default glossary, not only the warm-up notice's
        from .glossary_import import terms_from_table
        from .wordlevel import prepare_terms

        prepare_terms(terms_from_table(settings.knowledge("glossary")))
    except Exception:  # noqa: BLE001 - the runs compile what they need themselves
        pass
    # What depends on the environment or the cache folder is made again by each run from its own
    # (VNLINT_CACHE_DIR, VNLINT_THREADS...): the embedder and its vectors in memory. The model
    # itself (tokenizer, weights) is the same for every run and stays.
    runner._EMBEDDERS.clear()
    embed.clear_memory_cache()
    try:
        embed.preload_for_workers(settings.model, prepared=True)  # joins the weights thread, gc.freeze
    except Exception:  # noqa: BLE001 - the runs load what they need themselves
        pass


def serve(idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> None:  # pragma: no cover - the daemon's loop
    import fcntl
    import threading

    # One daemon per socket: a second `start` racing this one finds the lock taken and leaves.
    global _LOCK
    _LOCK = os.open(socket_path()[: -len(".sock")] + ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(_LOCK, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return
    started = time.time()
    warm_up()
    warm_s = time.time() - started
    # A fork copies only the thread that calls it: nothing else may be running (or holding a lock).
    for t in threading.enumerate():
        if t is not threading.main_thread():
            t.join(timeout=30)
    if threading.active_count() > 1:
        print(f"vnlint daemon: threads still running after warm-up: {threading.enumerate()}", flush=True)
        return
    state = files_state()
    path = socket_path()
    try:
        os.unlink(path)  # a socket left by a daemon that was killed
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # each run's copy is reaped by the system
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    served = 0
    warmed = 0  # runs answered by a spare copy (see _fork_spare)
    info = {
        "pid": os.getpid(),
        "version": __version__,
        "socket": path,
        "started": started,
        "warm_up_s": round(warm_s, 2),
        "idle_timeout": idle_timeout,
    }
    spare: socket.socket | None = None  # the next run's copy, forked and warmed ahead (_fork_spare)
    last = time.monotonic()  # the last request
    try:
        while True:
            idle = time.monotonic() - last
            if idle_timeout > 0 and idle >= idle_timeout:
                return  # idle
            if spare is None and idle >= SPARE_AFTER:
                spare = _fork_spare(listener)
            wait = SPARE_AFTER - idle if spare is None else None
            if idle_timeout > 0:
                left = idle_timeout - idle
                wait = left if wait is None else min(wait, left)
            listener.settimeout(max(0.01, wait) if wait is not None else None)
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            last = time.monotonic()
            try:
                header, fds = _receive(conn)
            except (OSError, ValueError):
                conn.close()
                continue
            command = header.get("command", "run")
            if command == "status":
                _reply(conn, {**info, "runs": served, "warm_runs": warmed})
                continue
            if command == "stop":
                _reply(conn, {"stopping": True})
                return
            fresh = files_state() == state
            if header.get("protocol") != PROTOCOL or not fresh or len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                _send_line(conn, "fallback")
                conn.close()
                if not fresh:
                    return  # the installation changed: this daemon's code is not what is on disk
                continue
            served += 1
            if spare is not None and _hand_over(spare, header, [conn.fileno(), *fds]):
                spare.close()
                spare = None
                warmed += 1
            else:
                if spare is not None:  # gone: another one is forked once the daemon is idle
                    spare.close()
                    spare = None
                if os.fork() == 0:
                    listener.close()
                    os.close(_LOCK)  # a run that outlives this daemon must not keep the next one from starting
                    _run(conn, header, fds)  # never returns
            for fd in fds:
                os.close(fd)
            conn.close()
    finally:
        if spare is not None:
            spare.close()  # the spare sees the end of its socket and leaves
        try:
            os.unlink(path)
        except OSError:
            pass
        listener.close()


# ------------------------------------------------------------------------------------ spare copy

SPARE_AFTER = 0.5  # seconds without a request before the next run's copy is forked and warmed


def _fork_spare(listener) -> socket.socket | None:  # pragma: no cover - the daemon's side
    """Fork the copy that will run the next request, and let it take now, while the daemon is idle,
    the costs a fresh copy pays on its first use of memory: each page of the daemon it writes to
    (Python objects' counts, the encoder's buffers) is copied on its first write. It lints the
    built-in notice again with the model alone (no embedding cache: nothing written, no vector kept;
    the daemon's own warm-up did the same), then waits for its request on a socket of its own
    (`_hand_over`). A new notice was answered about 0.03 s sooner (0.37 -> 0.34 s, runs 1 s apart).
    None when it cannot be made: the run is then forked as before."""
    try:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        ours.close()
        theirs.close()
        return None
    if pid != 0:
        theirs.close()
        return ours
    try:
        listener.close()
        ours.close()
        os.close(_LOCK)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _warm_copy()
        msg, fds, _flags, _addr = socket.recv_fds(theirs, 8, 4)
        if len(fds) != 4:
            raise OSError("no request")
        conn = socket.socket(fileno=fds[0])
        header = _header(theirs, msg)
        theirs.close()
        _run(conn, header, fds[1:])  # never returns
    except BaseException:  # noqa: BLE001 - the daemon is gone or the hand-over failed
        pass
    os._exit(0)


def _warm_up_notice() -> str:
    """The built-in notice the daemon and its spare copies lint to warm up."""
    from importlib import resources

    return (resources.files("vnlint") / "data" / "warmup_notice.txt").read_text(encoding="utf-8")


def _warm_copy() -> None:  # pragma: no cover - runs in the spare copy
    from . import embed, runner
    from .config import Settings

    try:  # the model alone (no embedding cache: nothing written, no vector kept in memory)
        runner.lint_text(_warm_up_notice(), Settings(), embedder_factory=lambda _settings: embed.UseM3Embedder())
    except Exception:  # noqa: BLE001 - only a warm-up
        pass


def _hand_over(spare: socket.socket, header: dict, fds: list[int]) -> bool:
    """Give the request (the client's connection and descriptors, the header) to the spare copy;
    False when it is gone."""
    data = json.dumps(header).encode("utf-8", "surrogateescape")
    try:
        socket.send_fds(spare, [b"%08x" % len(data)], fds)
        spare.sendall(data)
        return True
    except OSError:
        return False


def _receive(conn) -> tuple[dict, list[int]]:
    conn.settimeout(5.0)
    msg, fds, _flags, _addr = socket.recv_fds(conn, 8, 3)
    try:
        return _header(conn, msg), list(fds)
    except BaseException:
        for fd in fds:  # a bad request must not leave the daemon holding the client's descriptors
            os.close(fd)
        raise


def _header(conn, msg: bytes) -> dict:
    if len(msg) != 8:
        raise ValueError("bad request")
    size = int(msg, 16)
    if not 0 < size <= _HEADER_MAX:
        raise ValueError("bad request size")
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ValueError("short request")
        data += chunk
    header = json.loads(data.decode("utf-8", "surrogateescape"))
    if not isinstance(header, dict):
        raise ValueError("bad request")
    return header


def _reply(conn, obj: dict) -> None:
    try:
        _send_line(conn, json.dumps(obj))
    finally:
        conn.close()


def _send_line(conn, text: str) -> None:
    conn.sendall(text.encode("utf-8") + b"\n")


def _run(conn, header: dict, fds: list[int]) -> None:  # pragma: no cover - runs in the forked copy
    """The forked copy: become the client's process (folder, environment, umask, standard streams),
    run `vnlint ARGS`, send the exit code."""
    code = 70
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # --jobs waits for its workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(header["cwd"])
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in header.get("env", {}).items()})
        os.umask(int(header.get("umask", 0o022)))
        _streams(header.get("streams") or [None, None, None])
        from . import embed

        embed.adopt_environment()
        embed.defer_writes()  # the new vectors are written once the client has its answer
        from . import engine

        engine.split_rules()  # the glossary rules in a second copy, side by side with the others
        conn.settimeout(None)
        _send_line(conn, f"pid {os.getpid()}")
    except BaseException:  # noqa: BLE001 - the client is gone or sent nonsense
        os._exit(code)
    try:
        from .cli import main

        sys.argv = ["vnlint", *[str(a) for a in header.get("argv", [])]]
        main(args=sys.argv[1:], prog_name="vnlint")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - as an uncaught error ends a process: traceback, exit 1
        import traceback

        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        _send_line(conn, f"exit {code}")
    except OSError:
        pass
    # The client has its answer: let go of its terminal or pipes (a CI step reading them sees their
    # end now), then write the run's new vectors to its embedding cache (~0.05 s for a new notice).
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        os.close(null)
        conn.close()
        from . import embed

        embed.write_deferred()
    except BaseException:  # noqa: BLE001 - a lost cache entry only costs time
        pass
    os._exit(code)


def _streams(specs: list) -> None:  # pragma: no cover - runs in the forked copy
    """sys.stdin, stdout and stderr rebuilt on descriptors 0-2 as Python builds them at start-up
    (the client's encoding and error handler; line-buffered on a terminal, stderr always)."""
    made = []
    for fd, spec, mode in ((0, specs[0], "r"), (1, specs[1], "w"), (2, specs[2], "w")):
        spec = spec or {}
        raw = io.FileIO(fd, mode, closefd=False)
        tty = raw.isatty()
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        made.append(
            io.TextIOWrapper(
                buffered,
                encoding=spec.get("encoding") or "utf-8",
                errors=spec.get("errors") or ("backslashreplace" if fd == 2 else "strict"),
                line_buffering=mode == "w" and (tty or fd == 2),
            )
        )
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made


def describe(info: dict) -> str:
    up = time.time() - float(info.get("started", time.time()))
    return (
        f"vnlint daemon {info.get('version')} running: pid {info.get('pid')}, up {up:.0f} s, "
        f"{info.get('runs', 0)} run(s) ({info.get('warm_runs', 0)} by a warmed copy), "
        f"stops after {float(info.get('idle_timeout', 0)):.0f} s idle; "
        f"socket {info.get('socket')}"
    )
