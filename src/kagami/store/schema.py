"""The store's schema, as an ordered list of migrations.

Evidence tables carry no PRIMARY KEY constraint: index maintenance made bulk loads several times slower.
Their keys (see ``Store.KEYS``) are kept unique by the loader, which inserts only keys not yet stored and
replaces a stored row only with a better copy; tests hold it to that.

Each migration is plain DDL; ``Store`` applies the ones a database has not seen and records the version in
``meta``. Columns use types that Spark SQL and Parquet share (VARCHAR, BIGINT, TIMESTAMPTZ, BOOLEAN,
lists and structs), so the same tables can be exported and analysed on a distributed engine.
"""

from __future__ import annotations

PROVENANCE = """
    source_file VARCHAR, file_sha256 VARCHAR, line BIGINT, raw_sha256 VARCHAR, raw_path VARCHAR,
    retrieved_at TIMESTAMPTZ, reader VARCHAR, reader_version VARCHAR
"""

LINK = 'STRUCT(url VARCHAR, expanded VARCHAR, normalized VARCHAR, domain VARCHAR, start BIGINT, "end" BIGINT)'
MENTION = 'STRUCT(handle VARCHAR, id VARCHAR, start BIGINT, "end" BIGINT)'
MEDIA = "STRUCT(url VARCHAR, kind VARCHAR, key VARCHAR, hash VARCHAR)"

ACCOUNT_FIELDS = """
    handle VARCHAR, display_name VARCHAR, created_at TIMESTAMPTZ, description VARCHAR, location VARCHAR,
    url VARCHAR, avatar_url VARCHAR, default_avatar BOOLEAN, verified BOOLEAN, protected BOOLEAN,
    followers BIGINT, following BIGINT, posts_count BIGINT, bot BOOLEAN
"""

V1 = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE sources (
    file_sha256 VARCHAR PRIMARY KEY, path VARCHAR, size BIGINT, format VARCHAR, reader_version VARCHAR,
    status VARCHAR, lines BIGINT, posts BIGINT, accounts BIGINT, actions BIGINT, quarantined BIGINT,
    first_ingested_at TIMESTAMPTZ, completed_at TIMESTAMPTZ
);

CREATE TABLE raw_payloads (sha256 VARCHAR, size BIGINT, payload BLOB);

CREATE TABLE posts (
    uid VARCHAR, platform VARCHAR, id VARCHAR, author_uid VARCHAR, created_at TIMESTAMPTZ,
    text VARCHAR, lang VARCHAR, kind VARCHAR, ref_uid VARCHAR, ref_author_uid VARCHAR,
    reply_to_uid VARCHAR, reply_to_author_uid VARCHAR, quote_of_uid VARCHAR, conversation_id VARCHAR,
    links {LINK}[], hashtags VARCHAR[], mentions {MENTION}[], media {MEDIA}[],
    like_count BIGINT, repost_count BIGINT, reply_count BIGINT, quote_count BIGINT, view_count BIGINT,
    source VARCHAR, edit_ids VARCHAR[], withheld_in VARCHAR[], url VARCHAR, is_primary BOOLEAN,
    {PROVENANCE}
);

CREATE TABLE account_observations (
    uid VARCHAR, platform VARCHAR, id VARCHAR, {ACCOUNT_FIELDS}, observed_at TIMESTAMPTZ, {PROVENANCE}
);

CREATE TABLE accounts (
    uid VARCHAR, platform VARCHAR, id VARCHAR, {ACCOUNT_FIELDS},
    first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, observations BIGINT, raw_sha256 VARCHAR, raw_path VARCHAR
);

CREATE TABLE actions (
    uid VARCHAR, platform VARCHAR, id VARCHAR, kind VARCHAR, actor_uid VARCHAR,
    target_uid VARCHAR, target_kind VARCHAR, created_at TIMESTAMPTZ, detail VARCHAR, {PROVENANCE}
);

CREATE TABLE quarantine (
    file_sha256 VARCHAR, line BIGINT, raw_path VARCHAR, source_file VARCHAR, reader VARCHAR,
    reason VARCHAR, raw BLOB
);

CREATE TABLE ingest_runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, files BIGINT,
    posts BIGINT, accounts BIGINT, actions BIGINT, quarantined BIGINT, duplicates BIGINT, elapsed_s DOUBLE
);

CREATE VIEW post_links AS
    SELECT uid AS post_uid, author_uid, created_at, l.url, l.expanded, l.normalized, l.domain
    FROM (SELECT uid, author_uid, created_at, unnest(links) AS l FROM posts);
CREATE VIEW post_hashtags AS
    SELECT uid AS post_uid, author_uid, created_at, lower(tag) AS tag
    FROM (SELECT uid, author_uid, created_at, unnest(hashtags) AS tag FROM posts);
"""  # noqa: S608 - DDL built from constants only

#: Raw payloads of 1 KB or more are kept packed (``kagami.store.payloads``): ``encoding`` says how ('zstd'),
#: NULL for the bytes as they came, which every payload stored under version 1 is.
V2 = "ALTER TABLE raw_payloads ADD COLUMN encoding VARCHAR;"

#: Whether ``accounts`` has been rebuilt from a file's records since the file last wrote any: an ingest
#: rebuilds only the accounts those files name (NULL, as for every file stored before version 3: not yet).
V3 = "ALTER TABLE sources ADD COLUMN accounts_refreshed BOOLEAN;"

#: (version, DDL) in order; never edit a released migration, append a new one.
MIGRATIONS: list[tuple[int, str]] = [(1, V1), (2, V2), (3, V3)]

#: Tables that hold evidence and findings, in export order (``ingest_runs`` is a log, not evidence).
TABLES = (
    "sources",
    "raw_payloads",
    "posts",
    "account_observations",
    "accounts",
    "actions",
    "quarantine",
    "ingest_runs",
)

#: Derived tables the detectors and the judgement write (rebuilt by every ``kagami analyze``): exported on
#: request for review or a distributed engine, never imported (re-run the analysis instead).
FINDINGS = (
    "text_clusters",
    "text_cluster_members",
    "coaction_edges",
    "coaction_evidence",
    "coaction_evidence_rows",
    "coaction_evidence_events",
    "lockstep_groups",
    "lockstep_summary",
    "communities",
    "community_members",
    "automation_scores",
    "origin_timezone",
    "origin_language",
    "origin_links",
    "origin_link_accounts",
    "origin_groups",
    "amplification",
    "narratives",
    "narrative_members",
    "claims",
    "claim_matches",
    "assess_accounts",
    "assess_groups",
    "assess_verdicts",
)

SCHEMA_VERSION = MIGRATIONS[-1][0]
