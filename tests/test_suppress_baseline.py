"""Inline suppressions (.txt and .md notices), unused suppressions (VN117), and baselines matched by
content, not by line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "data" / "inputs"
FAST = ["--model", "none", "--isolated", "--select", "structure"]
DEFECTIVE = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8").splitlines()
# In defective_notice.txt: VN114 on FR line 60 (counterpart EN 25-27), VN112 on FR line 66 (EN 34-36).
assert DEFECTIVE[59] == "- avoir achevé des études secondaires ;"
assert DEFECTIVE[65].startswith("Tenir le registre")


def _lint(*args):
    return CliRunner().invoke(main, ["lint", *FAST, *map(str, args)], catch_exceptions=False)


def _found(stdout: str) -> list[tuple[int, str]]:
    out = []
    for line in stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            out.append((int(parts[1]), parts[3].split()[1]))  # after the severity
    return sorted(out)


def _write(tmp_path: Path, name: str, lines: list[str]) -> str:
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


@pytest.fixture(autouse=True)
def _cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_without_suppressions(tmp_path):
    res = _lint(_write(tmp_path, "n.txt", DEFECTIVE))
    assert _found(res.stdout) == [(60, "VN114"), (66, "VN112")]
    assert res.exit_code == 1


def test_comment_on_its_own_line_covers_the_next_line(tmp_path):
    lines = list(DEFECTIVE)
    lines.insert(59, "<!-- vnlint: disable=VN114 -->")
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == [(67, "VN112")]


def test_comment_at_end_of_line_and_rule_names(tmp_path):
    lines = list(DEFECTIVE)
    lines[65] += " <!-- vnlint: disable=section-missing -->"
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == [(60, "VN114")]


def test_suppression_at_the_counterpart_line(tmp_path):
    """A finding is also covered by a suppression at its related (EN) lines."""
    lines = list(DEFECTIVE)
    lines[24] += " <!-- vnlint: disable=VN114 -->"  # EN line 25
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == [(66, "VN112")]


def test_suppression_of_another_code_does_not_hide_and_is_reported(tmp_path):
    lines = list(DEFECTIVE)
    lines.insert(59, "<!-- vnlint: disable=VN113 -->")
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == [(60, "VN117"), (61, "VN114"), (67, "VN112")]
    assert "suppression of VN113 silences nothing" in res.stdout


def test_disable_file_and_prefixes(tmp_path):
    """A prefix stands for many codes; it is used (not VN117) when any of them silenced something."""
    lines = ["<!-- vnlint: disable-file=VN11 -->", *DEFECTIVE]  # VN11x: VN112 and VN114
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == []
    assert res.exit_code == 0
    lines = ["<!-- vnlint: disable-file=structure -->", *DEFECTIVE]
    assert _found(_lint(_write(tmp_path, "n.txt", lines)).stdout) == []


def test_unused_suppression_is_vn117_and_can_be_deselected(tmp_path):
    clean = (INPUTS / "clean_notice.txt").read_text(encoding="utf-8").splitlines()
    clean.insert(15, "<!-- vnlint: disable=VN114,VN300,VN9 -->")
    name = _write(tmp_path, "c.txt", clean)
    res = _lint(name)
    assert _found(res.stdout) == [(16, "VN117")]
    # VN300 did not run (--select structure): not reported. VN9 names no code at all: reported.
    assert "suppression of VN114, VN9 silences nothing" in res.stdout
    assert res.exit_code == 0  # info: below the default fail-on level
    res = _lint("--ignore", "VN117", name)
    assert _found(res.stdout) == []


def test_markdown_notice_suppressions(tmp_path):
    """In a .md notice the directive can be a markdown comment that renders as nothing."""
    lines = list(DEFECTIVE)
    lines.insert(59, "[//]: # (vnlint: disable=VN114)")
    lines.insert(0, "<!-- vnlint: disable-file=VN999 -->")  # a code that does not exist: silences nothing
    res = _lint(_write(tmp_path, "n.md", lines))
    assert _found(res.stdout) == [(1, "VN117"), (68, "VN112")]
    assert "suppression of VN999 silences nothing" in res.stdout


def test_plain_text_hash_form(tmp_path):
    lines = list(DEFECTIVE)
    lines.insert(59, "# vnlint: disable=bullet-count-mismatch")
    res = _lint(_write(tmp_path, "n.txt", lines))
    assert _found(res.stdout) == [(67, "VN112")]


# ---------------------------------------------------------------- baseline


def test_baseline_survives_edits_elsewhere(tmp_path):
    name = _write(tmp_path, "n.txt", DEFECTIVE)
    res = _lint("--write-baseline", "baseline.json", name)
    assert res.exit_code == 0
    doc = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert sorted(e["code"] for e in doc["findings"]) == ["VN112", "VN114"]
    assert all("line" not in e for e in doc["findings"])

    res = _lint("--baseline", "baseline.json", name)
    assert _found(res.stdout) == [] and res.exit_code == 0

    # A new paragraph in both halves, above the accepted findings: every line below moves.
    lines = list(DEFECTIVE)
    lines[17:17] = ["", "The Section also lends fictional reference works to staff."]
    lines[54:54] = ["", "La Section prête aussi des ouvrages de référence fictifs au personnel."]
    _write(tmp_path, "n.txt", lines)
    assert _found(_lint(name).stdout) == [(64, "VN114"), (70, "VN112")]  # the lines did move
    res = _lint("--baseline", "baseline.json", name)
    assert _found(res.stdout) == [] and res.exit_code == 0

    # A new defect is reported; the accepted ones stay hidden.
    lines2 = [
        x
        for x in lines
        if x != "- avoir au minimum le niveau de compétence ci-après dans les deux langues "
        "officielles de l'OTAN : anglais - V (« Avancé ») ; français - I (« Débutant »)."
    ]
    assert len(lines2) == len(lines) - 1
    lines2.insert(lines2.index("3. RESPONSABILITÉS PRINCIPALES") + 1, "")
    lines2.insert(lines2.index("3. RESPONSABILITÉS PRINCIPALES"), "4. CONTRAT FICTIF")
    _write(tmp_path, "n.txt", lines2)
    res = _lint("--baseline", "baseline.json", name)
    assert res.exit_code == 1
    assert {c for _, c in _found(res.stdout)} - {"VN112", "VN114"}, res.stdout


def test_baseline_entry_absorbs_one_finding_only(tmp_path):
    """Editing the text of an accepted finding's lines makes it new again."""
    name = _write(tmp_path, "n.txt", DEFECTIVE)
    _lint("--write-baseline", "baseline.json", name)
    lines = list(DEFECTIVE)
    lines[59] = "- avoir terminé des études secondaires ;"  # the line VN114 is on
    _write(tmp_path, "n.txt", lines)
    res = _lint("--baseline", "baseline.json", name)
    assert _found(res.stdout) == [(60, "VN114")]


def test_bad_baseline_is_a_usage_error(tmp_path):
    name = _write(tmp_path, "n.txt", DEFECTIVE)
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    res = _lint("--baseline", "b.json", name)
    assert res.exit_code == 2
    assert "baseline" in res.stderr
    res = _lint("--baseline", "missing.json", name)
    assert res.exit_code == 2
