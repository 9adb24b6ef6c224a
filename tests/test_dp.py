"""Tests for vnlint.dp with real use-m3 vectors on fictional paragraphs."""

from __future__ import annotations

import numpy as np
import pytest

from vnlint.embed import get_embedder
from vnlint.dp import AlignParams, Bead, Moved, align, moved, normalise

# A fictional vacancy notice, paragraph by paragraph, and its French translation.
EN = [
    "The Office of Harbour Logistics at the fictional Northwind Agency is looking for a Senior Planning "
    "Officer to coordinate the movement of supplies between its coastal depots.",
    "The incumbent drafts the annual transport plan, monitors the budget for fuel and spare parts, and "
    "prepares monthly reports for the Director.",
    "The successful candidate will lead a small team of four assistants and will represent the office in "
    "working groups with partner organisations.",
    "Applicants must hold a university degree in engineering, economics or a related field and have at "
    "least five years of experience in supply chain management.",
    "Fluency in English is essential; a working knowledge of French is an advantage.",
    "Applications must be submitted through the online recruitment portal before the closing date; late "
    "applications will not be considered.",
]
FR = [
    "Le Bureau de la logistique portuaire de l'agence fictive Northwind recherche un officier principal de "
    "planification chargé de coordonner l'acheminement des fournitures entre ses dépôts côtiers.",
    "Le titulaire du poste rédige le plan annuel de transport, suit le budget consacré au carburant et aux "
    "pièces de rechange, et établit des rapports mensuels à l'intention du directeur.",
    "La personne retenue dirigera une petite équipe de quatre assistants et représentera le bureau au sein "
    "de groupes de travail avec les organisations partenaires.",
    "Les candidats doivent être titulaires d'un diplôme universitaire en ingénierie, en économie ou dans un "
    "domaine connexe et posséder au moins cinq ans d'expérience en gestion de la chaîne d'approvisionnement.",
    "La maîtrise de l'anglais est indispensable ; une connaissance pratique du français constitue un atout.",
    "Les candidatures doivent être soumises via le portail de recrutement en ligne avant la date de clôture ; "
    "les candidatures tardives ne seront pas prises en considération.",
]
UNRELATED_FR = "Le parc municipal sera fermé pendant trois semaines pour la replantation des massifs de tulipes."


@pytest.fixture(scope="module")
def enc():
    emb = get_embedder("use-m3", cache=False)
    return emb.encode


@pytest.fixture(scope="module")
def vecs(enc):
    return enc(EN), enc(FR)


def _pairs(beads):
    return [(b.en, b.fr) for b in beads]


def _check_cover(beads, n, m):
    """Every paragraph once, in increasing order on both sides."""
    en = [i for b in beads for i in b.en]
    fr = [j for b in beads for j in b.fr]
    assert en == list(range(n)) and fr == list(range(m))


# ------------------------------------------------------------------------ normalise


def test_normalise_is_csls():
    sim = np.array([[0.9, 0.1, 0.2], [0.3, 0.8, 0.0]], dtype=np.float32)
    out = normalise(sim, k=2)
    r_en = np.array([(0.9 + 0.2) / 2, (0.8 + 0.3) / 2])
    r_fr = np.array([(0.9 + 0.3) / 2, (0.8 + 0.1) / 2, (0.2 + 0.0) / 2])
    np.testing.assert_allclose(out, 2 * sim - r_en[:, None] - r_fr[None, :], atol=1e-6)
    assert out.dtype == np.float32
    # k larger than the matrix is capped: mean over the whole row / column
    big_k = normalise(sim, k=10)
    np.testing.assert_allclose(big_k, 2 * sim - sim.mean(1)[:, None] - sim.mean(0)[None, :], atol=1e-6)
    assert normalise(np.zeros((0, 3))).shape == (0, 3)


def test_normalise_separates_translations_from_unrelated(vecs):
    en, fr = vecs
    csls = normalise(en @ fr.T)
    diag = np.diag(csls)
    off = csls[~np.eye(len(EN), dtype=bool)]
    assert diag.min() > 0.5 and off.max() < 0.1


# ---------------------------------------------------------------------------- align


def test_perfect_one_to_one(vecs):
    en, fr = vecs
    notice = normalise(en @ fr.T)
    beads = align(en, fr, en_index=list(range(6)), fr_index=list(range(6)), score=notice)
    assert _pairs(beads) == [((i,), (i,)) for i in range(6)]
    assert all(isinstance(b, Bead) and b.kind == "1:1" and b.is_pair for b in beads)
    for i, b in enumerate(beads):
        assert b.score == pytest.approx(float(notice[i, i]), abs=1e-5)
        assert b.raw == pytest.approx(float(en[i] @ fr[i]), abs=1e-5)


def test_dropped_french_paragraph_gives_one_to_zero_at_right_index(vecs):
    en, fr = vecs
    for dropped in (0, 2, 5):
        fr_d = np.delete(fr, dropped, axis=0)
        beads = align(en, fr_d, score=normalise(en @ fr_d.T))
        _check_cover(beads, 6, 5)
        skips = [b for b in beads if not b.is_pair]
        assert skips == [Bead((dropped,), (), 0.0, 0.0)], beads
        for b in beads:
            if b.is_pair:  # everything else is paired with its own translation
                (i,), (j,) = b.en, b.fr
                assert j == (i if i < dropped else i - 1)


def test_added_french_paragraph_gives_zero_to_one(vecs, enc):
    en, fr = vecs
    fr_x = np.insert(fr, 3, enc([UNRELATED_FR])[0], axis=0)
    beads = align(en, fr_x, score=normalise(en @ fr_x.T))
    _check_cover(beads, 6, 7)
    assert [b for b in beads if not b.is_pair] == [Bead((), (3,), 0.0, 0.0)]


def test_french_paragraph_merging_two_english_ones_gives_two_to_one(vecs, enc):
    en, _ = vecs
    fr_texts = [FR[0], FR[1] + " " + FR[2]] + FR[3:]
    fr = enc(fr_texts)
    beads = align(en, fr, score=normalise(en @ fr.T))
    _check_cover(beads, 6, 5)
    assert _pairs(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), (3,)), ((5,), (4,))]
    assert beads[1].kind == "2:1" and beads[1].raw > 0.6
    # merges disabled: the best a 1:1 alignment can do leaves one EN paragraph unpaired
    no_merge = align(en, fr, score=normalise(en @ fr.T), params=AlignParams(allow_merges=False))
    assert all(b.kind in ("1:1", "1:0") for b in no_merge)
    assert sum(b.kind == "1:0" for b in no_merge) == 1


def test_english_paragraph_split_in_french_gives_one_to_two(vecs, enc):
    _, fr = vecs
    en_texts = EN[:3] + [EN[3] + " " + EN[4], EN[5]]
    en = enc(en_texts)
    beads = align(en, fr, score=normalise(en @ fr.T))
    assert _pairs(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3, 4)), ((4,), (5,))]


def test_unrelated_french_paragraph_is_not_a_good_pair(vecs, enc):
    en, fr = vecs
    fr_bad = fr.copy()
    fr_bad[3] = enc([UNRELATED_FR])[0]
    beads = align(en, fr_bad, score=normalise(en @ fr_bad.T))
    _check_cover(beads, 6, 6)
    for b in beads:
        if 3 in b.en and b.fr:
            assert b.score < 0.3  # either left unpaired or paired with a low score
    assert [((i,), (i,)) in _pairs(beads) for i in (0, 1, 2, 4, 5)] == [True] * 5


def test_section_slices_use_notice_rows(vecs):
    en, fr = vecs
    notice = normalise(en @ fr.T)
    rows = [3, 4, 5]
    beads = align(en[rows], fr[rows], en_index=rows, fr_index=rows, score=notice)
    assert _pairs(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]  # section-local positions
    assert [b.score for b in beads] == pytest.approx([float(notice[r, r]) for r in rows], abs=1e-5)


def test_callable_and_raw_cosine_scores(vecs):
    en, fr = vecs
    calls = []

    def cos(a, b):
        calls.append(1)
        return float(a @ b)

    by_callable = align(en, fr, score=cos, params=AlignParams(skip_penalty=0.3, scale=1.0))
    by_raw = align(en, fr, params=AlignParams(skip_penalty=0.3, scale=1.0))
    assert _pairs(by_callable) == _pairs(by_raw) == [((i,), (i,)) for i in range(6)]
    assert calls and [b.score for b in by_callable] == pytest.approx([b.raw for b in by_raw], abs=1e-5)


def test_shuffled_sections_do_not_crash(vecs):
    en, fr = vecs
    rng = np.random.default_rng(7)
    for _ in range(5):
        perm = rng.permutation(6)
        fr_s = fr[perm]
        beads = align(en, fr_s, score=normalise(en @ fr_s.T))
        _check_cover(beads, 6, 6)
        # a pair is only kept when the two paragraphs really are translations of each other
        for b in beads:
            if b.kind == "1:1":
                assert (perm[b.fr[0]] == b.en[0]) or b.score < 0.3
    reverse = align(en, fr[::-1], score=normalise(en @ fr[::-1].T))
    _check_cover(reverse, 6, 6)
    assert sum(b.kind == "1:1" and b.score > 0.5 for b in reverse) == 1  # order allows one true pair


def test_empty_sides(vecs):
    en, fr = vecs
    empty = np.zeros((0, 512), dtype=np.float32)
    assert align(empty, empty) == []
    assert align(en[:2], empty) == [Bead((0,), (), 0.0, 0.0), Bead((1,), (), 0.0, 0.0)]
    assert align(empty, fr[:1], score=np.zeros((0, 1))) == [Bead((), (0,), 0.0, 0.0)]
    assert align([], []) == []
    one = align(en[:1], fr[:1], score=normalise(en[:1] @ fr[:1].T))
    assert _pairs(one) == [((0,), (0,))]


def test_bad_shapes_are_reported(vecs):
    en, fr = vecs
    with pytest.raises(ValueError):
        align(en, fr[:, :100])
    with pytest.raises(ValueError):
        align(en, fr, en_index=[0, 1], fr_index=list(range(6)), score=np.zeros((6, 6)))


# ---------------------------------------------------------------------------- moved


def test_paragraph_moved_to_another_section_is_found(vecs):
    """EN sections [0,1,2] [3,4,5]; in FR the language paragraph (EN 4) moved into section 1."""
    en, fr = vecs
    fr_order = [0, 1, 4, 2, 3, 5]  # FR rows: section A = FR 0,1,4,2 ; section B = FR 3,5
    fr_m = fr[fr_order]
    notice = normalise(en @ fr_m.T)
    en_secs = [[0, 1, 2], [3, 4, 5]]
    fr_secs = [[0, 1, 2, 3], [4, 5]]
    unpaired_en, unpaired_fr = [], []
    for es, fs in zip(en_secs, fr_secs):
        beads = align(en[es], fr_m[fs], en_index=es, fr_index=fs, score=notice)
        unpaired_en += [es[i] for b in beads if not b.fr for i in b.en]
        unpaired_fr += [fs[j] for b in beads if not b.en for j in b.fr]
    assert unpaired_en == [4] and unpaired_fr == [2]
    found = moved(unpaired_en, unpaired_fr, notice, threshold=0.3)
    assert found == [Moved(4, 2, pytest.approx(float(notice[4, 2])))]
    assert moved(unpaired_en, unpaired_fr, notice, threshold=5.0) == []


def test_moved_matches_each_paragraph_once_best_first():
    m = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.1], [0.0, 0.0, 0.05]])
    assert moved([0, 1, 2], [0, 1, 2], m, threshold=0.5) == [Moved(0, 0, 0.9)]
    assert moved([1, 0], [1, 0], m, threshold=0.5) == [Moved(0, 0, 0.9)]
    assert moved([0, 1], [1, 0], m, threshold=0.15) == [Moved(0, 0, 0.9), Moved(1, 1, 0.2)]
    assert moved([], [0], m, 0.0) == [] and moved([0], [], m, 0.0) == []
