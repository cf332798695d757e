"""The resolver: every distinct URL fetched once, concurrently, politely,
redirects followed hop by hop by our own code so each hop is recorded,
checked against the address guard and archived."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import AsyncRetrying, retry_if_exception, retry_if_result, stop_after_attempt

from linkcheck.errors import RedirectError  # noqa: F401  (raised here; re-exported)
from linkcheck.model import Exchange, Hop, Outcome, PageMeta, Resolution
from linkcheck.resolve.cache import ResolutionCache
from linkcheck.resolve.classify import REDIRECT_STATUSES, classify
from linkcheck.resolve.decode import DecodeError, decode_content
from linkcheck.resolve.failures import describe_failure
from linkcheck.resolve.retry import (
    BackoffWait,
    RequestTimeout,
    is_transient_answer,
    is_transient_exception,
)
from linkcheck.resolve.safety import literal_forbidden
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.urls.normalise import strip_userinfo

HTML_TYPES = ("text/html", "application/xhtml+xml")
SENSITIVE_HEADERS = {"authorization", "cookie", "proxy-authorization"}


class ExchangeSink(Protocol):
    def write_exchange(self, exchange: Exchange) -> object: ...


class Resolver:
    def __init__(self, settings: ResolveSettings, transport: httpx.AsyncBaseTransport,
                 sink: ExchangeSink | None = None, cache: ResolutionCache | None = None):
        self.settings = settings
        self.sink = sink
        self.cache = cache
        self.interrupted = False
        self._tasks: list[asyncio.Task] = []
        self._client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(settings.timeout), headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "en;q=0.9, *;q=0.5",
            })
        self._global = asyncio.Semaphore(settings.concurrency)
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
                          ) -> dict[str, Resolution]:
        """Resolve each distinct URL once; results in the order first given."""
        distinct = list(dict.fromkeys(urls))
        results: dict[str, Resolution] = {}

        async def one(url: str) -> None:
            res = self.cache.get(url) if self.cache else None
            if res is None:
                res = await self.resolve(url)
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

    async def resolve(self, url: str, keep_body: bool = False) -> Resolution:
        """Never raises for a network failure: every failure becomes an outcome."""
        started = time.monotonic()
        hops: list[Hop] = []
        attempts = [0]
        try:
            deadline_at = time.monotonic() + self.settings.deadline
            async with asyncio.timeout(self.settings.deadline):
                res = await self._follow(url, hops, attempts, keep_body, deadline_at)
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
                      keep_body: bool, deadline_at: float) -> Resolution:
        # A loop is the same URL asked with the same request state: a self-redirect
        # that sets a cookie and then answers is a cookie check, not a loop.
        seen: set[tuple[str, frozenset]] = set()
        cookies: dict[str, str] = {}  # set along this chain (the client sends them back)
        current = strip_userinfo(url)  # credentials in a cited URL are never sent
        while True:
            host = urlsplit(current).hostname or ""
            if not self.settings.allow_private and (why := literal_forbidden(host)):
                from linkcheck.errors import PrivateAddressError
                raise PrivateAddressError(host, host, why)
            ex = await self._fetch_with_retries(current, attempts, deadline_at)
            if self.sink is not None:
                self.sink.write_exchange(ex)
            headers = {k.lower(): v for k, v in ex.response_headers}
            location = headers.get("location")
            hops.append(Hop(url=current, status=ex.status, location=location, ip=ex.ip))
            if ex.status in REDIRECT_STATUSES and location:
                seen.add((current, frozenset(cookies.items())))
                cookies.update(_set_cookies(ex.response_headers))
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    raise RedirectError(f"redirect to a non-web URL: {target}")
                if (target, frozenset(cookies.items())) in seen:
                    raise RedirectError(f"redirect loop: {target} was already visited")
                if len(hops) > self.settings.max_redirects:
                    raise RedirectError(f"more than {self.settings.max_redirects} redirects")
                current = target
                continue
            return self._finish(url, hops, ex, headers, keep_body)

    def _finish(self, url: str, hops: list[Hop], ex: Exchange,
                headers: dict[str, str], keep_body: bool) -> Resolution:
        content_type = headers.get("content-type", "")
        meta = PageMeta()
        body = b""
        try:
            body, _ = decode_content(ex.body, headers.get("content-encoding"),
                                     self.settings.max_decoded)
        except DecodeError:
            body = b""
        if _looks_html(content_type, body):
            meta = page_meta(body, content_type, hops[-1].url, headers,
                             self.settings.page_text)
        elif "pdf" in content_type.lower() or body[:5] == b"%PDF-":
            from linkcheck.pages.pdf import extract_pdf_meta

            meta = extract_pdf_meta(body)
        outcome, blocked = classify(hops, headers, meta, body)
        if ex.status in self.settings.accepted_for(hops[-1].url):
            outcome, blocked = Outcome.OK, None  # the newsroom said this answer is fine
        return Resolution(url=url, outcome=outcome, final_url=hops[-1].url, status=ex.status,
                          hops=list(hops), content_type=content_type or None, meta=meta,
                          blocked_reason=blocked, body=body if keep_body else None)

    async def _fetch_with_retries(self, url: str, attempts: list[int],
                                  deadline_at: float) -> Exchange:
        def past_deadline(state) -> bool:
            # A wait the link's deadline cannot afford ends the retries: the last
            # answer (a 429, a 503) is the verdict, rather than a timeout.
            return time.monotonic() + (state.upcoming_sleep or 0) + 1.0 > deadline_at

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.retries + 1) | past_deadline,  # type: ignore[operator]
            retry=retry_if_exception(is_transient_exception) | retry_if_result(is_transient_answer),
            wait=BackoffWait(self.settings.backoff_base, self.settings.retry_after_cap),
            retry_error_callback=lambda state: state.outcome.result(),  # type: ignore[union-attr]
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                attempts[0] += 1
                ex = await self._fetch_once(url)
            if not attempt.retry_state.outcome.failed:  # type: ignore[union-attr]
                attempt.retry_state.set_result(ex)
        return ex  # type: ignore[possibly-undefined]

    def _headers_for(self, url: str) -> dict[str, str]:
        """Per-domain headers from config; computed per hop so they never cross hosts."""
        return self.settings.headers_for(url)

    async def _fetch_once(self, url: str) -> Exchange:
        parts = urlsplit(url)
        host_key = f"{(parts.hostname or '').lower()}:{parts.port or parts.scheme}"
        if host_key not in self._per_host:
            self._per_host[host_key] = asyncio.Semaphore(
                self.settings.limit_for(parts.hostname or ""))
        async with self._per_host[host_key], self._global:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._exchange(url)
            except TimeoutError:
                raise RequestTimeout(
                    f"no complete answer within {self.settings.timeout:g}s") from None

    async def _exchange(self, url: str) -> Exchange:
        request = self._client.build_request("GET", url, headers=self._headers_for(url))
        started = time.time()
        response = await self._client.send(request, stream=True)
        try:
            ip = _peer_ip(response)  # before the body: the stream may be gone after
            body, truncated = await _read_capped(response, self.settings.max_body)
        finally:
            await response.aclose()
        raw = request.url.raw_path.decode("ascii", "replace")
        return Exchange(
            url=str(request.url), method="GET", request_target=raw or "/",
            request_headers=[(k.decode("latin-1"), v.decode("latin-1"))
                             for k, v in request.headers.raw
                             if k.decode("latin-1").lower() not in SENSITIVE_HEADERS],
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


def _looks_html(content_type: str, body: bytes) -> bool:
    if content_type:
        return any(t in content_type.lower() for t in HTML_TYPES)
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def page_meta(body: bytes, content_type: str, url: str, headers: dict[str, str],
              with_text: bool | str) -> PageMeta:
    from linkcheck.pages import decode_body, extract_meta

    text, _ = decode_body(body, content_type)
    return extract_meta(text, url, headers, with_text=with_text)
