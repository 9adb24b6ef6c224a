"""More inputs: .docx (python-docx) and .pdf (pdfminer.six) notices, and a notice split over two files
(`vnlint pair EN FR`, and *_en.txt / *_fr.txt found in a directory)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main
from vnlint.config import Settings
from vnlint.source import NotText, ReadError

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "data" / "inputs"
FAST = ["--model", "none", "--isolated", "--select", "structure"]
DEFECTIVE = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8")
CLEAN = (INPUTS / "clean_notice.txt").read_text(encoding="utf-8")


def _settings() -> Settings:
    s = Settings()
    s.model = "none"
    s.select = {c for c in s.select if c.startswith("VN1")}
    return s


def _lint(*args):
    return CliRunner().invoke(main, ["lint", *FAST, *map(str, args)], catch_exceptions=False)


def _codes(stdout: str) -> list[tuple[str, int, str]]:
    """(path, line, code) of each finding line of the text report."""
    out = []
    for line in stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            out.append((parts[0], int(parts[1]), parts[3].split()[1]))  # after the severity
    return out


# ---------------------------------------------------------------- .docx


def make_docx(text: str, path: Path, table_rows: list[list[str]] | None = None) -> list[str]:
    """A Word document from a text notice: one paragraph per non-blank line, "- " lines as a bullet list.
    Returns the paragraphs' text in document order (the "lines" vnlint reports)."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    paras = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("- "):
            d.add_paragraph(line[2:], style="List Bullet")
        else:
            d.add_paragraph(line)
        paras.append(line)
    for row in table_rows or []:
        t = d.add_table(rows=1, cols=len(row))
        for cell, value in zip(t.rows[0].cells, row):
            cell.text = value
            paras.append(value)
    d.save(path)
    return paras


def test_docx_lines_are_paragraph_numbers(tmp_path):
    from vnlint.documents import read_document

    paras = make_docx(DEFECTIVE, tmp_path / "notice.docx", table_rows=[["Reference", "990101"]])
    src = read_document(str(tmp_path / "notice.docx"))
    assert src.lines == paras  # bullets come back as "- " paragraphs, table cells last
    assert src.encoding == "docx"
    assert src.path == str(tmp_path / "notice.docx")


def test_docx_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paras = make_docx(DEFECTIVE, tmp_path / "notice.docx")
    res = _lint("notice.docx")
    assert res.exit_code == 1, res.output
    found = {code: line for _, line, code in _codes(res.stdout)}
    assert set(found) == {"VN112", "VN114"}
    # The VN114 finding is on the French bullets, given as paragraph numbers of the document.
    assert paras[found["VN114"] - 1] == "- avoir achevé des études secondaires ;"
    assert "[EN line 17-19]" in res.stdout
    assert paras[16].startswith("- have completed") and paras[18].startswith("- possess")
    clean = make_docx(CLEAN, tmp_path / "clean.docx")
    assert clean
    res = _lint("clean.docx")
    assert res.exit_code == 0, res.output


def test_docx_numbered_list_and_line_breaks(tmp_path):
    docx = pytest.importorskip("docx")
    from vnlint.documents import read_document

    d = docx.Document()
    d.add_paragraph("Requirements:")
    d.add_paragraph("first item", style="List Number")
    d.add_paragraph("second item", style="List Number")
    p = d.add_paragraph("one paragraph")
    p.add_run().add_break()
    p.add_run("with a soft line break")
    d.add_paragraph("")
    d.add_paragraph("a bullet", style="List Bullet")
    d.save(tmp_path / "lists.docx")
    assert read_document(str(tmp_path / "lists.docx")).lines == [
        "Requirements:",
        "1. first item",
        "2. second item",
        "one paragraph with a soft line break",
        "",
        "- a bullet",
    ]


def test_unreadable_documents(tmp_path):
    from vnlint.documents import read_document

    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(NotText) as exc:
        read_document(str(tmp_path / "broken.docx"))
    assert exc.value.rule == "not-text"
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage with no objects\n")
    with pytest.raises(NotText):
        read_document(str(tmp_path / "broken.pdf"))
    with pytest.raises(ReadError):
        read_document(str(tmp_path / "missing.docx"))
    with pytest.raises(ReadError):
        read_document(str(tmp_path))
    make_docx(CLEAN, tmp_path / "big.docx")
    with pytest.raises(NotText) as exc:
        read_document(str(tmp_path / "big.docx"), max_bytes=1000)
    assert exc.value.rule == "file-too-large"


def test_unreadable_documents_through_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.docx").write_bytes(b"not a word document")
    res = _lint("broken.docx")
    assert _codes(res.stdout) == [("broken.docx", 1, "VN100")]
    assert res.exit_code == 1
    res = _lint("nowhere.pdf")
    assert res.exit_code == 2
    assert "nowhere.pdf" in res.stderr


# ---------------------------------------------------------------- .pdf


def make_pdf(text: str, path: Path) -> None:
    """A PDF laid out like an exported notice (fpdf2, core font): paragraphs wrap at the margin."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(4)
            continue
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_pdf_findings(tmp_path, monkeypatch):
    pytest.importorskip("pdfminer")
    from vnlint.documents import read_document

    monkeypatch.chdir(tmp_path)
    make_pdf(DEFECTIVE, tmp_path / "notice.pdf")
    src = read_document("notice.pdf")
    assert src.encoding == "pdf"
    # Long paragraphs come out hard-wrapped, as PDF-extracted text does.
    summary = [i for i, line in enumerate(src.lines) if line.startswith("The Archive Services Section")]
    assert len(summary) == 1 and not src.lines[summary[0]].endswith("staff.")
    res = _lint("notice.pdf")
    assert res.exit_code == 1, res.output
    found = {code: line for _, line, code in _codes(res.stdout)}
    assert set(found) == {"VN112", "VN114"}
    # Lines are lines of the extracted text.
    assert src.lines[found["VN114"] - 1] == "- avoir achevé des études secondaires ;"
    make_pdf(CLEAN, tmp_path / "clean.pdf")
    res = _lint("clean.pdf")
    assert res.exit_code == 0, res.output


def test_directory_walk_finds_documents(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n").mkdir()
    make_docx(DEFECTIVE, tmp_path / "n" / "a.docx")
    make_pdf(DEFECTIVE, tmp_path / "n" / "b.pdf")
    res = _lint("n")
    files = {p for p, _, _ in _codes(res.stdout)}
    assert files == {os.path.join("n", "a.docx"), os.path.join("n", "b.pdf")}


# ---------------------------------------------------------------- two files, one notice

EN_LINES = DEFECTIVE.splitlines()[:36]
FR_LINES = DEFECTIVE.splitlines()[37:]


def test_pair_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "en.txt").write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(FR_LINES) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["pair", *FAST, "en.txt", "fr.txt"], catch_exceptions=False)
    assert res.exit_code == 1, res.output
    # Each finding is on the file and line it is about (FR line 60 of the single file is line 23 of fr.txt).
    assert sorted(_codes(res.stdout)) == [("fr.txt", 23, "VN114"), ("fr.txt", 29, "VN112")]
    assert "[EN line 25-27]" in res.stdout
    clean = CLEAN.splitlines()
    (tmp_path / "fr_ok.txt").write_text("\n".join(clean[37:]) + "\n", encoding="utf-8")
    (tmp_path / "en_ok.txt").write_text("\n".join(clean[:36]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["pair", *FAST, "en_ok.txt", "fr_ok.txt"], catch_exceptions=False)
    assert res.exit_code == 0, res.output


def test_pair_french_file_longer_than_english_file(tmp_path):
    """Regression: FR lines past the end of the EN file were clamped to the EN file's last line."""
    from vnlint.pairs import lint_pair

    en = [line for line in EN_LINES if line.strip()]  # 24 lines, shorter than the FR file (29)
    (tmp_path / "x_en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "x_fr.txt").write_text("\n".join(FR_LINES) + "\n", encoding="utf-8")
    r = lint_pair(str(tmp_path / "x_en.txt"), str(tmp_path / "x_fr.txt"), _settings())
    got = {
        (os.path.basename(f.path), f.code): (f.line, [(p.line, p.end_line, p.lang) for p in f.related])
        for f in r.findings
    }
    assert got[("x_fr.txt", "VN112")][0] == 29
    assert FR_LINES[28].startswith("Tenir le registre")
    assert got[("x_fr.txt", "VN112")][1] == [(23, 24, "en")]
    assert got[("x_fr.txt", "VN114")] == (23, [(17, 19, "en")])


def test_pair_suppression_in_french_file(tmp_path):
    """An inline suppression written in the FR file applies to findings in the FR file."""
    from vnlint.pairs import lint_pair

    fr = list(FR_LINES)
    fr.insert(22, "<!-- vnlint: disable=VN114 -->")  # above FR bullet line 23 (now 24)
    (tmp_path / "y_en.txt").write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    (tmp_path / "y_fr.txt").write_text("\n".join(fr) + "\n", encoding="utf-8")
    r = lint_pair(str(tmp_path / "y_en.txt"), str(tmp_path / "y_fr.txt"), _settings())
    assert sorted((os.path.basename(f.path), f.code) for f in r.findings) == [("y_fr.txt", "VN112")]


def test_pair_naming_convention_in_directories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "notices"
    d.mkdir()
    (d / "archive_en.txt").write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    (d / "archive_fr.txt").write_text("\n".join(FR_LINES) + "\n", encoding="utf-8")
    (d / "single.txt").write_text(CLEAN, encoding="utf-8")
    (d / "orphan_en.txt").write_text("\n".join(CLEAN.splitlines()[:36]) + "\n", encoding="utf-8")
    res = _lint("notices")
    got = sorted(_codes(res.stdout))
    fr = os.path.join("notices", "archive_fr.txt")
    orphan = os.path.join("notices", "orphan_en.txt")
    assert (fr, 23, "VN114") in got and (fr, 29, "VN112") in got
    # A file without its partner is linted alone: an English half with no French half.
    assert (orphan, "VN104") in {(p, c) for p, _, c in got}
    assert not any(p.endswith("single.txt") for p, _, _ in got)
    assert not any(p.endswith("archive_en.txt") and c == "VN104" for p, _, c in got)


def test_group_pairs():
    from vnlint.pairs import group_pairs

    files = [
        "a/x_en.txt",
        "a/x_fr.txt",
        "a/y-EN.md",
        "a/y-FR.md",
        "b/x_fr.txt",
        "a/z_en.txt",
        "a/w_en.txt",
        "a/w_fr.md",
    ]
    singles, pairs = group_pairs(files)
    assert sorted(pairs) == [("a/x_en.txt", "a/x_fr.txt"), ("a/y-EN.md", "a/y-FR.md")]
    assert sorted(singles) == ["a/w_en.txt", "a/w_fr.md", "a/z_en.txt", "b/x_fr.txt"]
