"""coordination-network-toolkit's ``co_similar_tweet`` over Kagami's store, for the peer cross-check.

The toolkit (1.5.2, MIT licence) links user 1 to user 2 with a DIRECTED weight: the number of distinct
messages of user 1 (not reposts) whose word-token set has a Jaccard similarity of at least ``threshold``
with that of some message of user 2 within ``window`` seconds (inclusive, symmetric). Its CLI also drops
messages of fewer than ``--min_document_size_similarity`` tokens (1 by default). The toolkit compares
every pair of messages in the window with a Python function; here the pairs worth comparing come from
prefix filtering in SQL (``sql/cnt_similar.sql``), and the similarity of each is then computed exactly.

Tokens follow its ``similarity.tokenize``: lower-case, delete each "@" up to the next white space, split
at Unicode word boundaries with the ``regex`` module, keep the distinct pieces that are not white space.
Texts of printable ASCII (the apostrophe aside) and common Japanese (hiragana, katakana, kanji, Japanese
punctuation) are tokenised in SQL by an equivalent pattern; every other text goes through
:func:`toolkit_tokens`, the toolkit's own code, so the token sets are the toolkit's for every script
(``tests/detect/test_cnt_similar.py`` holds the SQL reading to it on random texts).

Deliberate difference: two messages with no token at all are never similar (with
``--min_document_size_similarity 0`` the toolkit divides by zero on them and stops); self-matches are
never edges, as in its export.
"""

from __future__ import annotations

import pyarrow as pa
import regex

from kagami.detect.sqlfiles import drop, sections
from kagami.store import Store
from kagami.store.sqlfiles import run_script, stage

# The toolkit's ``similarity.word_tokenizer`` and ``similarity.social_media_cleaner``, verbatim.
_WORD_SPLIT = regex.compile(r"\b\p{Word_Break=WSegSpace}*'?", flags=regex.WORD | regex.UNICODE | regex.V1)
_MENTION = regex.compile(r"@.*?(?=(?:\s|$))")

#: Staging tables dropped after each run.
TEMP = ("_sim_docs", "_sim_other", "_sim_tok", "_sim_ids", "_sim_pre", "_sim_pairs")

_OTHER = pa.schema([("item", pa.int64()), ("toks", pa.list_(pa.string()))])


def toolkit_tokens(text: str) -> list[str]:
    """The token set the toolkit compares for ``text``, sorted.

    Its ``tokenize`` joins the distinct tokens with " " and its similarity splits them again on white
    space, so a token that is white space is no token, and the set is that of the pieces.

    >>> toolkit_tokens("@bob Hello, hello world! e.g. 1,000")
    ['!', ',', '.', '1,000', 'e.g', 'hello', 'world']
    """
    words = {t for t in _WORD_SPLIT.split(_MENTION.sub("", text.lower())) if t}
    return sorted(set(" ".join(words).split()))


def similar_edges(
    store: Store, window_us: int, width_us: int, min_weight: int, threshold: float, min_tokens: float
) -> None:
    """Write the directed co_similar_tweet edges (user_1, user_2, weight) to the temp table ``_cnt_edges``.

    ``width_us`` is the band join's bucket width (at least the window); ``threshold`` must lie in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"similarity threshold must lie in (0, 1], not {threshold}")
    sql = sections("cnt_similar.sql")
    params = {
        "w_us": window_us,
        "width": width_us,
        "min_weight": min_weight,
        "threshold": float(threshold),
        "min_tokens": float(min_tokens),
    }
    con = store.con
    try:
        run_script(con, sql["docs"], params)
        rows = con.execute("SELECT item, other FROM _sim_docs WHERE other IS NOT NULL").fetchall()
        other = pa.table(
            {"item": [item for item, _ in rows], "toks": [toolkit_tokens(text) for _, text in rows]},
            schema=_OTHER,
        )
        stage(con, "_sim_other", other)
        for step in ("sets", "pairs", "edges"):
            run_script(con, sql[step], params)
    finally:
        drop(con, TEMP)
