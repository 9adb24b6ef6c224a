"""Sentences, clauses and words of a block's clean text (pysbd, language-specific; deterministic).

Used by the paragraph alignment (each block's sentences are embedded), the semantic checks and the
word-level comparison of sentence pairs.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019/-][^\W\d_]+)*", re.UNICODE)


def words(text: str) -> int:
    """Number of words (letters only: numbers, codes and punctuation do not count; "N/a" is one)."""
    return len(_WORD.findall(text))


@functools.lru_cache(maxsize=4)
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in ("en", "fr") else "en", clean=False)


def _segment(seg, text: str) -> list[str]:
    r"""``seg.segment(text)`` (pysbd, clean=False) without its per-sentence regex.

    pysbd finds each sentence back in the text with ``re.finditer(re.escape(sentence) + r"\s*")``:
    one new compiled pattern per sentence, which also evicts everyone else's patterns from the ``re``
    cache. Same search with ``str.find`` (non-overlapping, first match ending after the previous
    sentence; ``str.isspace`` is ``\s``): identical output on every block of examples/, tests/data/
    and the corpus, in half the time.
    """
    sents = seg.processor(text).process()
    if not text or any(not s for s in sents):
        return seg.segment(text)
    out: list[str] = []
    prior, n = 0, len(text)
    for sent in sents:
        start = 0
        while start <= n:
            i = text.find(sent, start)
            if i < 0:
                break
            j = i + len(sent)
            while j < n and text[j].isspace():
                j += 1
            if j > prior:
                out.append(text[i:j])
                prior = j
                break
            start = j
    return out


_MIN_SENT_CHARS = 3
# Sentence-ending marks pysbd splits on (and line breaks). A text with none of them before its
# final punctuation is one sentence: pysbd is skipped (same result, measured on every block of
# examples/, tests/data/ and the corpus; it halves the time spent in pysbd).
_MAY_SPLIT = re.compile(r"[.!?\u3002\uff0e\uff01\uff1f\u2026\n\r]")
_FINAL = ".!?\u2026\"'\u201d\u00bb)] "


_CHUNK = 2000  # pysbd's abbreviation pass is quadratic in its input: longer texts go in pieces
_BOUNDARY = re.compile(r"(?<=[.!?\u2026])\s+(?=[\"'\u00ab\u201c(]?[A-Z\u00c0-\u00de])")


def _chunks(text: str, size: int = _CHUNK) -> list[str]:
    """`text` cut into pieces of at most about `size` characters, at likely sentence ends (a stop,
    a space, a capital), or at a space, or anywhere in a run without one. Texts up to `size` (every
    paragraph of a real notice) are one piece, so pysbd sees them whole."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = None
        for m in _BOUNDARY.finditer(window, size // 4):
            cut = m.end()
        if cut is None:
            space = window.rfind(" ", size // 4)
            cut = space + 1 if space > 0 else size
        out.append(text[start : start + cut].strip())
        start += cut
    out.append(text[start:].strip())
    return [c for c in out if c]


@functools.lru_cache(maxsize=8192)
def sentences(text: str, lang: str) -> tuple[str, ...]:
    """The sentences of a block's clean text (pysbd, language-specific; deterministic).

    Fragments without a letter (a lone bullet number, "(link)") are joined to the previous sentence.
    """
    text = text.strip()
    if not text:
        return ()
    if not _MAY_SPLIT.search(text.rstrip(_FINAL)):
        return (text,)
    try:
        seg = _segmenter(lang)
        parts = [s.strip() for chunk in _chunks(text) for s in _segment(seg, chunk)]
    except Exception:  # pysbd on odd input: the block is one sentence
        parts = [text]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        # A fragment without letters, or a split inside parentheses ("(e.g. CRMG)"), joins the previous one.
        if out and (
            len(p) < _MIN_SENT_CHARS or not re.search(r"[^\W\d_]{2}", p) or out[-1].count("(") > out[-1].count(")")
        ):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return tuple(out) or (text,)


_CLAUSE_BREAK = re.compile(r"(?<=[,;:\u2013\u2014])\s+")


def clauses(sentence: str, max_parts: int = 8) -> list[str]:
    """Leading and trailing runs of a sentence's comma/semicolon-separated parts (not the whole).

    A sentence split in two by the translation ("..., and NATO reserves the right to ..." ->
    "... . Elle se réserve le droit de ...") leaves a short sentence whose counterpart is a clause
    of a longer one; comparing it with these runs finds it.
    """
    parts = [p for p in _CLAUSE_BREAK.split(sentence.strip()) if p]
    if len(parts) < 2:
        return []
    parts = parts[:max_parts]
    out = [" ".join(parts[:k]) for k in range(1, len(parts))] + [" ".join(parts[k:]) for k in range(1, len(parts))]
    return list(dict.fromkeys(o for o in out if words(o) >= 3))
