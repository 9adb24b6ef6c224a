"""Inflection-tolerant term matching over folded text: plural and feminine endings, British and
American spelling, articles between French words, hyphen and space variants.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

from .knowledge import fold, stopwords
from .model import EN

# ------------------------------------------------------------------ inflection-tolerant term matching

_FR_LINKS = ("de", "des", "du", "d'", "la", "le", "les", "l'", "a", "au", "aux", "en", "un", "une", "pour", "et", "sur")


@functools.lru_cache(maxsize=4096)
def term_regex(term: str, lang: str) -> re.Pattern:
    """A regex over folded text for `term` with plural/feminine endings, British/American spelling
    (EN), any article between words (FR), and hyphen/space variants."""
    return re.compile(r"(?<![\w])" + _term_spec(term, lang)[0] + r"(?![\w])")


_META = re.compile(r"[\\()\[\]{}?*+|.^$]")


def term_could_match(folded_text: str, term: str, lang: str) -> bool:
    """False when `term`'s regex cannot match `folded_text`: a literal piece of each of its words
    is missing. Such a text is not searched and the regex not even compiled (compiling the
    glossary's regexes cost ~0.1-0.2 s a run)."""
    return all(a in folded_text for a in _term_spec(term, lang)[1])


def _literal_start(pattern: str) -> str:
    m = _META.search(pattern)
    return pattern[: m.start()] if m else pattern


@functools.lru_cache(maxsize=4096)
def _term_spec(term: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """(the body of `term`'s regex, the literal start of each word's part: every match holds them)."""
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
        return body, (t,)
    return body, tuple(a for a in (_literal_start(p) for p in parts if p is not None) if a)


def contains_term(folded_text: str, term: str, lang: str) -> bool:
    return find_term(folded_text, term, lang) is not None


def find_term(folded_text: str, term: str, lang: str) -> Optional[re.Match]:
    if not term_could_match(folded_text, term, lang):
        return None
    return term_regex(term, lang).search(folded_text)


_WORD = re.compile(r"[^\W_]+(?:'(?=[^\W_]))?")


def content_words(phrase: str, lang: str) -> list[str]:
    words = re.findall(r"[^\s\-\u2010\u2011']+", fold(phrase))
    stop = set(_FR_LINKS) | stopwords(lang)
    return [w for w in words if w not in stop]


def contains_loosely(folded_text: str, phrase: str, lang: str, slack: int = 8) -> bool:
    """`phrase` in the text, or all its content words (inflections allowed) within a short window
    ("développement et renforcement de ses capacités" for "développement des capacités")."""
    if contains_term(folded_text, phrase, lang):
        return True
    words = content_words(phrase, lang)
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
    words = content_words(phrase, lang)
    if not words:
        return 0.0
    return sum(1 for w in words if contains_term(folded_text, w, lang)) / len(words)
