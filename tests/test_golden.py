"""Golden outputs of the CLI on examples/ (text, json, junit), structure and field rules.

Regenerate after an intended change with:  VNLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
(then read the diff: it is the change users will see).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
ARGS = ["--model", "none", "--select", "structure,fields", "--isolated", "examples/"]


def run(fmt: str) -> tuple[int, str]:
    out = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", "--format", fmt, *ARGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, out.stdout


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("json", "json"), ("junit", "xml")])
def test_golden(fmt, ext):
    code, out = run(fmt)
    assert code == 1
    path = GOLDEN / f"examples.{ext}"
    if os.environ.get("VNLINT_UPDATE_GOLDEN"):
        path.write_text(out)
    assert out == path.read_text()


def test_examples_give_exactly_their_documented_field_defects():
    _, out = run("json")
    found = [
        (Path(f["path"]).name, f["code"], f["line"], f["lang"], [r["line"] for r in f["related"]])
        for f in json.loads(out)["findings"]
    ]
    assert found == [
        ("field_defects.txt", "VN200", 125, "fr", [8]),  # requisition 260312 vs 260342
        ("field_defects.txt", "VN203", 131, "fr", [13]),  # deadline 12-Mar-2026 vs 13-mars-2026
        ("field_defects.txt", "VN208", 135, "fr", [15]),  # grade G17 vs G18
        ("field_defects.txt", "VN115", 137, "fr", [12]),  # schedule missing from the French header
        ("field_defects.txt", "VN209", 137, "fr", [16]),  # clearance NS vs CTS
        ("pdf_layout_defects.txt", "VN205", 306, "fr", [15]),  # salary 7,540.44 vs 7 450,44
        ("pdf_layout_defects.txt", "VN114", 359, "fr", [54]),  # one ESSENTIAL bullet dropped
    ]


def test_clean_example_is_clean_with_every_rule():
    out = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", "--isolated", "--format", "json", "examples/clean_notice.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout)["findings"] == []
    assert out.returncode == 0


def test_junit_output_validates_against_the_xsd():
    xsd = sorted((ROOT / "tests" / "data" / "schemas").glob("*junit*.xsd"))
    if not xsd:
        pytest.skip("no JUnit XSD in tests/data/schemas")
    import xmlschema

    schema = xmlschema.XMLSchema(str(xsd[0]))
    _, out = run("junit")
    schema.validate(out)
