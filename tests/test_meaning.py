"""Word-level meaning (VN600-VN606): what each class must flag, and as many legitimate rephrasings
it must not. The notices are edits of the French half of examples/clean_notice.txt, linted with
the real use-m3 model (sentence alignment needs it); the word classes themselves are also tested
without the model."""

from __future__ import annotations

from pathlib import Path

import notice_factory as nf
import pytest

from vnlint import wordlevel as wl
from vnlint.codes import resolve
from vnlint.config import Settings
from vnlint.knowledge import data
from vnlint.runner import lint_text

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean_notice.txt"
MEANING = {c.code for c in resolve("meaning")}


@pytest.fixture(scope="module")
def lint(embedder):
    settings = Settings()
    settings.select = set(MEANING) | {"VN408"}

    def run(text: str):
        result = lint_text(text, settings, path="notice.txt", embedder_factory=lambda s: embedder)
        assert not [f for f in result.findings if f.code == "VN199"], result.findings
        return result.findings

    return run


@pytest.fixture(scope="module")
def clean_findings(lint):
    return lint(CLEAN.read_text(encoding="utf-8"))


def test_the_clean_notice_has_no_word_level_finding(clean_findings):
    assert [f for f in clean_findings if f.code in MEANING] == []


FLAG = [
    # (French line prefix, old, new, code, the word reported)
    ("- avoir au moins cinq ans", "au moins cinq", "au plus cinq", "VN601", "au plus"),
    ("- avoir au moins cinq ans", "dont au moins deux", "dont au maximum deux", "VN601", "au maximum"),
    ("- posséder au moins le niveau V", "au moins le niveau", "au plus le niveau", "VN601", "au plus"),
    ("La/Le titulaire du poste doit :", "doit", "ne doit pas", "VN600", "ne doit pas"),
    ("Seules les candidatures", "doivent être soumises", "ne doivent pas être soumises", "VN600", "ne doivent pas"),
    ("Seules les candidatures", "doivent être soumises", "peuvent être soumises", "VN603", "peuvent"),
    ("Les personnes non retenues pourront", "pourront", "devront", "VN603", "devront"),
    ("- posséder au moins le niveau V", "(anglais/français)", "(allemand/français)", "VN604", "allemand"),
    ("Le siège de l'OTAN à Bruxelles", "Bruxelles", "Luxembourg", "VN604", "Luxembourg"),
    ("- être titulaire d'un diplôme", "gestion de l'information", "gestion de projet", "VN605", "gestion de projet"),
    # a desirable rotation made compulsory; "we cannot respond" made "we must not respond"
    ("Contrat proposé à la personne retenue", "est souhaitable", "est obligatoire", "VN603", "obligatoire"),
    (
        "En raison du très grand nombre",
        "nous ne sommes pas en mesure de répondre",
        "nous ne devons pas répondre",
        "VN603",
        "devons",
    ),
    # the English has "definite" once and "indefinite" once; the French now says "déterminée" twice
    (
        "Contrat proposé à la personne retenue",
        "contrat de durée indéterminée",
        "contrat de durée déterminée",
        "VN605",
        "contrat de durée déterminée",
    ),
    # "information management" rendered as training management; the next word, "informatique",
    # renders "computer science" and is no substitute for anything
    (
        "- être titulaire d'un diplôme",
        "gestion de l'information",
        "gestion de la formation",
        "VN605",
        "gestion de la formation",
    ),
    # opposite attributes: an internal portal becomes external, civilian staff military, a
    # national ministry an international one
    ("- pour les agents civils de l'OTAN", "portail interne", "portail externe", "VN606", "externe"),
    ("- pour les agents civils de l'OTAN", "agents civils", "agents militaires", "VN606", "militaires"),
    ("- une expérience de travail au sein", "ministère national", "ministère international", "VN606", "international"),
    ("Nombre de subordonné(e)s direct(e)s", "direct(e)s", "indirect(e)s", "VN606", "indirect"),
]


@pytest.mark.parametrize("prefix,old,new,code,word", FLAG, ids=[f"{c}-{n}" for _, _, n, c, _ in FLAG])
def test_flags(lint, prefix, old, new, code, word):
    text, line, column = nf.edit_clean_notice(prefix, old, new)
    findings = lint(text)
    got = [f for f in findings if f.code == code]
    assert len(got) == 1, got
    f = got[0]
    assert (f.line, f.lang) == (line, "fr")
    row = text.split("\n")[line - 1]
    assert row[f.column - 1 : f.end_column - 1].lower() == word.lower(), (row, f)
    assert f.related and f.related[0].lang == "en"
    # one defect, one finding: no other word-level rule fires on this edit
    others = [g for g in findings if g.code in MEANING and g.code != code]
    assert others == [], others


NOT_FLAG = [
    # legitimate rephrasings: the same bound, an obligation in the future, passive for active,
    # a name as an adjective, an accepted rendering of a glossary term, a negation said otherwise
    ("- avoir au moins cinq ans", "au moins cinq ans", "un minimum de cinq ans"),
    ("- avoir au moins cinq ans", "dont au moins deux ans", "dont deux ans au minimum"),
    ("La/Le titulaire du poste doit :", "doit", "devra"),
    ("Seules les candidatures", "doivent être soumises", "devront être soumises"),
    (
        "Encadre une équipe de quatre agents.",
        "Encadre une équipe de quatre agents.",
        "Une équipe de quatre agents est placée sous sa responsabilité.",
    ),
    ("- posséder au moins le niveau V", "(anglais/français)", "(langue anglaise/langue française)"),
    (
        "Contrat proposé à la personne retenue",
        "contrat de durée déterminée de trois ans",
        "contrat d'une durée déterminée de trois ans",
    ),
    (
        "En raison du très grand nombre",
        "nous ne sommes pas en mesure de répondre",
        "il nous est impossible de répondre",
    ),
    ("Le siège de l'OTAN à Bruxelles", "est un environnement sans tabac", "est un environnement non-fumeur"),
    (
        "- être disposé(e) à effectuer occasionnellement",
        "occasionnellement des déplacements",
        "de temps à autre des déplacements",
    ),
    # an option said otherwise; "cannot" as "ne pouvons pas"; an accepted variant of a glossary term
    ("Contrat proposé à la personne retenue", "est souhaitable", "est préférable"),
    ("Contrat proposé à la personne retenue", "est souhaitable", "serait très appréciée"),
    ("En raison du très grand nombre", "nous ne sommes pas en mesure de répondre", "nous ne pouvons pas répondre"),
    ("Contrat proposé à la personne retenue", "contrat de durée indéterminée", "contrat à durée indéterminée"),
    ("L'OTAN est attachée à la diversité", "attachée à la diversité", "attachée à la diversité des profils"),
    ("- être titulaire d'un diplôme", "en informatique", "en sciences informatiques"),
    # opposites said otherwise, or not said: an in-house portal, staff who are not military, both
    # kinds of organisation named the other way round
    ("- pour les agents civils de l'OTAN", "portail interne", "portail intranet"),
    ("- pour les agents civils de l'OTAN", "agents civils", "membres du personnel civil"),
    (
        "- une expérience de travail au sein",
        "d'une organisation internationale ou d'un ministère national",
        "d'un ministère national ou d'une organisation internationale",
    ),
    # the glossary's accepted renderings of "contract policy" and "skills profile"
    ("Contrat proposé à la personne retenue", "la politique contractuelle", "la politique des contrats"),
    ("Contrat proposé à la personne retenue", "la politique contractuelle", "la politique en matière de contrats"),
]


GLOSSARY_FLAG = [
    # a glossary term rendered by a term of another domain: glossary-term (VN408) names the term
    # ("politique tarifaire" for "contract policy" is no case here: the paragraph has "politique"
    # and "contrat" elsewhere, which glossary-term takes for a loose rendering)
    ("Contrat proposé à la personne retenue", "son profil de compétences", "son plan de carrière", "skills profile"),
]


def _new_findings(lint, clean_findings, prefix, old, new):
    """The meaning and glossary-term findings of the edited clean notice that it did not have, and
    the edited line."""
    text, line, _ = nf.edit_clean_notice(prefix, old, new)
    before = {(f.code, f.message) for f in clean_findings}
    return [f for f in lint(text) if f.code in MEANING | {"VN408"} and (f.code, f.message) not in before], line


@pytest.mark.parametrize("prefix,old,new,term", GLOSSARY_FLAG, ids=[t for *_, t in GLOSSARY_FLAG])
def test_flags_a_glossary_term_rendered_otherwise(lint, clean_findings, prefix, old, new, term):
    got, line = _new_findings(lint, clean_findings, prefix, old, new)
    assert [(f.code, f.line) for f in got] == [("VN408", line)], got
    assert f"EN '{term}'" in got[0].message


@pytest.mark.parametrize("prefix,old,new", NOT_FLAG, ids=[n[:24] for _, _, n in NOT_FLAG])
def test_does_not_flag(lint, clean_findings, prefix, old, new):
    got, _ = _new_findings(lint, clean_findings, prefix, old, new)
    assert got == [], got


# ------------------------------------------------------------------------ the word classes alone


@pytest.fixture(scope="module")
def cues():
    return wl.cues(data("meaning"))


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "must have at least five years", [("modality", "obligation"), ("quantifier", "at least")]),
        ("fr", "doit avoir au plus cinq ans", [("modality", "obligation"), ("quantifier", "at most")]),
        ("en", "no later than 1 May 2026", [("quantifier", "no later than")]),
        ("fr", "au plus tard le 1er mai", [("quantifier", "no later than")]),
        ("fr", "ne doit pas voyager", [("negation", "negated verb"), ("modality", "obligation")]),
        ("fr", "aucuns frais ne sont demandés", [("negation", "negated verb")]),
        ("fr", "il n'y a que deux postes", [("restriction", "only")]),
        ("en", "NATO does not accept", [("negation", "negated verb")]),
        ("en", "applications received by 5 May", []),
        ("fr", "la durée maximale n'excède pas six ans", [("quantifier", "at most"), ("quantifier", "at most")]),
        # the modal inside "cannot" (the negation is found too); a noun "need" is no obligation
        ("en", "enquiries cannot be dealt with", [("modality", "option"), ("negation", "negated verb")]),
        ("en", "the Organisation's need to carry out its tasks", []),
        ("en", "the incumbent needs to travel", [("modality", "obligation")]),
        ("fr", "de préférence, puis obligatoirement", [("modality", "option"), ("modality", "obligation")]),
        ("en", "would be an added advantage", [("modality", "option")]),
        (
            "fr",
            "ne pourra pas être rejeté sans autre examen",
            [("negation", "negated verb"), ("modality", "option"), ("negation", "without")],
        ),
        ("fr", "une expérience serait très appréciée", [("modality", "option")]),
    ],
)
def test_cue_classes(cues, lang, text, expected):
    assert [(c.cls, c.value) for c in cues.find(text, lang)] == expected


def test_cue_positions_point_at_the_original_text(cues):
    text = "La/Le titulaire doit avoir au  plus cinq années d’expérience."
    got = [c for c in cues.find(text, "fr") if c.cls == "quantifier"]
    assert [text[c.start : c.end] for c in got] == ["au  plus"]


def test_compare_cues_reports_a_reversed_bound_not_a_dropped_one(cues):
    en = cues.find("at least five years and at most two", "en")
    assert wl.compare_cues(cues, en, cues.find("au plus cinq ans et au plus deux", "fr"), ["quantifier"])
    assert not wl.compare_cues(cues, en, cues.find("cinq ans et au plus deux", "fr"), ["quantifier"])
    assert not wl.compare_cues(cues, en, cues.find("un minimum de cinq ans et deux au maximum", "fr"), ["quantifier"])


@pytest.fixture(scope="module")
def names():
    return wl.names(data("names"))


@pytest.mark.parametrize(
    "lang,text,ids",
    [
        ("en", "knowledge of Spanish and Italian", ["lang:es", "lang:it"]),
        ("fr", "connaissance de l'espagnol et de la langue italienne", ["lang:es", "lang:it"]),
        ("en", "based in Brussels, Belgium", ["city:Brussels", "country:BE"]),
        ("fr", "basé à Bruxelles (Belgique), un organisme belge", ["city:Brussels", "country:BE", "country:BE"]),
        ("en", "The Hague and Türkiye", ["city:The Hague", "country:TR"]),
        ("fr", "La Haye et la Turquie", ["city:The Hague", "country:TR"]),
        ("en", "paid in euros", []),  # English names are capitalised: "euros" is left to the number checks
        ("en", "a turkey sandwich in the chad", []),
    ],
)
def test_names_from_cldr(names, lang, text, ids):
    assert [n.id for n in names.find(text, lang)] == ids


def test_substitutions_need_a_term_of_the_same_family():
    terms = {
        "Director": ["directeur"],
        "Deputy Director": ["directeur adjoint"],
        "risk management": ["gestion des risques"],
        "incident management": ["gestion des incidents"],
        "North Atlantic Council": ["Conseil de l'Atlantique Nord"],
    }
    subs = wl.substitutions(
        "The Director leads incident management.", "Le directeur adjoint dirige la gestion des risques.", terms
    )
    assert sorted((s.fr.surface, s.en.surface) for s in subs) == [
        ("directeur adjoint", "Director"),
        ("gestion des risques", "incident management"),
    ]
    # the English has the rendered term too: no substitution
    assert not wl.substitutions("The Deputy Director and the Director.", "Le directeur adjoint et le directeur.", terms)
    # nothing in common with the English term left without rendering: not a substitution
    assert not wl.substitutions("The North Atlantic Council meets.", "La gestion des risques se réunit.", terms)


def test_prepared_terms_need_no_compilation_later():
    """The daemon compiles every glossary form once (prepare_terms): finding terms in a text then
    compiles nothing, and finds what it finds without preparation."""
    from vnlint import termmatch

    terms = {"incident management": ["gestion des incidents"], "Deputy Director": ["directeur adjoint"]}
    text = "La gestion des incidents et le directeur adjoint."
    termmatch.term_regex.cache_clear()
    unprepared = [(h.term, h.surface) for h in wl.term_hits(text, "fr", terms)]
    assert unprepared == [("incident management", "gestion des incidents"), ("Deputy Director", "directeur adjoint")]
    termmatch.term_regex.cache_clear()
    wl.prepare_terms(terms)
    assert termmatch.term_regex.cache_info().currsize == 4  # two English terms, two French renderings
    misses = termmatch.term_regex.cache_info().misses
    assert [(h.term, h.surface) for h in wl.term_hits(text, "fr", terms)] == unprepared
    assert [h.term for h in wl.term_hits("The Deputy Director.", "en", terms)] == ["Deputy Director"]
    assert termmatch.term_regex.cache_info().misses == misses


def test_name_omissions_are_reported_only_when_asked(embedder):
    text, line, _ = nf.edit_clean_notice(
        "Le siège de l'OTAN à Bruxelles", "Le siège de l'OTAN à Bruxelles", "Le siège de l'OTAN"
    )
    settings = Settings()
    settings.select = {"VN604"}
    run = lambda: lint_text(text, settings, path="notice.txt", embedder_factory=lambda s: embedder).findings  # noqa: E731
    assert run() == []
    settings.rule_options = {"name-mismatch": {"omissions": True}}
    got = run()
    assert len(got) == 1 and got[0].line == line and "'Brussels'" in got[0].message, got


def test_a_form_that_renders_synonymous_terms_is_no_substitution():
    terms = {
        "cyber security": ["cybersécurité"],
        "cybersecurity": ["cybersécurité", "cyberdéfense"],
        "cyber defence": ["cyberdéfense", "cybersécurité"],
        "indefinite contract": ["contrat de durée indéterminée"],
        "indefinite duration contract": ["contrat de durée indéterminée"],
    }
    assert not wl.substitutions(
        "Experience in cybersecurity and cyber defence.", "Expérience de la cybersécurité et de la cyberdéfense.", terms
    )
    assert not wl.substitutions(
        "Conversion to an indefinite contract.", "Transformation en contrat de durée indéterminée.", terms
    )


def test_substitutions_are_counted_and_neighbours_excuse_only_a_surplus():
    terms = {
        "definite duration contract": ["contrat de durée déterminée"],
        "indefinite duration contract": ["contrat de durée indéterminée"],
    }
    en = "A definite duration contract, then an indefinite duration contract."
    fr = "Un contrat de durée déterminée, puis un contrat de durée déterminée."
    subs = wl.substitutions(en, fr, terms)
    assert [(s.fr.surface, s.en.surface) for s in subs] == [
        ("contrat de durée déterminée", "indefinite duration contract")
    ]
    # both neighbours name the indefinite contract: no excuse for this paragraph
    assert wl.substitutions(en, fr, terms, "The indefinite duration contract.", "Le contrat de durée indéterminée.")
    # the next French paragraph renders it and its English does not: a sentence moved across
    assert not wl.substitutions(en, fr, terms, "Nothing here.", "Le contrat de durée indéterminée.")


def test_a_part_of_a_term_is_no_substitute_for_it():
    terms = {"logistics": ["logistique"], "Logistics Committee": ["Comité de la logistique"]}
    # "Comité de la logistique" cut in two (a page break in a PDF): what is left is a part, not another term
    assert not wl.substitutions(
        "Planning of logistics. They support the Logistics Committee.",
        "Planification logistique et logistique. Elle soutient le Comité de. La logistique.",
        terms,
    )


def test_a_term_dropped_with_its_sentence_is_no_substitution(lint):
    # The French paragraph loses its first sentence, with "Public Diplomacy Division" and "partner
    # countries" in it; the sentence it keeps says "Alliance". Nothing was replaced: the missing
    # sentence and its terms are reported, not "FR 'Alliance' renders 'Allies'; EN has 'partner countries'".
    path = Path(__file__).resolve().parent / "data" / "notices" / "officer_digital_comms.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("La Division Diplomatie publique (PDD) explique"))
    lines[k] = lines[k][lines[k].index("Elle gère") :]
    findings = lint("\n".join(lines))
    assert not [f for f in findings if f.code == "VN605"], findings
    about = sorted(f.message for f in findings if f.line == k + 1 and f.code == "VN408")
    assert len(about) == 2 and "'partner countries'" in about[1] and "'Public Diplomacy Division'" in about[0]
