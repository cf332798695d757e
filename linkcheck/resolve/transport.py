"""The live-network transport: our HTTP/1.1 connection layer (http11.py) over
the address guard, one small keep-alive pool per origin, and no proxy or
.netrc taken from the environment.

It is the default only: the replay transport (archive/replay.py), respx in
tests, or any `httpx.AsyncBaseTransport` a caller passes take its place under
the same resolver.
"""

from __future__ import annotations

from linkcheck.resolve.http11 import Http11Transport


class GuardedTransport(Http11Transport):
    def __init__(self, allow_private: bool = False):
        super().__init__(allow_private=allow_private)
