"""Physical lines to blocks (paragraphs, bullets, headings, fields...), each with its line span.

Two layouts are read:
- "paragraph": one paragraph a line (blank lines between paragraphs, light markdown);
- "wrapped": PDF-extracted text, hard-wrapped lines, often a blank line after every line, bare page
  numbers and URL-only lines in the middle of paragraphs.
"""

from __future__ import annotations

import functools
import re
from statistics import quantiles

from .knowledge import data, fold
from .model import Block
from .suppress import COMMENT_ONLY, DIRECTIVE
from .text import BULLET, TERMINAL, ends_sentence

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:/|of|sur)\s*\d{1,3})?\s*$", re.I)
URL_ONLY = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.I)
HEADING = re.compile(r"^\s*(\d{1,2})\s*[.)]\s+(\S.*?)\s*$")
_COLON_LABEL = re.compile(r"^[^:]{1,60}?\s?:\s")
RUN_TOGETHER = re.compile(r"(?<=[a-z,;)])\\(?=[A-Za-z])")


@functools.lru_cache(maxsize=1)
def _patterns():
    s = data("structure")
    banner = [re.compile(p, re.I) for p in s["banner"]["patterns"]]
    labels = []
    for key, langs in s["fields"].items():
        for lang, names in langs.items():
            for name in names:
                labels.append((key, lang, name))
    # Longest label first, so "Salary (Pay Basis)" wins over "Salary".
    labels.sort(key=lambda t: -len(t[2]))
    field_re = [
        (key, lang, name, re.compile(r"^\s*" + re.escape(fold(name)) + r"(?:\s*:\s*|\s+)(\S.*)$"))
        for key, lang, name in labels
    ]
    desc = {fold(x) for x in s["description"]["labels"]}
    return banner, field_re, desc


_FIRST_WORD = re.compile(r"\s*([^\s:]+)")


@functools.lru_cache(maxsize=1)
def _label_first_words() -> frozenset:
    _, field_re, _ = _patterns()
    return frozenset(_FIRST_WORD.match(fold(name)).group(1) for _, _, name, _ in field_re)


def match_field(text: str):
    """(key, lang, label, value) when `text` is a header field line, else None."""
    if len(text) > 160:
        return None
    _, field_re, _ = _patterns()
    folded = fold(text)
    first = _FIRST_WORD.match(folded)
    if first is None or first.group(1) not in _label_first_words():
        return None  # no label starts with this word: skip trying every label's pattern
    for key, lang, name, rx in field_re:
        m = rx.match(folded)
        if m:
            # Take the value from the original text (same length prefix after folding is not
            # guaranteed), by locating the label's end in the original.
            value = _value_after_label(text, name)
            if value:
                return key, lang, name, value
    return None


def _value_after_label(text: str, label: str) -> str:
    n = len(label)
    stripped = text.strip()
    # fold() keeps length for Latin text except for combining marks; compare word by word.
    words = stripped.split()
    label_words = label.split()
    rest = words[len(label_words) :]
    value = " ".join(rest).lstrip(":").strip()
    if not value and len(stripped) > n:
        value = stripped[n:].lstrip(" :").strip()
    return value


def is_banner(text: str) -> bool:
    banner, _, _ = _patterns()
    if len(text) > 200:  # a letterhead line is short; a long line starting with it is content
        return False
    t = fold(text.strip().replace("\t", " "))
    return any(p.search(t) for p in banner)


@functools.lru_cache(maxsize=1)
def _stray_patterns():
    s = data("structure").get("stray", {})
    return (
        [re.compile(p, re.IGNORECASE) for p in s.get("patterns", [])],
        [re.compile(p) for p in s.get("delimiters", [])],
    )


def is_stray(text: str) -> bool:
    """A draft mark, review note, comment to the translator... (data: structure.toml [stray])."""
    if len(text) > 200:
        return False
    t = fold(text.replace("\t", " ")).strip(" -_*=~#>:.()[]")
    return any(p.search(t) for p in _stray_patterns()[0])


def is_delimiter(text: str) -> bool:
    """A signature delimiter ("--") or a rule line ("___", "***") that closes a notice."""
    return any(p.match(text.strip()) for p in _stray_patterns()[1])


def is_description(text: str) -> bool:
    _, _, desc = _patterns()
    return fold(text.strip().rstrip(":").strip()) in desc


def is_heading(text: str) -> bool:
    m = HEADING.match(text)
    if not m:
        return False
    number, rest = int(m.group(1)), m.group(2).strip()
    if number == 0 or number > 20 or len(rest) > 110 or rest.endswith((".", ";", ",")):
        return False
    letters = [c for c in rest if c.isalpha()]
    if not letters or not rest[0].isalpha() or not rest[0].isupper():
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return upper > 0.6 or len(rest.split()) <= 8


def is_subheading(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 70 or t.endswith(TERMINAL + (",",)) or BULLET.match(t) or URL_ONLY.match(t):
        return False
    if not t[0].isalpha() or not t[0].isupper():
        return False
    words = t.split()
    if len(words) > 8:
        return False
    letters = [c for c in t if c.isalpha()]
    if sum(c.isupper() for c in letters) / max(len(letters), 1) > 0.7:
        return True  # ALL CAPS: DESIRABLE, ACQUIS ESSENTIELS
    # Title-like: short, mostly capitalised content words ("Expertise Development").
    return len(words) <= 6


def starts_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and t[0].islower()


def detect_layout(lines: list[str]) -> str:
    """ "wrapped" for hard-wrapped (PDF-extracted) text, else "paragraph"."""
    content = [ln.rstrip() for ln in lines if ln.strip()]
    if len(content) < 8:
        return "paragraph"
    long_lines = sum(1 for ln in content if len(ln.strip()) > 140)
    continuations = 0
    for a, b in zip(content, content[1:]):
        if not ends_sentence(a) and starts_lower(b) and not BULLET.match(b):
            continuations += 1
    if long_lines <= max(1, len(content) // 50) and continuations >= max(4, len(content) // 10):
        return "wrapped"
    return "paragraph"


def run_together_breaks(text: str) -> list[re.Match]:
    """Backslashes that run two bullets together ("...control procedure\\have very good..."): between
    words, not inside a path ("C:\\Data\\Archive"), each side at least three words long."""
    out = []
    last = 0
    for m in RUN_TOGETHER.finditer(text):
        token = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        if any(c in token for c in ":\\/") or len(text[last : m.start()].split()) < 3:
            continue
        rest = text[m.end() :]
        nxt = RUN_TOGETHER.search(rest)
        if len((rest[: nxt.start()] if nxt else rest).split()) < 3:
            continue
        out.append(m)
        last = m.end()
    return out


def _split_run_together(text: str) -> list[str]:
    """A bullet line that holds two bullets run together with a backslash."""
    parts, last = [], 0
    for m in run_together_breaks(text):
        parts.append(text[last : m.start()])
        last = m.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


def reflow(lines: list[str], layout: str | None = None) -> tuple[list[Block], str]:
    """Group physical lines into blocks. Returns (blocks, layout)."""
    layout = layout or detect_layout(lines)
    content = [ln.strip() for ln in lines if ln.strip() and not PAGE_NUMBER.match(ln)]
    width = 0.0
    if layout == "wrapped" and content:
        lengths = sorted(len(c) for c in content)
        width = quantiles(lengths, n=10)[-1] if len(lengths) >= 10 else float(lengths[-1])

    blocks: list[Block] = []
    current: Block | None = None
    pieces: list[str] = []  # the text of `current`, joined when it closes (never quadratic)
    last_text = ""  # last physical line added to `current`

    def close():
        nonlocal current
        if current is not None:
            current.text = "".join(pieces)
            if current.kind == "bullet" and "\\" in current.text:
                parts = _split_run_together(current.text)
                for i, part in enumerate(parts):
                    text = part if i == 0 else "- " + part
                    blocks.append(Block("bullet", text, current.line, current.end_line, run_together=i > 0))
            else:
                blocks.append(current)
        current = None

    # The line(s) directly above a header field are a post title: they never continue a paragraph.
    # A wrapped title starts after the last line that ends a sentence (at most three lines up).
    before_field: set[int] = set()
    content_nos = [
        no
        for no, ln in enumerate(lines, start=1)
        if ln.strip() and not PAGE_NUMBER.match(ln) and not URL_ONLY.match(ln)
    ]
    for k, no in enumerate(content_nos):
        t = lines[no - 1].strip()
        if k == 0 or not (match_field(t) and _COLON_LABEL.match(t)):
            continue
        prev_k = k - 1
        if match_field(lines[content_nos[prev_k] - 1].strip()):
            continue
        start = prev_k
        while (
            start > 0
            and k - start < 3
            and layout == "wrapped"
            and not ends_sentence(lines[content_nos[start - 1] - 1])
            and classify(lines[content_nos[start - 1] - 1].strip()) in ("paragraph", "continuation", "subheading")
        ):
            start -= 1
        before_field.add(content_nos[start])

    blank_run = 0
    for no, raw in enumerate(lines, start=1):
        text = raw.replace("\t", " ").strip()
        if "vnlint:" in text:
            text = DIRECTIVE.sub("", text).strip() if not COMMENT_ONLY.match(text) else text
        if not text:
            blank_run += 1
            continue
        if PAGE_NUMBER.match(text) or COMMENT_ONLY.match(text):
            continue  # page numbers and suppression comments never break or join anything
        if URL_ONLY.match(text):
            # URL lines stand alone; in wrapped text they do not interrupt a paragraph.
            blocks.append(Block("url", text.strip("<>"), no, no))
            if layout != "wrapped":
                close()
            blank_run = 0
            continue

        kind, field = _classify(text)
        mid_sentence = current is not None and not ends_sentence(last_text)
        joinable = kind in ("paragraph", "continuation") or (
            layout == "wrapped"
            and mid_sentence
            and (
                kind == "subheading"
                and len(last_text) >= 0.8 * width
                or kind == "field"
                and not _COLON_LABEL.match(text)
            )
        )
        if no in before_field:
            joinable = False
        if current is not None and joinable:
            if _continues(current, last_text, text, layout, width, blank_run):
                sep = "" if last_text.endswith("-") and not last_text.endswith(" -") and starts_lower(text) else " "
                pieces.append(sep + text)
                current.end_line = no
                last_text = text
                blank_run = 0
                continue
        if current is not None and current.kind == "heading" and layout == "wrapped":
            if kind in ("subheading",) and len(last_text) >= 0.6 * width and text.isupper():
                pieces.append(" " + text)
                current.end_line = no
                last_text = text
                blank_run = 0
                continue
        close()
        if kind == "continuation":
            kind = "paragraph"
        if kind == "subheading" and layout == "wrapped" and blocks and blocks[-1].kind in ("paragraph", "bullet"):
            # In wrapped text a short line may be the end of a paragraph cut by a page break.
            if not ends_sentence(blocks[-1].text) and not text.isupper():
                kind = "paragraph"
        current = Block(
            kind,
            text,
            no,
            no,
            field=field if kind == "field" else None,
            number=int(HEADING.match(text).group(1)) if kind == "heading" else None,
        )
        pieces = [text]
        last_text = text
        blank_run = 0
    close()
    # Keep URL blocks in document order relative to the block they interrupted.
    blocks.sort(key=lambda b: (b.line, b.end_line))
    return blocks, layout


def classify(text: str) -> str:
    return _classify(text)[0]


def _classify(text: str) -> tuple[str, tuple | None]:
    """The kind of a line, with its (key, lang, label, value) when it is a header field."""
    if is_banner(text):
        return "banner", None
    if BULLET.match(text):
        return "bullet", None
    if is_heading(text):
        return "heading", None
    if is_description(text):
        return "label", None
    field = match_field(text)
    if field:
        return "field", field
    if is_subheading(text):
        return "subheading", None
    if starts_lower(text):
        return "continuation", None
    return "paragraph", None


def _continues(current: Block, last: str, text: str, layout: str, width: float, blank_run: int) -> bool:
    if current.kind not in ("paragraph", "bullet"):
        return False
    lower = starts_lower(text)
    if not ends_sentence(last) and lower:
        return True  # a sentence cut in two, in any layout
    if layout != "wrapped":
        return False
    if not ends_sentence(last):
        # A wrapped line that stops mid-sentence continues, unless the next line is clearly new.
        if current.kind == "bullet":
            return not text[:1].isupper()
        return len(last) >= 0.8 * width or not text[:1].isupper()
    # Ends a sentence: the paragraph goes on only when the line was full to the margin.
    return len(last) >= 0.85 * width and current.kind == "paragraph"
