"""Word-level meaning inside aligned sentence pairs: closed word classes, names, phrases.

Sentence embeddings see that a French sentence translates its English one; they barely see that
"at least" became "au plus", "must" became "ne doit pas" or "Spanish" became "italien". This
module works below the sentence:

- :func:`sentence_pairs` aligns the sentences of a paragraph pair (the same dynamic program as the
  paragraphs, on sentence vectors) and returns the sentence pairs with their offsets;
- :class:`Cues` finds the closed-class words of data/meaning.toml (negation, bounds, restriction,
  modality) with their positions, and :func:`compare_cues` compares two sides class by class;
- :class:`Names` finds languages, countries, nationalities, cities and currencies, with names from
  CLDR (data/cldr.json, taken from babel by tools/gen_cldr.py) and data/names.toml;
- :func:`substitutions` uses the glossary both ways: a French rendering of a term the English
  does not use, facing an English term of the same family that the French does not render.

Positions are offsets into the block's clean text, so findings carry the word's column.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np

from .model import EN, FR, Block, BlockPair

# ----------------------------------------------------------------------------- folding with offsets


@dataclass(frozen=True)
class Folded:
    """Lower-case, accent-free text whose every character knows its offset in the original."""

    text: str
    offsets: tuple[int, ...]  # offsets[i]: index in the original of folded character i (len = len(text) + 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1 if end > start else self.offsets[start]


_APOS = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "}


@functools.lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    """What fold_with_offsets makes of one character (0, 1 or more characters)."""
    return "".join(
        c.casefold() for c in unicodedata.normalize("NFKD", _APOS.get(ch, ch)) if not unicodedata.combining(c)
    )


@functools.lru_cache(maxsize=4096)
def fold_with_offsets(text: str) -> Folded:
    # Fast path: every distinct character folds to exactly one, so offsets are the identity and
    # one translate does it (the loop below cost ~0.3 ms a paragraph).
    table = {}
    for ch in set(text):
        f = _fold_char(ch)
        if len(f) != 1:
            break
        if f != ch:
            table[ord(ch)] = f
    else:
        return Folded(text.translate(table), tuple(range(len(text) + 1)))
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        ch = _APOS.get(ch, ch)
        for c in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(c):
                continue
            for f in c.casefold():
                out.append(f)
                offs.append(i)
    offs.append(len(text))
    return Folded("".join(out), tuple(offs))


def _phrase_regex(phrase: str) -> str:
    """A folded phrase as a regex: whole words, any run of spaces, hyphen or space alike."""
    if phrase.startswith("re:"):
        return phrase[3:]
    f = fold_with_offsets(phrase).text.strip()
    parts = [re.escape(p) for p in f.split()]
    body = r"[\s-]+".join(parts)
    body = body.replace(r"\-", r"[\s-]")
    left = r"(?<![\w-])" if f[:1].isalnum() else ""
    right = r"(?![\w-])" if f[-1:].isalnum() else ""
    return left + body + right


_WORD_START = r"(?<![\w-])"


def _forms_regex(forms: list[str]) -> re.Pattern:
    r"""One regex for the forms, tried in their order: "(?:f1)|(?:f2)|...", where each run of forms
    that start at a word start shares one "(?<![\w-])" in front of its alternatives (the same
    matches: the assertion takes no text; the engine tests it once per position, not once per
    form, ~5x faster on a sentence)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(_WORD_START + "(?:" + "|".join(f"(?:{p})" for p in run) + ")")
            run.clear()

    for f in forms:
        p = _phrase_regex(f)
        if not f.startswith("re:") and p.startswith(_WORD_START):
            run.append(p[len(_WORD_START) :])
        else:
            flush()
            out.append(f"(?:{p})")
    flush()
    return re.compile("|".join(out))


def _phrase_literal(phrase: str) -> str:
    """A piece of text every match of `_phrase_regex(phrase)` holds: the folded phrase's first word
    up to a hyphen (a hyphen matches a space too); "" when there is none (a "re:" form)."""
    if phrase.startswith("re:"):
        return ""
    words = fold_with_offsets(phrase).text.split()
    return words[0].split("-")[0] if words else ""


# ----------------------------------------------------------------------------- closed classes


@dataclass(frozen=True)
class Cue:
    cls: str  # negation | quantifier | restriction | modality
    value: str  # "at least", "obligation", "not", ...
    start: int  # offsets into the original text
    end: int
    surface: str


class Cues:
    """The cue table of data/meaning.toml compiled per language."""

    def __init__(self, table: dict):
        self._memo: dict[tuple[str, str], tuple[Cue, ...]] = {}
        self.opposite: dict[tuple[str, str], str] = {}
        self.decisive: set[tuple[str, str]] = set()
        self.classes: list[str] = []
        # (class, value, regex, the literals one of which every match holds; None: scan always)
        self._rx: dict[str, list[tuple[str, str, re.Pattern, Optional[tuple[str, ...]]]]] = {EN: [], FR: []}
        for cue in table.get("cue", []) or []:
            cls, value = str(cue.get("class", "")), str(cue.get("value", ""))
            if not cls or not value:
                continue
            if cls not in self.classes:
                self.classes.append(cls)
            if cue.get("decisive"):
                self.decisive.add((cls, value))
            if cue.get("opposite"):
                self.opposite[(cls, value)] = str(cue["opposite"])
            for lang in (EN, FR):
                forms = sorted((str(f) for f in cue.get(lang, []) or []), key=lambda f: -len(f))
                if forms:
                    rx = _forms_regex(forms)
                    lits = tuple(_phrase_literal(f) for f in forms)
                    self._rx[lang].append((cls, value, rx, None if "" in lits else lits))
        neutral = table.get("neutral", {}) or {}
        self._neutral = {}
        for lang in (EN, FR):
            forms = sorted((str(f) for f in neutral.get(lang, []) or []), key=lambda f: -len(f))
            self._neutral[lang] = _forms_regex(forms) if forms else None

    def find(self, text: str, lang: str) -> list[Cue]:
        """Cues of `text`. A match inside a span already taken (by a neutral phrase, an earlier
        cue, or a longer form) is not one: "no later than" is a bound, not a negation; "ne doit
        pas" is both an obligation and a negation. Memoised: the four rules read the same sentences."""
        key = (text, lang)
        got = self._memo.get(key)
        if got is None:
            if len(self._memo) > 4096:
                self._memo.clear()
            got = self._memo[key] = tuple(self._find(text, lang))
        return list(got)

    def _find(self, text: str, lang: str) -> list[Cue]:
        folded = fold_with_offsets(text)
        f = folded.text
        taken: list[tuple[int, int]] = []
        neutral = self._neutral.get(lang)
        if neutral is not None:
            taken += [(m.start(), m.end()) for m in neutral.finditer(f)]
        out: list[Cue] = []
        for cls, value, rx, lits in self._rx.get(lang, []):
            if lits is not None and not any(a in f for a in lits):
                continue  # none of its forms' first words is in the text: the regex cannot match
            for m in rx.finditer(f):
                if m.end() <= m.start() or any(a <= m.start() and m.end() <= b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                a, b = folded.span(m.start(), m.end())
                out.append(Cue(cls, value, a, b, text[a:b]))
        out.sort(key=lambda c: c.start)
        return out


_COMPILED: dict[tuple[str, str], object] = {}
_BY_ID: dict[tuple[str, int], tuple[dict, object]] = {}  # the same table object again: no repr of it


def _compiled(kind, table: dict):
    """`kind(table)`, built once per distinct table (the data file as extended by configuration)."""
    seen = _BY_ID.get((kind.__name__, id(table)))
    if seen is not None and seen[0] is table:  # the entry holds the table: its id is not reused
        return seen[1]
    key = (kind.__name__, repr(sorted((k, repr(v)) for k, v in table.items())))
    got = _COMPILED.get(key)
    if got is None:
        got = _COMPILED[key] = kind(table)
    if len(_BY_ID) > 256:
        _BY_ID.clear()
    _BY_ID[(kind.__name__, id(table))] = (table, got)
    return got


def cues(table: dict) -> Cues:
    """The compiled cue table of data/meaning.toml."""
    return _compiled(Cues, table)


@dataclass(frozen=True)
class CueMismatch:
    cls: str
    en_value: str  # what the English says ("" when English has none of the class)
    fr_value: str
    en_cue: Optional[Cue]
    fr_cue: Optional[Cue]
    more: str = ""  # negation: the side that negates more often
    en_cues: tuple = ()  # every cue of the English value (the one that faces the French cue is chosen later)
    fr_cues: tuple = ()


def compare_cues(table: Cues, en: list[Cue], fr: list[Cue], classes: Iterable[str]) -> list[CueMismatch]:
    """Class-by-class differences between the cues of an English and a French sentence.

    With opposites (bounds, restriction, modality): a value one side has more often while the
    other side has more of its opposite ("at least" vs "au plus"). Without (negation): one side
    negates more often than the other.
    """
    out = []
    for cls in classes:
        ec = Counter(c.value for c in en if c.cls == cls)
        fc = Counter(c.value for c in fr if c.cls == cls)
        values = set(ec) | set(fc)
        has_opposites = any((cls, v) in table.opposite for v in values)
        if not has_opposites:
            # One side negates a verb more often than the other: each such negation must find a
            # negative word facing it on the other side (checked by the rule, in context).
            e_strong = tuple(c for c in en if c.cls == cls and (cls, c.value) in table.decisive)
            f_strong = tuple(c for c in fr if c.cls == cls and (cls, c.value) in table.decisive)
            if len(f_strong) > len(e_strong):
                out.append(CueMismatch(cls, "", f_strong[0].value, None, f_strong[0], FR, (), f_strong))
            elif len(e_strong) > len(f_strong):
                out.append(CueMismatch(cls, e_strong[0].value, "", e_strong[0], None, EN, e_strong, ()))
            continue
        for v in sorted(values):
            opp = table.opposite.get((cls, v))
            if opp is None:
                continue
            # French has more of `v`, English more of its opposite: French says v where English says opp.
            if fc[v] > ec[v] and ec[opp] > fc[opp]:
                es = tuple(c for c in en if c.cls == cls and c.value == opp)
                fs = tuple(c for c in fr if c.cls == cls and c.value == v)
                out.append(CueMismatch(cls, opp, v, es[0], fs[0], "", es, fs))
    return out


# ----------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Name:
    id: str  # "lang:es", "country:BE", "city:Brussels", "currency:EUR"
    start: int
    end: int
    surface: str

    @property
    def kind(self) -> str:
        return self.id.split(":", 1)[0]


_KIND_WORDS = {
    "lang": "language or nationality",
    "country": "country or nationality",
    "city": "city",
    "currency": "currency",
}


def kind_word(name_id: str) -> str:
    return _KIND_WORDS.get(name_id.split(":", 1)[0], "name")


def _fr_inflections(word: str) -> list[str]:
    """A French adjective of nationality with its feminine and plural endings."""
    w = word
    out = [w]
    if w.endswith("e"):
        out.append(w + "s")
    elif w.endswith("ien"):
        out += [w + "ne", w + "s", w + "nes"]
    elif w.endswith(("ais", "ois")):
        out += [w + "e", w + "es"]
    else:
        out += [w + "e", w + "s", w + "es"]
    return out


class Names:
    """Languages, countries, nationalities, cities and currencies in English and French."""

    def __init__(self, table: dict):
        from .knowledge import cldr

        names = cldr()
        en_langs, fr_langs = names["languages"][EN], names["languages"][FR]
        en_money, fr_money = names["currencies"][EN], names["currencies"][FR]
        forms: dict[str, dict[str, set[str]]] = {}

        def add(name_id: str, lang: str, name: str):
            if name and len(name) >= 3:
                forms.setdefault(name_id, {EN: set(), FR: set()})[lang].add(name)

        for code in table.get("languages", []) or []:
            add(f"lang:{code}", EN, en_langs.get(code, ""))
            for w in _fr_inflections(fr_langs.get(code, "")):
                add(f"lang:{code}", FR, w)
        skip = set(table.get("not_countries", []) or [])
        fr_lands = names["territories"][FR]
        for code, name in names["territories"][EN].items():
            if len(code) == 2 and code.isalpha() and code not in skip:
                add(f"country:{code}", EN, name)
                add(f"country:{code}", FR, fr_lands.get(code, ""))
        for code in table.get("currencies", []) or []:
            add(f"currency:{code}", EN, en_money.get(code, ""))
            add(f"currency:{code}", FR, fr_money.get(code, ""))
            add(f"currency:{code}", EN, code)
            add(f"currency:{code}", FR, code)
        regions = tuple(f"{r}/" for r in table.get("city_regions", []) or [])
        for zone, city in names["cities"].items():
            if regions and zone.startswith(regions):
                add(f"city:{city[EN]}", EN, city[EN])
                add(f"city:{city[EN]}", FR, city[FR])
        for code, entry in (table.get("nationalities", {}) or {}).items():
            for w in entry.get("en", []) or []:
                add(f"country:{code}", EN, w)
            for w in entry.get("fr", []) or []:
                for x in _fr_inflections(w):
                    add(f"country:{code}", FR, x)
        for name_id, entry in (table.get("aliases", {}) or {}).items():
            for lang in (EN, FR):
                for w in entry.get(lang, []) or []:
                    add(name_id, lang, w)
        self.forms = forms
        # One regex per language. English names must be capitalised as written (Turkey, not
        # turkey); French language and nationality names are written in lower case.
        self._index: dict[str, dict[str, set[str]]] = {EN: {}, FR: {}}
        for name_id, by_lang in forms.items():
            for lang, names in by_lang.items():
                for n in names:
                    self._index[lang].setdefault(n if lang == EN else fold_with_offsets(n).text, set()).add(name_id)
        self._rx = {}
        for lang in (EN, FR):
            keys = sorted(self._index[lang], key=lambda k: (-len(k), k))  # longest first; a fixed order
            body = "|".join(re.escape(k).replace(r"\ ", r"[\s-]+") for k in keys)
            self._rx[lang] = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])") if keys else None

    def find(self, text: str, lang: str) -> list[Name]:
        rx = self._rx.get(lang)
        if rx is None:
            return []
        out = []
        if lang == EN:
            for m in rx.finditer(text):
                key = re.sub(r"[\s-]+", " ", m.group())
                ids = self._index[EN].get(key) or self._index[EN].get(m.group(), set())
                for i in sorted(ids):
                    out.append(Name(i, m.start(), m.end(), m.group()))
            return out
        folded = fold_with_offsets(text)
        for m in rx.finditer(folded.text):
            key = re.sub(r"[\s-]+", " ", m.group())
            ids = self._index[FR].get(key) or self._index[FR].get(m.group(), set())
            a, b = folded.span(m.start(), m.end())
            for i in sorted(ids):
                out.append(Name(i, a, b, text[a:b]))
        return out


def names(table: dict) -> Names:
    """The name finder of data/names.toml and CLDR."""
    return _compiled(Names, table)


# ----------------------------------------------------------------------------- sentence pairs


@dataclass(frozen=True)
class Unit:
    """A sentence of a block: the block and its offsets in the block's clean text."""

    block: Block
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.block.clean[self.start : self.end]


@dataclass
class SentencePair:
    en: list[Unit]
    fr: list[Unit]
    raw: float  # cosine of the (merged) sentence vectors

    @property
    def en_text(self) -> str:
        return " ".join(u.text for u in self.en)

    @property
    def fr_text(self) -> str:
        return " ".join(u.text for u in self.fr)


def _units(blocks: list[Block], d) -> tuple[list[Unit], list[np.ndarray]]:
    from .sentences import sentences

    units, vecs = [], []
    for b in blocks:
        s = d.sentences.get(id(b)) if d is not None else None
        texts = s.texts if s is not None else sentences(b.clean, b.lang)
        if s is None and len(texts) > 1:
            texts = (b.clean,)  # no sentence vectors: the block is one unit
        pos = 0
        for k, t in enumerate(texts):
            i = b.clean.find(t, pos)
            if i < 0:
                i = pos
            units.append(Unit(b, i, min(len(b.clean), i + len(t))))
            pos = i + len(t)
            if s is not None:
                sv = d.en_sent_vecs if b.lang == EN else d.fr_sent_vecs
                vecs.append(sv[s.rows[k]])
            else:
                vecs.append(d.vec(b))
    return units, vecs


def side_units(blocks: list[Block], d) -> tuple[list[Unit], list[np.ndarray]]:
    """The sentences of one side of a pair and their vectors, as sentence_pairs cuts them."""
    return _units(blocks, d)


# A "sentence" longer than this is no sentence (a paragraph the segmenter could not cut, a pasted
# table): it is not compared word by word, which keeps the layer linear on pathological input
# (the paragraph itself is reported by alignment-limited when it is over its bound).
MAX_SENTENCE_CHARS = 3000
# Paragraph pairs longer than this (both sides and their neighbours together) are not searched for
# glossary substitutions.
MAX_TERM_CHARS = 20000


def sentence_pairs(bp: BlockPair, d) -> list[SentencePair]:
    """The sentence pairs of a paragraph pair (memoised per pair in the semantic data)."""
    from . import dp

    memo = d.cache.setdefault("sentence-pairs", {})
    got = memo.get(id(bp))
    if got is not None:
        return got
    en_u, en_v = _units(bp.en, d)
    fr_u, fr_v = _units(bp.fr, d)
    out: list[SentencePair] = []
    if en_u and fr_u:
        E = np.asarray(en_v, dtype=np.float32)
        F = np.asarray(fr_v, dtype=np.float32)
        if len(en_u) == 1 and len(fr_u) == 1:
            out = [SentencePair(en_u, fr_u, float(E[0] @ F[0]))]
        else:
            # Raw cosine, centred so that a translation (0.5 and more) beats two skips.
            params = dp.AlignParams(skip_penalty=0.15, merge_penalty=0.05, scale=1.0)
            beads = dp.align(E, F, score=lambda e, f: float(e @ f) - 0.35, params=params)
            for bead in beads:
                if not bead.is_pair:
                    continue
                en_k, fr_k = _members(list(bead.en), list(bead.fr), E, F)
                out.append(SentencePair([en_u[i] for i in en_k], [fr_u[j] for j in fr_k], bead.raw))
    out = [sp for sp in out if max(len(sp.en_text), len(sp.fr_text)) <= MAX_SENTENCE_CHARS]
    memo[id(bp)] = out
    return out


def _unit_vec(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _members(en_k: list[int], fr_k: list[int], E: np.ndarray, F: np.ndarray, floor: float = 0.3):
    """The members of a merged bead (2:1, 1:2) that are part of the translation: a sentence
    merged only because it had nowhere else to go (an untranslated question beside the sentence
    that is translated) has no word-level counterpart and leaves the bead."""
    if len(en_k) > 1:
        other = _unit_vec(F[fr_k].sum(axis=0))
        en_k = [i for i in en_k if float(E[i] @ other) >= floor] or en_k
    if len(fr_k) > 1:
        other = _unit_vec(E[en_k].sum(axis=0))
        fr_k = [j for j in fr_k if float(F[j] @ other) >= floor] or fr_k
    return en_k, fr_k


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"[^\W_]+(?:['\u2019-][^\W_]+)*", text))


def context_window(
    text: str, start: int, end: int, width: int = 5, *, before: Optional[int] = None, after: Optional[int] = None
) -> str:
    """The words around characters start:end of `text` (the span itself left out): `width` words
    on each side, or `before` words before it and `after` words after it."""
    nb = width if before is None else before
    na = width if after is None else after
    ws = _words(text)
    left = [w.group() for w in ws if w.end() <= start][-nb:] if nb else []
    right = [w.group() for w in ws if w.start() >= end][:na] if na else []
    return " ".join(left + right)


def widen(text: str, start: int, end: int, n: int) -> tuple[int, int]:
    """Characters start:end of `text` widened by `n` words on each side."""
    ws = _words(text)
    before = [w for w in ws if w.end() <= start][-n:] if n else []
    after = [w for w in ws if w.start() >= end][:n] if n else []
    return (before[0].start() if before else start), (after[-1].end() if after else end)


def windows(text: str, size: int, step: int = 1) -> list[tuple[int, int, str]]:
    """Every run of `size` words of `text` (stepping by `step`) as (start, end, text), or the whole
    text when it is shorter."""
    ws = _words(text)
    if not ws:
        return []
    if len(ws) <= size:
        return [(ws[0].start(), ws[-1].end(), " ".join(w.group() for w in ws))]
    return [
        (ws[k].start(), ws[k + size - 1].end(), " ".join(w.group() for w in ws[k : k + size]))
        for k in range(0, len(ws) - size + 1, step)
    ]


# ----------------------------------------------------------------------------- termbase, both ways


@dataclass(frozen=True)
class TermHit:
    term: str  # the English glossary term
    form: str  # what matched: the English term itself, or one of its French renderings
    start: int  # offsets into the original text
    end: int
    surface: str


@functools.lru_cache(maxsize=8192)
def _anchor(form: str) -> str:
    """A piece of a term's first word that every match of its regex contains (the regex allows
    plural and feminine endings, British/American spellings and articles, not another stem)."""
    words = re.findall(r"[^\W\d_]+", fold_with_offsets(form).text)
    if not words:
        return ""
    w = words[0]
    return w[:3] if len(w) <= 4 else w[: max(3, len(w) - 3)][:5]


_TERM_FORMS: dict[tuple[int, str], tuple[dict, tuple[tuple[str, str, str], ...]]] = {}


def _term_forms(terms: dict[str, list[str]], lang: str) -> tuple[tuple[str, str, str], ...]:
    """(term, form, anchor) of each form searched for in `lang`: the English term, or each French
    rendering that is not an acronym; built once per glossary (a glossary is not changed once read),
    not at every text."""
    seen = _TERM_FORMS.get((id(terms), lang))
    if seen is not None and seen[0] is terms:  # the entry holds the dict: its id is not reused
        return seen[1]
    from .acronyms import acronym_shape

    out = []
    for term, renderings in terms.items():
        for form in [term] if lang == EN else [r for r in renderings if not acronym_shape(r)]:
            out.append((term, form, _anchor(form)))
    if len(_TERM_FORMS) > 8:
        _TERM_FORMS.clear()
    got = _TERM_FORMS[(id(terms), lang)] = (terms, tuple(out))
    return got[1]


def prepare_terms(terms: dict[str, list[str]]) -> None:
    """Build now what term_hits builds on first use for a glossary: its searched forms and their
    compiled regular expressions (the daemon does it once; a run would compile those of every term
    its notice has that the warm-up notice did not, about 50 on a notice)."""
    from .termmatch import term_regex

    for lang in (EN, FR):
        for _term, form, _anchor_ in _term_forms(terms, lang):
            term_regex(form, lang)


def term_hits(text: str, lang: str, terms: dict[str, list[str]]) -> list[TermHit]:
    """Glossary terms in `text` (English terms, or the French renderings of each term), the
    longest match winning where two overlap ("directeur adjoint" is not also "directeur")."""
    from .termmatch import term_could_match, term_regex

    folded = fold_with_offsets(text)
    f = folded.text
    found: list[TermHit] = []
    for term, form, anchor in _term_forms(terms, lang):
        if anchor not in f or not term_could_match(f, form, lang):
            continue  # its first word is not in the text: the regex cannot match
        for m in term_regex(form, lang).finditer(f):
            if m.end() > m.start():
                a, b = folded.span(m.start(), m.end())
                found.append(TermHit(term, form, a, b, text[a:b]))
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[TermHit] = []
    for h in found:
        if not any(k.start < h.end and h.start < k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


@dataclass(frozen=True)
class Substitution:
    fr: TermHit  # the French rendering of a term the English does not use
    en: TermHit  # the English term whose rendering the French lacks


_GENERIC = frozenset({"pour", "dans", "avec", "with", "from", "that", "this", "tous", "toutes"})


def _term_words(term: str, renderings: list[str]) -> set[str]:
    text = fold_with_offsets(" ".join([term] + list(renderings))).text
    return {w for w in re.findall(r"\w+", text) if len(w) > 3 and w not in _GENERIC}


def substitutions(
    en_text: str, fr_text: str, terms: dict[str, list[str]], en_context: str = "", fr_context: str = ""
) -> list[Substitution]:
    """French renderings of glossary terms that the English text does not account for, facing an
    English term of the text whose renderings are not in the French: "FR 'directeur adjoint'
    renders 'Deputy Director'; EN has 'Director'".

    Terms are counted. A French rendering is unaccounted for when the French has it more often than
    the English has its term; an English term is left without rendering when the English has it
    more often than the French renders it. The neighbouring paragraphs (`en_context`,
    `fr_context`) excuse a difference only with a surplus of their own: a sentence moved into the
    next pair carries its term with it, while a term that both neighbours have is no excuse
    ("indefinite contract" in the English paragraph and in both neighbours, the French paragraph
    saying "contrat de durée déterminée" where it should say "indéterminée")."""
    if len(en_text) + len(fr_text) + len(en_context) + len(fr_context) > MAX_TERM_CHARS:
        return []
    en = term_hits(en_text, EN, terms)
    fr = term_hits(fr_text, FR, terms)
    if not en or not fr:
        return []
    # A French form can render several terms (synonyms: "cybersécurité" is "cyber security" and
    # "cybersecurity"; "contrat de durée indéterminée" is "indefinite contract" too): it counts for each.
    renders = _renders(terms)
    fr_terms = {id(h): renders.get(_form_key(h.form), set()) | {h.term} for h in fr}
    en_n = Counter(h.term for h in en)
    fr_n = Counter(t for h in fr for t in fr_terms[id(h)])
    en_ctx = Counter(h.term for h in term_hits(en_context, EN, terms)) if en_context else Counter()
    fr_ctx = (
        Counter(t for h in term_hits(fr_context, FR, terms) for t in renders.get(_form_key(h.form), {h.term}))
        if fr_context
        else Counter()
    )
    # An English term is left without rendering when the French renders it fewer times than the
    # English uses it ("incident management" three times, "gestion des incidents" twice).
    need = {t: en_n[t] - fr_n[t] - max(0, fr_ctx[t] - en_ctx[t]) for t in en_n}
    orphans = [h for h in en if need[h.term] > 0]
    if not orphans:
        return []
    extra = {t: fr_n[t] - en_n[t] - max(0, en_ctx[t] - fr_ctx[t]) for t in fr_n}
    out: list[Substitution] = []
    used: set[str] = set()
    for h in fr:
        mine_terms = fr_terms[id(h)]
        if any(extra[t] <= 0 for t in mine_terms):
            continue  # the English (or a neighbour) accounts for it under one of the terms it renders
        # Only a term of the same family can stand in for another: they share a word
        # ("Deputy Director" / "Director", "gestion des risques" / "gestion des incidents").
        mine = _term_words(h.term, terms.get(h.term, []))
        cands = [
            (len(mine & _term_words(e.term, terms.get(e.term, []))), e)
            for e in orphans
            if e.term not in used and e.term not in mine_terms and not _part_of(h, e.term, terms)
        ]
        cands = [(n, e) for n, e in cands if n > 0]
        if not cands:
            continue
        best = max(cands, key=lambda c: (c[0], -c[1].start))[1]
        used.add(best.term)
        for t in mine_terms:
            extra[t] -= 1
        out.append(Substitution(h, best))
    return out


def _part_of(h: TermHit, term: str, terms: dict[str, list[str]]) -> bool:
    """Whether the French hit is a part of `term` rather than another term: its words are all in
    the English term ("logistics" in "Logistics Committee") or its form inside one of the
    term's renderings ("logistique" in "Comité de la logistique", which a page break or a
    rephrasing may have split). A part is no substitute for the whole."""
    if set(_form_key(h.term).split()) <= set(_form_key(term).split()):
        return True
    key = f" {_form_key(h.form)} "
    return any(key in f" {_form_key(r)} " for r in terms.get(term, []))


def _form_key(form: str) -> str:
    return " ".join(re.findall(r"\w+", fold_with_offsets(form).text))


_RENDERS: dict[int, tuple[dict, dict[str, set[str]]]] = {}


def _renders(terms: dict[str, list[str]]) -> dict[str, set[str]]:
    """Each French rendering (folded) and the terms it renders (memoised per glossary)."""
    got = _RENDERS.get(id(terms))
    if got is not None and got[0] is terms:
        return got[1]
    out: dict[str, set[str]] = {}
    for term, renderings in terms.items():
        for r in renderings:
            out.setdefault(_form_key(r), set()).add(term)
    if len(_RENDERS) > 16:
        _RENDERS.clear()
    _RENDERS[id(terms)] = (terms, out)
    return out
