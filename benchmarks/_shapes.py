"""Pathological notice shapes for the scaling benchmark and the tests' bounds (issue 12, item 5).

Each shape is a valid EN/FR notice (examples/clean_notice.txt) with one part blown up to `n`
units; `shape(name, n)` returns the text. Sizes used: the tests use the small ones, benchmarks/bench.py
--scaling the large ones (x10 steps).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CLEAN = ROOT / "examples" / "clean_notice.txt"

_EN_SENT = "The incumbent prepares the budget of the section and reports on its execution every quarter. "
_FR_SENT = "La/Le titulaire prépare le budget de la section et rend compte de son exécution chaque trimestre. "


def _clean() -> list[str]:
    return _CLEAN.read_text(encoding="utf-8").splitlines()


def _insert(en: list[str], fr: list[str]) -> str:
    """The clean notice with `en` lines after the English summary heading and `fr` after the French one."""
    lines = _clean()
    out: list[str] = []
    for ln in lines:
        out.append(ln)
        if ln.strip() == "1. SUMMARY":
            out += [""] + en
        elif ln.strip() == "1. RÉSUMÉ":
            out += [""] + fr
    return "\n".join(out) + "\n"


def token(n: int) -> str:
    """One token of n characters (no space) in an English paragraph."""
    return _insert(["See " + "x" * n + " for details.", ""], [])


def long_paragraph(n: int) -> str:
    """A paragraph of about n characters of ordinary sentences on each side."""
    k = max(1, n // len(_EN_SENT))
    return _insert([(_EN_SENT * k).strip(), ""], [(_FR_SENT * k).strip(), ""])


def bullets(n: int) -> str:
    """n bullets on each side."""
    en = [f"- maintain register {i} of the section and report on it;" for i in range(n)]
    fr = [f"- tenir le registre {i} de la section et en rendre compte ;" for i in range(n)]
    return _insert(en + [""], fr + [""])


def sections(n: int) -> str:
    """n numbered lines that look like section headings on each side."""
    en, fr = [], []
    for i in range(1, n + 1):
        en += [f"{i}. DUTIES", "", f"The incumbent carries out duty {i}.", ""]
        fr += [f"{i}. TÂCHES", "", f"La/Le titulaire s'acquitte de la tâche {i}.", ""]
    return _insert(en, fr)


def brackets(n: int) -> str:
    """n words of '[[[' (markdown-link look-alikes) in a paragraph."""
    return _insert([" ".join("[[[[[[[[" for _ in range(n)), ""], [])


SHAPES = {
    "token": token,
    "long_paragraph": long_paragraph,
    "bullets": bullets,
    "sections": sections,
    "brackets": brackets,
}


def shape(name: str, n: int) -> str:
    return SHAPES[name](n)
