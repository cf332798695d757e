"""The catalogue store's schema, as numbered migrations.

A store records the version it is at in `schema_version`; opening it applies
the migrations it has not had yet, each in one transaction. A migration is
never edited once released: a change is a new entry at the end.

Tables (version 2):

- `articles`: one row per article. `url` is the article's URL or file path;
  `published` (ISO date) and `published_source` say when it appeared and how
  we know (`news:publication_date`, `sitemap:lastmod`, `feed`, `list`,
  `article metadata`); `extracted_at` is set when its citations are stored,
  `audited_at` when its findings are; `error` says why it could not be read.
  `body` is the article's text (zlib), `kind` txt|md|html, `base_url`.
- `links`: one row per distinct cited URL (`url`), with its normalised form
  (`normalised`), `host`, registrable `domain`, `shard_key` (a 31-bit hash of the domain: every link
  of a domain lands in the same host shard) and `first_seen`.
- `citations`: one row per occurrence of a URL in an article (`ord` is its
  position), pointing at `links` (NULL for skipped or invalid URLs).
- `checks`: one row per check of a link: `checked_at`, `outcome`, `status`,
  `final_url`, `page_date`, `title`, `error`, `content_digest` (of the page's
  main text, when extracted), `warc` and `warc_offset` (the snapshot record of
  the final answer), `resolution` (the whole resolution, JSON) and `run_id`.
- `findings`: the rules' findings per article (`evidence` is JSON).
- `runs`: one row per audit or monitor run (`kind`, `started_at`, `finished_at`).
- `link_state` (2): the monitor's view of each link: `state`
  live|failing|dead, `redirected_to`, `failures` in a row, `first_failure_at`,
  `last_failure_at`, `since` (when the state began), `drifted`, `next_due`.
- `baselines` (2): a link's first extracted main text, for content drift.
- `changes` (2): what each monitor run found changed: `change`
  dead|recovered|redirected|drifted, `since`, per link.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, links, citations, checks, findings, runs
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        source TEXT,
        published TEXT,
        published_source TEXT,
        title TEXT,
        added_at TEXT NOT NULL,
        extracted_at TEXT,
        audited_at TEXT,
        error TEXT,
        kind TEXT,
        base_url TEXT,
        body BLOB
    );
    CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        normalised TEXT NOT NULL,
        host TEXT NOT NULL,
        domain TEXT NOT NULL,
        shard_key INTEGER NOT NULL,
        first_seen TEXT NOT NULL
    );
    CREATE INDEX links_domain ON links(domain);
    CREATE TABLE citations (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        ord INTEGER NOT NULL,
        link_id INTEGER REFERENCES links(id),
        url TEXT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        skipped TEXT,
        invalid TEXT,
        PRIMARY KEY (article_id, ord)
    );
    CREATE INDEX citations_link ON citations(link_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES links(id),
        run_id INTEGER REFERENCES runs(id),
        checked_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        final_url TEXT,
        page_date TEXT,
        title TEXT,
        error TEXT,
        content_digest TEXT,
        warc TEXT,
        warc_offset INTEGER,
        resolution TEXT NOT NULL
    );
    CREATE INDEX checks_link ON checks(link_id, checked_at);
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        url TEXT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX findings_article ON findings(article_id);
    """,
    # 2: the monitor's state per link, content baselines, and each run's changes
    """
    CREATE TABLE link_state (
        link_id INTEGER PRIMARY KEY REFERENCES links(id),
        state TEXT NOT NULL,
        redirected_to TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        first_failure_at TEXT,
        last_failure_at TEXT,
        since TEXT NOT NULL,
        drifted INTEGER NOT NULL DEFAULT 0,
        next_due TEXT NOT NULL
    );
    CREATE INDEX link_state_due ON link_state(next_due);
    CREATE TABLE baselines (
        link_id INTEGER PRIMARY KEY REFERENCES links(id),
        checked_at TEXT NOT NULL,
        digest TEXT NOT NULL,
        text BLOB NOT NULL
    );
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        link_id INTEGER NOT NULL REFERENCES links(id),
        change TEXT NOT NULL,
        since TEXT NOT NULL,
        detail TEXT
    );
    CREATE INDEX changes_run ON changes(run_id);
    """,
]

VERSION = len(MIGRATIONS)
