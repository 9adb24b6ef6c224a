"""Monotone alignment by dynamic programming (the Bertalign / vecalign idea): the paragraphs of a
section pair, or the sentences of a paragraph pair, as beads 1:1, 2:1, 1:2, 1:0 and 0:1.

Typical use for one notice::

    en = embedder.encode(en_texts)             # (N, d), all EN paragraphs of the notice
    fr = embedder.encode(fr_texts)             # (M, d)
    notice = normalise(en @ fr.T)              # CSLS over the whole notice
    for each section pair:
        beads = align(en[rows_en], fr[rows_fr], en_index=rows_en, fr_index=rows_fr,
                      score=notice, params=AlignParams())
    # EN/FR rows left in 1:0 / 0:1 beads in any section:
    pairs = moved(unpaired_en, unpaired_fr, notice, threshold)

Scores
------
:func:`normalise` applies CSLS (cross-domain similarity local scaling, Conneau et
al. 2018) to the notice's EN x FR cosine matrix::

    csls[i, j] = 2 * cos[i, j] - r_en[i] - r_fr[j]

where ``r_en[i]`` is the mean of the k highest cosines of EN row i over all FR
rows (``r_fr`` likewise for FR column j).  It removes "hub" effects: generic
paragraphs that are close to everything (boilerplate) stop outscoring true
translations, and scores become comparable across notices.  A true translation
typically scores clearly above 0 and an unrelated pair below 0 (on use-m3).  CSLS
is the only normalisation used; no z-scored variant is provided because CSLS
already centres each row/column and stays linear in the cosine, which the merge
scores below rely on.

Merged beads (2:1 / 1:2) are scored on the normalised sum of the members'
vectors.  With a notice matrix the score of a merged bead is the mean of its
members' matrix scores plus ``params.scale`` times the cosine gain of the merged
vector over the members' mean cosine; for CSLS (``scale=2``) this equals CSLS
with the merged vector's neighbourhood taken as the mean of its members'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence, Union

import numpy as np

__all__ = ["AlignParams", "Bead", "Moved", "normalise", "align", "moved"]

ScoreFn = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True)
class AlignParams:
    """Tunable constants of :func:`align` (defaults suit CSLS scores from use-m3).

    skip_penalty:  cost of a 1:0 or 0:1 bead (an untranslated / added paragraph).
                   A 1:1 pair is preferred to two skips when its score > -2*skip_penalty.
    merge_penalty: cost subtracted from a 2:1 / 1:2 bead's score, so that a merge
                   wins only when it clearly explains both members better than 1:1 + skip.
    allow_merges:  allow 2:1 and 1:2 beads at all.
    scale:         d(score)/d(cosine) of the notice matrix passed as ``score``:
                   2.0 for :func:`normalise` (CSLS), 1.0 for a raw cosine matrix.
    """

    skip_penalty: float = 0.15
    merge_penalty: float = 0.05
    allow_merges: bool = True
    scale: float = 2.0


class Bead(NamedTuple):
    """One alignment step: section-local paragraph positions on each side.

    ``en``/``fr`` are indices into the ``en_vecs``/``fr_vecs`` given to :func:`align`
    (0-based, increasing).  ``score`` is the (normalised) bead score, ``raw`` the
    cosine between the (merged) EN and FR vectors; both are 0.0 for 1:0 / 0:1 beads.
    Merge penalties are not included in ``score``.
    """

    en: tuple[int, ...]
    fr: tuple[int, ...]
    score: float
    raw: float

    @property
    def kind(self) -> str:
        return f"{len(self.en)}:{len(self.fr)}"

    @property
    def is_pair(self) -> bool:
        return bool(self.en) and bool(self.fr)


class Moved(NamedTuple):
    """An EN row and an FR row (notice-matrix indices) that match across sections."""

    en: int
    fr: int
    score: float


def normalise(sim: np.ndarray, k: int = 4) -> np.ndarray:
    """CSLS of an EN x FR cosine matrix (see module docstring); float32, same shape.

    ``k`` is capped by the matrix size; an empty matrix is returned unchanged.
    """
    sim = np.asarray(sim, dtype=np.float32)
    if sim.ndim != 2:
        raise ValueError(f"normalise expects a 2-D matrix, got shape {sim.shape}")
    n, m = sim.shape
    if n == 0 or m == 0:
        return sim.copy()
    k_en = max(1, min(k, m))
    k_fr = max(1, min(k, n))
    r_en = np.sort(sim, axis=1)[:, m - k_en :].mean(axis=1)
    r_fr = np.sort(sim, axis=0)[n - k_fr :, :].mean(axis=0)
    return (2.0 * sim - r_en[:, None] - r_fr[None, :]).astype(np.float32)


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def _as_matrix(vecs, name: str) -> np.ndarray:
    a = np.asarray(vecs, dtype=np.float32)
    if a.size == 0:
        return a.reshape(0, a.shape[-1] if a.ndim == 2 else 0)
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, dim), got shape {a.shape}")
    return _unit(a)


def align(
    en_vecs: np.ndarray,
    fr_vecs: np.ndarray,
    *,
    en_index: Sequence[int] | None = None,
    fr_index: Sequence[int] | None = None,
    score: Union[np.ndarray, ScoreFn, None] = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align the EN and FR paragraphs of one section pair, in document order.

    en_vecs, fr_vecs: (n, d) and (m, d) embeddings of the section's paragraphs, in order.
    en_index, fr_index: row / column of each paragraph in the notice matrix ``score``
        (default: 0..n-1 / 0..m-1).  Only used when ``score`` is a matrix.
    score: the normalised notice matrix (:func:`normalise` output, indexed by
        ``en_index``/``fr_index``), or a callable ``f(en_vec, fr_vec) -> float``
        applied to every candidate (merged vectors included), or None for raw cosine.
    params: :class:`AlignParams`.

    Dynamic programming over the steps 1:1, 2:1, 1:2, 1:0, 0:1 maximising the total
    bead score minus penalties.  Returns the beads in order; every paragraph of
    both sides appears in exactly one bead.  Never raises on empty sides.
    """
    p = params or AlignParams()
    E = _as_matrix(en_vecs, "en_vecs")
    F = _as_matrix(fr_vecs, "fr_vecs")
    n, m = E.shape[0], F.shape[0]
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0, 0.0) for i in range(n)] + [Bead((), (j,), 0.0, 0.0) for j in range(m)]
    if E.shape[1] != F.shape[1]:
        raise ValueError(f"en_vecs and fr_vecs differ in dimension: {E.shape[1]} vs {F.shape[1]}")

    raw11 = E @ F.T
    merges = p.allow_merges
    E2 = _unit(E[:-1] + E[1:]) if merges and n > 1 else np.zeros((0, E.shape[1]), np.float32)
    F2 = _unit(F[:-1] + F[1:]) if merges and m > 1 else np.zeros((0, F.shape[1]), np.float32)
    raw21 = E2 @ F.T  # (n-1, m): EN i+i+1 vs FR j
    raw12 = E @ F2.T  # (n, m-1): EN i vs FR j+j+1

    if score is None:
        s11, s21, s12 = raw11, raw21, raw12
    elif callable(score):
        s11 = np.array([[score(E[i], F[j]) for j in range(m)] for i in range(n)], dtype=np.float64).reshape(n, m)
        s21 = np.array([[score(E2[i], F[j]) for j in range(m)] for i in range(len(E2))], dtype=np.float64).reshape(
            len(E2), m
        )
        s12 = np.array([[score(E[i], F2[j]) for j in range(len(F2))] for i in range(n)], dtype=np.float64).reshape(
            n, len(F2)
        )
    else:
        ei = np.arange(n) if en_index is None else np.asarray(list(en_index), dtype=np.intp)
        fj = np.arange(m) if fr_index is None else np.asarray(list(fr_index), dtype=np.intp)
        if len(ei) != n or len(fj) != m:
            raise ValueError(f"en_index/fr_index lengths ({len(ei)}, {len(fj)}) do not match vectors ({n}, {m})")
        # Only the section's cells are read (and converted): the notice matrix is never copied.
        s11 = np.asarray(np.asarray(score)[np.ix_(ei, fj)], dtype=np.float64)
        s21 = (s11[:-1] + s11[1:]) / 2 + p.scale * (raw21 - (raw11[:-1] + raw11[1:]) / 2) if len(E2) else raw21
        s12 = (
            (s11[:, :-1] + s11[:, 1:]) / 2 + p.scale * (raw12 - (raw11[:, :-1] + raw11[:, 1:]) / 2)
            if len(F2)
            else raw12
        )

    back = _dp(
        np.asarray(s11, np.float64),
        np.asarray(s21, np.float64),
        np.asarray(s12, np.float64),
        float(p.skip_penalty),
        float(p.merge_penalty),
        len(E2) > 0,
        len(F2) > 0,
    )
    beads: list[Bead] = []
    a, b = n, m
    while a or b:
        step = back[a, b]
        if step == 1:
            beads.append(Bead((a - 1,), (b - 1,), float(s11[a - 1, b - 1]), float(raw11[a - 1, b - 1])))
            a, b = a - 1, b - 1
        elif step == 2:
            beads.append(Bead((a - 2, a - 1), (b - 1,), float(s21[a - 2, b - 1]), float(raw21[a - 2, b - 1])))
            a, b = a - 2, b - 1
        elif step == 3:
            beads.append(Bead((a - 1,), (b - 2, b - 1), float(s12[a - 1, b - 2]), float(raw12[a - 1, b - 2])))
            a, b = a - 1, b - 2
        elif step == 4:
            beads.append(Bead((a - 1,), (), 0.0, 0.0))
            a -= 1
        else:
            beads.append(Bead((), (b - 1,), 0.0, 0.0))
            b -= 1
    beads.reverse()
    return beads


def _dp(
    s11: np.ndarray, s21: np.ndarray, s12: np.ndarray, skip: float, mpen: float, merge21: bool, merge12: bool
) -> np.ndarray:
    """The dynamic program of :func:`align`: back[a, b] is the step that ends the best path to cell
    (a, b) (1=1:1 2=2:1 3=1:2 4=1:0 5=0:1).

    Cell (a, b) depends on cells of the anti-diagonals a+b-1, a+b-2 and a+b-3 only, so each
    anti-diagonal is computed at once with numpy: O(n + m) vector steps instead of n * m Python
    steps. The candidates are compared in the step order above and the first best wins (argmax),
    with the same float64 sums, so the result is the cell-by-cell program's exactly.
    """
    n, m = s11.shape
    neg = -np.inf
    best = np.full((n + 1, m + 1), neg)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    best[0, 0] = 0.0
    for d in range(1, n + m + 1):
        a = np.arange(max(0, d - m), min(n, d) + 1)
        b = d - a
        cand = np.full((5, len(a)), neg)
        ok = (a >= 1) & (b >= 1)
        cand[0, ok] = best[a[ok] - 1, b[ok] - 1] + s11[a[ok] - 1, b[ok] - 1]
        if merge21:
            ok = (a >= 2) & (b >= 1)
            cand[1, ok] = best[a[ok] - 2, b[ok] - 1] + s21[a[ok] - 2, b[ok] - 1] - mpen
        if merge12:
            ok = (a >= 1) & (b >= 2)
            cand[2, ok] = best[a[ok] - 1, b[ok] - 2] + s12[a[ok] - 1, b[ok] - 2] - mpen
        ok = a >= 1
        cand[3, ok] = best[a[ok] - 1, b[ok]] - skip
        ok = b >= 1
        cand[4, ok] = best[a[ok], b[ok] - 1] - skip
        step = np.argmax(cand, axis=0)
        top = cand[step, np.arange(len(a))]
        found = top > neg  # a cell no step reaches keeps step 0, as the cell-by-cell program left it
        best[a, b] = top
        back[a, b] = np.where(found, step + 1, 0)
    return back


def moved(
    unpaired_en: Sequence[int],
    unpaired_fr: Sequence[int],
    notice_matrix: np.ndarray,
    threshold: float,
) -> list[Moved]:
    """Pair up paragraphs left unpaired by :func:`align` that match each other anyway.

    ``unpaired_en``/``unpaired_fr`` are notice-matrix rows/columns of paragraphs that
    ended in 1:0 / 0:1 beads (typically in different sections: a paragraph moved to
    another section).  Pairs scoring ``>= threshold`` in ``notice_matrix`` are matched
    greedily, best first, each paragraph at most once.  Returns them sorted by EN row,
    so callers can report "moved" once instead of "missing" on both sides.
    """
    en = list(dict.fromkeys(int(i) for i in unpaired_en))
    fr = list(dict.fromkeys(int(j) for j in unpaired_fr))
    if not en or not fr:
        return []
    mat = np.asarray(notice_matrix, dtype=np.float64)
    sub = mat[np.ix_(en, fr)]
    cand = [(float(sub[a, b]), en[a], fr[b]) for a, b in zip(*np.nonzero(sub >= threshold))]
    cand.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_en: set[int] = set()
    used_fr: set[int] = set()
    out: list[Moved] = []
    for s, i, j in cand:
        if i in used_en or j in used_fr:
            continue
        used_en.add(i)
        used_fr.add(j)
        out.append(Moved(i, j, s))
    out.sort(key=lambda t: (t[0], t[1]))
    return out
