"""The translation memory (issue 14): build, TMX import, suggestions of the approved French.

The suggestion tests align with the default model (use-m3); the memory is learnt from fictional
notices of tests/data/notices and applied to examples/clean_notice.txt with paragraphs dropped by
tools/inject.py. The same acceptance on the real notices is in test_corpus_fix.py.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from vnlint import fix as fx
from vnlint import tm
from vnlint.config import Settings
from vnlint.runner import lint_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from inject import Injector, _pairs_1to1  # noqa: E402 (tools/ is put on the path above)

LEARN_FROM = [
    "budget_assistant.txt",
    "civil_preparedness_pdf.txt",
    "head_intel_support.txt",
    "officer_digital_comms.txt",
]


def learn_from(paths: list[Path]) -> tm.Memory:
    mem = tm.empty()
    for p in paths:
        r = lint_text(p.read_text(encoding="utf-8"), Settings(), path=str(p))
        tm.learn(mem, r.notice, r.alignment, r.findings)
    return mem


def standard_blocks(text: str, mem: tm.Memory, settings: Settings):
    """The French blocks of ``text`` that are the memory's approved rendering of their English."""
    base = lint_text(text, settings)
    cp = _pairs_1to1(base.alignment)
    out = []
    for b in base.notice.fr.blocks:
        found = mem.lookup(cp[id(b)].clean) if id(b) in cp else None
        if found and tm.key(found[0]) == tm.key(b.text):
            out.append(b)
    return base, out


def check_dropped(text: str, mem: tm.Memory, memory_file: Path, limit: int | None = None):
    """Drop each standard paragraph in turn: (dropped, reported by VN300 with the right text, wrong)."""
    s = Settings()
    s.tm = str(memory_file)
    base, blocks = standard_blocks(text, mem, s)
    injector = Injector(text, base.notice, base.alignment, "0", [])
    droppable = {id(b) for b in injector._paragraphs(6)}  # what drop-paragraph drops
    blocks = [b for b in blocks if id(b) in droppable]
    blocks = blocks if limit is None else blocks[:: max(1, len(blocks) // limit)][:limit]
    right, wrong = [], []
    for b in blocks:
        inj = injector._drop("drop-paragraph", b)
        r = lint_text(inj.text, s)
        for f in r.findings:  # the finding about the English paragraph whose French was dropped
            if f.code == "VN300" and any(x.line == inj.en_span[0] for x in f.related):
                ok = f.fix is not None and tm.key(f.fix.edits[0].text) == tm.key(b.text)
                (right if ok else wrong).append((b, f, inj))
            elif (
                f.code in ("VN302", "VN303")
                and f.fix is not None
                and any(x.line <= inj.en_span[0] <= x.end_line for x in f.related)
            ):
                # The aligner paired the English paragraph with its neighbour's French: the suggested
                # text for the pair must bring the dropped paragraph back.
                paras = f.fix.edits[0].text.split("\n")
                (right if any(tm.key(p) == tm.key(b.text) for p in paras) else wrong).append((b, f, inj))
    return blocks, right, wrong


@pytest.fixture(scope="module")
def fictional_memory(tmp_path_factory):
    mem = learn_from([ROOT / "tests" / "data" / "notices" / n for n in LEARN_FROM])
    path = tmp_path_factory.mktemp("tm") / "tm.json"
    mem.save(str(path))
    return mem, path


def test_memory_weighs_recurring_pairs(fictional_memory):
    mem, path = fictional_memory
    found = mem.lookup("NATO Headquarters in Brussels is a smoke-free environment.")
    assert found is not None and found[1] == 3  # in three of the four notices
    assert tm.load(str(path)).lookup("NATO Headquarters in Brussels is a smoke-free environment.") == found
    # A near copy of the English (a typo) still finds it; another sentence does not.
    assert mem.lookup("NATO Headquarters in Brussels is a smoke free enviroment.") == found
    assert mem.lookup("The Section plans the movement of supplies between ports.") is None


def test_tm_suggests_the_dropped_standard_paragraphs(fictional_memory):
    mem, path = fictional_memory
    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    blocks, right, wrong = check_dropped(text, mem, path, limit=6)
    assert len(blocks) == 6
    assert wrong == []
    assert len({id(b) for b, _, _ in right}) == len(blocks)


def test_unsafe_fix_puts_the_paragraph_back_where_it_was(fictional_memory):
    mem, path = fictional_memory
    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    _, right, _ = check_dropped(text, mem, path, limit=2)
    assert right
    for b, f, inj in right:
        assert not f.fix.safe
        # The approved rendering comes from other notices, which write a typographic apostrophe.
        assert fx.apply_edits(inj.text, f.fix.edits).replace("’", "'") == text.replace("’", "'")


def test_replace_fix_for_a_paragraph_that_differs_from_the_approved_rendering(fictional_memory):
    mem, path = fictional_memory
    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    s = Settings()
    s.tm = str(path)
    _base, blocks = standard_blocks(text, mem, s)
    b = max(blocks, key=lambda x: len(x.clean))
    lines = text.split("\n")
    approved = lines[b.line - 1]
    lines[b.line - 1] = approved[: len(approved) // 3].rstrip() + "."
    r = lint_text("\n".join(lines), s)
    got = [f for f in r.findings if f.code in ("VN302", "VN303") and f.fix is not None and f.line == b.line]
    assert got, [(f.code, f.line) for f in r.findings]
    assert fx.apply_edits("\n".join(lines), got[0].fix.edits).replace("’", "'") == text.replace("’", "'")


def test_no_memory_no_suggestion(fast_settings):
    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    assert all(f.fix is None for f in lint_text(text, Settings()).findings if f.code.startswith("VN3"))


# ---------------------------------------------------------------- TMX

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en-GB" datatype="plaintext" segtype="paragraph" o-tmf="x"
 adminlang="en" creationtool="test" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="en-GB"><seg>NATO does not charge any <bpt i="1">&lt;b&gt;</bpt>application fee<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="fr-BE"><seg>L'OTAN ne demande <bpt i="1">&lt;b&gt;</bpt>aucuns frais<ept i="1">&lt;/b&gt;</ept> de candidature.</seg></tuv></tu>
<tu><tuv lang="EN"><seg>Carry out any other related tasks as required.</seg></tuv>
<tuv lang="FR"><seg>S'acquitte de toute autre tâche connexe.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Only English here, no French.</seg></tuv></tu>
</body></tmx>
"""


def test_tmx_import(tmp_path, run_vnlint):
    src = tmp_path / "memory.tmx"
    src.write_text(TMX, encoding="utf-8")
    mem = tm.read_tmx(str(src))
    assert mem.lookup("NATO does not charge any application fee.") == (
        "L'OTAN ne demande aucuns frais de candidature.",
        1,
    )
    assert mem.lookup("Carry out any other related tasks as required.")[0] == "S'acquitte de toute autre tâche connexe."
    assert len(mem) == 2
    proc = run_vnlint("tm", "import", src, "-o", tmp_path / "tm.json")
    assert proc.returncode == 0, proc.stderr_text
    assert proc.stderr_text.strip() == f"vnlint: imported 2 paragraph pair(s) from {src} into {tmp_path / 'tm.json'}"
    assert tm.load(str(tmp_path / "tm.json")).lookup("Carry out any other related tasks as required.")


@pytest.mark.parametrize(
    "doc, why",
    [
        ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><tmx>&b;</tmx>', "DTD"),
        ('<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://example.invalid/tmx14.dtd"><tmx/>', "DTD"),
        ("<tmx><body><tu>", "not a valid TMX"),
    ],
)
def test_tmx_refuses_dtds_and_bad_xml(tmp_path, run_vnlint, doc, why):
    src = tmp_path / "bad.tmx"
    src.write_text(doc, encoding="utf-8")
    with pytest.raises(tm.TMError, match=why):
        tm.read_tmx(str(src))
    proc = run_vnlint("tm", "import", src, "-o", tmp_path / "tm.json")
    assert proc.returncode == 2 and len(proc.stderr_text.strip().splitlines()) == 1
    assert not (tmp_path / "tm.json").exists()


# ---------------------------------------------------------------- command line and configuration


def test_cli_build_then_fix_with_unsafe_fixes(tmp_path, run_vnlint):
    approved = tmp_path / "approved"
    approved.mkdir()
    for n in LEARN_FROM[:2]:
        (approved / n).write_bytes((ROOT / "tests" / "data" / "notices" / n).read_bytes())
    proc = run_vnlint("tm", "build", approved, "-o", tmp_path / "tm.json")
    assert proc.returncode == 0, proc.stderr_text
    assert proc.stderr_text.startswith("vnlint: learnt ") and "from 2 notice(s)" in proc.stderr_text
    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    smoke = "Le siège de l'OTAN à Bruxelles est un environnement sans tabac."
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith(smoke[:30]))
    assert lines[k + 1] == ""
    target = tmp_path / "notice.txt"
    target.write_text("\n".join(lines[:k] + lines[k + 2 :]), encoding="utf-8")
    plain = run_vnlint("--diff", "--tm", tmp_path / "tm.json", target)
    assert plain.returncode == 0 and plain.stdout_text == ""  # a suggestion is not applied by default
    shown = run_vnlint("--tm", tmp_path / "tm.json", target).stdout_text
    assert "    suggestion: insert the approved French (translation memory, 1 time): " in shown
    proc = run_vnlint("--fix", "--unsafe-fixes", "--tm", tmp_path / "tm.json", "--format", "json", target)
    assert "vnlint: fixed 1 finding in 1 file" in proc.stderr_text
    assert target.read_text(encoding="utf-8").replace("’", "'") == text.replace("’", "'")
    assert [f for f in proc.json()["findings"] if f["code"] == "VN300"] == []


def test_tm_in_config_and_bad_tm(tmp_path, run_vnlint):
    (tmp_path / "tm.json").write_text('{"version": 1, "kind": "vnlint-tm", "units": []}', encoding="utf-8")
    (tmp_path / "vnlint.toml").write_text('tm = "tm.json"\n', encoding="utf-8")
    (tmp_path / "n.txt").write_text(
        (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run_vnlint("--model", "none", "-q", "n.txt").returncode == 0
    (tmp_path / "vnlint.toml").write_text('tm = "missing.json"\n', encoding="utf-8")
    proc = run_vnlint("--model", "none", "n.txt")
    assert proc.returncode == 2 and "missing.json: cannot read translation memory" in proc.stderr_text
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    proc = run_vnlint("--isolated", "--model", "none", "--tm", "bad.json", "n.txt")
    assert proc.returncode == 2
    assert proc.stderr_text.strip() == (
        "vnlint: error: --tm: bad.json: not a vnlint translation memory (build one with `vnlint tm build`)"
    )


def test_two_english_paragraphs_and_the_french_of_one(tmp_path):
    """The aligner paired two English paragraphs with the French of the first: the French stays,
    the approved French of the second is added after it (a blank line between, as around it)."""
    from vnlint.engine import Context
    from vnlint.model import BlockPair

    text = (ROOT / "examples" / "clean_notice.txt").read_text(encoding="utf-8")
    r = lint_text(text, Settings())
    pairs = [
        bp
        for bp in r.alignment.block_pairs()
        if len(bp.en) == len(bp.fr) == 1
        and bp.en[0].kind == bp.fr[0].kind == "paragraph"
        and len(bp.en[0].clean.split()) >= 6
    ]
    a, b = next((x, y) for x, y in itertools.pairwise(pairs) if y.en[0].line - x.en[0].end_line == 2)
    mem = tm.empty()
    mem.add(b.en[0].clean, "Le texte approuvé du second paragraphe, tel que la mémoire le connaît.")
    path = tmp_path / "tm.json"
    mem.save(str(path))
    s = Settings()
    s.tm = str(path)
    fix = tm.replace_fix(Context(r.notice, r.alignment, s), BlockPair(a.en + b.en, a.fr))
    (e,) = fix.edits
    lines = r.notice.source.lines
    assert (e.line, e.end_line) == (a.fr[0].line, a.fr[0].end_line) and not fix.safe
    assert (
        e.text == lines[a.fr[0].line - 1] + "\n\nLe texte approuvé du second paragraphe, tel que la mémoire le connaît."
    )
    # Neither known: nothing to suggest. The first known and the French already its approved text: nothing.
    assert tm.replace_fix(Context(r.notice, r.alignment, Settings()), BlockPair(a.en + b.en, a.fr)) is None
    mem.add(a.en[0].clean, a.fr[0].text)
    mem.save(str(path))
    assert tm.replace_fix(Context(r.notice, r.alignment, s), a) is None


def test_memory_file_is_checked(tmp_path):
    bad = tmp_path / "tm.json"
    bad.write_text(
        '{"version": 1, "kind": "vnlint-tm", "units": [{"en": "one two three four", "fr": "un", '
        '"count": "many"}, {"en": 3}]}',
        encoding="utf-8",
    )
    mem = tm.load(str(bad))
    assert mem.lookup("One two, three four!") == ("un", 1) and len(mem) == 1
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(tm.TMError, match="not a vnlint translation memory"):
        tm.load(str(bad))
