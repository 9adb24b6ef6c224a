"""Text primitives (vnlint.text): one bullet pattern for the reader, the clean text and the locator;
one quoting helper for every message."""

from __future__ import annotations

import pytest

from notice_factory import EN_SECTIONS, FR_SECTIONS, notice
from vnlint.locate import span_place
from vnlint.model import Block
from vnlint.reflow import reflow
from vnlint.source import source_from_text
from vnlint.split import split
from vnlint.text import BULLET, ends_sentence, quote, strip_bullet

MARKERS = ["-", "\u2022", "\u25aa", "\u25cf", "\u00b7", "\u2013", "\u2014", "*", "\uf0b7", "\u27a2", "\u2043", "o"]


@pytest.mark.parametrize("mark", MARKERS, ids=lambda m: f"U+{ord(m):04X}")
def test_what_the_reader_calls_a_bullet_its_clean_text_drops(mark):
    """Every marker that makes a line a bullet is also what the bullet's clean text leaves out
    (the model's own pattern used to keep "\u27a2" and "\u2043": "\u27a2 item" was a bullet whose text began with "\u27a2")."""
    line = f"{mark} have a university degree in logistics"
    blocks, _ = reflow([line])
    assert [b.kind for b in blocks] == ["bullet"]
    assert blocks[0].clean == "have a university degree in logistics"
    assert strip_bullet(line) == "have a university degree in logistics"


def test_an_arrow_bullet_in_a_notice_reads_and_locates_without_its_marker():
    """In a real notice layout, "\u27a2" bullets are read as bullets, their clean text has no marker, and
    their first word is placed at its own column (after the marker and the space)."""
    fr = [(h, list(p)) for h, p in FR_SECTIONS]
    en = [(h, list(p)) for h, p in EN_SECTIONS]
    en[1][1].append("- coordinate the delivery schedules with the depots;")
    fr[1][1].append("\u27a2 coordonner les calendriers de livraison avec les dépôts ;")
    doc = split(source_from_text("n.txt", notice(en_sections=en, fr_sections=fr)))
    arrow = [b for b in doc.fr.blocks if b.text.startswith("\u27a2")]
    assert len(arrow) == 1 and arrow[0].kind == "bullet"
    assert arrow[0].clean.startswith("coordonner les calendriers")
    p = span_place(doc, arrow[0], 0, len("coordonner"))
    assert doc.source.lines[p.line - 1][p.column - 1 : p.end_column - 1] == "coordonner"


@pytest.mark.parametrize("text", ["1. SUMMARY", "2) duties", "oh no", "o Item", "-dash", "**bold** text"])
def test_numbered_items_and_words_are_not_bullets(text):
    assert BULLET.match(text) is None
    assert strip_bullet(text) == text


def test_quote_keeps_the_start_of_a_long_passage():
    """One quoting helper for every message: the start of the passage (where a reader finds it), cut at
    the limit with an ellipsis; the acronym and link messages used to keep the end instead."""
    text = "The incumbent  leads the   widget\nplanning team and reports to the Head of Section."
    q = quote(text, 30)
    assert q == "The incumbent leads the widge\u2026"
    assert len(q) == 30
    assert quote("short   text", 30) == "short text"
    assert quote("a " * 20, 10) == "a a a a a\u2026"  # cut at a space: no space before the ellipsis


@pytest.mark.parametrize(
    "text,ends",
    [
        ("Apply online.", True),
        ("as follows:", True),
        ("(see below).)", True),
        ("« c'est tout. »", True),
        ("and the", False),
        ("2026", False),
    ],
)
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


def test_a_bullet_block_from_a_factory_keeps_its_kind_and_clean_text():
    b = Block("bullet", "\u2043 manage the budget", 1, 1)
    assert b.clean == "manage the budget"
