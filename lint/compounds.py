"""Compound terms whose modifier changed: "gestion des contrats" where the English says "risk management".

A compound term is a head noun and a modifier ("risk management" / "gestion des risques"). A wrong
term of the same domain often keeps the head and changes the modifier, and no glossary can hold
every modifier. In an aligned sentence pair where both sides use the same head (the heads of
data/compounds.toml, both languages), each French modifier of the head is compared with the
English modifiers of that head:

- a French modifier with a cognate in the English sentence ("contrats" / "contracts") is accounted
  for (a prefix of five letters in common, or the same word);
- otherwise its embedding is compared with each English modifier of the head and with every
  content word of the English sentence: a translation ("risques" / "risk", "rédactionnelles" /
  "drafting") is close to one of them;
- and an English modifier of the head must be left without a French counterpart (no cognate, no
  French content word close to it): the English term lost its modifier.

Only when all three hold is the French modifier reported. Single words are embedded (a few per
notice: only the modifiers of heads found on both sides, and a sentence's content words when one
of its modifiers is a candidate), through the semantic data's memoised `encode`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .model import EN, FR
from .wordlevel import _compiled, fold_with_offsets

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[,;:.()/\u2013\u2014]")
_FR_LINKS = frozenset({"de", "des", "du", "d", "la", "l", "en", "a", "au", "aux", "le", "les"})
_EN_AFTER = frozenset({"of", "for"})
_EN_ARTICLES = frozenset({"the", "a", "an", "its", "their"})
_COORD = frozenset({"and", "or", ",", "et", "ou"})


@dataclass(frozen=True)
class Modifier:
    head: int  # index of the head in the table
    head_surface: str
    word: str  # the folded modifier
    start: int  # offsets of the modifier in the text
    end: int
    surface: str


@dataclass(frozen=True)
class CompoundSubstitution:
    fr: Modifier  # the French modifier the English does not account for
    en: Modifier  # the English modifier of the same head the French leaves without counterpart
    fr_score: float  # best similarity of the French modifier to an English word of the sentence
    en_score: float  # best similarity of the English modifier to a French word of the sentence


def _key(word: str) -> str:
    return word[:-1] if len(word) > 4 and word[-1] in "sx" else word


def cognate(a: str, b: str) -> bool:
    """Whether two folded words are the same word or share a stem: "contrats" / "contracts"."""
    a, b = _key(a), _key(b)
    return a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5])


class Heads:
    """The head table of data/compounds.toml, compiled."""

    def __init__(self, table: dict):
        self.forms: dict[str, dict[str, int]] = {EN: {}, FR: {}}
        for k, head in enumerate(table.get("head", []) or []):
            for lang in (EN, FR):
                for form in head.get(lang, []) or []:
                    self.forms[lang][fold_with_offsets(str(form)).text.strip()] = k
        from .knowledge import stopwords

        skip = table.get("skip", {}) or {}
        self.skip = {
            lang: frozenset(fold_with_offsets(str(w)).text for w in skip.get(lang, []) or []) | stopwords(lang)
            for lang in (EN, FR)
        }
        self.adjective = tuple(str(e) for e in table.get("fr_adjective_endings", []) or [])

    def _tokens(self, text: str):
        folded = fold_with_offsets(text)
        return folded, [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded.text)]

    def _word(self, tok: str, lang: str) -> bool:
        return tok[0].isalpha() and len(tok) >= 3 and tok not in self.skip[lang] and tok not in self.forms[lang]

    def content_words(self, text: str, lang: str, stop: frozenset) -> list[tuple[str, str]]:
        """(folded, lower-case) content words of a text, for the similarity of a modifier to a
        sentence (the model is given the words with their accents: "matières" is close to
        "materials", "matieres" is not)."""
        folded, toks = self._tokens(text)
        out = []
        for t, a, b in toks:
            if self._word(t, lang) and t not in stop and len(t) >= 4:
                x, y = folded.span(a, b)
                out.append((t, text[x:y].lower()))
        return out

    def find(self, text: str, lang: str) -> list[Modifier]:
        """The modifiers of every head of the table in `text`."""
        folded, toks = self._tokens(text)
        forms = self.forms[lang]
        out: list[Modifier] = []

        def add(k: int, i: int, j: int) -> None:
            a, b = folded.span(toks[j][1], toks[j][2])
            if text[a:b].isupper() and len(text[a:b]) <= 6:
                return  # an acronym ("ICT", "TIC"): the acronym rules compare those
            ha, hb = folded.span(toks[i][1], toks[i][2])
            out.append(Modifier(k, text[ha:hb], toks[j][0], a, b, text[a:b]))

        for i, (tok, _, _) in enumerate(toks):
            k = forms.get(tok)
            if k is None:
                continue
            if lang == FR:
                self._fr(toks, i, k, add)
            else:
                self._en(toks, i, k, add)
        return out

    def _fr(self, toks, i: int, k: int, add: Callable[[int, int, int], None]) -> None:
        """French: the word after the head ("gestion financière"), or after de/des/du/d'/en
        ("gestion des risques"), and the words coordinated with it by "et des"/"ou de"."""
        n = len(toks)
        j = i + 1
        linked = False
        while j < n and toks[j][0] in _FR_LINKS and j - i <= 3:
            j += 1
            linked = True
        if j >= n or not self._word(toks[j][0], FR):
            return
        if not linked and not toks[j][0].endswith(self.adjective):
            return  # no adjective: "la formation permet", not a modifier
        add(k, i, j)
        while linked and j + 2 < n and toks[j + 1][0] in _COORD:
            m = j + 2
            if toks[m][0] not in _FR_LINKS:
                return
            while m < n and toks[m][0] in _FR_LINKS and m - j <= 4:
                m += 1
            if m >= n or not self._word(toks[m][0], FR):
                return
            add(k, i, m)
            j = m

    def _en(self, toks, i: int, k: int, add: Callable[[int, int, int], None]) -> None:
        """English: the words before the head ("information security risk management"), one word
        coordinated with them by "and"/"or" ("project and risk management"), and the words after
        "of"/"for" ("management of risks", "knowledge of data protection law")."""
        j = i - 1
        taken = 0
        coordinated = False
        while j >= 0 and taken < 4:
            tok = toks[j][0]
            if self._word(tok, EN):
                add(k, i, j)
                taken += 1
                j -= 1
            elif tok in ("and", "or") and taken and not coordinated and j > 0 and self._word(toks[j - 1][0], EN):
                coordinated = True
                add(k, i, j - 1)  # one word: "project and risk management", not "supports project and ..."
                break
            else:
                break
        j = i + 1
        if j < len(toks) and toks[j][0] in _EN_AFTER:
            j += 1
            while j < len(toks) and toks[j][0] in _EN_ARTICLES:
                j += 1
            taken = 0
            while j < len(toks) and taken < 3 and self._word(toks[j][0], EN):
                add(k, i, j)
                taken += 1
                j += 1


def heads(table: dict) -> Heads:
    """The compiled head table of data/compounds.toml."""
    return _compiled(Heads, table)


@dataclass
class Thresholds:
    max_modifier: float  # a French modifier this close to an English modifier of the head is its translation
    max_sentence: float  # ... or this close to any English content word of the sentence
    max_orphan: float  # an English modifier this close to a French content word is rendered


def _candidates(table: Heads, en_text: str, fr_text: str, stop: dict[str, frozenset]):
    """(French modifier, English modifiers of its head, those without a French cognate, English
    content words, French content words) for each French modifier that has no cognate in the
    English sentence and faces an English modifier of its head that has none in the French."""
    fr_mods = table.find(fr_text, FR)
    if not fr_mods:
        return
    en_mods = table.find(en_text, EN)
    if not en_mods:
        return
    common = {m.head for m in fr_mods} & {m.head for m in en_mods}
    if not common:
        return
    en_words = table.content_words(en_text, EN, stop[EN]) + [(m.word, m.surface.lower()) for m in en_mods]
    fr_words = table.content_words(fr_text, FR, stop[FR]) + [(m.word, m.surface.lower()) for m in fr_mods]
    for f in fr_mods:
        if f.head not in common or any(cognate(f.word, w) for w, _ in en_words):
            continue
        theirs = [e for e in en_mods if e.head == f.head]
        orphans = [e for e in theirs if not any(cognate(e.word, w) for w, _ in fr_words)]
        if orphans:  # else every English modifier is rendered: the French one is extra, not a substitute
            yield f, theirs, orphans, en_words, fr_words


def modifier_words(table: Heads, en_text: str, fr_text: str, stop: Optional[dict[str, frozenset]] = None) -> list[str]:
    """The words :func:`compare` embeds first for a sentence pair (a notice's can be embedded in
    one batch beforehand: the encoder's memo then answers compare's calls)."""
    stop = stop or {EN: frozenset(), FR: frozenset()}
    out: list[str] = []
    for f, theirs, _, _, _ in _candidates(table, en_text, fr_text, stop):
        out += [f.surface.lower()] + [e.surface.lower() for e in theirs]
    return out


def compare(
    table: Heads,
    en_text: str,
    fr_text: str,
    encode: Callable[[list[str]], np.ndarray],
    limits: Thresholds,
    stop: Optional[dict[str, frozenset]] = None,
    measure: Optional[list] = None,
) -> list[CompoundSubstitution]:
    """French modifiers of a head that translate none of the English modifiers of that head, in
    one aligned sentence pair (`encode`: vectors of single words). With `measure`, each
    candidate's scores are appended to it (for calibration)."""
    stop = stop or {EN: frozenset(), FR: frozenset()}
    out: list[CompoundSubstitution] = []
    for f, theirs, orphans, en_words, fr_words in _candidates(table, en_text, fr_text, stop):
        fk = f.surface.lower()
        # The modifiers first (a few words): most French modifiers translate one of them, and the
        # sentence's words are then not embedded at all.
        vec = _vectors(encode, [fk] + [e.surface.lower() for e in theirs])
        s_mod = max(float(vec[fk] @ vec[e.surface.lower()]) for e in theirs)
        if s_mod >= limits.max_modifier and measure is None:
            continue
        vec.update(_vectors(encode, [w for _, w in en_words + fr_words if w not in vec]))
        s_any = max(float(vec[fk] @ vec[w]) for _, w in en_words)
        best_orphan, s_orphan = None, 2.0
        for e in orphans:
            s = max((float(vec[e.surface.lower()] @ vec[w]) for _, w in fr_words), default=-1.0)
            if s < s_orphan:
                best_orphan, s_orphan = e, s
        if measure is not None:
            measure.append((f.word, best_orphan.word, s_mod, s_any, s_orphan))
        if s_mod < limits.max_modifier and s_any < limits.max_sentence and s_orphan < limits.max_orphan:
            out.append(CompoundSubstitution(f, best_orphan, s_any, s_orphan))
    return out


def _vectors(encode: Callable[[list[str]], np.ndarray], words: list[str]) -> dict[str, np.ndarray]:
    todo = list(dict.fromkeys(words))
    if not todo:
        return {}
    vecs = np.asarray(encode(todo), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms > 0, norms, 1.0)
    return dict(zip(todo, vecs))


@dataclass(frozen=True)
class Found:
    """A compound substitution of a paragraph pair, with offsets into the pair sides' texts."""

    sp: object  # the wordlevel.SentencePair it was found in
    found: CompoundSubstitution
    fr: object  # wordlevel.TermHit of the French modifier (offsets into the French side's text)
    en: object  # wordlevel.TermHit of the English modifier
    claim: object  # wordlevel.Substitution of the English glossary term around the modifier, or None


def side_span(blocks, units, start: int, end: int) -> tuple[int, int]:
    """Offsets start:end of a sentence pair side's joined text (units joined by spaces), as
    offsets into the pair side's text (its blocks' clean text joined by spaces)."""
    pos = 0
    for u in units:
        n = u.end - u.start
        if start < pos + n + 1:
            base = 0
            for b in blocks:
                if b is u.block:
                    break
                base += len(b.clean) + 1
            a = base + u.start + max(0, start - pos)
            return a, a + (end - start)
        pos += n + 1
    return 0, 0
