"""Save Page Now 2 against a local fake: keys sent only in the Authorization
header, the job polled to its end, nothing sent without keys, a 429 stops."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import httpx

from linkcheck.mend.save import save_uncaptured
from linkcheck.model import Article, ArticleReport, AuditReport, Outcome, Resolution, StoryDate
from linkcheck.pipeline import AuditOptions

LIVE = "https://news.wire.test/2021/12/harbour-reopens"
DEAD = "https://news.wire.test/2021/12/gone"
KEYS = {"LINKCHECK_SPN_ACCESS_KEY": "acc", "LINKCHECK_SPN_SECRET_KEY": "sec"}


def report() -> AuditReport:
    links = {LIVE: Resolution(LIVE, Outcome.OK, final_url=LIVE, status=200),
             DEAD: Resolution(DEAD, Outcome.BROKEN, final_url=DEAD, status=404)}
    ar = ArticleReport(Article("a.txt", "", "txt"), [], links, StoryDate(None, "unknown"), [])
    return AuditReport([ar])


class FakeSpn:
    def __init__(self, first_status: int = 200):
        self.seen: list[httpx.Request] = []
        self.polls = 0
        self.first_status = first_status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        assert request.url.host == "127.0.0.1"
        if request.method == "POST" and request.url.path == "/save":
            if self.first_status != 200:
                return httpx.Response(self.first_status)
            form = parse_qs(request.content.decode())
            return httpx.Response(200, json={"url": form["url"][0], "job_id": "spn2-abc"})
        if request.url.path == "/save/status/spn2-abc":
            self.polls += 1
            if self.polls < 2:
                return httpx.Response(200, json={"status": "pending"})
            return httpx.Response(200, json={"status": "success", "timestamp": "20211217120000",
                                             "original_url": LIVE})
        return httpx.Response(404)


def run(fake, env):
    return asyncio.run(save_uncaptured(report(), AuditOptions(), endpoint="http://127.0.0.1:9",
                                       env=env, transport=httpx.MockTransport(fake),
                                       interval=0, poll=0))


def test_a_live_citation_is_saved_and_its_job_polled_to_success():
    fake = FakeSpn()
    lines = run(fake, KEYS)
    assert lines == [f"--save {LIVE}: captured as http://127.0.0.1:9/web/20211217120000/{LIVE}"]
    post = fake.seen[0]
    assert post.headers["authorization"] == "LOW acc:sec"
    assert post.headers["accept"] == "application/json"
    assert parse_qs(post.content.decode()) == {"url": [LIVE], "if_not_archived_within": ["30d"]}
    assert fake.polls == 2 and all(DEAD not in str(r.url) + r.content.decode()
                                   for r in fake.seen)


def test_without_keys_nothing_is_sent():
    fake = FakeSpn()
    lines = run(fake, {"LINKCHECK_SPN_ACCESS_KEY": "acc"})
    assert fake.seen == [] and "nothing was sent" in lines[0]


def test_a_429_stops_saving():
    fake = FakeSpn(first_status=429)
    lines = run(fake, KEYS)
    assert len(fake.seen) == 1 and "stopped" in lines[-1]


def test_a_replayed_run_never_saves():
    fake = FakeSpn()
    lines = asyncio.run(save_uncaptured(report(), AuditOptions(replay=["x.warc.gz"]),
                                        endpoint="http://127.0.0.1:9", env=KEYS,
                                        transport=httpx.MockTransport(fake)))
    assert fake.seen == [] and "replay" in lines[0]
