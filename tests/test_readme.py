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


def test_plain_user_install_comes_before_the_optional_torch_step():
    """A user's install is one plain `pip install` (no torch, no extras); torch (CPU build) and the
    sentence-transformers extra are a separate, later step; the dev set-up stays the first two commands."""
    text = (ROOT / "README.md").read_text()
    intro = text[: text.index("## Set-up")]
    assert "Installing vnlint" in intro and "no torch" in intro
    section = text[text.index("## Installing vnlint") : text.index("## Usage")]
    blocks = [
        [ln.strip() for ln in b.splitlines() if ln.strip()] for b in re.findall(r"```sh\n(.*?)```", section, re.S)
    ]
    plain, optional = blocks[0], blocks[1]
    assert plain[0].startswith("pip install ") and "torch" not in plain[0] and "vnlint[" not in plain[0]
    assert any("torch" in c and "whl/cpu" in c for c in optional)
    assert any("vnlint[st]" in c for c in optional)
    assert optional.index(next(c for c in optional if "torch" in c)) < optional.index(
        next(c for c in optional if "vnlint[st]" in c)
    )
    # The dev/CI set-up is still the first two commands of the README.
    assert readme_commands()[0].startswith("python3 -m venv .venv")
