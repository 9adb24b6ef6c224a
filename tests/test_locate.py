"""Word-level places: a span of a block's clean text maps to its physical line and columns."""

import re
from pathlib import Path

import pytest

from vnlint import locate as loc
from vnlint.model import Source
from vnlint.split import split

ROOT = Path(__file__).resolve().parent.parent
NOTICES = sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "tests/data/notices").glob("*.txt"))


def _notice(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return split(Source(str(path), text, lines, "utf-8", len(text)))


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name)
def test_every_word_of_every_block_is_found_at_its_column(path):
    notice = _notice(path)
    lines = notice.source.lines
    checked = 0
    for half in notice.halves:
        for b in half.blocks:
            if b.kind not in ("paragraph", "bullet"):
                continue
            for m in re.finditer(r"[^\W\d_]{3,}", b.clean):
                p = loc.span_place(notice, b, m.start(), m.end())
                assert b.line <= p.line <= b.end_line
                assert p.end_column is not None, (p, m.group())
                assert lines[p.line - 1][p.column - 1 : p.end_column - 1] == m.group()
                checked += 1
    assert checked > 100 or "no_structure" in path.name or "two_notices" in path.name or "en_only" in path.name


def _one(text: str):
    lines = text.splitlines()
    return split(Source("t.txt", text, lines, "utf-8", len(text))), lines


def test_block_over_two_lines_with_markup():
    text = (
        "intro\n\nThe incumbent must speak **fluent** Spanish and\n"
        "have [five years](https://x.org) of experience in contract management.\n"
    )
    notice, lines = _one(text)
    block = next(b for b in notice.blocks if "Spanish" in b.text)
    i = block.clean.index("five years")
    p = loc.span_place(notice, block, i, i + len("five years"))
    assert p.line == 4
    assert lines[3][p.column - 1 : p.end_column - 1] == "five years"
    i = block.clean.index("Spanish")
    p = loc.span_place(notice, block, i, i + 7)
    assert (p.line, lines[2][p.column - 1 : p.end_column - 1]) == (3, "Spanish")


def test_span_across_a_line_break_has_no_end_column():
    text = "intro\n\nThe incumbent must speak fluent Spanish and\nhave five years of experience.\n"
    notice, lines = _one(text)
    block = next(b for b in notice.blocks if "Spanish" in b.text)
    i = block.clean.index("Spanish and have")
    p = loc.span_place(notice, block, i, i + len("Spanish and have"))
    assert p.line == 3 and lines[2][p.column - 1 :].startswith("Spanish") and p.end_column is None
