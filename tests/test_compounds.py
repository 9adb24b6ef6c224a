"""The compound-modifier check of term-substitution (VN605, lint/compounds.py): a French compound
term that keeps the head and changes the modifier ("gestion des contrats" for "risk management").

The parsing of heads and modifiers and the decision are tested without the model (a tiny fake
embedder); whole notices (fictional: the notice factory and examples/clean_notice.txt) with the
real use-m3 model, each wrong modifier it must flag matched by more legitimate rephrasings it must
not flag."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from vnlint import compounds as cp
from vnlint.codes import resolve
from vnlint.config import Settings
from vnlint.knowledge import data
from vnlint.runner import lint_text

import notice_factory as nf

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean_notice.txt"
MEANING = {c.code for c in resolve("meaning")}


@pytest.fixture(scope="module")
def heads():
    return cp.heads(data("compounds"))


def mods(heads, text: str, lang: str) -> list[str]:
    return sorted(m.word for m in heads.find(text, lang))


# ------------------------------------------------------------------------ heads and modifiers alone


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("fr", "Il assure la gestion des risques et des incidents.", ["incidents", "risques"]),
        ("fr", "Elle dirige la gestion financière de la Division.", ["financiere"]),
        ("fr", "une expérience de la gestion de l'information", ["information"]),
        # a participle or a verb after the head is no modifier; nor is an acronym
        ("fr", "Il répond aux besoins exprimés par les pays.", []),
        ("fr", "La formation permet de progresser.", []),
        ("fr", "Il assure la gestion des TIC.", []),
        ("en", "He supports project and risk management.", ["project", "risk"]),
        ("en", "She leads the management of the risks of the port.", ["risks"]),
        ("en", "knowledge of data protection law", ["data", "law", "protection"]),
        ("en", "experience in ICT service management", ["service"]),
        ("en", "The port has no management.", []),
    ],
)
def test_modifiers_of_heads(heads, lang, text, expected):
    assert mods(heads, text, lang) == expected


def test_modifier_offsets_point_at_the_original_text(heads):
    text = "Il dirige la gestion des déchets portuaires."
    (m,) = heads.find(text, "fr")
    assert text[m.start : m.end] == "déchets" and m.head_surface == "gestion"


def test_cognates():
    assert cp.cognate("contrats", "contracts")
    assert cp.cognate("risque", "risques")
    assert not cp.cognate("contrats", "risk")
    assert not cp.cognate("for", "formation")


# A fake embedder: words of one meaning share a direction.
_MEANINGS = {
    "risk": 0,
    "risques": 0,
    "dangers": 0,
    "contracts": 1,
    "contrats": 1,
    "port": 2,
    "portuaire": 2,
    "portuaires": 2,
    "ports": 2,
    "supports": 3,
    "soutient": 3,
    "section": 4,
    "waste": 5,
    "dechets": 5,
}


def fake_encode(words: list[str]) -> np.ndarray:
    out = np.zeros((len(words), 16), dtype=np.float32)
    for i, w in enumerate(words):
        out[i, _MEANINGS.get(w, 6 + len(w) % 10)] = 1.0
    return out


LIMITS = cp.Thresholds(0.40, 0.45, 0.45)


@pytest.mark.parametrize(
    "fr,flagged",
    [
        ("La Section soutient la gestion des contrats du port.", ["contrats"]),  # another modifier
        ("La Section soutient la gestion des risques du port.", []),  # a translation
        ("La Section soutient la gestion des dangers du port.", []),  # a synonym
        ("La Section soutient la gestion des risk du port.", []),  # the same word
        # the modifier of a head the English does not have is not compared
        ("La Section soutient la planification des contrats du port.", []),
    ],
)
def test_compare_flags_a_modifier_that_renders_nothing(heads, fr, flagged):
    en = "The Section supports port risk management."
    got = cp.compare(heads, en, fr, fake_encode, LIMITS)
    assert [c.fr.word for c in got] == flagged
    assert all(c.en.word == "risk" for c in got)


def test_compare_leaves_an_extra_modifier_when_every_english_one_is_rendered(heads):
    # "risques" renders "risk": "contrats" is an addition, not a substitute (another rule's concern)
    en = "The Section supports port risk management."
    fr = "La Section soutient la gestion des risques et des contrats du port."
    assert cp.compare(heads, en, fr, fake_encode, LIMITS) == []


# ------------------------------------------------------------------------ whole notices, real model


@pytest.fixture(scope="module")
def lint(embedder):
    settings = Settings()
    settings.select = set(MEANING) | {"VN408"}

    def run(text: str):
        return lint_text(text, settings, path="notice.txt", embedder_factory=lambda s: embedder).findings

    return run


EXPERIENCE = "- avoir au moins cinq ans d'expérience"  # EN: "... in ICT service management or ICT governance ..."
CERTIFICATION = "- une certification professionnelle"  # EN: "... in ICT governance or service management;"
SUPPLIERS = "- une expérience de la gestion de la performance"  # EN: "... supplier performance management ..."
DEGREE = "- être titulaire d'un diplôme"  # EN: "... in information management, computer science, ..."

CLEAN_FLAG = [
    (EXPERIENCE, "gestion des services TIC", "gestion des contrats TIC", "contrats"),
    (EXPERIENCE, "gestion des services TIC", "gestion des achats TIC", "achats"),
    (EXPERIENCE, "gestion des services TIC", "gestion des bâtiments TIC", "bâtiments"),
    (CERTIFICATION, "en gestion des services", "en gestion des risques", "risques"),
]


@pytest.mark.parametrize("prefix,old,new,word", CLEAN_FLAG, ids=[w for *_, w in CLEAN_FLAG])
def test_flags_a_changed_modifier(lint, prefix, old, new, word):
    text, line, _ = nf.edit_clean_notice(prefix, old, new)
    findings = [f for f in lint(text) if f.code in MEANING | {"VN408"}]
    assert len(findings) == 1, findings  # one defect, one finding
    (f,) = findings
    assert f.code == "VN605" and (f.line, f.lang) == (line, "fr")
    row = text.split("\n")[line - 1]
    assert row[f.column - 1 : f.end_column - 1] == word
    assert f.related and f.related[0].lang == "en"


CLEAN_NOT_FLAG = [
    # an article, a number, a synonym, a variant the glossary accepts, modifiers reordered
    (EXPERIENCE, "gestion des services TIC", "gestion de services TIC"),
    (EXPERIENCE, "gestion des services TIC", "gestion du service TIC"),
    (EXPERIENCE, "gestion des services TIC", "gestion des prestations TIC"),
    (SUPPLIERS, "gestion de la performance des fournisseurs", "gestion des performances des fournisseurs"),
    (DEGREE, "gestion de l'information", "gestion des informations"),
    (
        CERTIFICATION,
        "en gouvernance des TIC ou en gestion des services",
        "en gestion des services ou en gouvernance des TIC",
    ),
    ("- une connaissance des mécanismes", "mécanismes de financement", "dispositifs de financement"),
    (EXPERIENCE, "dans la gestion des services TIC", "dans la gestion de services informatiques"),
]


@pytest.fixture(scope="module")
def clean_findings(lint):
    return {(f.code, f.message) for f in lint(CLEAN.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("prefix,old,new", CLEAN_NOT_FLAG, ids=[n[:28] for _, _, n in CLEAN_NOT_FLAG])
def test_does_not_flag_a_rephrasing(lint, clean_findings, prefix, old, new):
    text, _, _ = nf.edit_clean_notice(prefix, old, new)
    got = [f for f in lint(text) if f.code in MEANING | {"VN408"} and (f.code, f.message) not in clean_findings]
    assert got == [], got


def _factory(en: str, fr: str) -> str:
    """The notice factory's notice with its first accountability replaced by a fictional pair."""
    en_s, fr_s = copy.deepcopy(nf.EN_SECTIONS), copy.deepcopy(nf.FR_SECTIONS)
    en_s[2][1][0] = en
    fr_s[2][1][0] = fr
    return nf.notice(en_sections=en_s, fr_sections=fr_s)


RISK_EN = "Coordinate risk management with the Allied ports."
FACTORY_FLAG = [
    ("Coordonne la gestion des achats avec les ports alliés.", "achats"),
    ("Coordonne la gestion des salaires avec les ports alliés.", "salaires"),
    ("Coordonne la gestion des voyages avec les ports alliés.", "voyages"),
]
FACTORY_NOT_FLAG = [
    "Coordonne la gestion des risques avec les ports alliés.",
    "Assure la coordination de la gestion des risques avec les ports alliés.",
    "La gestion des risques est coordonnée avec les ports alliés.",
    "Coordonne avec les ports alliés la gestion de leurs risques.",
    "Coordonne avec les ports alliés la gestion du risque.",
]


@pytest.mark.parametrize("fr,word", FACTORY_FLAG, ids=[w for _, w in FACTORY_FLAG])
def test_flags_a_changed_modifier_of_a_glossary_term_once(lint, fr, word):
    # "risk management" is a glossary term: glossary-term (VN408) would report it too; it leaves
    # the place to term-substitution, which names the changed word.
    findings = [f for f in lint(_factory(RISK_EN, fr)) if f.code in MEANING | {"VN408"}]
    assert [f.code for f in findings] == ["VN605"], findings
    assert f"'{word}'" in findings[0].message and "'risk'" in findings[0].message


@pytest.mark.parametrize("fr", FACTORY_NOT_FLAG, ids=range(len(FACTORY_NOT_FLAG)))
def test_does_not_flag_risk_management_rephrased(lint, fr):
    findings = [f for f in lint(_factory(RISK_EN, fr)) if f.code in MEANING | {"VN408"}]
    assert findings == [], findings


def test_the_compound_check_needs_the_model():
    # without the model there are no sentence pairs: term-substitution keeps its glossary part only
    settings = Settings()
    settings.model = "none"
    settings.select = {"VN605"}
    fr = "Coordonne la gestion des achats avec les ports alliés."
    assert lint_text(_factory(RISK_EN, fr), settings, path="notice.txt").findings == []
