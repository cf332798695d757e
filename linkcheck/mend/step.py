"""The pipeline's mending step, after the rules: for every link that is
broken, blocked, a soft 404 or drifted, an archived copy (our own snapshots
first, then each Memento archive in the order given); for broken links with a
headline slug, or dated after the story, candidates for the intended URL.

A replayed audit never asks a live archive: its requests go to the replayed
WARCs like every other, and the archives asked are those given explicitly or,
failing that, those the cassette says it recorded answers from.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from linkcheck.mend.archives import Archive, archives_from
from linkcheck.mend.politeness import DEFAULT_PER_MINUTE, ArchiveUnavailable
from linkcheck.mend.select import Wanted, find_copy
from linkcheck.model import Archived, ArticleReport, Candidate, Outcome, Resolution

log = logging.getLogger(__name__)

COPY_RULES = {"soft-404", "content-drift"}
CANDIDATE_RULES = {"date-after-story"}


@dataclass
class MendOptions:
    archives: list[str] = field(default_factory=list)  # TimeGate/TimeMap bases or templates
    per_minute: float = DEFAULT_PER_MINUTE  # requests a minute to one archive (0: unspaced)
    budget: float = 120.0  # seconds for all the lookups of a run; links left over say so
    timeout: float = 20.0
    candidates: bool = True
    cache_path: Path | None = None  # None: no archive cache
    transport: httpx.AsyncBaseTransport | None = None  # tests inject one


@dataclass
class _Need:
    res: Resolution
    wanted: Wanted
    copy: bool = False
    candidates: bool = False


def needs(reports: list[ArticleReport]) -> dict[str, _Need]:
    """The links that want an archived copy or candidates, by URL (first article wins)."""
    out: dict[str, _Need] = {}
    for ar in reports:
        flagged = {(f.rule, f.url) for f in ar.findings}
        headlines = _headlines(ar)
        for url, res in ar.links.items():
            if res.error_kind in ("private-address", "interrupted"):
                continue
            dead = res.outcome in (Outcome.BROKEN, Outcome.ERROR)
            copy = dead or res.outcome is Outcome.BLOCKED or any(
                (rule, url) in flagged for rule in COPY_RULES)
            cands = dead or any((rule, url) in flagged for rule in CANDIDATE_RULES)
            if not (copy or cands) or url in out:
                continue
            headline, source = headlines.get(url, (None, None))
            out[url] = _Need(res, Wanted(url, ar.story.date, headline, source), copy, cands)
    return out


def _headlines(ar: ArticleReport) -> dict[str, tuple[str, str]]:
    """The citation's own words for its page's title (a "Related article" line, ...)."""
    try:
        from linkcheck.rules import RuleContext
        from linkcheck.rules.citation_text import claims

        ctx = RuleContext(ar.article, ar.citations, ar.links, ar.story)
        found: dict[str, tuple[str, str]] = {}
        for c, words, source in claims(ctx):
            found.setdefault(c.url, (words, source.replace("\u201c", "").replace(
                "\u201d", "").replace(" headline", " line")))
        return _labelled_lines(ar, found)
    except Exception as exc:  # headlines only sharpen the checks; never fatal
        log.warning("no citation headlines for %s: %s", ar.article.path, exc)
        return {}


_LABELLED = re.compile(r"^[ \t]*(related article|related|read more|see also|read also|also "
                       r"read)[ \t]*:[ \t]*(.+?)[ \t]*$", re.IGNORECASE | re.MULTILINE)
SLUG_TO_HEADLINE = 0.5


def _labelled_lines(ar: ArticleReport, found: dict[str, tuple[str, str]]):
    """A link listed apart from the text ("Related article: …" elsewhere) gets the
    labelled headline its URL's slug matches."""
    from linkcheck.analysis.textmatch import similarity, slug_text

    lines = [(m.group(2), m.group(1)) for m in _LABELLED.finditer(ar.article.text)
             if "://" not in m.group(2)]
    for url in ar.links:
        slug = slug_text(url)
        if url in found or not slug or not lines:
            continue
        score, (words, label) = max(((similarity(slug, w), (w, lb)) for w, lb in lines),
                                    key=lambda t: t[0])
        if score >= SLUG_TO_HEADLINE:
            found[url] = (words, f"{label[0].upper()}{label[1:].lower()} line")
    return found


def recorded_archives(warcs: list[str]) -> list[str]:
    """The archives a cassette says it recorded answers from (warcinfo `archives`
    fields, one per archive, as the snapshot writer writes a list)."""
    from warcio.archiveiterator import ArchiveIterator

    found: list[str] = []
    for path in warcs:
        try:
            with open(path, "rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type != "warcinfo":
                        break
                    for line in record.content_stream().read().decode("utf-8", "replace") \
                            .splitlines():
                        if line.lower().startswith("archives:"):  # one line per archive
                            found.append(line.split(":", 1)[1].strip())
        except Exception as exc:  # a damaged WARC: the replay itself says so, in one line
            log.debug("cannot read the archives recorded in %s: %s", path, exc)
    return list(dict.fromkeys(found))


async def mend_links(reports: list[ArticleReport], options, sink) -> list[str]:
    """Fill `archived`, `archive_note` and `candidates` on the links that need them;
    returns notes for the whole report (an archive given up on)."""
    mend: MendOptions | None = getattr(options, "mend", None)
    if mend is None or not mend.archives:
        return []
    wanted = needs(reports)
    if not wanted:
        return []
    archives = archives_from(mend.archives)
    own = _own_snapshots(options)
    from linkcheck.mend.memento import ArchiveClient

    client = ArchiveClient(_transport(options, mend), sink,
                           user_agent=options.settings.user_agent, timeout=mend.timeout,
                           # a replay asks no archive: its answers need no spacing
                           per_minute=0 if options.replay else mend.per_minute,
                           retry_after_cap=options.settings.retry_after_cap)
    cache = None
    if mend.cache_path is not None and not options.replay:
        from linkcheck.mend.cache import ArchiveCache

        try:
            cache = ArchiveCache(mend.cache_path)
        except Exception as exc:  # an unusable cache must not stop the audit
            log.warning("archive cache disabled (%s: %s)", mend.cache_path, exc)
    try:
        tasks = {asyncio.create_task(_one(client, archives, own, need, cache, mend)): need
                 for need in wanted.values()}
        _, late = await asyncio.wait(tasks, timeout=mend.budget)
        for task in late:  # a polite archive is a slow one: the run's time is bounded
            task.cancel()
            need = tasks[task]
            if need.res.archived is None and need.res.archive_note is None:
                need.res.archive_note = (f"not looked up: the {mend.budget:g} s for archive "
                                         "lookups ran out (archive_budget)")
        if late:
            await asyncio.gather(*late, return_exceptions=True)
    finally:
        await client.aclose()
        if cache is not None:
            cache.close()
    return [g.stopped for g in client.gates.values() if g.stopped]


def _transport(options, mend: MendOptions) -> httpx.AsyncBaseTransport:
    if options.replay:  # a replayed audit stays offline, whatever else is set
        from linkcheck.archive.replay import ReplayTransport

        return ReplayTransport(options.replay)
    if mend.transport is not None:
        return mend.transport
    from linkcheck.resolve.transport import GuardedTransport

    return GuardedTransport(allow_private=options.settings.allow_private)


async def _one(client, archives: list[Archive], own, need: _Need, cache,
               mend: MendOptions) -> None:
    key = json.dumps([[a.spec for a in archives], need.wanted.url,
                      need.wanted.target.isoformat() if need.wanted.target else None,
                      need.wanted.headline])
    if need.copy:
        archived, note = (own(need.wanted) if own else None), ""
        if archived is None:
            cached = cache.copy(key) if cache else None
            if cached is not None:
                archived, note = cached
            else:
                archived, note = await _ask_archives(client, archives, need.wanted)
                if cache is not None and not note.startswith("not asked"):
                    cache.put_copy(key, archived, note)
        need.res.archived = archived
        need.res.archive_note = None if archived else note
    if need.candidates and mend.candidates:
        found = cache.candidates(key) if cache else None
        if found is None:
            found = await _ask_candidates(client, archives, need.wanted)
            if cache is not None:
                cache.put_candidates(key, found)
        need.res.candidates = found


async def _ask_archives(client, archives: list[Archive],
                        wanted: Wanted) -> tuple[Archived | None, str]:
    notes = []
    for archive in archives:
        try:
            archived, note = await find_copy(client, archive, wanted)
        except ArchiveUnavailable as exc:
            archived, note = None, f"{archive.name}: not asked ({exc})"
        except Exception as exc:  # one archive's failure never costs the others
            archived, note = None, f"{archive.name}: {_failure(exc)}"
        if archived is not None:
            return archived, ""
        notes.append(note)
    return None, "; ".join(notes)


async def _ask_candidates(client, archives: list[Archive], wanted: Wanted) -> list[Candidate]:
    from linkcheck.mend.candidates import find_candidates

    found: list[Candidate] = []
    for archive in archives:
        try:
            found += await find_candidates(client, archive, wanted)
        except Exception as exc:
            log.info("no candidates from %s for %s: %s", archive.name, wanted.url,
                     _failure(exc))
    from linkcheck.mend.sitemap import sitemap_candidates

    try:  # the site's own sitemap, where it keeps one
        found += await sitemap_candidates(client, wanted)
    except Exception as exc:
        log.info("no candidates from the sitemap for %s: %s", wanted.url, _failure(exc))
    seen: dict[str, Candidate] = {}
    for c in sorted(found, key=lambda c: -c.score):
        seen.setdefault(c.url, c)
    return list(seen.values())[:5]


def _failure(exc: Exception) -> str:
    from linkcheck.errors import ReplayMissError

    if isinstance(exc, ReplayMissError):
        return "no answer recorded in the replayed WARC"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.TransportError):
        return f"unreachable ({type(exc).__name__})"
    from linkcheck.errors import LinkFailure

    if isinstance(exc, LinkFailure):
        return str(exc)
    return f"failed ({type(exc).__name__}: {exc})"


def _own_snapshots(options):
    """A finder over the WARCs given with --compare, --dedup-against and --replay:
    the closest good capture of a URL before the target date, or None."""
    paths = [p for p in [options.compare, *options.dedup_against, *options.replay] if p]
    if not paths:
        return None
    from linkcheck.archive.replay import read_records

    by_url: dict[str, list] = {}
    for path in paths:
        try:
            for rec in read_records(path):
                if rec.rec_type == "response" and 200 <= rec.status < 300:
                    by_url.setdefault(rec.url, []).append((path, rec))
        except Exception as exc:
            log.warning("cannot read %s for archived copies: %s", path, exc)

    def find(wanted: Wanted) -> Archived | None:
        from datetime import datetime

        from linkcheck.mend.check import check_capture
        from linkcheck.mend.memento import Answer
        from linkcheck.resolve.decode import decode_content

        moment = wanted.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        records = sorted(by_url.get(wanted.url, []), key=lambda pr: pr[1].date, reverse=True)
        before = [pr for pr in records if pr[1].date <= moment]
        for path, rec in before[:3]:
            headers = {k.lower(): v for k, v in rec.headers}
            try:
                body, _ = decode_content(rec.body, headers.get("content-encoding"),
                                         20 * 1024 * 1024)
            except Exception:
                continue
            verdict = check_capture([Answer(rec.url, rec.status, headers, body)],
                                    wanted.url, wanted.headline, wanted.headline_source)
            if verdict.ok:
                day = datetime.fromisoformat(rec.date.replace("Z", "+00:00")).date()
                return Archived(url=rec.record_id, datetime=rec.date[:19] + "Z",
                                archive=f"snapshot {Path(path).name}", status=rec.status,
                                checked=True, why=f"our own snapshot, captured {day} before "
                                f"{wanted.target_words}, {verdict.why}")
        return None

    return find
