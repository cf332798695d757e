"""Crawl limits and manners, with safe defaults for CI."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from linkcheck import __version__

DEFAULT_USER_AGENT = (
    f"linkcheck/{__version__} (citation checker for newsrooms; "
    "+https://pypi.org/project/linkcheck/)"
)


@dataclass
class ResolveSettings:
    concurrency: int = 64  # requests in flight, all hosts together
    per_host: int = 2  # requests in flight to one host
    timeout: float = 10.0  # seconds for one request, body included
    deadline: float = 60.0  # seconds for one link, all hops and retries included
    retries: int = 2  # extra attempts after the first, for transient failures
    max_redirects: int = 10
    max_body: int = 5 * 1024 * 1024  # bytes read off the wire per response
    max_decoded: int = 20 * 1024 * 1024  # bytes after decompression (gzip bombs)
    retry_after_cap: float = 30.0  # longest Retry-After we honour, in seconds
    backoff_base: float = 0.5  # first retry waits about this long
    user_agent: str = DEFAULT_USER_AGENT
    headers_by_domain: dict[str, dict[str, str]] = field(default_factory=dict)
    accept_by_domain: dict[str, list[int]] = field(default_factory=dict)
    per_host_by_domain: dict[str, int] = field(default_factory=dict)
    allow_private: bool = False
    # each page's text: False, "plain" (all visible text: source matching) or
    # "main" (the article body by trafilatura: content drift)
    page_text: bool | str = False

    def headers_for(self, url: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for headers in _matching(self.headers_by_domain, url):
            out.update(headers)
        return out

    def accepted_for(self, url: str) -> set[int]:
        return {code for codes in _matching(self.accept_by_domain, url) for code in codes}

    def limit_for(self, host: str) -> int:
        limits = list(_matching(self.per_host_by_domain, "http://" + host))
        return min(limits) if limits else self.per_host


def domain_matches(host: str, domain: str) -> bool:
    """example.org covers example.org and every subdomain of it."""
    host, domain = host.lower().rstrip("."), domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def _matching(table: dict, url: str):
    host = urlsplit(url).hostname or ""
    return (value for domain, value in sorted(table.items()) if domain_matches(host, domain))
