"""Reading real drafts (issue 12, items 1-6): stray text around a notice, one defect one finding,
sentences across paragraph boundaries, run-together bullets, PDF pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnlint.config import Settings
from vnlint.runner import lint_text
from vnlint.source import source_from_bytes
from vnlint.split import split

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
LINES = CLEAN.split("\n")


def _codes(text: str, settings=None) -> list[tuple[str, int]]:
    res = lint_text(text, settings or Settings())
    return [(f.code, f.line) for f in res.findings]


def _line_of(prefix: str) -> int:
    """0-based index of the first line of the clean notice that starts with `prefix`."""
    return next(i for i, ln in enumerate(LINES) if ln.startswith(prefix))


FR_TITLE = _line_of("Administratrice principale")
EN_TITLE = _line_of("Senior Officer, ICT Service Governance")


# ------------------------------------------------------------------ 1. stray text around a notice


@pytest.mark.parametrize("text,line", [
    ("DRAFT v2\n" + CLEAN, 1),
    ("Reviewed by: J. Smith (HR), 2 March\n\n" + CLEAN, 1),
    # the title pasted twice, above the letterhead
    (LINES[EN_TITLE] + "\n\n" + CLEAN, 1),
    # a draft mark between the title and the header
    ("\n".join(LINES[:EN_TITLE + 1] + ["DRAFT v2"] + LINES[EN_TITLE + 1:]), EN_TITLE + 2),
    # a signature and a comment under the French half
    (CLEAN + "\n--\nJane Smith\nRecruitment Officer, NATO IS\n", len(LINES) + 1),
    (CLEAN + "\nComment: please check the salary figure with HR before publication.\n", len(LINES) + 1),
    (CLEAN + "\nJane, can you check the salary figure with HR before we publish? Thanks\nBob\n", len(LINES) + 1),
    (CLEAN + "\nRelu par Marie Dupont le 3 mars 2026\n", len(LINES) + 1),
    # a separator between the halves
    ("\n".join(LINES[:FR_TITLE] + ["--- French version follows ---", ""] + LINES[FR_TITLE:]), FR_TITLE + 1),
])
def test_stray_text_is_one_info_finding_and_never_shifts_the_halves(text, line):
    res = lint_text(text, Settings())
    assert [(f.code, f.severity, f.line) for f in res.findings] == [("VN118", "info", line)]
    n = res.notice
    assert set(n.en.fields) == set(n.fr.fields) == {"location", "body", "schedule", "deadline", "salary",
                                                    "grade", "clearance"}
    assert n.en.title.text.startswith("Senior Officer") and n.fr.title.text.startswith("Administratrice")


def test_stray_text_in_wrapped_layout():
    from notice_factory import notice, wrapped

    text = wrapped(notice())
    assert [c for c, _ in _codes(text, _no_model())] == []
    assert [c for c, _ in _codes("DRAFT v2 - for review\n\n" + text + "\nReviewed by: J. Smith\n",
                                 _no_model())] == ["VN118"]


def test_a_real_last_paragraph_is_not_stray():
    """An untranslated last paragraph is still reported as untranslated, not hidden as stray text."""
    en_last = [ln for ln in LINES[:FR_TITLE] if ln.strip()][-1]
    text = CLEAN.rstrip("\n").rsplit("\n", 1)[0] + "\n" + en_last + "\n"
    codes = [c for c, _ in _codes(text)]
    assert "VN118" not in codes and "VN304" in codes


def _no_model():
    s = Settings()
    s.model = "none"
    return s
