"""The Memento protocol (RFC 7089) as a client: TimeGates (both reply styles),
TimeMaps in link format, and fetching a memento with the archive's own
redirects followed. Every exchange goes to the snapshot like any other, so a
replayed audit answers archive questions from its cassette."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from linkcheck.mend.politeness import ArchiveUnavailable, Gate
from linkcheck.model import Exchange
from linkcheck.resolve.classify import REDIRECT_STATUSES

MAX_BODY = 5 * 1024 * 1024
MAX_429_RETRIES = 2
SENSITIVE = {"authorization", "cookie", "proxy-authorization"}
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[a-zA-Z*]+\s*=\s*(?:\"[^\"]*\"|[^;,<]*))*)")
_PARAM = re.compile(r";\s*([a-zA-Z*]+)\s*=\s*(?:\"([^\"]*)\"|([^;,<]*))")
_MEMENTO_PATH = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/((?:https?:/)?/?.+)$", re.IGNORECASE)


@dataclass
class Answer:
    """One archive answer, body decoded."""

    url: str
    status: int
    headers: dict[str, str]  # lower-case names; repeated Link headers joined
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Memento:
    url: str  # URI-M
    when: datetime  # Memento-Datetime, UTC


@dataclass
class Lookup:
    """What an archive said about one URL."""

    mementos: list[Memento] = field(default_factory=list)  # sorted by datetime
    timemap_url: str | None = None
    error: str | None = None  # the archive could not be asked


class ArchiveClient:
    """Requests to archives, one gate (politeness) per archive host."""

    def __init__(self, transport: httpx.AsyncBaseTransport, sink=None, *,
                 user_agent: str, timeout: float = 20.0, per_minute: float = 15.0,
                 retry_after_cap: float = 30.0):
        self.sink = sink
        self.per_minute = per_minute
        self.retry_after_cap = retry_after_cap
        self.gates: dict[str, Gate] = {}
        self._client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(timeout), headers={
                "User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})

    async def aclose(self) -> None:
        await self._client.aclose()

    def gate(self, host: str, name: str) -> Gate:
        if host not in self.gates:
            self.gates[host] = Gate(name, self.per_minute, self.retry_after_cap)
        return self.gates[host]

    async def get(self, gate: Gate, url: str, headers: dict[str, str] | None = None,
                  accept: str | None = None) -> Answer:
        """One GET, politely; a 429 is waited out and asked again (twice at most).
        Raises ArchiveUnavailable once the archive is given up, httpx errors as they come."""
        send = dict(headers or {})
        if accept:
            send["Accept"] = accept
        for _ in range(MAX_429_RETRIES + 1):
            await gate.turn()
            status = None
            retry_after = None
            try:
                answer = await self._exchange(url, send)
                status = answer.status
                retry_after = answer.header("retry-after")
            finally:
                wait = gate.done(status, retry_after)
            if answer.status != 429:
                return answer
            if wait is None:
                raise ArchiveUnavailable(gate.stopped or f"{gate.name} rate-limited us")
            await asyncio.sleep(wait)
        return answer

    async def _exchange(self, url: str, headers: dict[str, str]) -> Answer:
        request = self._client.build_request("GET", url, headers=headers)
        started = time.time()
        response = await self._client.send(request, stream=True)
        try:
            ip = response.extensions.get("linkcheck_ip")
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY:
                    break
            raw = b"".join(chunks)[:MAX_BODY]
        finally:
            await response.aclose()
        raw_headers = [(k.decode("latin-1"), v.decode("latin-1"))
                       for k, v in response.headers.raw]
        if self.sink is not None:
            self.sink.write_exchange(Exchange(
                url=str(request.url), method="GET",
                request_target=request.url.raw_path.decode("ascii", "replace") or "/",
                request_headers=[(k.decode("latin-1"), v.decode("latin-1"))
                                 for k, v in request.headers.raw
                                 if k.decode("latin-1").lower() not in SENSITIVE],
                http_version=response.http_version or "HTTP/1.1",
                status=response.status_code, reason=response.reason_phrase or "",
                response_headers=raw_headers, body=raw, truncated=size > MAX_BODY,
                ip=ip, started=started))
        joined: dict[str, str] = {}
        for k, v in raw_headers:
            k = k.lower()
            joined[k] = f"{joined[k]}, {v}" if k in joined and k == "link" else v
        from linkcheck.resolve.decode import DecodeError, decode_content

        try:
            body, _ = decode_content(raw, joined.get("content-encoding"), 4 * MAX_BODY)
        except DecodeError:
            body = b""
        return Answer(str(request.url), response.status_code, joined, body)


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_links(text: str, base: str = "") -> list[tuple[str, dict[str, str]]]:
    """RFC 6690 link format (a TimeMap, or a Link header): (URI, params) in order."""
    out = []
    for m in _LINK.finditer(text):
        params = {p.group(1).lower(): (p.group(2) if p.group(2) is not None
                                       else (p.group(3) or "").strip())
                  for p in _PARAM.finditer(m.group(2))}
        out.append((urljoin(base, m.group(1).strip()) if base else m.group(1).strip(), params))
    return out


def mementos_in(links: list[tuple[str, dict[str, str]]]) -> list[Memento]:
    found: dict[str, Memento] = {}
    for uri, params in links:
        if "memento" not in params.get("rel", "").split():
            continue
        when = parse_http_date(params.get("datetime"))
        if when is not None:
            found.setdefault(uri, Memento(uri, when))
    return sorted(found.values(), key=lambda m: m.when)


def timemap_link(links: list[tuple[str, dict[str, str]]]) -> str | None:
    for uri, params in links:
        if "timemap" in params.get("rel", "").split():
            return uri
    return None


def original_of(memento_url: str) -> str | None:
    """The original URL inside a Wayback-style URI-M (BASE/14-digit[mod_]/URL)."""
    m = _MEMENTO_PATH.search(memento_url)
    if not m:
        return None
    url = m.group(2)
    return re.sub(r"^(https?):/+", r"\1://", url) if re.match(r"https?:/", url) else url


def timestamp_of(memento_url: str) -> str | None:
    m = _MEMENTO_PATH.search(memento_url)
    return m.group(1) if m else None


def with_mode(memento_url: str, mode: str) -> str:
    """A Wayback-style URI-M with another replay mode (`id_`: the original bytes)."""
    m = _MEMENTO_PATH.search(memento_url)
    if not m:
        return memento_url
    return memento_url[:m.start()] + f"/{m.group(1)}{mode}/" + m.group(2)


def from_timestamp(ts: str) -> datetime | None:
    try:
        return datetime.strptime(ts[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


async def ask_timemap(client: ArchiveClient, gate: Gate, url: str) -> Lookup:
    answer = await client.get(gate, url, accept="application/link-format")
    if answer.status == 404:
        return Lookup([], url)  # the archive has no capture of it
    if answer.status != 200:
        return Lookup([], url, f"TimeMap answered {answer.status}")
    text = answer.body.decode("utf-8", "replace")
    return Lookup(mementos_in(parse_links(text, url)), url)


async def ask_timegate(client: ArchiveClient, gate: Gate, url: str,
                       when: datetime) -> tuple[Lookup, str | None]:
    """Both reply styles: 302 with Location (Wayback), 200 with the memento itself and
    Content-Location (pywb). Returns what it learned and the TimeMap it points to."""
    answer = await client.get(gate, url, headers={"Accept-Datetime": http_date(when)})
    links = parse_links(answer.header("link") or "", url)
    found = mementos_in(links)
    timemap = timemap_link(links)
    location = answer.header("location")
    if answer.status in REDIRECT_STATUSES and location:
        target = urljoin(url, location.strip())
        if not any(m.url == target for m in found):
            ts = timestamp_of(target)
            moment = from_timestamp(ts) if ts else None
            if moment is not None:
                found.append(Memento(target, moment))
    elif 200 <= answer.status < 300:
        moment = parse_http_date(answer.header("memento-datetime"))
        target = urljoin(url, answer.header("content-location") or url)
        if moment is not None and not any(m.url == target for m in found):
            found.append(Memento(target, moment))
    elif answer.status == 404:
        return Lookup([], timemap), timemap
    else:
        return Lookup([], timemap, f"TimeGate answered {answer.status}"), timemap
    return Lookup(sorted(found, key=lambda m: m.when), timemap), timemap


async def fetch_memento(client: ArchiveClient, gate: Gate, memento: str,
                        max_hops: int = 5) -> list[Answer]:
    """The memento and the archive's redirects from it (an archived redirect is
    replayed as a redirect to another memento), last answer last."""
    chain: list[Answer] = []
    url = memento
    for _ in range(max_hops + 1):
        answer = await client.get(gate, url)
        chain.append(answer)
        location = answer.header("location")
        if answer.status not in REDIRECT_STATUSES or not location:
            break
        url = urljoin(url, location.strip())
    return chain
