"""Acronyms in running text: their shape, "Long Name (ABC)" definitions, the known EN/FR pairs of
acronyms.toml (through ctx.knowledge, so that configuration extends it), and each half's acronyms.

Pure text processing over the document model; nothing here raises on odd input.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from rapidfuzz.distance import OSA

from .knowledge import fold, stopwords
from .model import EN, FR, Block, Notice
from .text import mask_spans

# ------------------------------------------------------------------ acronyms

_TOKEN = re.compile(r"(?<![\w&])[^\W_][\w&]*(?<![&])")
_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV)$")
_CAPWORD = re.compile(r"^[A-Z][a-z]{2,}")
_CONTENT_KINDS = ("paragraph", "bullet", "title")


def _norm_raw(token: str) -> str:
    """NMAs -> NMA; WSec -> WSEC."""
    base = token
    if len(token) >= 3 and token.endswith("s") and token[-2].isupper():
        base = token[:-1]
    return base.upper()


_TWO_CAPS = re.compile(r"[^\W\d_a-z]\w*[^\W\d_a-z]|[A-Z].*[A-Z]")


@functools.lru_cache(maxsize=65536)
def acronym_shape(token: str) -> bool:
    """Two or more capitals, at least half of the letters capitals, not a capitalised word
    ("Chat"), not a Roman numeral or a grade code."""
    if not _TWO_CAPS.search(token):
        return False
    base = token[:-1] if len(token) >= 3 and token.endswith("s") and token[-2].isupper() else token
    letters = [c for c in base if c.isalpha()]
    if len(letters) < 2 or len(base) > 12:
        return False
    upper = sum(1 for c in letters if c.isupper())
    if upper < 2 or upper * 2 < len(letters):
        return False
    if _CAPWORD.match(base) or _ROMAN.match(base):
        return False
    if not base[0].isupper() and not base[0].isdigit():
        return False
    return True


def norm(token: str) -> str:
    return _norm_raw(token)


@dataclass
class Occurrence:
    token: str
    norm: str
    block: Block
    start: int


@dataclass
class Definition:
    norm: str
    token: str
    expansion: str
    block: Block


@dataclass
class Side:
    lang: str
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)  # body acronyms
    presence: Counter = field(default_factory=Counter)  # every acronym-shaped token of the half
    definitions: dict[str, Definition] = field(default_factory=dict)
    folded: str = ""
    plain: set = field(default_factory=set)  # words the half writes in lower case


class AcronymKnowledge:
    """acronyms.toml (merged with configuration) in a form that is quick to query."""

    def __init__(self, table: dict):
        self.to_fr: dict[str, set[str]] = {}
        self.to_en: dict[str, set[str]] = {}
        self.word_forms: dict[tuple[str, str], list[str]] = {}  # (norm, target lang) -> phrases
        for pair in table.get("pairs", []) or []:
            if isinstance(pair, str):
                pair = [p.strip() for p in re.split(r"[=/]", pair) if p.strip()]
            if not isinstance(pair, (list, tuple)) or len(pair) < 2:
                continue
            en, frs = str(pair[0]), [str(x) for x in pair[1:]]
            ne = norm(en)
            for fr in frs:
                if acronym_shape(fr) or fr.isupper():
                    nf = norm(fr)
                    self.to_fr.setdefault(ne, set()).add(nf)
                    self.to_en.setdefault(nf, set()).add(ne)
                else:
                    self.word_forms.setdefault((ne, FR), []).append(fr)
        self.ignore = {norm(x) for x in table.get("ignore", []) or []}
        self.droppable = {norm(x) for x in table.get("droppable", []) or []}
        self.expansions: dict[tuple[str, str], list[str]] = {}
        for key, langs in (table.get("expansions", {}) or {}).items():
            if isinstance(langs, dict):
                for lg in (EN, FR):
                    for e in langs.get(lg, []) or []:
                        self.expansions.setdefault((norm(key), lg), []).append(str(e))

    def counterparts(self, n: str, src: str) -> set[str]:
        """Acronym forms that stand for `n` (written on side `src`) on the other side."""
        table = self.to_fr if src == EN else self.to_en
        return {n} | table.get(n, set())

    def known_pair(self, a: str, b: str) -> bool:
        return b in self.to_fr.get(a, set()) or a in self.to_fr.get(b, set())

    def phrases(self, n: str, src: str) -> list[str]:
        """Word counterparts (HQ -> "siège") of an EN acronym on the FR side."""
        if src != EN:
            return []
        return self.word_forms.get((n, FR), [])


_KNOW: dict[int, tuple[dict, AcronymKnowledge]] = {}


def acronym_knowledge(table: dict) -> AcronymKnowledge:
    """The knowledge for this (merged) table; the same table object gives the same instance, so
    that the rules of one run share their per-notice caches."""
    hit = _KNOW.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    know = AcronymKnowledge(table)
    if len(_KNOW) > 32:
        _KNOW.clear()
    _KNOW[id(table)] = (table, know)
    return know


def tokens(text: str) -> Iterable[tuple[str, int]]:
    for m in _TOKEN.finditer(text):
        yield m.group(0), m.start()


_CAMEL_TAIL = re.compile(r"[a-z]([A-Z]{2,}[A-Za-z0-9]*)$")


def presence_tokens(text: str) -> Counter:
    """Every acronym-shaped token of a text, normalised, plus capitalised tails of camel-case
    words (ChatGPT -> GPT)."""
    out: Counter = Counter()
    masked = mask_spans(text)
    for tok, _ in tokens(masked):
        if tok.islower() or tok.isdigit():
            continue  # no capital: neither an acronym nor a camel-case tail
        if acronym_shape(tok):
            out[norm(tok)] += 1
        else:
            m = _CAMEL_TAIL.search(tok)
            if m and acronym_shape(m.group(1)):
                out[norm(m.group(1))] += 1
    return out


def body_acronyms(
    text: str, lang: str, know: AcronymKnowledge, plain: Optional[set] = None, defined: Optional[set] = None
) -> list[tuple[str, str, int]]:
    """Acronyms of running text as (token, norm, offset): shape test plus context filters (ignore
    list, function words written in capitals, runs of three or more capitalised words, and words
    in capitals that the same half also writes in lower case - "apply ONLY online" - unless the
    notice defines them as acronyms; `plain` is that set of lower-case words, `defined` the
    acronyms the half defines)."""
    masked = mask_spans(text)
    toks = list(tokens(masked))
    caps = [acronym_shape(t) or (t.isupper() and len(t) > 1) for t, _ in toks]
    skip = [False] * len(toks)
    i = 0
    while i < len(toks):
        if caps[i] and toks[i][0].isupper():
            j = i
            while (
                j + 1 < len(toks)
                and caps[j + 1]
                and toks[j + 1][0].isupper()
                and masked[toks[j][1] + len(toks[j][0]) : toks[j + 1][1]].strip() in ("", "-", "/", "&")
            ):
                j += 1
            if j - i + 1 >= 3:
                for k in range(i, j + 1):
                    skip[k] = True
            i = j + 1
        else:
            i += 1
    stop = stopwords(lang)
    out = []
    for k, (tok, pos) in enumerate(toks):
        if skip[k] or not acronym_shape(tok):
            continue
        n = norm(tok)
        if n in know.ignore:
            continue
        if len(n) >= 3 and n.casefold() in stop:
            continue
        if plain and len(tok) >= 3 and tok.isupper() and tok.lower() in plain and n not in (defined or ()):
            continue
        out.append((tok, n, pos))
    return out


def plain_words(texts: Iterable[str]) -> set[str]:
    """Words written in lower case or capitalised ("only", "Only") in these texts, case-folded."""
    out: set[str] = set()
    for t in texts:
        out.update(
            w.casefold()
            for w in re.findall(r"[^\W\d_]+", mask_spans(t))
            if w.islower() or (w[:1].isupper() and w[1:].islower())
        )
    return out


_LEADING = {
    "the",
    "a",
    "an",
    "its",
    "our",
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "du",
    "des",
    "de",
    "d",
    "sa",
    "son",
    "ses",
    "leur",
}
_DEF_RE = re.compile(r"\(\s*([^\W_][\w&]*)\s*\)")
_CLAUSE_START = re.compile(r".*[,;:.!?()\[\]«»\"“”]\s*", re.S)


def definitions_in(text: str) -> list[tuple[str, str, str]]:
    """ "Long Name (ABC)" definitions in a text: (token, norm, expansion)."""
    out = []
    for m in _DEF_RE.finditer(text):
        tok = m.group(1)
        if not acronym_shape(tok):
            continue
        before = text[: m.start()].rstrip()
        if not before or not re.search(r"[a-zà-ÿ]", before[-60:]):
            continue
        clause = _CLAUSE_START.sub("", before[-160:])
        words = clause.split()
        n_letters = len([c for c in norm(tok) if c.isalpha()])
        words = words[-(n_letters * 2 + 3) :]
        while words and words[0].casefold().rstrip("'’") in _LEADING:
            words = words[1:]
        if words and re.match(r"^[ldLD]['’]\w", words[0]):
            words[0] = words[0][2:]
        n = norm(tok)
        # The shortest tail whose initials spell the acronym ("... a valid personnel security
        # clearance (PSC)" -> "personnel security clearance"), when there is one.
        for i in range(len(words) - 1, -1, -1):
            if words[i][:1].upper() == n[:1] and any(native(n, " ".join(words[i:]), lg) for lg in (EN, FR)):
                words = words[i:]
                break
        exp = " ".join(words)
        if exp and not acronym_shape(words[-1]):
            out.append((tok, n, exp))
    return out


def initials(expansion: str, lang: str) -> str:
    stop = stopwords(lang) | {"d", "l"}
    words = re.findall(r"[^\W\d_]+", expansion.replace("’", "'"))
    return "".join(w[0].upper() for w in words if w.casefold() not in stop)


def native(n: str, expansion: str, lang: str) -> bool:
    """Whether acronym `n` is made of the initials of `expansion` (in order, ending at its end)."""
    # Accents never count: "Équipe Planification des gadgets (EPG)" is native.
    letters = [c for c in fold(n).upper() if c.isalpha()]
    ini = fold(initials(expansion, lang)).upper()
    if not letters or not ini:
        return False
    it = iter(ini)
    if not all(c in it for c in letters):
        return False
    return letters[-1] in ini[-2:]


def similar(a: str, b: str) -> bool:
    """Spelling variants of one acronym: same first letter, one edit apart (two for long ones); an
    edit is a letter added, dropped or changed, or two neighbouring letters swapped."""
    if a == b or not a or not b or a[0] != b[0]:
        return False
    if min(len(a), len(b)) < 3 and max(len(a), len(b)) < 4:
        return False
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    return OSA.distance(a, b) <= limit  # two letters swapped (DCSD / DSCD) are one edit


_SIDES: "weakref.WeakKeyDictionary[Notice, dict]" = weakref.WeakKeyDictionary()


def side_of(notice: Notice, lang: str, know: AcronymKnowledge) -> Optional[Side]:
    """The acronyms of one half (cached per notice)."""
    half = notice.en if lang == EN else notice.fr
    if half is None:
        return None
    try:
        cache = _SIDES.setdefault(notice, {})
    except TypeError:  # pragma: no cover - not weak-referenceable
        cache = {}
    ck = (lang, id(know))
    if ck in cache and cache[ck][0] is know:
        return cache[ck][1]
    side = Side(lang)
    blocks = [b for b in half.blocks if b.kind != "url"]
    texts = [b.clean for b in blocks]
    side.plain = plain_words(texts)
    for b in blocks:
        if b.kind in _CONTENT_KINDS:
            for tok, n, exp in definitions_in(mask_spans(b.clean)):
                side.definitions.setdefault(n, Definition(n, tok, exp, b))
    for b, raw in zip(blocks, texts):
        side.presence.update(presence_tokens(raw))
        if b.kind in _CONTENT_KINDS:
            for tok, n, pos in body_acronyms(raw, lang, know, side.plain, set(side.definitions)):
                side.occurrences.setdefault(n, []).append(Occurrence(tok, n, b, pos))
    side.folded = fold("\n".join(texts))
    cache[ck] = (know, side)
    return side
