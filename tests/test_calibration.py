"""Smoke test of tools/calibrate.py: two notices, one injection per kind (the full run is for the README)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from inject import KINDS  # noqa: E402


def test_calibrate_smoke(tmp_path, tmp_path_factory):
    env = dict(os.environ)
    # The session's embedding cache (shared with test_semantic.py), never the user's.
    env["VNLINT_CACHE_DIR"] = str(tmp_path_factory.getbasetemp() / "vnlint-cache")
    out_json = tmp_path / "figures.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "calibrate.py"),
            str(ROOT / "examples" / "clean_notice.txt"),
            str(ROOT / "tests/data/notices/budget_assistant.txt"),
            "--per-kind",
            "1",
            "--seed",
            "0",
            "--json",
            str(out_json),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.search(
        r"^notices: 2 \(2 fictional, 0 corpus\); 1 injections per kind per notice; seed 0; model use-m3", out, re.M
    ), out
    assert re.search(r"^kind\s+injected\s+found\s+recall\s+expected codes$", out, re.M)
    for kind in KINDS:  # recall reported for every kind
        m = re.search(rf"^{re.escape(kind)}\s+(\d+)\s+(\d+)\s+(\d\.\d\d)\s+VN\d{{3}}", out, re.M)
        assert m, (kind, out)
        injected, found, recall = int(m[1]), int(m[2]), float(m[3])
        assert injected == 2 and 0 <= found <= injected and recall == round(found / injected, 2)
    assert re.search(r"^spurious, untouched fictional notices: \d+ in 2 notices \(\d+\.\d\d per notice\)$", out, re.M)
    assert re.search(
        rf"^spurious, injected notices: \d+ in {2 * len(KINDS)} notices \(\d+\.\d\d per notice\)$", out, re.M
    )

    figures = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(figures["kinds"]) == set(KINDS) and figures["injected"] == 2 * len(KINDS)
    # the method works on these easy notices: most injected defects are found, clean text stays clean
    assert sum(k["found"] for k in figures["kinds"].values()) >= 0.75 * figures["injected"]
    assert figures["spurious_untouched_per_notice"] <= 0.5


def test_calibrate_rejects_unknown_kind(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "calibrate.py"), "--kinds", "drop-everything"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert proc.returncode == 2 and "unknown kind" in proc.stderr
