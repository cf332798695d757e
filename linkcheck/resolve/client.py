"""The resolver: every distinct URL fetched once, concurrently, politely,
redirects followed hop by hop by our own code so each hop is recorded,
checked against the address guard and archived.

The resolver fetches and archives; what a page says about itself is the
analysis stage's job (linkcheck/analysis/pages.py), called with each final
answer as it lands: `analyse(FetchedPage, keep_body) -> Resolution`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from linkcheck.errors import RedirectError  # noqa: F401  (raised here; re-exported)
from linkcheck.model import Exchange, FetchedPage, Hop, Outcome, Resolution
from linkcheck.resolve import cookies as link_cookies
from linkcheck.resolve.cache import ResolutionCache
from linkcheck.resolve.classify import REDIRECT_STATUSES
from linkcheck.resolve.failures import describe_failure
from linkcheck.resolve.retry import (
    RequestTimeout,
    backoff_delay,
    is_transient_answer,
    is_transient_exception,
)
from linkcheck.resolve.safety import literal_forbidden
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.urls.normalise import redact_userinfo, strip_userinfo

SENSITIVE_HEADERS = {"authorization", "cookie", "proxy-authorization"}
REDACTED = "<redacted>"
Analyse = Callable[[FetchedPage, bool], Resolution]


class ExchangeSink(Protocol):
    def write_exchange(self, exchange: Exchange) -> object: ...


class Resolver:
    def __init__(self, settings: ResolveSettings, transport: httpx.AsyncBaseTransport,
                 sink: ExchangeSink | None = None, cache: ResolutionCache | None = None,
                 analyse: Analyse | None = None):
        self.settings = settings
        self.sink = sink
        self.cache = cache
        if analyse is None:
            from linkcheck.analysis.pages import PageAnalysis

            analyse = PageAnalysis(settings, settings.page_text)
        self.analyse = analyse
        self.interrupted = False
        self._tasks: list[asyncio.Task] = []
        self._client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            cookies=link_cookies.no_shared_jar(),  # each link has its own (resolve/cookies.py)
            timeout=httpx.Timeout(settings.timeout), headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "en;q=0.9, *;q=0.5",
            })
        self._global = asyncio.Semaphore(settings.concurrency)
        # links fetched or being fetched but not yet analysed: bounds the bodies held
        self._pending = asyncio.Semaphore(2 * settings.concurrency)
        self._analysis_turn = asyncio.Lock()
        self._per_host: dict[str, asyncio.Semaphore] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Resolver:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    def stop(self) -> None:
        """Stop fetching (Ctrl-C, SIGTERM): links not finished are reported as such."""
        self.interrupted = True
        for task in self._tasks:
            task.cancel()

    async def resolve_all(self, urls: Iterable[str],
                          on_done: Callable[[Resolution], None] | None = None,
                          analyse: Analyse | None = None) -> dict[str, Resolution]:
        """Resolve each distinct URL once; results in the order first given.
        `analyse` (default: the resolver's) turns each final answer into its
        Resolution as it lands."""
        distinct = list(dict.fromkeys(urls))
        results: dict[str, Resolution] = {}

        async def one(url: str) -> None:
            res = self.cache.get(url) if self.cache else None
            if res is None:
                res = await self.resolve(url, analyse=analyse)
                results[url] = res  # the verdict first: a cache must never lose it
                if self.cache:
                    self.cache.put(res)
            results[url] = res
            if on_done:
                on_done(res)

        self._tasks = [asyncio.create_task(one(u)) for u in distinct]
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for u in distinct:
            if u not in results:
                results[u] = Resolution(url=u, outcome=Outcome.SKIPPED, error_kind="interrupted",
                                        error="not checked: the audit was interrupted")
        return {u: results[u] for u in distinct}

    async def resolve(self, url: str, keep_body: bool = False,
                      analyse: Analyse | None = None) -> Resolution:
        """Never raises for a network failure: every failure becomes an outcome."""
        async with self._pending:
            return await self._resolve(url, keep_body, analyse or self.analyse)

    async def _resolve(self, url: str, keep_body: bool, analyse: Analyse) -> Resolution:
        started = time.monotonic()
        hops: list[Hop] = []
        attempts = [0]
        try:
            deadline_at = time.monotonic() + self.settings.deadline
            async with asyncio.timeout(self.settings.deadline):
                with link_cookies.link_scope():
                    page = await self._follow(url, hops, attempts, deadline_at)
            # One page analysed at a time, the network served between two pages:
            # analysis is CPU work that would otherwise hold up answers waiting to
            # be read (and their timers running) for as long as a burst of pages.
            async with self._analysis_turn:
                res = analyse(page, keep_body)
                await asyncio.sleep(0)
        except Exception as exc:  # one link's failure must never cost the others
            if isinstance(exc, TimeoutError) and not isinstance(exc, RequestTimeout):
                exc = RequestTimeout(f"no answer within the {self.settings.deadline:g}s "
                                     "deadline for this link")
            outcome, kind, message, private = describe_failure(exc)
            res = Resolution(url=url, outcome=outcome, error=message, error_kind=kind,
                             hops=hops, final_url=hops[-1].url if hops else None,
                             status=hops[-1].status if hops else None,
                             private_address=private)
        res.elapsed = time.monotonic() - started
        res.attempts = attempts[0]
        return res

    async def _follow(self, url: str, hops: list[Hop], attempts: list[int],
                      deadline_at: float) -> FetchedPage:
        """Fetch (and archive) every hop to the final answer."""
        # A loop is the same URL asked with the same request state: a self-redirect
        # that sets a cookie and then answers is a cookie check, not a loop.
        seen: set[tuple[str, frozenset]] = set()
        cookies: dict[str, str] = {}  # set along this chain (its own jar sends them back)
        current = strip_userinfo(url)  # credentials in a cited URL are never sent
        while True:
            parts = urlsplit(current)  # the one parse of this hop's URL
            host = parts.hostname or ""
            if not self.settings.allow_private and (why := literal_forbidden(host)):
                from linkcheck.errors import PrivateAddressError
                raise PrivateAddressError(host, host, why)
            ex = await self._fetch_with_retries(current, parts, attempts, deadline_at)
            if self.sink is not None:
                self.sink.write_exchange(ex)
            headers = {k.lower(): v for k, v in ex.response_headers}
            location = headers.get("location")
            if location:  # credentials in a redirect target are neither sent nor kept
                location = redact_userinfo(location)
            hops.append(Hop(url=current, status=ex.status, location=location, ip=ex.ip))
            if ex.status in REDIRECT_STATUSES and location:
                seen.add((current, frozenset(cookies.items())))
                cookies.update(_set_cookies(ex.response_headers))
                target = strip_userinfo(urljoin(current, location.strip()))
                if not target.startswith(("http://", "https://")) and \
                        urlsplit(target).scheme not in ("http", "https"):
                    raise RedirectError(f"redirect to a non-web URL: {target}")
                if (target, frozenset(cookies.items())) in seen:
                    raise RedirectError(f"redirect loop: {target} was already visited")
                if len(hops) > self.settings.max_redirects:
                    raise RedirectError(f"more than {self.settings.max_redirects} redirects")
                current = target
                continue
            return FetchedPage(url, hops, ex, headers)

    async def _fetch_with_retries(self, url: str, parts, attempts: list[int],
                                  deadline_at: float) -> Exchange:
        """A plain loop: transient failures (exceptions or answers) are tried
        again after a backoff, up to `retries` times; a wait the link's deadline
        cannot afford ends the retries, and then the last answer (a 429, a 503)
        is the verdict rather than a timeout."""
        settings = self.settings
        attempt = 0
        while True:
            attempt += 1
            attempts[0] += 1
            failure: Exception | None = None
            answer: Exchange | None = None
            try:
                answer = await self._fetch_once(url, parts)
            except Exception as exc:
                if not is_transient_exception(exc):
                    raise
                failure = exc
            if answer is not None and not is_transient_answer(answer):
                return answer
            delay = backoff_delay(attempt, answer, settings.backoff_base,
                                  settings.retry_after_cap)
            if attempt > settings.retries or time.monotonic() + delay + 1.0 > deadline_at:
                if failure is not None:
                    raise failure
                assert answer is not None
                return answer
            await asyncio.sleep(delay)

    def _headers_for(self, url: str) -> dict[str, str]:
        """Per-domain headers from config; computed per hop so they never cross hosts."""
        return self.settings.headers_for(url)

    async def _fetch_once(self, url: str, parts) -> Exchange:
        hostname = parts.hostname or ""
        host_key = f"{hostname}:{parts.port or parts.scheme}"
        limit = self._per_host.get(host_key)
        if limit is None:
            limit = self._per_host[host_key] = asyncio.Semaphore(
                self.settings.limit_for(hostname))
        async with limit, self._global:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._exchange(url)
            except TimeoutError:
                raise RequestTimeout(
                    f"no complete answer within {self.settings.timeout:g}s") from None

    async def _exchange(self, url: str) -> Exchange:
        extra = self._headers_for(url) if self.settings.headers_by_domain else {}
        request = self._client.build_request("GET", url, headers=extra or None)
        link_cookies.add_to(request)
        started = time.time()
        response = await self._client.send(request, stream=True)
        link_cookies.keep_from(response)
        try:
            ip = _peer_ip(response)  # before the body: the stream may be gone after
            body, truncated = await _read_capped(response, self.settings.max_body)
        finally:
            await response.aclose()
        raw = request.url.raw_path.decode("ascii", "replace")
        # Configured headers (tokens, keys) and credentials are recorded as sent,
        # by name, never by value.
        secret = SENSITIVE_HEADERS | {k.lower() for k in extra}
        return Exchange(
            url=str(request.url), method="GET", request_target=raw or "/",
            request_headers=[(name, REDACTED if name.lower() in secret else v.decode("latin-1"))
                             for name, v in ((k.decode("latin-1"), v)
                                             for k, v in request.headers.raw)],
            http_version=response.http_version or "HTTP/1.1",
            status=response.status_code, reason=response.reason_phrase or "",
            response_headers=[(k.decode("latin-1"), v.decode("latin-1"))
                              for k, v in response.headers.raw],
            body=body, truncated=truncated, ip=ip, started=started,
        )


async def _read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _peer_ip(response: httpx.Response) -> str | None:
    if ip := response.extensions.get("linkcheck_ip"):
        return ip
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        addr = stream.get_extra_info("server_addr")
    except Exception:
        return None
    return addr[0] if addr else None


def _set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    """name -> value of each Set-Cookie in a response (attributes dropped)."""
    found = {}
    for k, v in headers:
        if k.lower() == "set-cookie" and "=" in v:
            name, _, value = v.split(";", 1)[0].partition("=")
            found[name.strip()] = value.strip()
    return found

