"""Reading .docx and .pdf notices into a Source, so they go through the same reflow as text files.

Line numbers, as findings report them:
- .docx: the 1-based number of the paragraph in the document: the body's paragraphs in order
  (empty ones count), then the paragraphs of each table cell, table by table, row by row, cell
  by cell. A list paragraph is prefixed with "- " (bullet list) or "N. " (numbered list) as Word
  shows it; line breaks inside a paragraph become spaces, so one paragraph is one line.
- .pdf: the line of the text that pdfminer.six extracts (a page break, form feed, counts as one
  line break). The text is then read as PDF-extracted text usually is: hard-wrapped lines. The
  first line of each page is kept (Source.pages): findings also give the page and the line within it.

Needs the "docs" extra: pip install "vnlint[docs]" (python-docx, pdfminer.six).
"""

from __future__ import annotations

import bisect
import os
import re

from .model import Source
from .source import _LINE_END, DEFAULT_MAX_BYTES, NotText, ReadError, split_lines

_BREAKS = re.compile(r"[\r\n\v\u2028\u2029]+")


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None) -> Source:
    """Read a .docx or .pdf file. Raises ReadError (cannot read) or NotText (not a readable document)."""
    shown = display or path
    if os.path.isdir(path):
        raise ReadError(f"{shown}: is a directory")
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ReadError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if max_bytes and size > max_bytes:
        raise NotText(
            "file-too-large",
            f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (max-file-size); not linted",
            size,
        )
    if not os.access(path, os.R_OK):
        raise ReadError(f"{shown}: cannot read: Permission denied")
    lower = path.lower()
    if lower.endswith(".docx"):
        lines, pages, kind = _docx_lines(path, shown, size), None, "docx"
    elif lower.endswith(".pdf"):
        (lines, pages), kind = _pdf_lines(path, shown, size), "pdf"
    else:
        raise ReadError(f"{shown}: not a .docx or .pdf file")
    text = "\n".join(lines) + ("\n" if lines else "")
    return Source(path=shown, text=text, lines=lines, encoding=kind, size=size, pages=pages)


# ---------------------------------------------------------------- .docx


def _docx_lines(path: str, shown: str, size: int) -> list[str]:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise ReadError(f'{shown}: reading .docx needs python-docx: pip install "vnlint[docs]"') from None
    try:
        document = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise NotText(
            "not-text", f"file is not a readable .docx document ({type(exc).__name__}); not linted", size
        ) from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: a damaged file, never a traceback
        raise NotText(
            "not-text", f"file is not a readable .docx document ({type(exc).__name__}); not linted", size
        ) from None
    numbering = _Numbering(document)
    lines = [_paragraph_text(p, numbering) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                    continue
                seen.add(id(cell._tc))
                lines.extend(_paragraph_text(p, numbering) for p in cell.paragraphs)
    return lines


def _paragraph_text(p, numbering: "_Numbering") -> str:
    text = _BREAKS.sub(" ", p.text).rstrip()
    marker = numbering.marker(p)
    if marker and text.strip():
        text = f"{marker} {text.strip()}"
    return text


class _Numbering:
    """Bullets and numbers of Word lists (they are not in the paragraph text)."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], str] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            part = document.part.numbering_part
        except Exception:  # no numbering part: no lists
            return
        from docx.oxml.ns import qn

        root = part.element
        abstract = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = fmt.get(qn("w:val")) if fmt is not None else "bullet"
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
                self.formats[(num.get(qn("w:numId")), ilvl)] = fmt

    def _num_pr(self, p):
        from docx.oxml.ns import qn

        ppr = p._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = p.style
        while num_pr is None and style is not None:
            sppr = style.element.pPr
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
            return None
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0

    def marker(self, p) -> str:
        try:
            key = self._num_pr(p)
        except Exception:  # an odd style tree: treat as a plain paragraph
            return ""
        if key is None:
            return ""
        fmt = self.formats.get(key, "bullet")
        if fmt in ("bullet", "none"):
            return "-"
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        for num_id, ilvl in list(self.counters):  # a new item restarts the deeper levels
            if num_id == key[0] and ilvl > key[1]:
                del self.counters[(num_id, ilvl)]
        return f"{n}."


# ---------------------------------------------------------------- .pdf


def _pdf_lines(path: str, shown: str, size: int) -> tuple[list[str], list[int]]:
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        raise ReadError(f'{shown}: reading .pdf needs pdfminer.six: pip install "vnlint[docs]"') from None
    try:
        text = extract_text(path)
    except Exception as exc:  # PDFSyntaxError, encrypted documents, damaged streams
        raise NotText("not-text", f"file is not a readable PDF ({type(exc).__name__}); not linted", size) from None
    return pdf_pages(text)


def pdf_pages(text: str) -> tuple[list[str], list[int]]:
    """The physical lines of pdfminer's text (a page break, form feed, counts as one line break) and
    the first line of each page (1-based)."""
    flat = text.replace("\x0c", "\n")
    lines = split_lines(flat)
    ends = [m.end() for m in _LINE_END.finditer(flat)]  # offsets where a new line starts
    pages = [1]
    for i, c in enumerate(text):
        if c == "\x0c":
            first = bisect.bisect_right(ends, i + 1) + 1  # the line of the first character after it
            if first <= len(lines):
                pages.append(first)
    return lines, pages
