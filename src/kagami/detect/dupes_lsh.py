"""Candidate pairs for near-duplicate texts: MinHash signatures (``rensa``'s R-MinHash) cut into LSH bands.

Input: each document's distinct hashed character n-grams, flattened (:func:`flat_grams` of one Arrow
list column in document order).
Output: one row per (document, band, band key) for the documents that share at least one band key with
another document; pairs are formed from these rows in SQL (``sql/dupes.sql``, section ``candidates``)
and then verified by their real Jaccard similarity, so a false candidate costs time, never precision.

Two passes keep Python-side work proportional to the documents that have any candidate: rensa flags, in
one native call over the whole signature matrix, the rows that share a band with another row; only
those rows' signatures are brought into numpy to compute their band keys (a band's ``rows`` values are
combined by a fixed odd-multiplier hash; a collision only adds a candidate to verify).

With ``bands`` b and ``rows`` r = num_perm / b, two texts of Jaccard J become candidates with probability
1 - (1 - J^r)^b: for b = 32, r = 4 (the default) that is 0.87 at J = 0.5, 0.98 at 0.6, 0.9996 at 0.7,
0.23 at 0.3 and 0.003 at 0.1.

>>> import pyarrow as pa
>>> grams = pa.array([[1, 2, 3, 4], [1, 2, 3, 5], [7, 8, 9, 10]], pa.list_(pa.uint64()))
>>> t = band_keys(*flat_grams(grams), num_perm=64, bands=32, seed=1)
>>> sorted(set(t.column("doc").to_pylist()))
[0, 1]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from rensa import RMinHash, RMinHashLSH

_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
     0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip
#: Documents whose signatures are converted together.
BLOCK = 20_000


def flat_grams(grams: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The n-gram hashes of every document, concatenated, and the row offsets (uint64)."""
    if isinstance(grams, pa.ChunkedArray):
        grams = grams.combine_chunks()
    assert isinstance(grams, pa.ListArray | pa.LargeListArray)
    offsets = grams.offsets.to_numpy().astype(np.uint64)
    values = grams.values.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False)
    base = offsets[0]
    return values[int(base) : int(offsets[-1])], offsets - base


def _subset(values: np.ndarray, offsets: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The flat hashes and offsets of the documents ``idx`` only."""
    starts = offsets[idx].astype(np.int64)
    lengths = (offsets[idx + 1] - offsets[idx]).astype(np.int64)
    sub_offsets = np.zeros(len(idx) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=sub_offsets[1:])
    positions = np.repeat(starts - sub_offsets[:-1].astype(np.int64), lengths) + np.arange(lengths.sum())
    return values[positions], sub_offsets


def _keys(values: np.ndarray, offsets: np.ndarray, num_perm: int, bands: int, seed: int) -> np.ndarray:
    """(documents, bands) band keys, computed per block: rensa hands signatures out as Python lists only,
    and a block's lists converted at once are faster and smaller than the whole matrix's."""
    rows = num_perm // bands
    docs = len(offsets) - 1
    keys = np.empty((docs, bands), dtype=np.uint64)
    for start in range(0, docs, BLOCK):
        end = min(docs, start + BLOCK)
        block = RMinHash.digest_matrix_from_flat_token_hashes(
            values[int(offsets[start]) : int(offsets[end])],
            offsets[start : end + 1] - offsets[start],
            num_perm,
            seed,
        )
        sig = np.array(block.to_rows(), dtype=np.uint32).reshape(end - start, bands, rows)
        keys[start:end] = (sig.astype(np.uint64) * _MULT[:rows]).sum(
            axis=2, dtype=np.uint64
        )  # wraps by design
    return keys


def band_keys(values: np.ndarray, offsets: np.ndarray, num_perm: int, bands: int, seed: int) -> pa.Table:
    """(doc, band, key) for every document that shares a band key with another document."""
    if num_perm % bands or bands < 1:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
    rows = num_perm // bands
    if rows > len(_MULT):
        raise ValueError(f"at most {len(_MULT)} signature values per band, not {rows}")
    empty = pa.table({"doc": pa.array([], pa.int64()), "band": pa.array([], pa.int32()),
                      "key": pa.array([], pa.uint64())})  # fmt: skip
    if len(offsets) < 3:
        return empty
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(values, offsets, num_perm, seed)
    flags = RMinHashLSH(0.5, num_perm, bands).query_duplicate_flags_matrix_one_shot(matrix)
    idx = np.flatnonzero(np.asarray(flags, dtype=bool))
    if len(idx) == 0:
        return empty
    keys = _keys(*_subset(values, offsets, idx), num_perm, bands, seed)
    return pa.table(
        {
            "doc": pa.array(np.repeat(idx.astype(np.int64), bands)),
            "band": pa.array(np.tile(np.arange(bands, dtype=np.int32), len(idx))),
            "key": pa.array(keys.reshape(-1)),
        }
    )
