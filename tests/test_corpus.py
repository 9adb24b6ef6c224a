"""Acceptance on the real notices in ../shared/corpus (skipped when it is absent).

The corpus is read, never copied: these tests only assert how vnlint parses and pairs it and which
header/title findings it gives (the differences a careful reader finds, and nothing else).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vnlint.structure_align import align
from vnlint.config import Settings
from vnlint.runner import lint_file, load_notice

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not FILES, reason="../shared/corpus is absent")]


def settings(select=None):
    s = Settings()
    s.model = "none"
    if select is not None:
        from vnlint.codes import resolve

        s.select = {c.code for sel in select for c in resolve(sel)}
    return s


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:3])
def test_every_section_and_field_present_on_both_sides_is_paired(path):
    notice = load_notice(str(path), settings())
    assert notice.en is not None and notice.fr is not None
    assert notice.problems == []
    al = align(notice)
    en_keys = {s.key for s in notice.en.sections}
    fr_keys = {s.key for s in notice.fr.sections}
    assert en_keys == fr_keys == {"0", "1", "2", "3", "4", "5", "6", "7", "8"}
    for sp in al.sections:
        assert sp.aligned, f"section {sp.key} not paired"
        assert sp.en.key == sp.fr.key
    both = set(notice.en.fields) & set(notice.fr.fields)
    assert both and {fp.key for fp in al.fields if fp.aligned} == both
    assert set(notice.en.fields) == set(notice.fr.fields)


def test_show_json_pairs_sections_and_fields():
    for path in FILES:
        out = subprocess.run(
            [sys.executable, "-m", "vnlint.cli", "show", "--format", "json", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        doc = json.loads(out.stdout)
        sections = [r for r in doc["rows"] if r["kind"] == "section"]
        fields = [r for r in doc["rows"] if r["kind"] == "field"]
        assert len(sections) == 9 and all(r["en"] and r["fr"] for r in sections)
        assert fields and all(r["en"] and r["fr"] for r in fields)


def test_field_checks_find_the_header_differences_and_nothing_else():
    found = {}
    for path in FILES:
        res = lint_file(str(path), settings(["fields", "structure"]))
        found[path.name[:3]] = [(f.code, f.line) for f in res.findings]
    # 002: the French title splits the three posts by trust fund (CAP 1, DCB 2); the English does not.
    assert found["002"] == [("VN202", 8)]
    # Deadlines, salaries, grades, clearances and locations agree in every other notice
    # (25-Aug-2024 = 25-août-2024, 11:59:00 PM = 23:59:00, 8,754.21 = 8 754,21, CTS/A both sides).
    for key in ("000", "001", "003", "004"):
        assert found[key] == [], (key, found[key])


def test_term_and_style_checks_find_the_real_defects_and_nothing_else():
    """Every finding here was checked by hand against the notice (see the closing notes)."""
    found = {
        p.name[:3]: [(f.code, f.line) for f in lint_file(str(p), settings(["terms", "style"])).findings] for p in FILES
    }
    assert found == {
        # FR introduces NSATU; FR drops "at NATO Headquarters" (siège de l'OTAN) from the non-smoking line
        "000": [("VN400", 186), ("VN408", 313)],
        # EN-only -en.pdf links; FR-only acronym DPCD; FR links the /cps/en/ page
        "001": [("VN405", 493), ("VN400", 523), ("VN406", 998)],
        # two EN bullets run together with a backslash; EN-only M&E; "efficacité et efficacité"; "NOTE:"
        # without the French space
        "002": [("VN504", 42), ("VN400", 61), ("VN500", 180), ("VN502", 270)],
        # EN-only CISOA; "Service International" for IS; OTANT; incident -> risk management; JIS vs JISD
        "003": [("VN400", 88), ("VN401", 180), ("VN402", 180), ("VN408", 227), ("VN402", 255), ("VN408", 317)],
        # EN-only XO (title), PSC, RC, NMAs; FR-only website link; inconsistent inclusive writing;
        # DPDC for DPPC; "NATO Headquarters" dropped
        "004": [
            ("VN400", 8),
            ("VN400", 21),
            ("VN400", 27),
            ("VN400", 89),
            ("VN405", 179),
            ("VN503", 203),
            ("VN402", 207),
            ("VN408", 355),
        ],
    }


def test_semantic_checks_find_the_real_omissions_and_nothing_else():
    """With the real default model: three paragraphs missing from 001's French half, and the
    non-smoking sentence shortened (it drops "at NATO Headquarters in Brussels, Belgium") in all five."""
    s = settings(["semantic"])
    s.model = "use-m3"
    found = {p.name[:3]: sorted((f.code, f.line) for f in lint_file(str(p), s).findings) for p in FILES}
    assert found == {
        "000": [("VN303", 313)],
        "001": [("VN300", 952), ("VN300", 952), ("VN300", 994), ("VN303", 988)],
        "002": [("VN303", 309)],
        "003": [("VN303", 317)],
        "004": [("VN303", 355)],
    }


def test_every_rule_reports_the_non_smoking_omission_once():
    """Issue 12: VN303 and VN408 fired on the same line of every notice; now one finding each."""
    s = Settings()  # every rule, the default model
    for path in FILES:
        findings = lint_file(str(path), s).findings
        smoke = [f for f in findings if "NATO Headquarters" in f.message and f.code in ("VN303", "VN408")]
        assert [f.code for f in smoke] == ["VN408"], (path.name, [(f.code, f.line) for f in smoke])
        assert "also VN303 sentence-missing" in smoke[0].message
        lines = [(f.line, f.lang) for f in findings if f.code in ("VN303", "VN408")]
        assert len(lines) == len(set(lines)), path.name
