"""Reader and reflow: both layouts, encodings, line ends; every block keeps its physical lines."""

from __future__ import annotations

import pytest

from notice_factory import notice, wrapped
from vnlint.reflow import detect_layout, reflow
from vnlint.source import decode, source_from_bytes, split_lines
from vnlint.split import split


def test_split_lines_counts_physical_lines_for_every_line_end():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n\n") == ["a", ""]
    # form feed and line separator are not line ends for an editor
    assert split_lines("a\fb\u2028c\n") == ["a\fb\u2028c"]


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_decode_encodings(encoding, bom):
    text = "Niveau de l’habilitation de sécurité : NS\r\n"
    data = bom + text.encode(encoding)
    decoded, _ = decode(data)
    assert decoded == text


def test_paragraph_layout_blocks_and_lines():
    text = notice()
    blocks, layout = reflow(text.splitlines())
    assert layout == "paragraph"
    lines = text.splitlines()
    for b in blocks:
        assert lines[b.line - 1].strip().startswith(b.text[:15].strip())
    kinds = [b.kind for b in blocks]
    assert kinds.count("heading") == 6
    assert kinds.count("bullet") == 6


def test_wrapped_layout_rejoins_paragraphs_and_skips_page_numbers():
    text = wrapped(notice())
    lines = text.splitlines()
    assert detect_layout(lines) == "wrapped"
    blocks, layout = reflow(lines)
    assert layout == "wrapped"
    paras = [b for b in blocks if b.kind == "paragraph"]
    joined = [b for b in paras if b.end_line > b.line]
    assert joined, "hard-wrapped paragraphs must be rejoined"
    # the first EN summary paragraph comes back whole, with its first and last physical lines
    summary = next(b for b in paras if b.text.startswith("The Coastal Logistics Section"))
    assert summary.text.endswith("inland depots.")
    assert lines[summary.line - 1].startswith("The Coastal")
    assert "inland depots." in lines[summary.end_line - 1]
    assert not any(b.text.strip() == "2" for b in blocks)


def test_sentence_cut_by_a_blank_line_is_rejoined_in_paragraph_layout():
    lines = [
        "1. SUMMARY",
        "",
        "The team works with partners,",
        "",
        "in line with the roadmap.",
        "",
        "A second paragraph.",
    ]
    blocks, _ = reflow(lines)
    paras = [b for b in blocks if b.kind == "paragraph"]
    assert [(b.line, b.end_line) for b in paras] == [(3, 5), (7, 7)]


def test_bullets_run_together_with_backslash_are_split():
    lines = ["- have experience with budgets\\have good knowledge of spreadsheets;", "- be flexible."]
    blocks, _ = reflow(lines)
    bullets = [b for b in blocks if b.kind == "bullet"]
    assert len(bullets) == 3
    assert bullets[0].line == bullets[1].line == 1


def test_url_line_inside_wrapped_paragraph_does_not_break_it():
    lines = (
        ["Building integrity is a key element of the core tasks of the Organization and of its staff, "] * 1
        + ["", "https://www.example.int/info-en.pdf", "", "wherever they serve in the world. "]
        + [
            "",
            "x " * 40,
            "",
            "Another full line of text to set the wrap width for this little file here. ",
            "",
            "and a continuation line that starts in lower case without any doubt. ",
            "",
            "Short end.",
        ]
    )
    blocks, layout = reflow(lines, "wrapped")
    first = blocks[0]
    assert first.kind == "paragraph" and first.end_line == 5
    assert any(b.kind == "url" and b.line == 3 for b in blocks)


def test_crlf_and_bom_keep_line_numbers():
    text = notice().replace("\n", "\r\n")
    src = source_from_bytes("n.txt", b"\xef\xbb\xbf" + text.encode())
    n = split(src)
    assert n.en.fields["deadline"].block.line == src.lines.index("Application Deadline: 14-Mar-2026, 11:59:00 PM") + 1
