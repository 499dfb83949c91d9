r"""Raw payloads as the store keeps them: the exact bytes, a long one packed as a Zstandard frame of them.

A raw payload is evidence (its sha256 is what findings cite), so it is kept byte-exact; how it is kept on
disk is a separate matter. X pages are large and repetitive (a 1M-post twarc2 file is 1.5 GB of pages, a
page ~150 KB): passing them uncompressed through DuckDB's write-ahead log and then its checkpoint cost a
third of the ingest. A payload of :data:`PACK_MIN` bytes or more is therefore stored as a Zstandard frame
(``encoding = 'zstd'``, about 9× smaller for X pages) when that is smaller; short ones (a Jetstream event)
are stored as they came (``encoding`` NULL). ``size`` and ``sha256`` always describe the bytes as they
came, and :func:`unpack` checks both.

Compression is Arrow's own Zstandard codec (pyarrow is already a dependency), at level 1: on X pages
level 3 packs no better (8.8× against 8.7×) and runs 17% slower.

>>> raw = b'{"data": [' + b'{"id": "1", "text": "same text"}, ' * 100 + b"{}]}"
>>> payload, encoding = pack(raw)
>>> encoding, len(payload) < len(raw)
('zstd', True)
>>> unpack(payload, encoding, len(raw)) == raw
True
>>> pack(b'{"short": 1}')
(b'{"short": 1}', None)
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

#: Payloads at least this long are packed (when packing makes them smaller).
PACK_MIN = 1024
#: The one packing so far; NULL means the bytes as they came.
ZSTD = "zstd"
_CODEC = pa.Codec("zstd", compression_level=1)


def pack(raw: bytes | memoryview) -> tuple[bytes, str | None]:
    """The bytes to store for a payload and their encoding (None: ``raw`` itself)."""
    if len(raw) >= PACK_MIN:
        packed = _CODEC.compress(raw, asbytes=True)
        if len(packed) < len(raw):
            return packed, ZSTD
    return bytes(raw), None


def unpack(payload: bytes, encoding: str | None, size: int, sha256: str | None = None) -> bytes:
    """The payload's bytes as they came; checked against its size and, given one, its sha256.

    >>> unpack(b"abc", None, 3, hashlib.sha256(b"abc").hexdigest())
    b'abc'
    >>> unpack(b"abc", None, 3, "0" * 64)
    Traceback (most recent call last):
    ...
    ValueError: raw payload 000000000000… does not match its sha256: the store is damaged
    """
    if encoding is None:
        raw = bytes(payload)
    elif encoding == ZSTD:
        try:
            raw = _CODEC.decompress(payload, decompressed_size=size, asbytes=True)
        except (OSError, pa.ArrowException) as exc:
            raise ValueError(f"raw payload does not unpack ({exc}): the store is damaged") from exc
    else:
        raise ValueError(f"unknown raw payload encoding {encoding!r}: a newer Kagami wrote this store")
    if len(raw) != size:
        raise ValueError(f"raw payload of {len(raw)} bytes where {size} were stored: the store is damaged")
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError(f"raw payload {sha256[:12]}… does not match its sha256: the store is damaged")
    return raw


def packed_column(body: bytes, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """``pack(body[starts[i]:ends[i]])`` for each line long enough to pack, NULL for the others (stored as
    they came). Runs in the bulk readers' worker thread; the codec releases the GIL.

    >>> long = b"x" * 2000
    >>> col = packed_column(b"short|" + long, np.array([0, 6]), np.array([5, 2006]))
    >>> col[0].as_py() is None, unpack(col[1].as_py(), ZSTD, 2000) == long
    (True, True)
    """
    view = memoryview(body)
    out: list[bytes | None] = [None] * len(starts)
    for i in np.flatnonzero((ends - starts) >= PACK_MIN).tolist():
        payload, encoding = pack(view[int(starts[i]) : int(ends[i])])
        if encoding is not None:
            out[i] = payload
    return pa.array(out, pa.binary())
