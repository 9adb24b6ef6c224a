"""Small fictional notices built in tests, in both layouts (one paragraph a line, hard-wrapped)."""

from __future__ import annotations

import textwrap

EN_HEADER = {
    "title": "Officer, Coastal Logistics Planning (2 posts) (260417)",
    "location": "Primary Location: Belgium-Brussels",
    "body": "NATO Body: NATO International Staff (NATO IS)",
    "schedule": "Schedule: Full-time",
    "deadline": "Application Deadline: 14-Mar-2026, 11:59:00 PM",
    "salary": "Salary (Pay Basis): 7,540.44Euro (EUR) Monthly",
    "grade": "Grade: NATO Grade G17",
    "clearance": "Clearance Level: CTS",
}
FR_HEADER = {
    "title": "Administratrice/Administrateur (planification logistique côtière) (2 postes) (260417)",
    "location": "Emplacement principal : Belgique-Bruxelles",
    "body": "Organisation : OTAN SI",
    "schedule": "Horaire : Temps plein",
    "deadline": "Date de retrait : 14-mars-2026, 23:59:00",
    "salary": "Salaire (Base de paie) : 7 540,44Euro (EUR) Mensuelle",
    "grade": "Grade : NATO Grade G17",
    "clearance": "Niveau de l'habilitation de sécurité : COSMIC TRÈS SECRET",
}
EN_SECTIONS = [
    (
        "1. SUMMARY",
        [
            "The Coastal Logistics Section plans the movement of supplies between Allied ports and inland depots.",
            "The incumbent prepares logistics plans and advises senior staff on port capacity.",
        ],
    ),
    (
        "2. QUALIFICATIONS AND EXPERIENCE",
        [
            "ESSENTIAL",
            "The incumbent must:",
            "- possess a university degree in logistics, engineering or a related field;",
            "- have at least five years of experience in port or depot operations;",
            '- possess the following minimum levels of NATO\'s official languages (English/French): V ("Advanced") in one; I ("Beginner") in the other.',
        ],
    ),
    (
        "3. MAIN ACCOUNTABILITIES",
        [
            "Plan the seasonal rotation of supply ships and report on delays to the Section Head.",
            "Perform any other related duty as assigned.",
        ],
    ),
]
FR_SECTIONS = [
    (
        "1. RÉSUMÉ",
        [
            "La Section Logistique côtière planifie l'acheminement des approvisionnements entre les ports alliés et les dépôts intérieurs.",
            "La/Le titulaire du poste élabore des plans logistiques et conseille les hauts responsables sur la capacité portuaire.",
        ],
    ),
    (
        "2. QUALIFICATIONS ET EXPÉRIENCE",
        [
            "ACQUIS ESSENTIELS",
            "La/Le titulaire du poste doit :",
            "- être titulaire d'un diplôme universitaire en logistique, en ingénierie ou dans un domaine apparenté ;",
            "- avoir au moins cinq ans d'expérience des opérations portuaires ou des dépôts ;",
            "- avoir au minimum le niveau de compétence V (« avancé ») dans l'une des deux langues officielles de l'OTAN (anglais/français), et le niveau I (« débutant ») dans l'autre.",
        ],
    ),
    (
        "3. RESPONSABILITÉS PRINCIPALES",
        [
            "Planifie la rotation saisonnière des navires de ravitaillement et rend compte des retards à la/au chef de section.",
            "S'acquitte de toute autre tâche en rapport avec ses fonctions qui pourrait lui être confiée.",
        ],
    ),
]
HEADER_KEYS = ("location", "body", "schedule", "deadline", "salary", "grade", "clearance")


def half_lines(header: dict, sections: list, description: str = "Description") -> list[str]:
    lines = [header["title"], ""]
    for k in HEADER_KEYS:
        if header.get(k):
            lines.append(header[k])
    lines += [description, ""]
    for heading, paras in sections:
        lines += [heading, ""]
        for p in paras:
            lines += [p, ""]
    return lines


def notice(en_header=None, fr_header=None, en_sections=None, fr_sections=None, *, banner=True) -> str:
    """A paragraph-layout notice; pass modified copies of the dicts/lists to inject defects."""
    lines = []
    if banner:
        lines += ["VACANCY NOTIFICATION/ NOTIFICATION DE LA VACANCE DU POSTE", ""]
    lines += half_lines(en_header or EN_HEADER, en_sections or EN_SECTIONS)
    lines += half_lines(fr_header or FR_HEADER, fr_sections or FR_SECTIONS)
    return "\n".join(lines) + "\n"


def wrapped(text: str, width: int = 78) -> str:
    """The same notice as PDF-extracted text: hard-wrapped, a blank line after every line, a page number."""
    out = []
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        for piece in textwrap.wrap(line, width) or [""]:
            out += [piece + " ", ""]
        if i == 20:
            out += ["2", ""]
    return "\n".join(out) + "\n"


def with_header(side: dict, **changes) -> dict:
    d = dict(side)
    d.update(changes)
    return d


def edit_clean_notice(prefix: str, old: str, new: str) -> tuple[str, int, int]:
    """examples/clean_notice.txt with `old` replaced by `new` in the French line starting with
    `prefix`: (text, 1-based line, 1-based column of the new words)."""
    from pathlib import Path

    clean = Path(__file__).resolve().parent.parent / "examples" / "clean_notice.txt"
    lines = clean.read_text(encoding="utf-8").split("\n")
    found = [i for i, line in enumerate(lines) if line.startswith(prefix) and i > 140]
    assert len(found) == 1, (prefix, found)
    i = found[0]
    k = lines[i].index(old)
    lines[i] = lines[i][:k] + new + lines[i][k + len(old) :]
    return "\n".join(lines), i + 1, k + 1
