"""One `metadata` record per link: its verdict and findings as JSON, pointing
with WARC-Refers-To at the response that verdict rests on (the final hop), so
the snapshot carries its own reading of the evidence."""

from __future__ import annotations

from linkcheck import __version__
from linkcheck.archive.writer import WarcSnapshot
from linkcheck.model import ArticleReport

# Not the link's own URL: replay tools (pywb, ReplayWeb.page) index metadata
# records by WARC-Target-URI and could serve this JSON in place of the page.
# Browsertrix does the same with its urn:pageinfo: records.
VERDICT_PREFIX = "urn:linkcheck:verdict:"


def write_verdicts(snapshot: WarcSnapshot, reports: list[ArticleReport]) -> int:
    """Returns the number of records written."""
    from linkcheck.report.json import finding_dict, link_dict

    verdicts: dict[str, dict] = {}
    for ar in reports:
        at = {(c.line, c.column): c.url for c in ar.citations}
        for url, res in ar.links.items():
            v = verdicts.setdefault(url, {"linkcheck": __version__, "link": link_dict(res),
                                          "articles": [], "findings": []})
            v["articles"].append(ar.article.path)
        for f in ar.findings:
            url = at.get((f.line, f.column), f.url)
            if url in verdicts:
                verdicts[url]["findings"].append({**finding_dict(f), "article": ar.article.path})
    for url, verdict in verdicts.items():
        link = verdict["link"]
        final = link["final_url"] or url
        verdict["response_record"] = snapshot.response_ids.get(final)
        verdict["captured"] = snapshot.captured.get(final)
        snapshot.write_metadata(VERDICT_PREFIX + url, verdict,
                                refers_to=snapshot.response_ids.get(final))
    return len(verdicts)
