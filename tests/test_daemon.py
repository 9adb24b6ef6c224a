"""The resident daemon (`vnlint daemon start`): a run it answers is the run `vnlint` does alone —
same standard output, standard error and exit code, configuration found from the caller's folder,
the caller's environment, Ctrl-C and SIGTERM passed on — and it steps aside when it cannot answer."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnlint import client, daemon

ROOT = Path(__file__).resolve().parent.parent
VNLINT = str(Path(sys.executable).with_name("vnlint"))
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and AF_UNIX")


def _env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "VNLINT_DAEMON"}
    env.update({"VNLINT_DAEMON_DIR": str(home / "d"), "NO_COLOR": "1", "VNLINT_RESULT_CACHE": "0"}, **extra)
    return env


def _vnlint(args, env, cwd=ROOT, **kw):
    return subprocess.run([VNLINT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300, **kw)


def _python(code: str, env) -> str:
    """What `code` prints in a new interpreter with this environment (the daemon's folder is read
    from the environment, as `vnlint` reads it)."""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def _status(env) -> dict | None:
    return json.loads(_python("import json; from vnlint import daemon; print(json.dumps(daemon.status()))", env))


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    home = tmp_path_factory.mktemp("daemon")
    env = _env(home)
    started = _vnlint(["daemon", "start", "--idle-timeout", "600"], env)
    assert started.returncode == 0, started.stderr
    assert "running: pid" in started.stdout
    yield home, env
    stopped = _vnlint(["daemon", "stop"], env)
    assert "stopped" in stopped.stdout


def test_a_run_in_the_daemon_is_the_run_alone(running):
    home, env = running
    before = _status(env)["runs"]
    alone = {**env, "VNLINT_DAEMON": "0"}
    cases = [[str(p)] for p in EXAMPLES] + [
        ["--format", "json", *map(str, EXAMPLES)],
        ["--jobs", "2", "--format", "json", *map(str, EXAMPLES)],  # worker processes forked from the run
        ["--format", "junit", str(EXAMPLES[0])],
        [str(ROOT / "no-such-notice.txt")],  # exit 2, a message on stderr
        ["--select", "VN2", "--fail-on", "error", str(EXAMPLES[1])],
    ]
    for args in cases:
        a, b = _vnlint(args, env), _vnlint(args, alone)
        assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr), args
    assert {_vnlint([str(EXAMPLES[1])], env).returncode} == {1}
    assert _status(env)["runs"] == before + len(cases) + 1  # the daemon answered them all


def test_a_run_after_a_pause_is_answered_by_the_warmed_spare(running, tmp_path):
    """Once the daemon has been idle a moment it forks the next run's copy ahead and warms it; that
    copy answers the next run, which is still the run alone, byte for byte. The run answers first
    and writes the notice's new vectors after: they reach the caller's VNLINT_CACHE_DIR, all of
    those a run alone writes."""
    home, env = running
    before = _status(env)
    time.sleep(daemon.SPARE_AFTER + 1.0)  # the spare is forked (and lints the built-in notice)
    args = ["--format", "json", str(EXAMPLES[1])]
    a = _vnlint(args, {**env, "VNLINT_CACHE_DIR": str(tmp_path / "daemon")})
    b = _vnlint(args, {**env, "VNLINT_CACHE_DIR": str(tmp_path / "alone"), "VNLINT_DAEMON": "0"})
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
    after = _status(env)
    assert after["runs"] == before["runs"] + 1
    assert after["warm_runs"] == before["warm_runs"] + 1
    want = sorted(p.name for p in (tmp_path / "alone" / "embeddings").rglob("*.vec"))
    assert len(want) > 100
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        got = sorted(p.name for p in (tmp_path / "daemon" / "embeddings").rglob("*.vec"))
        if got == want:
            break
        time.sleep(0.1)
    assert got == want


def test_the_run_uses_the_callers_folder_and_environment(running, tmp_path):
    home, env = running
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "examples" / "field_defects.txt", project / "notice.txt")
    (project / "pyproject.toml").write_text('[tool.vnlint]\nselect = ["VN200"]\n', encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**env, "VNLINT_CACHE_DIR": str(cache), "VNLINT_RESULT_CACHE": "1"}
    before = _status(env)["runs"]
    got = _vnlint(["notice.txt"], env, cwd=project)
    assert got.returncode == 1 and "VN200" in got.stdout and "VN203" not in got.stdout, got.stdout
    assert list((cache / "results").rglob("*.json")), "the run wrote its results under the caller's VNLINT_CACHE_DIR"
    assert _status(env)["runs"] == before + 1
    alone = _vnlint(["notice.txt"], {**env, "VNLINT_DAEMON": "0"}, cwd=project)
    assert (alone.returncode, alone.stdout) == (got.returncode, got.stdout)


@pytest.mark.parametrize("sig,code,said", [(signal.SIGINT, 130, "vnlint: interrupted\n"), (signal.SIGTERM, 143, "")])
def test_signals_reach_the_run(running, sig, code, said):
    """`vnlint -` waits for its standard input; Ctrl-C (or SIGTERM) sent to the client ends the run
    in the daemon exactly as it ends a run of its own."""
    home, env = running
    before = _status(env)["runs"]
    proc = subprocess.Popen(
        [VNLINT, "-"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while _status(env)["runs"] == before and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the run reads its input
    proc.send_signal(sig)
    try:
        proc.wait(timeout=60)  # standard input stays open: only the signal can end the run
        out, err = proc.stdout.read(), proc.stderr.read()
    finally:
        proc.kill()
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()
    assert (proc.returncode, out, err.decode()) == (code, b"", said)


def test_vnlint_daemon_0_runs_alone(running):
    home, env = running
    before = _status(env)["runs"]
    got = _vnlint([str(EXAMPLES[0])], {**env, "VNLINT_DAEMON": "0"})
    assert got.returncode == 0
    assert _status(env)["runs"] == before


def test_a_request_the_daemon_cannot_take_is_run_by_the_client(running):
    """Another protocol (a client of another version) gets "fallback", and the daemon carries on."""
    home, env = running
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    old = os.environ.get("VNLINT_DAEMON_DIR")
    os.environ["VNLINT_DAEMON_DIR"] = env["VNLINT_DAEMON_DIR"]
    try:
        sock.connect(client.socket_path())
        r, w = os.pipe()
        client._send(sock, {"protocol": 999, "argv": ["x"], "cwd": "/", "env": {}}, [r, w, w])
        assert sock.makefile("rb").readline().strip() == b"fallback"
        os.close(r)
        os.close(w)
    finally:
        sock.close()
        if old is None:
            del os.environ["VNLINT_DAEMON_DIR"]
        else:
            os.environ["VNLINT_DAEMON_DIR"] = old
    assert _status(env) is not None


def test_the_daemon_notices_a_changed_installation(tmp_path):
    """It stops when a source or data file changes (size or mtime): the state it compares."""
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "b.toml").write_text("y = 2\n")
    first = daemon.files_state([str(tmp_path)])
    assert len(first) == 2 and daemon.files_state([str(tmp_path)]) == first
    os.utime(tmp_path / "data" / "b.toml", ns=(1, 1))
    assert daemon.files_state([str(tmp_path)]) != first


def test_without_a_daemon_vnlint_runs_alone(tmp_path):
    env = _env(tmp_path)
    assert _status(env) is None
    got = _vnlint(["daemon", "status"], env)
    assert (got.returncode, got.stdout) == (1, "no vnlint daemon is running\n")
    assert _vnlint([str(EXAMPLES[0])], env).returncode == 0


def test_the_client_imports_no_heavy_module():
    """With a daemon running, the client's whole cost is Python's start-up: it imports neither
    click nor numpy nor vnlint's own modules."""
    code = "import sys, vnlint.client; print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'numpy') or m.startswith('vnlint.') and m != 'vnlint.client'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_the_socket_folder_must_be_private(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    assert not client.safe_dir(str(folder))
    os.chmod(folder, 0o700)
    assert client.safe_dir(str(folder))


def test_a_dead_daemons_socket_is_ignored(tmp_path):
    """A socket file left by a daemon that was killed: `vnlint` runs alone, as without a daemon."""
    env = _env(tmp_path)
    folder = Path(env["VNLINT_DAEMON_DIR"])
    folder.mkdir(mode=0o700)
    path = _python("from vnlint import client; print(client.socket_path())", env)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()  # the file stays, nobody listens
    assert Path(path).exists()
    got = _vnlint([str(EXAMPLES[0])], env)
    assert (got.returncode, got.stderr) == (0, "")
    os.chmod(folder, 0o777)  # a folder others may write in: not even tried
    got = _vnlint([str(EXAMPLES[0])], env)
    assert (got.returncode, got.stderr) == (0, "")


def test_the_daemon_keeps_no_descriptor_of_the_process_that_started_it(tmp_path):
    """A CI step or a script waits until every writer of its pipe is gone: the daemon must not be one."""
    env = _env(tmp_path)
    r, w = os.pipe()
    try:
        proc = subprocess.run(
            [VNLINT, "daemon", "start", "--idle-timeout", "120"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            pass_fds=(w,),
        )
        assert proc.returncode == 0, proc.stderr
        os.close(w)
        w = None
        os.set_blocking(r, False)
        deadline = time.monotonic() + 10
        while True:
            try:
                if os.read(r, 1) == b"":
                    break  # end of file: no process holds the write end any more
            except BlockingIOError:
                assert time.monotonic() < deadline, "the daemon still holds the starting process's pipe"
                time.sleep(0.05)
    finally:
        os.close(r)
        if w is not None:
            os.close(w)
        _vnlint(["daemon", "stop"], env)
