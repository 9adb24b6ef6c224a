"""The README's first two commands are what CI runs, and its JSON example follows the contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [ln.strip() for ln in block.splitlines() if ln.strip()]


def test_ci_runs_the_readme_commands():
    install, tests = readme_commands()[:2]
    ci = (ROOT / ".ci" / "run").read_text()
    # CI runs the same steps (split over lines, quiet pip), in the same order.
    steps = [s.strip() for s in install.split("&&")]
    pos = 0
    for step in steps:
        core = step.replace(".venv/bin/pip install", ".venv/bin/pip install -q").split(" -q ")[-1]
        idx = ci.find(core, pos)
        assert idx >= 0, f"CI does not run {step!r}"
        pos = idx
    assert tests in ci


def test_readme_json_example_has_the_contract_keys():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    doc = json.loads(block)
    assert doc["version"] == 1
    keys = {"path", "code", "severity", "message", "line", "end_line", "column", "lang", "section", "related"}
    assert set(doc["findings"][0]) == keys
    assert set(doc["findings"][0]["related"][0]) == {"path", "line", "end_line", "lang"}
