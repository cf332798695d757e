"""The WARC snapshot of a live audit, read back byte by byte: exact captures,
digests computed the way the spec means them, request/response pairs,
context records, no credentials. The site is tests/fixtures/sites/archive-cases
served on 127.0.0.1 under its own (invented) URLs."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import httpx
import pytest

from linkcheck.archive.verdicts import VERDICT_PREFIX
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from tests.support.routing import RoutingTransport
from tests.support.sites import SITES, SiteServer
from tests.support.warcs import check_warc, raw_records, sha1

SITE = SITES / "archive-cases"
STORY = "https://news.harbour-gazette.test/2021/12/16/odesa-port-reopens.html"
MIRROR = "https://mirror.grain-wire.test/syndication/odesa-port-reopens.html"
NOTICE = "https://news.harbour-gazette.test/notices/odesa"
GONE = "https://news.harbour-gazette.test/2021/12/14/cranes.html"
HEADERS = "https://news.harbour-gazette.test/headers.html"
SECRET_HEADERS = {"Authorization": "Bearer s3cret-token", "Cookie": "session=s3cret-cookie",
                  "X-Newsroom": "desk-7"}


class SpyTransport(RoutingTransport):
    """Routes to the fixture server and remembers the headers each request carried."""

    def __init__(self, local_base: str):
        super().__init__(local_base)
        self.sent: list[httpx.Headers] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(httpx.Headers(request.headers))
        return await super().handle_async_request(request)


def record(warc: Path, **settings) -> tuple:
    with SiteServer("archive-cases") as server:
        spy = SpyTransport(server.base)
        # One request at a time, in citation order: the story (gzip and chunked) is
        # captured first, so it holds the payload and its syndicated copy the revisit.
        options = AuditOptions(
            settings=ResolveSettings(retries=0, timeout=10, concurrency=1,
                                     headers_by_domain={"harbour-gazette.test": SECRET_HEADERS},
                                     **settings),
            warc=warc, transport=spy, published=None)
        report = asyncio.run(run_audit([str(SITE / "article.md")], options))
    return report, spy


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    warc = tmp_path_factory.mktemp("archive") / "audit.warc.gz"
    report, spy = record(warc)
    return warc, report, spy, check_warc(warc)


def responses(records, uri):
    return [r for r in records if r.type in ("response", "revisit")
            and r.get("WARC-Target-URI") == uri]


def test_the_snapshot_passes_warcio_and_our_own_checks(audited):
    warc, report, _, records = audited
    assert not warc.with_name(warc.name + ".open").exists()  # renamed when closed
    kinds = [r.type for r in records]
    assert kinds[0] == "warcinfo" and kinds[1] == "resource"
    assert kinds.count("metadata") == len(report.articles[0].links) == 5


def test_payload_digest_covers_the_dechunked_still_encoded_body(audited):
    _, _, _, records = audited
    story = responses(records, STORY)[0]
    assert story.type == "response"
    body = story.payload
    assert body[:2] == b"\x1f\x8b", "the stored body keeps its Content-Encoding"
    assert gzip.decompress(body) == (SITE / "story.html").read_bytes(), "no chunk framing left"
    assert story.get("WARC-Payload-Digest") == sha1(body)
    assert story.get("WARC-Block-Digest") == sha1(story.block)
    assert story.get("WARC-Payload-Digest") != sha1(gzip.decompress(body))


def test_no_transfer_encoding_header_beside_a_dechunked_body(audited):
    _, _, _, records = audited
    story = responses(records, STORY)[0]
    headers = story.http_headers()
    assert ("X-Orig-Transfer-Encoding", "chunked") in headers
    assert not [k for k, _ in headers if k.lower() == "transfer-encoding"]
    assert ("Content-Encoding", "gzip") in headers


def test_headers_are_stored_as_they_came_off_the_wire(audited):
    _, _, _, records = audited
    (page,) = responses(records, HEADERS)
    head = page.http_head
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"X-Caption: caf\xe9 cr\xe8me\r\n" in head  # latin-1 bytes, not %-encoded
    assert b"x-MiXeD-CaSe: kept\r\n" in head and b"content-type: text/html" in head
    names = [k for k, _ in page.http_headers()]
    assert names.index("content-type") < names.index("X-Caption") < names.index("x-MiXeD-CaSe")


def test_request_records_hold_what_was_sent_minus_credentials(audited):
    warc, _, spy, records = audited
    sent = [h for h in spy.sent if "harbour-gazette" in h.get("host", "")]
    assert sent and all(h["authorization"] == SECRET_HEADERS["Authorization"] for h in sent)
    requests = [r for r in records if r.type == "request"]
    story_request = [r for r in requests if r.get("WARC-Target-URI") == STORY][0]
    head = story_request.http_head.decode("latin-1")
    assert head.startswith("GET /2021/12/16/odesa-port-reopens.html HTTP/1.1\r\n")
    assert "X-Newsroom: desk-7" in head and "Host: news.harbour-gazette.test" in head
    everything = gzip.decompress(warc.read_bytes())
    assert b"s3cret" not in everything
    for r in requests:
        names = {k.lower() for k, _ in r.http_headers()}
        assert not names & {"authorization", "cookie"}


def test_response_records_carry_the_capture_headers(audited):
    _, _, _, records = audited
    info_id = records[0].get("WARC-Record-ID")
    captures = [r for r in records if r.type in ("response", "request", "revisit")]
    assert {r.type for r in captures} == {"response", "request", "revisit"}
    for r in captures:
        assert r.get("WARC-IP-Address") == "127.0.0.1"
        assert r.get("WARC-Warcinfo-ID") == info_id
        assert r.get("WARC-Date").endswith("Z") and "." in r.get("WARC-Date")


def test_warcinfo_names_software_settings_and_article(audited):
    _, _, _, records = audited
    fields = dict(line.split(": ", 1) for line in
                  records[0].block.decode().splitlines() if line)
    assert fields["software"].startswith("linkcheck/")
    assert fields["format"] == "WARC File Format 1.1"
    settings = json.loads(fields["linkcheck-settings"])
    assert settings["retries"] == 0 and settings["timeout"] == 10
    # header names are recorded, their values (tokens, cookies) never
    assert settings["headers_by_domain"] == {
        "harbour-gazette.test": ["Authorization", "Cookie", "X-Newsroom"]}
    assert fields["article"].endswith("archive-cases/article.md")
    assert fields["http-header-user-agent"].startswith("linkcheck/")


def test_the_article_is_stored_as_audited(audited):
    _, _, _, records = audited
    resource = records[1]
    assert resource.get("WARC-Target-URI").endswith("/archive-cases/article.md")
    assert resource.block == (SITE / "article.md").read_bytes()
    assert resource.get("Content-Type") == "text/markdown; charset=utf-8"
    assert resource.get("WARC-Payload-Digest") == sha1(resource.block)


def test_one_metadata_record_per_link_refers_to_its_final_response(audited):
    _, report, _, records = audited
    by_id = {r.get("WARC-Record-ID"): r for r in records}
    metadata = {r.get("WARC-Target-URI")[len(VERDICT_PREFIX):]: r
                for r in records if r.type == "metadata"}
    assert set(metadata) == set(report.articles[0].links)
    for url, res in report.articles[0].links.items():
        rec = metadata[url]
        verdict = json.loads(rec.block)
        assert rec.get("Content-Type") == "application/json"
        assert verdict["link"]["outcome"] == res.outcome.value
        target = by_id[rec.get("WARC-Refers-To")]
        assert target.get("WARC-Target-URI") == res.final_url
    notice = json.loads(metadata[NOTICE].block)
    assert notice["link"]["final_url"] == STORY
    gone = json.loads(metadata[GONE].block)
    assert "broken-link" in [f["rule"] for f in gone["findings"]]
    assert gone["findings"][0]["article"].endswith("article.md")


def test_an_identical_payload_in_the_same_warc_is_a_revisit(audited):
    _, _, _, records = audited
    # The story is captured twice (cited, and at the end of the notice's redirect)
    # and syndicated once: one copy of the payload, two revisits pointing at it.
    captures = responses(records, STORY) + responses(records, MIRROR)
    original = min(captures, key=lambda r: r.offset)
    revisits = [r for r in captures if r is not original]
    assert original.type == "response" and len(revisits) == 2
    for rev in revisits:
        assert rev.type == "revisit"
        assert rev.get("WARC-Refers-To") == original.get("WARC-Record-ID")
        assert rev.get("WARC-Refers-To-Target-URI") == original.get("WARC-Target-URI")
        assert rev.get("WARC-Refers-To-Date") == original.get("WARC-Date")
        assert rev.get("WARC-Payload-Digest") == original.get("WARC-Payload-Digest")
    (mirror,) = responses(records, MIRROR)
    assert ("Server", "nginx") in mirror.http_headers()  # its own headers are kept


def test_empty_payloads_are_never_deduplicated(audited):
    _, _, _, records = audited
    (redirect,) = responses(records, NOTICE)
    assert redirect.type == "response" and redirect.payload == b""


def test_a_body_cut_at_the_size_cap_is_marked_truncated(tmp_path):
    warc = tmp_path / "cut.warc.gz"
    record(warc, max_body=200)
    records = check_warc(warc)
    captures = responses(records, STORY) + responses(records, MIRROR)
    assert len(captures) == 3
    for capture in captures:
        # a truncated payload is not an original to deduplicate against
        assert capture.type == "response"
        assert capture.get("WARC-Truncated") == "length" and len(capture.payload) == 200


def test_records_are_flushed_as_written(tmp_path):
    from linkcheck.archive.writer import WarcSnapshot
    from linkcheck.model import Exchange

    snap = WarcSnapshot(tmp_path / "live.warc.gz", {"article": "x"})
    ex = Exchange(url="https://a.test/", method="GET", request_target="/",
                  request_headers=[("Host", "a.test")], http_version="HTTP/1.1", status=200,
                  reason="OK", response_headers=[("Content-Length", "2")], body=b"hi",
                  started=1639645200.0)
    rid = snap.write_exchange(ex)
    partial = raw_records(snap.open_path)  # read while the writer still holds it open
    assert not partial.partial_tail
    assert [r.type for r in partial.records] == ["warcinfo", "response", "request"]
    assert partial.records[1].get("WARC-Record-ID") == rid
    assert partial.records[1].get("WARC-Date") == "2021-12-16T09:00:00.000000Z"
    assert "WARC-IP-Address" not in dict(partial.records[1].headers)  # respx: no peer
    snap.close()
    check_warc(tmp_path / "live.warc.gz")


def test_the_reference_cassette_is_a_sound_warc():
    root = Path(__file__).resolve().parent.parent
    records = check_warc(root / "cassettes" / "nato-grushko.warc.gz")
    assert [r.type for r in records].count("metadata") == 3
