"""Candidate pairs for near-duplicate texts: MinHash signatures (``rensa``'s R-MinHash) cut into LSH bands.

Input: each document's distinct hashed character n-grams, flattened, and uint64 row offsets (rensa's).
Output (:func:`candidate_pairs`): the document pairs that share an LSH band key, with how many bands
brought them together; they are then verified by their real Jaccard similarity, so a false candidate
costs time, never precision.

Signatures are computed by rensa a small block of documents at a time and brought into numpy (rensa
hands them out as Python lists only) to compute every document's band keys: a band's ``rows`` values
combined by a fixed odd-multiplier hash (a collision only adds a candidate to verify). A document whose
keys are all its own meets no other in any bucket. (Asking rensa first which documents share a band
cost more than it saved: nearly every document of a copy-paste campaign's feed shares one.)

Pairs are formed in numpy, band by band: documents with one band key form a bucket, in document order;
each meets the bucket's first document and the ``bucket_window`` next ones (every pair when a bucket is
small, and work linear in the bucket when a template family fills one: components need a spanning
forest, not every pair).

With ``bands`` b and ``rows`` r = num_perm / b, two texts of Jaccard J become candidates with probability
1 - (1 - J^r)^b: for b = 32, r = 4 (the default) that is 0.87 at J = 0.5, 0.98 at 0.6, 0.9996 at 0.7,
0.23 at 0.3 and 0.003 at 0.1.

>>> values = np.array([1, 2, 3, 4, 1, 2, 3, 5, 7, 8, 9, 10], dtype=np.uint64)
>>> keys = band_keys(values, np.array([0, 4, 8, 12], dtype=np.uint64), num_perm=64, bands=32, seed=1)
>>> keys.shape
(3, 32)
>>> a, b, strength = candidate_pairs(np.arange(3), keys, bucket_window=1)
>>> a.tolist(), b.tolist(), bool(0 < strength[0] <= 32)
([0], [1], True)
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
from rensa import RMinHash

_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
     0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip
#: Documents whose signatures are converted together: small blocks keep the Python ints that rensa hands
#: out in cache and their memory reused (256 converts twice as fast as 20,000 on the 136k-post set).
BLOCK = 256


def flat_grams(grams: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The n-gram hashes of every document, concatenated, and the row offsets (int64, from 0)."""
    if isinstance(grams, pa.ChunkedArray):
        grams = grams.combine_chunks()
    assert isinstance(grams, pa.ListArray | pa.LargeListArray)
    offsets = grams.offsets.to_numpy().astype(np.int64)
    values = grams.values.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False)
    return values[offsets[0] : offsets[-1]], offsets - offsets[0]


def band_keys(values: np.ndarray, offsets: np.ndarray, num_perm: int, bands: int, seed: int) -> np.ndarray:
    """Every document's band keys, (documents, bands), computed per block: a small block's lists converted
    at once are faster and smaller than the whole matrix's."""
    if num_perm % bands or bands < 1:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
    rows = num_perm // bands
    if rows > len(_MULT):
        raise ValueError(f"at most {len(_MULT)} signature values per band, not {rows}")
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
        flat = itertools.chain.from_iterable(block.to_rows())
        sig = np.fromiter(flat, dtype=np.uint32, count=(end - start) * num_perm)
        keys[start:end] = (sig.reshape(end - start, bands, rows).astype(np.uint64) * _MULT[:rows]).sum(
            axis=2, dtype=np.uint64
        )  # wraps by design
    return keys


def _bucket_pairs(docs: np.ndarray, keys: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """One band's pairs: in each bucket (one key; documents ascending, as a stable sort of ascending
    ``docs`` keeps them), every document after the first meets the first one and the ``window`` next."""
    order = np.argsort(keys, kind="stable")
    ordered, doc = keys[order], docs[order]
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    bucket = np.cumsum(starts) - 1
    later = np.flatnonzero(~starts)
    a = [doc[np.flatnonzero(starts)[bucket[later]]]]
    b = [doc[later]]
    for step in range(1, window + 1):
        i = later[later + step < len(ordered)]
        i = i[bucket[i + step] == bucket[i]]
        a.append(doc[i])
        b.append(doc[i + step])
    return np.concatenate(a), np.concatenate(b)


def candidate_pairs(
    docs: np.ndarray, keys: np.ndarray, bucket_window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a < b, ascending) of documents that share a band key and ``strength``, the number of bands
    that brought them together (verification checks strong pairs first). ``docs``: the ascending ids of
    the rows of ``keys``."""
    pairs = [_bucket_pairs(docs, keys[:, band], bucket_window) for band in range(keys.shape[1])]
    size = int(docs.max(initial=0)) + 1
    code, strength = np.unique(np.concatenate([a * size + b for a, b in pairs]), return_counts=True)
    return code // size, code % size, strength.astype(np.int64)
