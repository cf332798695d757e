"""Record a cassette: audit an example article with linkcheck's own machinery,
its cited sites answered by fixture pages (tests/fixtures/sites/NAME) served
on 127.0.0.1 under their real URLs. The cassette is what a live capture writes,
labelled as a reconstruction in its warcinfo record. The archives' answers
(the default Memento archives, asked for the dead links) come from the same
fixture folder, so a replay of the cassette answers them offline.

    python scripts/record_cassette.py nato-grushko
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkcheck.config import KEYS  # noqa: E402
from linkcheck.mend.step import MendOptions  # noqa: E402
from linkcheck.pipeline import AuditOptions, run_audit  # noqa: E402
from linkcheck.resolve.settings import ResolveSettings  # noqa: E402
from tests.support.routing import RoutingTransport  # noqa: E402
from tests.support.sites import SITES, SiteServer  # noqa: E402


def record(name: str) -> Path:
    about = json.loads((SITES / name / "routes.json").read_text(encoding="utf-8"))["about"]
    article = ROOT / "examples" / f"{name}.txt"
    cassette = ROOT / "cassettes" / f"{name}.warc.gz"
    archives = list(KEYS["archives"].default)
    with SiteServer(name) as server:
        options = AuditOptions(
            settings=ResolveSettings(retries=0, timeout=10),
            warc=cassette, transport=RoutingTransport(server.base),
            mend=MendOptions(archives=archives, per_minute=0,
                             transport=RoutingTransport(server.base)),
            warc_info={"description": f"RECONSTRUCTION, not a capture of the live web. {about}",
                       "command": f"scripts/record_cassette.py {name}", "archives": archives})
        report = asyncio.run(run_audit([str(article.relative_to(ROOT))], options))
    for res in report.articles[0].links.values():
        print(f"{res.outcome.value:<10} {res.status or '':<4} {res.url}")
        if res.archived or res.archive_note:
            print(f"{'':<15} archived: {res.archived.url if res.archived else res.archive_note}")
        for c in res.candidates:
            print(f"{'':<15} candidate: {c.url} ({c.why})")
    return cassette


if __name__ == "__main__":
    print("wrote", record(sys.argv[1] if len(sys.argv) > 1 else "nato-grushko"))
