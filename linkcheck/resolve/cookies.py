"""Cookies scoped to one link's redirect chain.

A consent wall often sets a cookie and redirects to the page it guards, so a
chain must carry its own cookies from hop to hop. A cookie set by one cited
page must never reach another cited page, though: each link gets a jar of its
own (held in a context variable, so every concurrent link task sees only its
own), and the client-wide jar neither keeps nor sends anything.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

_LINK_JAR: contextvars.ContextVar[httpx.Cookies | None] = contextvars.ContextVar(
    "linkcheck_link_cookies", default=None)


def no_shared_jar() -> CookieJar:
    """For the client itself: a jar whose policy accepts no cookie at all."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


@contextmanager
def link_scope() -> Iterator[None]:
    """A fresh jar for the redirect chain (and retries) of one link."""
    token = _LINK_JAR.set(httpx.Cookies())
    try:
        yield
    finally:
        _LINK_JAR.reset(token)


def add_to(request: httpx.Request) -> None:
    """Send the cookies this link's chain was given for the request's URL."""
    jar = _LINK_JAR.get()
    if jar is not None:
        jar.set_cookie_header(request)


def keep_from(response: httpx.Response) -> None:
    """Keep what the response sets, for the following hops of this link only."""
    jar = _LINK_JAR.get()
    if jar is not None:
        jar.extract_cookies(response)
