"""Platform identifiers made the way the platforms make them, deterministically from counters and hashes.

X ids are snowflakes (milliseconds since the Twitter epoch, shifted left 22 bits); Bluesky record keys are
TIDs (microseconds and a clock id in sortable base32); DIDs and CIDs are base32 strings of hashed counters.

>>> snowflake(1_751_468_400_000, 5)
1940425226449846277
>>> snowflake_time_ms(1940425226449846277)
1751468400000
>>> tid(1_751_468_400_000_000, 7)
'3lsyi3x4j222b'
>>> len(did_plc(mix64(1, 2))), did_plc(mix64(1, 2))[:8]
(32, 'did:plc:')
>>> tco(mix64(3))[:13]
'https://t.co/'
"""

from __future__ import annotations

MASK64 = (1 << 64) - 1
TWITTER_EPOCH_MS = 1_288_834_974_657
B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"
B32 = "abcdefghijklmnopqrstuvwxyz234567"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def mix64(*parts: int) -> int:
    """A splitmix64 hash of integers: stable across runs and machines, unlike ``hash()``."""
    z = 0x9E3779B97F4A7C15
    for p in parts:
        z = (z ^ (p & MASK64)) + 0x9E3779B97F4A7C15 & MASK64
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & MASK64
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & MASK64
        z ^= z >> 31
    return z


def snowflake(t_ms: int, seq: int) -> int:
    """An X snowflake id for a time in Unix milliseconds; ``seq`` fills the 22 low bits."""
    return ((t_ms - TWITTER_EPOCH_MS) << 22) | (seq & 0x3FFFFF)


def snowflake_time_ms(sid: int) -> int:
    """The Unix milliseconds a snowflake id was minted at."""
    return (sid >> 22) + TWITTER_EPOCH_MS


def _encode(value: int, alphabet: str, width: int) -> str:
    base = len(alphabet)
    out = []
    for _ in range(width):
        value, r = divmod(value, base)
        out.append(alphabet[r])
    return "".join(reversed(out))


def tid(t_us: int, clock: int) -> str:
    """An atproto TID: 53 bits of microseconds and 10 bits of clock id, 13 sortable base32 characters."""
    return _encode(((t_us & ((1 << 53) - 1)) << 10) | (clock & 0x3FF), B32_SORT, 13)


def did_plc(h: int) -> str:
    """A ``did:plc`` identifier: 24 base32 characters (120 bits) drawn from a hash."""
    return "did:plc:" + _encode((h << 56) ^ mix64(h, 1), B32, 24)


def cid(h: int) -> str:
    """A CIDv1 (dag-cbor, sha2-256) in base32 as atproto writes it: ``bafyrei`` and 52 characters."""
    body = (mix64(h, 1) << 192) | (mix64(h, 2) << 128) | (mix64(h, 3) << 64) | mix64(h, 4)
    return "bafyrei" + _encode(body, B32, 52)


def blob_cid(h: int) -> str:
    """A raw-codec CID of an image blob: ``bafkrei`` and 52 characters."""
    return "bafkrei" + cid(h)[7:]


def tco(h: int) -> str:
    """A t.co short link: 10 base62 characters."""
    return "https://t.co/" + _encode(h, B62, 10)


def token(h: int, width: int = 12, alphabet: str = B62) -> str:
    """A short opaque token (profile image keys, next_token values, article ids)."""
    return _encode(mix64(h, 7) << 64 | mix64(h, 8), alphabet, width)
