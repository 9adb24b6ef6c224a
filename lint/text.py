"""Helpers for the terms and style checks: acronyms, links, contacts, term matching, line lookup.

Everything here is pure text processing over the document model; language knowledge comes from
the data files acronyms.toml, glossary.toml and typography.toml (through ctx.knowledge, so that
configuration extends it). Nothing here raises on odd input.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz.distance import OSA

from .knowledge import data, fold
from .model import EN, FR, Block, Notice, Place

# ------------------------------------------------------------------ locating text on physical lines


def line_of(notice: Notice, block: Block, needle: str) -> int:
    """The physical line of `block` where `needle` starts (the block's first line if not found).

    Reflowed blocks join several physical lines; a finding about one word points at its own line.
    """
    lines = notice.source.lines if notice is not None and notice.source is not None else []
    if not needle or not lines:
        return block.line
    first = needle.strip().split()[0] if needle.strip() else needle
    first = first.strip("*_[](){}<>\"'«»")
    if not first:
        return block.line
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        if first in lines[n - 1]:
            return n
    low = first.casefold()
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        if low in lines[n - 1].casefold():
            return n
    return block.line


def place_of(notice: Notice, block: Block, needle: str, offset: Optional[int] = None) -> Place:
    """The place of `needle` in `block`: its line, column and end column (span_place). With
    `offset` (into block.clean), the occurrence that starts there; without, the first one (exact
    case first). A needle that is not a word (a colon, a quote mark) is placed with the word it
    touches. Where the needle cannot be found, the line where it would be, with no column."""
    clean = block.clean
    start = None
    if offset is not None and 0 <= offset <= len(clean):
        start = offset
        if needle and not clean.startswith(needle, offset) and clean.find(needle, offset) >= 0:
            start = clean.find(needle, offset)  # the offset of the phrase that holds the needle
    elif needle:
        start = clean.find(needle)
        if start < 0 and len(clean.casefold()) == len(clean):
            start = clean.casefold().find(needle.casefold())
        start = start if start >= 0 else None
    if start is None:
        n = line_of(notice, block, needle)
        return Place(n, n, block.lang)
    end = start + max(1, len(needle))
    if not _WORDISH.search(clean[start:end]):
        # Punctuation: the word it is attached to ("mot:" , "«mot"), else the word before it.
        after = _WORDISH.match(clean, end)
        before = [m for m in _WORDISH.finditer(clean, 0, start) if m.end() == start]
        if after is not None:
            end = after.end()
        elif before:
            start = before[-1].start()
        else:
            n = line_at(notice, block, start)
            return Place(n, n, block.lang)
    return span_place(notice, block, start, end)


def pair_place(notice: Notice, blocks: list[Block], start: int, end: int) -> Optional[Place]:
    """The place of characters start:end of a pair side's text (" ".join of its blocks' clean
    text, as BlockPair.en_text / fr_text), or None when the span is not inside one block."""
    pos = 0
    for b in blocks:
        n = len(b.clean)
        if pos <= start < pos + n:
            return span_place(notice, b, start - pos, min(end, pos + n) - pos)
        pos += n + 1
    return None


_WORDISH = re.compile(r"[^\W_]+")


def _text_lines(notice: Notice, block: Block) -> list[tuple[int, str, int]]:
    """The physical lines that hold the text of `block`: (line number, raw line, offset where the
    block's text starts on it). URL-only lines and page numbers inside a wrapped paragraph are not
    part of its text; nor is a bullet's marker."""
    from .reflow import PAGE_NUMBER, URL_ONLY

    lines = notice.source.lines if notice is not None and notice.source is not None else []
    out = []
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        raw = lines[n - 1]
        if n != block.line and (not raw.strip() or URL_ONLY.match(raw) or PAGE_NUMBER.match(raw)):
            continue
        m = _BULLET_MARK.match(raw) if block.kind == "bullet" and n == block.line else None
        out.append((n, raw, m.end() if m else 0))
    return out


def line_at(notice: Notice, block: Block, offset: int) -> int:
    """The physical line of `block` holding character `offset` of block.clean, found by counting
    words (markup and line breaks change characters, not words)."""
    rows = _text_lines(notice, block)
    if block.end_line <= block.line or not rows:
        return block.line
    want = len(_WORDISH.findall(block.clean[: max(0, offset)]))
    seen = 0
    for n, raw, skip in rows:
        seen += len(_WORDISH.findall(clean_line(raw[skip:])))
        if seen > want:
            return n
    return rows[-1][0]


def span_place(notice: Notice, block: Block, start: int, end: int) -> Place:
    """The place of characters ``start:end`` of ``block.clean`` on the physical lines: the line
    where the span starts, its 1-based column there, and an exclusive ``end_column`` when the span
    ends on the same line. Markup and reflow change characters, not words, so the span's first
    word is found by counting words, then located by its text in the raw line."""
    clean = block.clean
    start = max(0, min(start, len(clean)))
    end = max(start, min(end, len(clean)))
    rows = _text_lines(notice, block)
    first = _WORDISH.search(clean, start)
    if not rows or first is None or first.start() >= end:
        n = line_at(notice, block, start)
        return Place(n, n, block.lang)
    want = len(_WORDISH.findall(clean[:first.start()]))  # the span's first word is word `want`
    seen = 0
    row = rows[-1]
    for r in rows:
        count = len(_WORDISH.findall(clean_line(r[1][r[2]:])))
        if seen + count > want:
            row = r
            break
        seen += count
    n, raw, skip = row
    index = want - seen  # ... and word `index` of line n
    spots = [m for m in _WORDISH.finditer(raw, skip) if m.group() == first.group()]
    spot = next((m for m in spots if len(_WORDISH.findall(clean_line(raw[skip:m.start()]))) == index),
                spots[0] if spots else None)
    if spot is None:
        return Place(n, n, block.lang)
    column = spot.start() + 1
    text = clean[first.start():end].rstrip()
    end_column = None
    if raw.startswith(text, spot.start()):
        end_column = column + len(text)
    elif first.end() >= end:
        end_column = column + len(spot.group())
    else:
        # The span runs over markup or a line break: end at its last word when it is on this line.
        words = _WORDISH.findall(text)
        k = raw.find(words[-1], spot.start())
        if k >= 0 and len(_WORDISH.findall(clean_line(raw[spot.start():k]))) == len(words) - 1:
            end_column = k + len(words[-1]) + 1
    return Place(n, n, block.lang, column, end_column)


_BULLET_MARK = re.compile(r"^\s*(?:[-\u2022\u2023\u25aa\u25cf\u00b7\u2013\u2014*o\uf0b7\u27a2\u2043]|\d+[.)])\s+")


def clean_line(raw: str) -> str:
    from .model import clean_text

    return clean_text(raw)


def block_span(blocks: list[Block], lang: str) -> Place:
    return Place(blocks[0].line, blocks[-1].end_line, lang)


def quote(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


# ------------------------------------------------------------------ URLs, e-mail addresses, phones

URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()\[\]\"'«»]+(?:\([^\s()]*\)[^\s<>()\[\]\"'«»]*)*", re.I)
EMAIL_RE = re.compile(r"(?<![\w.+-])(?:mailto:)?([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)\d[\d \u00a0().\-/]{6,}\d(?![\d])")
MD_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")  # no bracket inside: linear in the number of "["
_TRAIL = ".,;:!?)»\"'’"

# Where a URL says its language: /en/ path segments, -en.pdf file names, lang=en queries.
_LANG_CODES = {"en": "en", "eng": "en", "english": "en", "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr",
               "francais": "fr", "français": "fr"}
_LANG_QUERY_KEYS = {"lang", "language", "hl", "locale", "lng", "ln"}
_PATH_SEG = re.compile(r"(?<=/)(en|eng|english|fr|fra|fre|french|francais|français)(?=/)", re.I)
_FILE_SUFFIX = re.compile(r"([-_.])(en|fr|eng|fra|e|f)(\.[A-Za-z0-9]{2,5})$", re.I)


def strip_url(url: str) -> str:
    url = url.strip()
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def urls_in(text: str) -> list[str]:
    """URL targets in raw block text: bare and autolinked URLs and markdown link targets
    (placeholders such as "#" are left out)."""
    out = []
    for m in URL_RE.finditer(text):
        u = strip_url(m.group(0))
        if u:
            out.append(u)
    for m in MD_LINK_RE.finditer(text):
        target = m.group(2).strip("<>")
        if target and not target.startswith("#") and not URL_RE.match(target) and "@" not in target:
            if "." in target or "/" in target:
                out.append(strip_url(target))
    return out


def url_lang(url: str) -> Optional[str]:
    """The language a URL names in its path, file name or query ("en", "fr"), if any."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return None
    m = _PATH_SEG.search(parts.path + "/")
    if m:
        return _LANG_CODES.get(m.group(1).lower())
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in _LANG_QUERY_KEYS:
            code = v.lower().split("-")[0].split("_")[0]
            if code in _LANG_CODES:
                return _LANG_CODES[code]
    m = re.search(r"[-_.](en|fr|eng|fra)\.[A-Za-z0-9]{2,5}$", parts.path, re.I)
    if m:
        return _LANG_CODES.get(m.group(1).lower())
    return None


def normalise_url(url: str) -> str:
    """A URL's target with scheme, "www.", trailing slash and language slots taken out, so that
    the EN and FR variants of one page compare equal (/cps/en/ = /cps/fr/, -en.pdf = -fr.pdf,
    lang=en = lang=fr, recruit-e.htm = recruit-f.htm)."""
    url = strip_url(url)
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return url.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = _PATH_SEG.sub("{lang}", parts.path)
    path = _FILE_SUFFIX.sub(lambda m: m.group(1) + "{lang}" + m.group(3).lower(), path)
    path = path.rstrip("/")
    query = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in _LANG_QUERY_KEYS:
            v = "{lang}"
        query.append((k, v))
    q = urlencode(sorted(query))
    return host + path + ("?" + q if q else "")


def emails_in(text: str) -> list[str]:
    return [m.group(1) for m in EMAIL_RE.finditer(text)]


def phones_in(text: str) -> list[str]:
    out = []
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if m.group(0).startswith("00"):
            digits = digits[2:]
        if 8 <= len(digits) <= 15:
            out.append(m.group(0).strip())
    return out


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("00"):
        digits = digits[2:]
    # "(0)" trunk prefix after the country code: +32 (0)2 707 41 11 = +32 2 707 41 11
    if re.search(r"\(0\)", phone):
        m = re.match(r"\s*(?:\+|00)(\d{1,3})", phone)
        if m:
            cc = m.group(1)
            rest = digits[len(cc):]
            if rest.startswith("0"):
                digits = cc + rest[1:]
    return digits


def mask_spans(text: str) -> str:
    """Text with URLs, e-mail addresses and markdown link targets blanked (same length), so that
    what is inside them is not read as words or acronyms."""
    def blank(m: re.Match) -> str:
        return " " * len(m.group(0))

    text = MD_LINK_RE.sub(lambda m: "[" + m.group(1) + "]" + " " * (len(m.group(2)) + 2), text)
    text = URL_RE.sub(blank, text)
    text = EMAIL_RE.sub(blank, text)
    return text


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


@functools.lru_cache(maxsize=8)
def _stopwords(lang: str) -> frozenset:
    try:
        return frozenset(w.casefold() for w in data("stopwords").get(lang, []))
    except Exception:  # pragma: no cover - data file missing
        return frozenset()


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


def body_acronyms(text: str, lang: str, know: AcronymKnowledge, plain: Optional[set] = None,
                  defined: Optional[set] = None) -> list[tuple[str, str, int]]:
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
            while j + 1 < len(toks) and caps[j + 1] and toks[j + 1][0].isupper() \
                    and masked[toks[j][1] + len(toks[j][0]):toks[j + 1][1]].strip() in ("", "-", "/", "&"):
                j += 1
            if j - i + 1 >= 3:
                for k in range(i, j + 1):
                    skip[k] = True
            i = j + 1
        else:
            i += 1
    stop = _stopwords(lang)
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
        out.update(w.casefold() for w in re.findall(r"[^\W\d_]+", mask_spans(t))
                   if w.islower() or (w[:1].isupper() and w[1:].islower()))
    return out


_LEADING = {"the", "a", "an", "its", "our", "le", "la", "les", "l", "un", "une", "du", "des", "de", "d", "sa", "son",
            "ses", "leur"}
_DEF_RE = re.compile(r"\(\s*([^\W_][\w&]*)\s*\)")
_CLAUSE_START = re.compile(r".*[,;:.!?()\[\]«»\"“”]\s*", re.S)


def definitions_in(text: str) -> list[tuple[str, str, str]]:
    """"Long Name (ABC)" definitions in a text: (token, norm, expansion)."""
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
        words = words[-(n_letters * 2 + 3):]
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
    stop = _stopwords(lang) | {"d", "l"}
    words = re.findall(r"[^\W\d_]+", expansion.replace("’", "'"))
    return "".join(w[0].upper() for w in words if w.casefold() not in stop)


def native(n: str, expansion: str, lang: str) -> bool:
    """Whether acronym `n` is made of the initials of `expansion` (in order, ending at its end)."""
    from .knowledge import fold

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


def side_of(notice: Notice, lang: str, know: AcronymKnowledge, key: int = 0) -> Optional[Side]:
    """The acronyms of one half (cached per notice)."""
    half = notice.en if lang == EN else notice.fr
    if half is None:
        return None
    try:
        cache = _SIDES.setdefault(notice, {})
    except TypeError:  # pragma: no cover - not weak-referenceable
        cache = {}
    ck = (lang, key, id(know))
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


# ------------------------------------------------------------------ inflection-tolerant term matching

_FR_LINKS = ("de", "des", "du", "d'", "la", "le", "les", "l'", "a", "au", "aux", "en", "un", "une",
             "pour", "et", "sur")


@functools.lru_cache(maxsize=4096)
def term_regex(term: str, lang: str) -> re.Pattern:
    """A regex over folded text for `term` with plural/feminine endings, British/American spelling
    (EN), any article between words (FR), and hyphen/space variants."""
    t = fold(term)
    words = re.findall(r"[^\s\-\u2010\u2011']+'|[^\s\-\u2010\u2011']+", t)
    parts: list[Optional[str]] = []
    for w in words:
        core = re.escape(w.rstrip("'"))
        if lang == EN:
            if w.endswith("ies") and len(w) > 4:
                core = re.escape(w[:-3]) + "(?:y|ies)"
            elif w.endswith("y") and len(w) > 3:
                core = re.escape(w[:-1]) + "(?:y|ies)"
            elif w.endswith(("sses", "xes", "ches", "shes")):
                core = re.escape(w[:-2]) + r"(?:es)?"
            elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
                core = re.escape(w[:-1]) + r"(?:s|es)?"
            else:
                core = core + r"(?:s|es)?"
            core = core.replace("is", "i[sz]").replace("ence", "en[cs]e")
            parts.append(core + r"(?:'s)?")
        else:
            if w in _FR_LINKS or w.endswith("'"):
                parts.append(None)
                continue
            tail = r"(?:\(?e\)?)?(?:\(?s\)?|x)?"
            stem = w
            if len(stem) > 3 and stem[-1] in "sx" and not stem.endswith("ss"):
                stem = stem[:-1]
            if len(stem) > 3 and stem.endswith("e"):
                stem = stem[:-1]
            core = re.escape(stem)
            if w.endswith("al") and len(w) > 4:
                tail = r"(?:e|es|s|aux)?"
            parts.append(core + tail)
    link = r"(?:[\s\-\u2010\u2011]+|[\s\-]*(?:(?:de|des|du|d'|la|le|les|l'|a|au|aux|en|un|une|pour|et|sur)[\s']*)+)"
    body = ""
    prev_word = False
    for p in parts:
        if p is None:
            continue
        if prev_word:
            body += link
        body += p
        prev_word = True
    if not body:
        body = re.escape(t)
    return re.compile(r"(?<![\w])" + body + r"(?![\w])")


def contains_term(folded_text: str, term: str, lang: str) -> bool:
    return term_regex(term, lang).search(folded_text) is not None


def find_term(folded_text: str, term: str, lang: str) -> Optional[re.Match]:
    return term_regex(term, lang).search(folded_text)


_WORD = re.compile(r"[^\W_]+(?:'(?=[^\W_]))?")


def _content_words(phrase: str, lang: str) -> list[str]:
    words = re.findall(r"[^\s\-\u2010\u2011']+", fold(phrase))
    stop = set(_FR_LINKS) | _stopwords(lang)
    return [w for w in words if w not in stop]


def contains_loosely(folded_text: str, phrase: str, lang: str, slack: int = 8) -> bool:
    """`phrase` in the text, or all its content words (inflections allowed) within a short window
    ("développement et renforcement de ses capacités" for "développement des capacités")."""
    if contains_term(folded_text, phrase, lang):
        return True
    words = _content_words(phrase, lang)
    if len(words) < 2:
        return False
    toks = [m.group(0) for m in _WORD.finditer(folded_text)]
    hits = []
    for w in words:
        rx = term_regex(w, lang)
        idx = [i for i, t in enumerate(toks) if rx.fullmatch(t)]
        if not idx:
            return False
        hits.append(idx)
    window = len(words) + slack
    for i in hits[0]:
        if all(any(abs(j - i) <= window for j in idx) for idx in hits[1:]):
            return True
    return False


def coverage(phrase: str, folded_text: str, lang: str) -> float:
    """Share of the content words of `phrase` that occur (inflections allowed) in the text."""
    words = _content_words(phrase, lang)
    if not words:
        return 0.0
    return sum(1 for w in words if contains_term(folded_text, w, lang)) / len(words)
