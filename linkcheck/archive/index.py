"""The CDXJ index of a snapshot, in the format of cdxj-indexer (which makes
it): `SURT TIMESTAMP {json}` lines, sorted, the key replay tools look URLs up
by. We call cdxj-indexer rather than compute SURT keys ourselves, so pywb and
ReplayWeb.page find exactly what they expect."""

from __future__ import annotations

import io
from pathlib import Path

# Our metadata (verdict) records are JSON about a page, not the page: never replayed.
INDEXED_RECORDS = "response,revisit,resource"


def cdxj_lines(warc: str | Path, filename: str | None = None) -> str:
    """The sorted CDXJ text for one WARC; `filename` is how entries name it."""
    from cdxj_indexer.main import CDXJIndexer

    out = io.StringIO()
    CDXJIndexer(out, [str(warc)], sort=True, post_append=True, records=INDEXED_RECORDS,
                filename=filename or Path(warc).name).process_all()
    return out.getvalue()


def index_path(warc: str | Path, suffix: str = ".cdxj") -> Path:
    """x.warc.gz -> x.cdxj, beside it."""
    warc = Path(warc)
    name = warc.name
    for ext in (".warc.gz", ".warc", ".gz"):
        if name.endswith(ext):
            name = name[: -len(ext)]
            break
    return warc.with_name(name + suffix)


def write_index(warc: str | Path) -> Path:
    path = index_path(warc)
    path.write_text(cdxj_lines(warc), encoding="utf-8")
    return path
