"""The document model: what the reader, splitter and aligner produce and what checks receive.

Every object that can carry a finding knows the physical source lines it came from (1-based),
so findings point at real lines of the file in every layout.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional

from .codes import BY_NAME
from .text import strip_bullet

EN = "en"
FR = "fr"
LANG_NAME = {EN: "English", FR: "French"}
OTHER = {EN: FR, FR: EN}  # the other half's language

_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")  # no bracket inside: linear in the number of "["
_MD_ANGLE = re.compile(r"<((?:https?://|www\.)[^>]+)>")
_MD_EMPH = re.compile(r"(\*\*|__|\*)")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009\f\v]+")


def clean_text(text: str) -> str:
    """Text as a reader sees it: markdown emphasis and link syntax removed, spaces collapsed."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_ANGLE.sub(r"\1", text)
    text = _MD_EMPH.sub("", text)
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=1 << 16)
def _clean_block(kind: str, text: str) -> str:
    return clean_text(strip_bullet(text) if kind == "bullet" else text)


@dataclass(frozen=True, order=True)
class Place:
    """A span of physical lines on one side of the notice ("en", "fr", or "" for the whole file)."""

    line: int
    end_line: int
    lang: str = ""
    column: int = 1
    end_column: Optional[int] = None  # 1-based, exclusive end on line `end_line` (word-level findings)

    def to_json(self, path: str) -> dict:
        out = {"path": path, "line": self.line, "end_line": self.end_line, "lang": self.lang or None}
        if self.end_column is not None:  # a word: where it starts and ends on `line` (optional keys)
            out["column"], out["end_column"] = self.column, self.end_column
        return out


@dataclass(eq=False)
class Block:
    """One logical unit of text: a paragraph, bullet, heading, header field, title, URL line..."""

    kind: str  # paragraph | bullet | heading | subheading | field | title | url | banner | label
    text: str  # reflowed text, markup kept
    line: int
    end_line: int
    lang: str = ""
    section: Optional[str] = None  # key of the section the block belongs to
    run_together: bool = False  # a bullet read out of the previous one's line ("...procedure\\have ...")
    field: Optional[tuple[str, str, str, str]] = None  # a field line's (key, lang, label, value), set by reflow
    number: Optional[int] = None  # a numbered heading's section number, set by reflow

    @property
    def clean(self) -> str:
        """Text without bullet marker and markdown, for comparison and embedding."""
        return _clean_block(self.kind, self.text)  # memoised: checks read .clean ~100k times per 20 notices

    @property
    def place(self) -> Place:
        return Place(self.line, self.end_line, self.lang)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Block({self.kind}, {self.lang}:{self.line}-{self.end_line}, {self.text[:40]!r})"


@dataclass(eq=False)
class Field:
    """A header field such as the application deadline, as it is written on one side."""

    key: str  # canonical key: location, body, schedule, deadline, salary, grade, clearance
    label: str
    value: str
    block: Block

    @property
    def place(self) -> Place:
        return self.block.place


@dataclass(eq=False)
class Section:
    """A numbered section (or the unnumbered preamble, key "0") with its blocks."""

    key: str  # "0" for the preamble, otherwise the section number as written ("1", "2", ...)
    number: Optional[int]
    heading: Optional[Block]
    blocks: list[Block] = field(default_factory=list)
    lang: str = ""

    @property
    def title(self) -> str:
        if self.heading is None:
            return "preamble"
        return re.sub(r"^\s*\d+\s*[.)]?\s*", "", self.heading.clean)

    @property
    def place(self) -> Place:
        first = self.heading or (self.blocks[0] if self.blocks else None)
        if first is None:
            return Place(1, 1, self.lang)
        last = self.blocks[-1] if self.blocks else first
        return Place(first.line, max(first.end_line, last.end_line), self.lang)

    def content(self) -> list[Block]:
        """Blocks that carry translatable content (paragraphs, bullets, subheadings)."""
        return [b for b in self.blocks if b.kind in ("paragraph", "bullet", "subheading")]

    def bullets(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "bullet"]


@dataclass(eq=False)
class Half:
    """One language's notice: title, header fields, sections."""

    lang: str
    line: int
    end_line: int
    title: Optional[Block] = None
    fields: dict[str, Field] = field(default_factory=dict)
    extra_fields: list[Field] = field(default_factory=list)  # repeated labels
    sections: list[Section] = field(default_factory=list)  # sections[0] is the preamble
    urls: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # every block of the half, in order

    @property
    def place(self) -> Place:
        return Place(self.line, self.end_line, self.lang)

    def section(self, key: str) -> Optional[Section]:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def content(self) -> list[Block]:
        return [b for s in self.sections for b in s.content()]

    @property
    def text(self) -> str:
        return "\n".join(b.clean for b in self.blocks)


@dataclass(eq=False)
class Problem:
    """Something the reader, splitter or aligner could not make sense of; reported by a structure rule."""

    rule: str
    place: Place
    message: str
    related: tuple[Place, ...] = ()
    section: Optional[str] = None


@dataclass(eq=False)
class Source:
    path: str
    text: str
    lines: list[str]
    encoding: str
    size: int
    pages: Optional[list[int]] = None  # .pdf: the first line of each page (1-based), else None

    def page_of(self, line: int) -> Optional[tuple[int, int]]:
        """(page, line within the page) of a line, when the source has pages (a .pdf)."""
        if not self.pages:
            return None
        import bisect

        k = max(1, bisect.bisect_right(self.pages, line))
        return k, line - self.pages[k - 1] + 1


@dataclass(eq=False)
class Notice:
    """A whole file: the source, its EN and FR halves, and what could not be read."""

    source: Source
    en: Optional[Half]
    fr: Optional[Half]
    layout: str  # "paragraph" (one paragraph a line) or "wrapped" (PDF-extracted, hard-wrapped)
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def halves(self) -> list[Half]:
        return [h for h in (self.en, self.fr) if h is not None]

    def problem(self, rule: str, place: Place, message: str, related=(), section=None) -> None:
        """Record a problem found while reading the notice, for rule `rule` (a name of the code table)."""
        if rule not in BY_NAME:
            raise KeyError(f"Notice.problem: {rule!r} is not a rule name of the code table (lint/codes.py)")
        self.problems.append(Problem(rule, place, message, tuple(related), section))


# ---------------------------------------------------------------- alignment objects


@dataclass(eq=False)
class FieldPair:
    key: str
    en: Optional[Field]
    fr: Optional[Field]
    notice: Optional[Notice] = None

    @property
    def aligned(self) -> bool:
        return self.en is not None and self.fr is not None


@dataclass(eq=False)
class TitlePair:
    en: Block
    fr: Block


@dataclass(eq=False)
class BlockPair:
    """EN and FR blocks aligned to each other (1:1, 1:2, 2:1) with their similarity."""

    en: list[Block]
    fr: list[Block]
    score: Optional[float] = None  # per-notice normalised score (None without a model)
    raw: Optional[float] = None  # raw cosine
    section: Optional[str] = None
    weak: bool = False  # aligned, but below the mistranslation threshold

    @property
    def en_text(self) -> str:
        return " ".join(b.clean for b in self.en)

    @property
    def fr_text(self) -> str:
        return " ".join(b.clean for b in self.fr)

    def place(self, lang: str) -> Place:
        blocks = self.en if lang == EN else self.fr
        return Place(blocks[0].line, blocks[-1].end_line, lang)


@dataclass(eq=False)
class Unpaired:
    """A content block with no counterpart on the other side (after alignment and move detection)."""

    block: Block
    section: Optional[str]
    best: Optional[Block] = None  # best counterpart on the other side, for the message
    best_score: Optional[float] = None
    neighbour: Optional[Place] = None  # where it would go on the other side


@dataclass(eq=False)
class SectionPair:
    key: str
    en: Optional[Section]
    fr: Optional[Section]
    block_pairs: list[BlockPair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)

    @property
    def aligned(self) -> bool:
        return self.en is not None and self.fr is not None


@dataclass(eq=False)
class Alignment:
    notice: Notice
    title: Optional[TitlePair] = None
    fields: list[FieldPair] = field(default_factory=list)
    sections: list[SectionPair] = field(default_factory=list)
    moved: list[BlockPair] = field(default_factory=list)  # paragraphs found in another section
    semantic: bool = False  # block pairs come from embeddings (not only structure)
    limits: list = field(default_factory=list)  # (Place, message, related): what a size bound left out

    def block_pairs(self):
        for sp in self.sections:
            yield from sp.block_pairs

    def unpaired(self):
        for sp in self.sections:
            yield from sp.unpaired


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Edit:
    """Replace characters of the physical lines: from (line, column) to (end_line, end_column),
    1-based, end exclusive (equal ends: an insertion). ``text`` uses "\n" for a line break; the
    file's own line ending is written."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
        }


@dataclass(frozen=True)
class Fix:
    """The correction a finding carries: its edits, and whether it is certain (``safe``: applied by
    --fix) or only a suggestion (applied with --unsafe-fixes)."""

    edits: tuple[Edit, ...]
    safe: bool
    description: str

    def to_json(self) -> dict:
        return {"safe": self.safe, "description": self.description, "edits": [e.to_json() for e in self.edits]}


@dataclass(frozen=True)
class Hit:
    """What a check yields: where, what, and the counterpart on the other side."""

    place: Place
    message: str
    related: tuple[Place, ...] = ()
    section: Optional[str] = None
    suggestion: Optional[str] = None
    fix: Fix | None = None


@dataclass(frozen=True)
class Finding:
    path: str
    code: str
    rule: str
    severity: str
    message: str
    line: int
    end_line: int
    column: int
    lang: Optional[str]
    section: Optional[str]
    related: tuple[Place, ...] = ()
    suggestion: Optional[str] = None
    fingerprint: str = ""
    end_column: Optional[int] = None
    page: Optional[int] = None  # .pdf: the page of `line`, and `line` counted within it
    page_line: Optional[int] = None
    fix: Fix | None = None

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.end_line, self.message)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "end_line": self.end_line,
            "column": self.column,
            "lang": self.lang,
            "section": self.section,
            "related": [r.to_json(self.path) for r in self.related],
            **({"end_column": self.end_column} if self.end_column is not None else {}),
            **({"page": self.page, "page_line": self.page_line} if self.page is not None else {}),
            **({"fix": self.fix.to_json()} if self.fix is not None else {}),
        }
