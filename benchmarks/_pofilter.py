"""The pofilter comparison: the same notice as a PO file, checked by Translate Toolkit's pofilter.

A fair comparison gives pofilter what vnlint checks: every aligned EN/FR unit of the notice, the
title, each header field (label and value) and each paragraph or bullet pair of vnlint's structural
alignment (no model), as one PO unit (msgid = English, msgstr = French). pofilter runs its default
tests on them, in a new process, as vnlint does.

translate-toolkit is never a dependency of vnlint: it lives in its own virtual environment,
benchmarks/.venv-pofilter (git-ignored), made on first use with the ordinary pip client:

    python3 -m venv benchmarks/.venv-pofilter && benchmarks/.venv-pofilter/bin/pip install translate-toolkit
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-pofilter"
POFILTER = VENV / "bin" / "pofilter"


def ensure(install: bool = True) -> Path | None:
    """The pofilter executable, installing translate-toolkit in VENV when missing and `install`."""
    if POFILTER.exists():
        return POFILTER
    if not install:
        return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "translate-toolkit"],
            check=True,
            capture_output=True,
            timeout=900,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return POFILTER if POFILTER.exists() else None


def _po_string(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = text.split("\n")
    if len(lines) == 1:
        return f'"{lines[0]}"'
    return '""\n' + "\n".join(f'"{line}\\n"' if i < len(lines) - 1 else f'"{line}"' for i, line in enumerate(lines))


def units(path: Path) -> list[tuple[str, str, str]]:
    """(context, English, French) of every aligned unit of the notice, in vnlint's order."""
    from vnlint.structure_align import align
    from vnlint.config import Settings
    from vnlint.runner import load_notice

    notice = load_notice(str(path), Settings())
    al = align(notice)
    out: list[tuple[str, str, str]] = []
    if al.title is not None:
        out.append(("title", al.title.en.text, al.title.fr.text))
    for fp in al.fields:
        if fp.en is not None and fp.fr is not None:
            en, fr = fp.en, fp.fr
            out.append(
                (
                    f"field {fp.key}",
                    f"{getattr(en, 'label', '')}: {getattr(en, 'value', '')}",
                    f"{getattr(fr, 'label', '')} : {getattr(fr, 'value', '')}",
                )
            )
    for i, bp in enumerate(al.block_pairs()):
        en = "\n".join(b.text for b in bp.en)
        fr = "\n".join(b.text for b in bp.fr)
        if en.strip() and fr.strip():
            out.append((f"{bp.section or ''} #{i}", en, fr))
    return out


def write_po(path: Path, target: Path) -> int:
    """Write the notice's units as a PO file (UTF-8); the number of units."""
    us = units(path)
    parts = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n']
    for ctx, en, fr in us:
        parts.append(f"msgctxt {_po_string(ctx)}\nmsgid {_po_string(en)}\nmsgstr {_po_string(fr)}\n")
    target.write_text("\n".join(parts), encoding="utf-8")
    return len(us)


def command(po: Path, out: Path) -> list[str]:
    return [str(POFILTER), "--progress=none", str(po), str(out)]


if __name__ == "__main__":  # python benchmarks/_pofilter.py NOTICE OUT.po: write the PO file
    n = write_po(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{n} units written to {os.path.relpath(sys.argv[2])}")
