"""The splitter: EN and FR halves found from content; title, fields, sections; problems, not crashes."""

from __future__ import annotations

from notice_factory import EN_HEADER, EN_SECTIONS, FR_HEADER, FR_SECTIONS, half_lines, notice, wrapped
from vnlint.structure_align import align
from vnlint.source import source_from_text
from vnlint.split import split


def parse(text):
    return split(source_from_text("t.txt", text))


def rules(n):
    return sorted(p.rule for p in n.problems)


def test_halves_fields_and_sections_in_both_layouts():
    for text in (notice(), wrapped(notice())):
        n = parse(text)
        assert rules(n) == []
        assert n.en.title.clean.startswith("Officer, Coastal Logistics")
        assert n.fr.title.clean.startswith("Administratrice/Administrateur")
        assert (
            set(n.en.fields)
            == set(n.fr.fields)
            == {"location", "body", "schedule", "deadline", "salary", "grade", "clearance"}
        )
        assert [s.key for s in n.en.sections] == ["0", "1", "2", "3"]
        assert [s.key for s in n.fr.sections] == ["0", "1", "2", "3"]
        al = align(n)
        assert all(sp.aligned for sp in al.sections)
        assert all(fp.aligned for fp in al.fields)
        assert len(n.en.section("2").bullets()) == len(n.fr.section("2").bullets()) == 3


def test_fr_half_starts_at_its_title_line():
    text = notice()
    n = parse(text)
    lines = text.splitlines()
    assert lines[n.fr.line - 1] == FR_HEADER["title"]
    assert n.en.end_line < n.fr.line


def test_en_only_fr_only_fr_first_and_two_notices_are_problems():
    en = "\n".join(half_lines(EN_HEADER, EN_SECTIONS)) + "\n"
    fr = "\n".join(half_lines(FR_HEADER, FR_SECTIONS)) + "\n"
    assert "french-half-missing" in rules(parse(en))
    assert "english-half-missing" in rules(parse(fr))
    n = parse(fr + "\n" + en)
    assert "halves-out-of-order" in rules(n)
    assert n.en is not None and n.fr is not None and n.fr.line < n.en.line
    assert "multiple-notices" in rules(parse(notice() + "\n" + notice(banner=False)))


def test_prose_and_empty_text_are_problems():
    assert rules(parse("")) == ["empty-notice"]
    assert rules(parse("   \n\n\t\n")) == ["empty-notice"]
    prose = "The weather was fine.\n\nWe walked along the river and talked about books.\n"
    assert rules(parse(prose)) == ["no-structure"]


def test_section_numbering_out_of_order_is_reported():
    fr_sections = [list(s) for s in FR_SECTIONS]
    fr_sections[2] = ("4. RESPONSABILITÉS PRINCIPALES", FR_SECTIONS[2][1])
    n = parse(notice(fr_sections=fr_sections))
    assert "section-numbering" in rules(n)


def test_french_half_without_header_is_found_by_language():
    fr_body = [
        ln
        for ln in half_lines(FR_HEADER, FR_SECTIONS)
        if not any(
            ln.startswith(x) for x in ("Emplacement", "Organisation", "Horaire", "Date", "Salaire", "Grade", "Niveau")
        )
    ]
    text = "\n".join(half_lines(EN_HEADER, EN_SECTIONS) + fr_body) + "\n"
    n = parse(text)
    assert n.fr is not None
    assert "header-missing" in rules(n)
    assert [s.key for s in n.fr.sections][-3:] == ["1", "2", "3"]
