"""A fast vote between English and French, from function words in the data file stopwords.toml."""

from __future__ import annotations

import functools
import re

from .knowledge import data

_WORD = re.compile(r"[a-zà-öø-ÿœæ]+(?:'[a-zà-öø-ÿ]+)?", re.I)


@functools.lru_cache(maxsize=1)
def _stopwords() -> tuple[frozenset, frozenset]:
    d = data("stopwords")
    return frozenset(d["en"]), frozenset(d["fr"])


def lang_scores(text: str) -> tuple[int, int]:
    en, fr = _stopwords()
    words = [w.lower() for w in _WORD.findall(text.replace("\u2019", "'"))]
    e = sum(1 for w in words if w in en)
    f = sum(1 for w in words if w in fr or w.split("'")[0] in ("l", "d", "qu", "n", "s", "j"))
    return e, f


def guess_lang(text: str, minimum: int = 2) -> str | None:
    """ "en", "fr", or None when the text is too short or mixed to tell."""
    e, f = lang_scores(text)
    if e + f < minimum:
        return None
    if e >= 2 * f and e > f:
        return "en"
    if f >= 2 * e and f > e:
        return "fr"
    return None
