"""Crawl limits and manners, with safe defaults for CI."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    allow_private: bool = False
