"""The one table of rule codes. A code is never reused: retired codes stay here, marked retired.

Families: VN1xx structure (reading, splitting, alignment), VN2xx header fields and title,
VN3xx semantic (embeddings), VN4xx terms (acronyms, numbers, references, glossary), VN5xx style,
VN6xx meaning (words and phrases inside aligned sentence pairs).
Severities: error (meaning differs), warning (likely differs), info (style).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str
    family: str
    retired: bool = False


_TABLE = [
    # structure: reading, splitting, alignment
    ("VN100", "not-text", "error", "structure"),
    ("VN101", "file-too-large", "error", "structure"),
    ("VN102", "empty-notice", "error", "structure"),
    ("VN103", "no-structure", "error", "structure"),
    ("VN104", "french-half-missing", "error", "structure"),
    ("VN105", "english-half-missing", "error", "structure"),
    ("VN106", "halves-out-of-order", "warning", "structure"),
    ("VN107", "multiple-notices", "error", "structure"),
    ("VN108", "header-missing", "error", "structure"),
    ("VN109", "title-missing", "warning", "structure"),
    ("VN110", "field-repeated", "warning", "structure"),
    ("VN111", "section-numbering", "warning", "structure"),
    ("VN112", "section-missing", "error", "structure"),
    ("VN113", "section-heading-mismatch", "warning", "structure"),
    ("VN114", "bullet-count-mismatch", "warning", "structure"),
    ("VN115", "field-missing", "error", "structure"),
    ("VN116", "alignment-failed", "warning", "structure"),
    ("VN117", "unused-suppression", "info", "structure"),
    ("VN118", "stray-text", "info", "structure"),
    ("VN119", "alignment-limited", "warning", "structure"),
    ("VN199", "internal-error", "error", "structure"),
    # header fields and title
    ("VN200", "requisition-mismatch", "error", "fields"),
    ("VN201", "post-count-mismatch", "error", "fields"),
    ("VN202", "posts-per-grade-mismatch", "error", "fields"),
    ("VN203", "deadline-date-mismatch", "error", "fields"),
    ("VN204", "deadline-time-mismatch", "error", "fields"),
    ("VN205", "salary-amount-mismatch", "error", "fields"),
    ("VN206", "salary-currency-mismatch", "error", "fields"),
    ("VN207", "salary-period-mismatch", "error", "fields"),
    ("VN208", "grade-mismatch", "error", "fields"),
    ("VN209", "clearance-mismatch", "error", "fields"),
    ("VN210", "location-mismatch", "error", "fields"),
    ("VN211", "schedule-mismatch", "error", "fields"),
    ("VN212", "field-unreadable", "warning", "fields"),
    ("VN213", "month-in-wrong-language", "warning", "fields"),
    ("VN214", "body-mismatch", "warning", "fields"),
    # semantic
    ("VN300", "paragraph-missing", "error", "semantic"),
    ("VN301", "paragraph-extra", "warning", "semantic"),
    ("VN302", "low-similarity", "warning", "semantic"),
    ("VN303", "sentence-missing", "warning", "semantic"),
    ("VN304", "untranslated", "error", "semantic"),
    ("VN305", "duplicate-paragraph", "warning", "semantic"),
    ("VN306", "paragraph-moved", "info", "semantic"),
    # terms
    ("VN400", "acronym-introduced", "error", "terms"),
    ("VN401", "acronym-dropped", "warning", "terms"),
    ("VN402", "acronym-misspelt", "error", "terms"),
    ("VN403", "number-mismatch", "error", "terms"),
    ("VN404", "language-level-mismatch", "error", "terms"),
    ("VN405", "link-mismatch", "warning", "terms"),
    ("VN406", "link-english-target", "info", "terms"),
    ("VN407", "contact-mismatch", "error", "terms"),
    ("VN408", "glossary-term", "warning", "terms"),
    # style
    ("VN500", "collapsed-terms", "warning", "style"),
    ("VN501", "doubled-word", "warning", "style"),
    ("VN502", "french-typography", "info", "style"),
    ("VN503", "inclusive-writing", "info", "style"),
    ("VN504", "run-together-bullets", "warning", "style"),
    # meaning: word-level differences inside aligned sentence pairs
    ("VN600", "negation-mismatch", "error", "meaning"),
    ("VN601", "quantifier-mismatch", "error", "meaning"),
    ("VN602", "restriction-mismatch", "warning", "meaning"),
    ("VN603", "modality-mismatch", "warning", "meaning"),
    ("VN604", "name-mismatch", "error", "meaning"),
    ("VN605", "term-substitution", "error", "meaning"),
    ("VN606", "opposite-mismatch", "error", "meaning"),
]

# One defect, one finding. These codes can report the same difference in a paired paragraph; the
# tiers go from the most specific to the least. An entry is a code or a family (every code of the
# family, so new codes of that family slot in). When findings of different tiers sit at the same
# place on the same side about the same counterpart, engine.fold_overlaps keeps the most specific
# and folds the others into its message and related places (see the README, "One defect, one finding").
OVERLAP_TIERS: tuple[tuple[str, ...], ...] = (
    ("VN304",),  # the paragraph is not translated at all: every other difference in it follows
    ("terms", "meaning"),  # one word: acronym, number, level, link, contact, term; negation, name...
    ("VN303",),  # a sentence is missing, or the translation is cut short
    ("VN302",),  # the whole paragraph says something else
)

CODES: dict[str, Code] = {c: Code(c, n, s, f) for c, n, s, f in _TABLE}
BY_NAME: dict[str, Code] = {c.name: c for c in CODES.values()}
SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
FAMILIES = ("structure", "fields", "semantic", "terms", "style", "meaning")


def resolve(selector: str) -> list[Code]:
    """Codes matching a selector: a code (VN203), a prefix (VN2, VN), a rule name, or a family."""
    s = selector.strip()
    if s in BY_NAME:
        return [BY_NAME[s]]
    if s.lower() in FAMILIES:
        return [c for c in CODES.values() if c.family == s.lower()]
    up = s.upper()
    if up == "ALL":
        return list(CODES.values())
    return [c for c in CODES.values() if c.code.startswith(up)] if up.startswith("VN") else []


def overlap_tier(code: str) -> int | None:
    """The code's tier in OVERLAP_TIERS (0 = most specific), or None when it never folds."""
    c = CODES.get(code)
    if c is None:
        return None
    for k, tier in enumerate(OVERLAP_TIERS):
        if code in tier or c.family in tier:
            return k
    return None
