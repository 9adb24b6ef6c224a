"""Issue 8: bad input never crashes vnlint, never loses data, never hangs.

Every bad input is generated here, in a temporary directory, from the fictional notice
tests/data/reliability/good.txt, and run through the real CLI with `--format json`. Each one gives
a structure finding (VN100-VN107) or exit 2 with one `vnlint: error:` line per bad path on
stderr; never a traceback, and the other files of the same run are still linted.

Unreadable files: tests may run as root, where chmod 000 does not stop reading. The chmod test is
skipped as root; a dangling symlink, a symlink loop and a FIFO (which would block a reader
forever) stand in for "cannot be read" and run everywhere.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from vnlint.cli import main
from vnlint.runner import lint_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clean_notice.txt"
FR_TITLE = "Officier(-ière), Logistique des phares (250901)"
STRUCTURE = {f"VN{n}" for n in range(100, 108)}


# ----------------------------------------------------------------------------- helpers


def halves(text: str) -> tuple[str, str]:
    i = text.index(FR_TITLE)
    return text[:i], text[i:]


def defective(text: str) -> tuple[str, int]:
    """The notice with its last EN section, 4, numbered 5 (VN111), and that heading's physical line."""
    lines = text.split("\n")
    no = lines.index("4. CONTRACT")
    lines[no] = "5. CONTRACT"
    return "\n".join(lines), no + 1


def mixed_endings(text: str) -> bytes:
    """LF, CRLF and CR in turn; a lone CR is only used before a non-empty line, so that a CR
    followed by the LF of an empty line cannot merge into one CRLF and change the numbering."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        end = ("\n", "\r\n", "\r")[i % 3]
        if end == "\r" and not nxt:
            end = "\r\n"
        out.append(line + end)
    return "".join(out).encode("utf-8")


def png_bytes() -> bytes:
    """A real PNG signature and IHDR chunk, then bytes that no text file holds."""
    ihdr = b"IHDR" + (64).to_bytes(4, "big") + (64).to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    chunk = (13).to_bytes(4, "big") + ihdr + zlib.crc32(ihdr).to_bytes(4, "big")
    rnd = random.Random(8)
    return b"\x89PNG\r\n\x1a\n" + chunk + bytes(rnd.randrange(256) for _ in range(4000))


def by_path(findings: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in findings:
        out.setdefault(os.path.basename(f["path"]), []).append(f)
    return out


def key(findings: list[dict]) -> list[tuple]:
    return sorted((f["code"], f["line"], f["end_line"], f["message"]) for f in findings)


def assert_clean_run(proc, rcs=(0, 1)):
    assert "Traceback" not in proc.stderr_text, proc.stderr_text
    assert proc.returncode in rcs, (proc.returncode, proc.stderr_text[-2000:])
    data = proc.json()
    assert data["version"] == 1
    assert not [f for f in data["findings"] if f["code"] == "VN199"], data["findings"]
    return data


# ----------------------------------------------------------------------------- the corpus


def build_corpus(d: Path, text: str) -> dict[str, dict]:
    """Write the bad inputs into `d`; return {file name: expectation}."""
    d.mkdir(parents=True, exist_ok=True)
    en, fr = halves(text)
    bad, bad_line = defective(text)
    lines = text.split("\n")
    second_title = len(lines) + lines.index("Officer, Lighthouse Logistics (250901)") + 1
    rnd = random.Random(50)
    words = "the of and planning beacon lamp section budget report yearly".split()
    one_line = " ".join(rnd.choice(words) for _ in range(160_000))[:1_000_000]
    files: dict[str, tuple[bytes, dict]] = {
        "empty.txt": (b"", {"codes": {"VN102"}}),
        "whitespace.txt": (b"   \n\t\n \r\n\n", {"codes": {"VN102"}}),
        "image.txt": (png_bytes(), {"codes": {"VN100"}}),
        "nul_bytes.txt": (text.replace("Officer,", "Off\x00icer,", 1).encode(), {"codes": {"VN100"}}),
        "english_only.txt": (en.encode(), {"codes": {"VN104"}}),
        "french_only.txt": (fr.encode(), {"codes": {"VN105"}}),
        "french_first.txt": ((fr + "\n" + en).encode(), {"codes": {"VN106"}}),
        "two_notices.txt": ((text + "\n" + text).encode(), {"codes": {"VN107"}, "line": ("VN107", second_title)}),
        "prose.txt": (
            b"The spring was mild that year. We walked along the canal and talked about books.\n\n"
            b"Later we had soup in a small cafe near the station, and the rain came back.\n",
            {"codes": {"VN103"}, "walk_skips": True},
        ),
        "one_line_1mb.txt": (one_line.encode(), {"codes": {"VN103"}, "walk_skips": True}),
        "good.txt": (text.encode(), {"same_as": None}),
        "cp1252.txt": (text.encode("cp1252"), {"same_as": "good.txt"}),
        "utf16le_bom.txt": (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), {"same_as": "good.txt"}),
        "utf16be_bom.txt": (codecs.BOM_UTF16_BE + text.encode("utf-16-be"), {"same_as": "good.txt"}),
        "utf8_bom.txt": (codecs.BOM_UTF8 + text.encode(), {"same_as": "good.txt"}),
        "defective.txt": (bad.encode(), {"line": ("VN111", bad_line)}),
        "defective_crlf.txt": (
            bad.replace("\n", "\r\n").encode(),
            {"line": ("VN111", bad_line), "same_as": "defective.txt"},
        ),
        "defective_mixed.txt": (mixed_endings(bad), {"line": ("VN111", bad_line), "same_as": "defective.txt"}),
    }
    for name, (data, _) in files.items():
        (d / name).write_bytes(data)
    # 50 MB, written in no time (sparse): must be reported without being read.
    with open(d / "big_50mb.txt", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    expect = {name: e for name, (_, e) in files.items()}
    expect["big_50mb.txt"] = {"codes": {"VN101"}}
    # A directory with symlink loops (to itself and to its parent) and a notice inside.
    loop = d / "loop"
    loop.mkdir()
    os.symlink("..", loop / "up")
    os.symlink(".", loop / "self")
    (loop / "in_loop.txt").write_bytes(bad.encode())
    expect["in_loop.txt"] = {"line": ("VN111", bad_line), "same_as": "defective.txt"}
    if EXAMPLE.is_file():  # a colleague's example notice, beside the bad ones
        shutil.copy(EXAMPLE, d / "example_clean.txt")
        expect["example_clean.txt"] = {"alone": True}
    return expect


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("reliability")
    text = (ROOT / "tests" / "data" / "reliability" / "good.txt").read_text(encoding="utf-8")
    expect = build_corpus(base / "corpus", text)
    return base, expect


def test_corpus_one_run_default_model(corpus, run_vnlint):
    """All bad inputs in one real CLI run with the default model: each gets its finding, the good
    notices beside them are linted as if alone, no traceback, no internal error."""
    base, expect = corpus
    proc = run_vnlint("corpus", "--format", "json", cwd=base, timeout=170)
    data = assert_clean_run(proc, rcs=(1,))
    got = by_path(data["findings"])
    paths = [f["path"] for f in data["findings"]]
    assert not [p for p in paths if "loop/up" in p or "loop/self" in p], "symlink loop walked twice"
    for name, e in expect.items():
        fs = got.get(name, [])
        if e.get("walk_skips"):  # not a notice at all: a directory walk skips it (named, it is VN103)
            assert fs == [], (name, fs)
            continue
        if "codes" in e:
            codes = {f["code"] for f in fs}
            assert e["codes"] <= codes, (name, fs)
            # The one structure code expected, not a pile of consequences of it.
            assert codes & STRUCTURE == e["codes"] & STRUCTURE, (name, codes)
        if "line" in e:
            code, line = e["line"]
            assert [f["line"] for f in fs if f["code"] == code] == [line], (name, fs)
        if e.get("same_as"):
            assert key(fs) == key(got.get(e["same_as"], [])), name
        for f in fs:
            assert f["line"] >= 1 and f["end_line"] >= f["line"]
    # The example notice gives the same findings here as when linted alone.
    if "example_clean.txt" in expect:
        alone = run_vnlint(base / "corpus" / "example_clean.txt", "--format", "json", cwd=base)
        assert key(got.get("example_clean.txt", [])) == key(assert_clean_run(alone)["findings"])


INPUT_CODES = {
    "empty.txt": "VN102",
    "whitespace.txt": "VN102",
    "image.txt": "VN100",
    "nul_bytes.txt": "VN100",
    "english_only.txt": "VN104",
    "french_only.txt": "VN105",
    "french_first.txt": "VN106",
    "two_notices.txt": "VN107",
    "prose.txt": "VN103",
    "one_line_1mb.txt": "VN103",
    "big_50mb.txt": "VN101",
}


@pytest.mark.parametrize("name", sorted(INPUT_CODES))
def test_each_bad_input_alone(corpus, name):
    """Each bad input on its own (in-process CLI): exit 1, its structure code, valid JSON."""
    base, _ = corpus
    res = CliRunner().invoke(main, [str(base / "corpus" / name), "--format", "json", "--model", "none"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.stderr
    assert res.exit_code == 1, (res.exit_code, res.stderr)
    codes = [f["code"] for f in json.loads(res.stdout)["findings"]]
    assert INPUT_CODES[name] in codes
    assert "VN199" not in codes


@pytest.mark.parametrize("name", ["cp1252.txt", "utf16le_bom.txt", "utf16be_bom.txt", "utf8_bom.txt"])
def test_encodings_read_like_utf8(corpus, name, fast_settings):
    """Other encodings decode to exactly the same text and lines as the UTF-8 original."""
    from vnlint.source import read_source

    base, _ = corpus
    ref = read_source(str(base / "corpus" / "good.txt"))
    src = read_source(str(base / "corpus" / name))
    assert src.text == ref.text and src.lines == ref.lines
    assert "Secrétariat international" in src.text and "NATO’s" in src.text


def test_utf8_with_one_stray_byte_is_not_garbled(notice_text, tmp_path, fast_settings):
    """One cp1252 byte pasted into a UTF-8 notice must not turn every é of the file into Ã©."""
    p = tmp_path / "stray.txt"
    p.write_bytes(notice_text.encode().replace(b"Financial", b"Financial\x92", 1))
    from vnlint.source import read_source

    src = read_source(str(p))
    assert "Secrétariat" in src.text and "Ã©" not in src.text
    assert src.text.count("\ufffd") == 1


def test_stray_letterhead_line_inside_the_header(notice_text, fast_settings):
    """A letterhead line pasted again inside the EN header (PDF exports repeat it on every page) is
    skipped: it neither starts a second notice (VN107) nor leaves the EN body out of both halves."""
    from vnlint.runner import lint_text

    banner = notice_text.split("\n")[0]
    text = notice_text.replace("Schedule: Full-time\n", banner + "\nSchedule: Full-time\n", 1)
    r = lint_text(text, fast_settings)
    assert [f.code for f in r.findings] == []
    assert [s.key for s in r.notice.en.sections] == ["0", "1", "2", "3", "4"]
    assert len(r.notice.en.fields) == 7


def test_garbled_line_inside_the_header(notice_text, fast_settings):
    """One garbled header line ("00Application Deadline: ...") is reported as that field missing
    (VN115); it does not start a second notice nor leave the EN body unchecked."""
    from vnlint.runner import lint_text

    text = notice_text.replace("Application Deadline:", "00Application Deadline:", 1)
    r = lint_text(text, fast_settings)
    codes = [f.code for f in r.findings]
    assert "VN107" not in codes and "VN115" in codes
    assert [s.key for s in r.notice.en.sections] == ["0", "1", "2", "3", "4"]
    assert sorted(r.notice.en.fields) == ["body", "clearance", "grade", "location", "salary", "schedule"]


def test_crlf_and_mixed_line_numbers_are_physical(corpus, fast_settings):
    base, expect = corpus
    line = expect["defective.txt"]["line"][1]
    for name in ("defective.txt", "defective_crlf.txt", "defective_mixed.txt"):
        r = lint_file(str(base / "corpus" / name), fast_settings)
        assert [f.line for f in r.findings if f.code == "VN111"] == [line], name
        assert r.error is None


def test_big_file_is_not_read(corpus, fast_settings, monkeypatch):
    """VN101 comes from the size alone: the 50 MB file is never opened."""
    import vnlint.source

    opened = []

    def spy(path, *a, **k):
        opened.append(path)
        return open(path, *a, **k)

    monkeypatch.setattr(vnlint.source, "open", spy, raising=False)
    base, _ = corpus
    r = lint_file(str(base / "corpus" / "big_50mb.txt"), fast_settings)
    assert [f.code for f in r.findings] == ["VN101"]
    assert "52,428,800 bytes" in r.findings[0].message
    assert opened == []


def test_many_short_lines_take_linear_time(fast_settings, tmp_path):
    """400,000 lines that all continue one paragraph (800 kB): the text of a block is built once,
    not by repeated concatenation (which took minutes for a 5 MB file of such lines)."""
    import time

    p = tmp_path / "lines.txt"
    p.write_bytes(b"x\n" * 400_000)
    start = time.process_time()
    r = lint_file(str(p), fast_settings)
    assert time.process_time() - start < 30
    assert [f.code for f in r.findings] == ["VN103"]


def test_stdin_and_pipes_are_read_with_the_limit(notice_text, run_vnlint):
    bad, line = defective(notice_text)
    proc = run_vnlint("-", "--format", "json", "--model", "none", input=bad.encode())
    data = assert_clean_run(proc, rcs=(1,))
    assert [(f["path"], f["line"]) for f in data["findings"] if f["code"] == "VN111"] == [("-", line)]
    # A pipe is never read past the limit.
    proc = run_vnlint(
        "-", "--format", "json", "--model", "none", "--max-file-size", "1000", input=notice_text.encode() * 3
    )
    assert [f["code"] for f in assert_clean_run(proc, rcs=(1,))["findings"]] == ["VN101"]


def test_pipe_of_process_substitution_is_read(notice_text, fast_settings):
    """`vnlint <(pdftotext ...)` passes /dev/fd/N, a pipe: it is read like a file."""
    if not os.path.isdir("/dev/fd"):
        pytest.skip("no /dev/fd")
    r, w = os.pipe()
    bad, line = defective(notice_text)

    def writer():
        with os.fdopen(w, "wb") as fh:
            fh.write(bad.encode())

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        result = lint_file(f"/dev/fd/{r}", fast_settings)
    finally:
        t.join(5)
        os.close(r)
    assert [f.line for f in result.findings if f.code == "VN111"] == [line]


def test_named_fifo_is_refused_not_waited_for(tmp_path, run_vnlint):
    """A named pipe (even named explicitly, as a shell glob would) with no writer: exit 2, no hang."""
    os.mkfifo(tmp_path / "notice.txt")
    proc = run_vnlint(tmp_path / "notice.txt", "--model", "none", timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr_text
    assert proc.stderr_text.strip().splitlines() == [
        f"vnlint: error: {tmp_path / 'notice.txt'}: not a regular file (FIFO, socket or device); not read"
    ]


# ------------------------------------------------------------------ unreadable: exit 2


def test_unreadable_paths_exit_2_and_the_rest_is_linted(notice_text, tmp_path, run_vnlint):
    """Nonexistent path, dangling symlink, symlink loop, FIFO in a directory: one error line each,
    exit 2, no hang, and the notice beside them is still linted."""
    d = tmp_path / "mixed"
    d.mkdir()
    bad, line = defective(notice_text)
    (d / "notice.txt").write_text(bad, encoding="utf-8")
    os.symlink("gone.txt", d / "dangling.txt")
    os.symlink("loop_b.txt", d / "loop_a.txt")
    os.symlink("loop_a.txt", d / "loop_b.txt")
    os.mkfifo(d / "fifo.txt")  # no writer: opening it would block forever
    proc = run_vnlint(d, tmp_path / "nosuch.txt", "--format", "json", "--model", "none", timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr_text
    errors = [ln for ln in proc.stderr_text.splitlines() if ln.strip()]
    assert all(ln.startswith("vnlint: error: ") for ln in errors), errors
    for name in ("dangling.txt", "loop_a.txt", "loop_b.txt", "fifo.txt", "nosuch.txt"):
        assert sum(name in ln for ln in errors) == 1, (name, errors)
    assert len(errors) == 5
    data = proc.json()
    assert [(os.path.basename(f["path"]), f["line"]) for f in data["findings"] if f["code"] == "VN111"] == [
        ("notice.txt", line)
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_chmod_000_file(notice_text, tmp_path, run_vnlint):
    p = tmp_path / "locked.txt"
    p.write_text(notice_text, encoding="utf-8")
    p.chmod(0)
    try:
        proc = run_vnlint(p, "--format", "json", "--model", "none")
    finally:
        p.chmod(0o644)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr_text
    assert proc.stderr_text.strip().splitlines() == [f"vnlint: error: {p}: cannot read: Permission denied"]


def test_pair_with_a_bad_side(corpus, run_vnlint):
    base, _ = corpus
    c = base / "corpus"
    proc = run_vnlint("pair", c / "image.txt", c / "french_only.txt", "--format", "json", "--model", "none")
    assert [f["code"] for f in assert_clean_run(proc, rcs=(1,))["findings"]] == ["VN100"]
    proc = run_vnlint("pair", c / "english_only.txt", c / "nosuch.txt", "--format", "json", "--model", "none")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr_text
    assert len(proc.stderr_text.strip().splitlines()) == 1


# ------------------------------------------------------------------- inputs are never written


def test_lint_never_writes_its_inputs(corpus, tmp_path, run_vnlint):
    base, _ = corpus
    c = base / "corpus"

    def snapshot():
        out = {}
        for p in sorted(c.rglob("*.txt")):
            if p.is_symlink() or not p.is_file():
                continue
            st = p.stat()
            h = hashlib.sha256()
            with open(p, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            out[str(p)] = (h.hexdigest(), st.st_mtime_ns, st.st_size)
        return out

    before = snapshot()
    names = sorted(p.name for p in c.rglob("*"))
    proc = run_vnlint(
        c, "--format", "json", "--model", "none", "--statistics", "--write-baseline", tmp_path / "baseline.json"
    )
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr_text
    assert snapshot() == before
    assert sorted(p.name for p in c.rglob("*")) == names  # nothing created beside the inputs


# ------------------------------------------------------------------------ the embedding cache


def _cache_files(cache: Path):
    from vnlint.embed import _unpack

    vecs = sorted(cache.rglob("*.vec"))
    bad = [p for p in vecs if _unpack(p.read_bytes(), None) is None]
    leftovers = [p for p in cache.rglob("*") if p.name.startswith(".tmp-")]
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in cache.rglob("meta.json")]
    return vecs, bad, leftovers, metas


def test_cache_four_processes_at_once_then_corrupted(notice_text, tmp_path):
    """Four CLI processes write the same cache at once: every entry is whole, the four reports are
    identical. Then a truncated and a bit-flipped entry are ignored, recomputed and rewritten; and a
    cache directory that cannot be created leaves the report unchanged."""
    from vnlint.embed import _unpack

    notice = tmp_path / "notice.txt"
    notice.write_text(defective(notice_text)[0], encoding="utf-8")
    cache = tmp_path / "cache"
    env = dict(os.environ, VNLINT_CACHE_DIR=str(cache), VNLINT_THREADS="1")
    cmd = [sys.executable, "-m", "vnlint.cli", str(notice), "--format", "json", "--select", "semantic,VN111"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path) for _ in range(4)
    ]
    outs = [p.communicate(timeout=170) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode in (0, 1) and b"Traceback" not in err, err.decode()
    assert len({out for out, _ in outs}) == 1, "concurrent runs disagree"
    report = outs[0][0]
    assert json.loads(report)["findings"]
    vecs, bad, leftovers, metas = _cache_files(cache)
    assert vecs and not bad and not leftovers
    assert metas and all(m["dim"] == 512 for m in metas)

    # Corrupt two entries: one cut short, one with a flipped payload byte (CRC mismatch).
    cut, flipped = vecs[0], vecs[-1]
    before = _unpack(cut.read_bytes(), None), _unpack(flipped.read_bytes(), None)
    cut.write_bytes(cut.read_bytes()[:7])
    data = bytearray(flipped.read_bytes())
    data[20] ^= 0xFF
    flipped.write_bytes(bytes(data))
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=tmp_path, timeout=170)
    assert b"Traceback" not in proc.stderr and proc.stdout == report
    after = _unpack(cut.read_bytes(), None), _unpack(flipped.read_bytes(), None)
    assert all(a is not None for a in after), "corrupt cache entries were not rewritten"
    for b, a in zip(before, after):
        assert np.allclose(a, b, atol=1e-5)
    assert not _cache_files(cache)[1]

    # A cache location that cannot be created (a file stands in the way): memory only, same report.
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    proc = subprocess.run(
        cmd, capture_output=True, env=dict(env, VNLINT_CACHE_DIR=str(blocker / "sub")), cwd=tmp_path, timeout=170
    )
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, proc.stderr.decode()
    assert proc.stdout == report and blocker.read_text() == "x"


# ------------------------------------------------------------------- reports never clobber notices


def test_report_never_overwrites_a_notice(notice_text, tmp_path, run_vnlint):
    d = tmp_path / "notices"
    d.mkdir()
    a, b = d / "a.txt", d / "b.txt"
    a.write_text(notice_text, encoding="utf-8")
    b.write_text(notice_text, encoding="utf-8")
    for args in ([a, "-o", a], [d, "-o", b], [a, "--write-baseline", a], ["pair", a, b, "-o", b]):
        proc = run_vnlint(*args, "--model", "none")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr_text
        assert "refusing to overwrite" in proc.stderr_text and len(proc.stderr_text.splitlines()) == 1
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8") == notice_text
    # Unwritable destinations: one error line, not a traceback.
    for opt in ("-o", "--write-baseline"):
        proc = run_vnlint(a, "--model", "none", opt, tmp_path / "no" / "such" / "dir.json")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr_text
        assert proc.stderr_text.strip().splitlines()[-1].startswith("vnlint: error: ")


@pytest.mark.parametrize("fmt", ["json", "text", "junit", "sarif", "github", "html"])
def test_file_name_not_utf8(notice_text, tmp_path, run_vnlint, fmt):
    """A file name with a byte that is not UTF-8 is linted, and every report can be written."""
    d = tmp_path / "names"
    d.mkdir(exist_ok=True)
    name = os.fsdecode(b"caf\xe9.txt")
    with open(os.path.join(os.fsencode(d), b"caf\xe9.txt"), "wb") as fh:
        fh.write(defective(notice_text)[0].encode())
    proc = run_vnlint(d, "--format", fmt, "--model", "none", env={"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr_text, proc.stderr_text[-1500:]
    proc.stdout.decode("utf-8")  # valid UTF-8
    if fmt == "json":
        assert {f["path"] for f in proc.json()["findings"]} == {str(d / "caf\ufffd.txt")}
    assert name != "caf\ufffd.txt"


def test_french_half_cut_after_its_header(notice_text, tmp_path, run_vnlint):
    """A translator pasted only the French header (and a duplicated English paragraph): the
    default model runs on a notice whose FR half has no content. No internal error."""
    para = "The incumbent coordinates three technicians and manages a budget of 250,000 euros per year."
    text = notice_text[: notice_text.index("1. RÉSUMÉ")].replace(para, para + "\n\n" + para)
    (tmp_path / "cut.txt").write_text(text, encoding="utf-8")
    proc = run_vnlint(tmp_path / "cut.txt", "--format", "json")
    data = assert_clean_run(proc, rcs=(1,))
    assert data["findings"]
