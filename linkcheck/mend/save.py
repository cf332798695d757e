"""Save Page Now 2 (the Wayback Machine's capture API), for `fix --save`: ask
it to capture the live citations, one job at a time, polling each job to its
end. Needs the user's own keys in LINKCHECK_SPN_ACCESS_KEY and
LINKCHECK_SPN_SECRET_KEY; without them nothing is sent. The keys go in the
Authorization header only: never into a snapshot, cache or report.

Each request carries `if_not_archived_within`, so the archive skips a page it
captured recently; a 429 ends the run's saving at once."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from linkcheck.model import AuditReport

ENDPOINT = "https://web.archive.org"
ACCESS_ENV, SECRET_ENV = "LINKCHECK_SPN_ACCESS_KEY", "LINKCHECK_SPN_SECRET_KEY"
NOT_WITHIN = "30d"


def live_citations(report: AuditReport) -> list[str]:
    from linkcheck.urls.dates import ARCHIVE_HOSTS

    urls = []
    for ar in report.articles:
        for url, res in ar.links.items():
            host = (urlsplit(url).hostname or "").lower()
            if res.outcome.alive and not any(
                    host == h or host.endswith("." + h) for h in ARCHIVE_HOSTS):
                urls.append(res.final_url or url)
    return list(dict.fromkeys(urls))


async def save_uncaptured(report: AuditReport, options, *, endpoint: str = ENDPOINT,
                          env: Mapping[str, str] = os.environ,
                          transport: httpx.AsyncBaseTransport | None = None,
                          interval: float = 5.0, poll: float = 3.0,
                          max_wait: float = 120.0) -> list[str]:
    """Lines for the user: what was saved, skipped or refused."""
    access, secret = env.get(ACCESS_ENV, ""), env.get(SECRET_ENV, "")
    if not access or not secret:
        return [f"--save: no Save Page Now keys ({ACCESS_ENV}, {SECRET_ENV}); nothing was sent"]
    if options.replay:
        return ["--save: not with --replay (a replayed run stays offline); nothing was sent"]
    urls = live_citations(report)
    if not urls:
        return ["--save: no live citation to capture"]
    if transport is None:
        from linkcheck.resolve.transport import GuardedTransport

        transport = GuardedTransport(allow_private=options.settings.allow_private)
    headers = {"Authorization": f"LOW {access}:{secret}", "Accept": "application/json",
               "User-Agent": options.settings.user_agent}
    out: list[str] = []
    async with httpx.AsyncClient(transport=transport, trust_env=False, headers=headers,
                                 timeout=30) as client:
        for i, url in enumerate(urls):
            if i:
                await asyncio.sleep(interval)
            try:
                line, stop = await _save_one(client, endpoint, url, poll, max_wait)
            except httpx.HTTPError as exc:
                line, stop = f"--save {url}: failed ({type(exc).__name__})", False
            out.append(line)
            if stop:
                out.append("--save: Save Page Now asked us to slow down (429); stopped")
                break
    return out


async def _save_one(client: httpx.AsyncClient, endpoint: str, url: str, poll: float,
                    max_wait: float) -> tuple[str, bool]:
    resp = await client.post(f"{endpoint}/save",
                             data={"url": url, "if_not_archived_within": NOT_WITHIN})
    if resp.status_code == 429:
        return f"--save {url}: rate limited", True
    if resp.status_code in (401, 403):
        return f"--save {url}: refused ({resp.status_code}); check the keys", True
    try:
        job = resp.json()
    except ValueError:
        job = {}
    if resp.status_code != 200 or "job_id" not in job:
        why = job.get("message") or f"HTTP {resp.status_code}"
        return f"--save {url}: not started ({why})", False
    waited = 0.0
    while waited <= max_wait:
        status = await client.get(f"{endpoint}/save/status/{job['job_id']}")
        if status.status_code == 429:
            return f"--save {url}: rate limited while polling", True
        try:
            state = status.json()
        except ValueError:
            state = {}
        if state.get("status") == "success":
            ts, original = state.get("timestamp", ""), state.get("original_url") or url
            return f"--save {url}: captured as {endpoint}/web/{ts}/{original}", False
        if state.get("status") == "error":
            return f"--save {url}: failed ({state.get('status_ext') or 'error'})", False
        await asyncio.sleep(poll)
        waited += poll or 0.01
    return f"--save {url}: job {job['job_id']} still pending after {max_wait:g}s", False
