"""The resolver against a fault-injecting server on 127.0.0.1: politeness,
retries, deadlines, caps, bot walls and safety, each observed at the server."""

import asyncio
import email.utils
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import respx

from linkcheck.model import Outcome
from linkcheck.resolve.client import Resolver
from linkcheck.resolve.safety import GuardedBackend, PrivateAddressError
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.resolve.transport import GuardedTransport
from tests.support.server import (
    FaultServer,
    drip,
    garbage,
    gzip_bomb,
    hang,
    huge,
    method_split,
    redirect,
    reset,
    respond,
    retry_after,
    sequence,
)

PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>text</p></body></html>"


def resolve(urls, **settings):
    settings.setdefault("allow_private", True)
    settings.setdefault("backoff_base", 0.05)

    async def run():
        s = ResolveSettings(**settings)
        async with Resolver(s, GuardedTransport(s.allow_private)) as r:
            return await r.resolve_all(urls)
    return asyncio.run(run())


def test_per_host_limit_is_never_exceeded_at_the_server():
    with FaultServer(hosts=2) as srv:
        srv.default(respond(200, PAGE.format("x"), delay=0.1))
        urls = [f"{srv.base(1 + i % 2)}/p{i}" for i in range(16)]
        out = resolve(urls, per_host=3, concurrency=64)
        assert all(r.outcome is Outcome.OK for r in out.values())
        assert max(srv.max_in_flight.values()) == 3
        assert srv.max_in_flight_total <= 6


def test_global_limit_is_never_exceeded():
    with FaultServer(hosts=4) as srv:
        srv.default(respond(200, "ok", delay=0.1))
        resolve([f"{srv.base(1 + i % 4)}/p{i}" for i in range(20)], per_host=4, concurrency=3)
        assert srv.max_in_flight_total == 3


def test_retry_after_seconds_is_honoured():
    with FaultServer() as srv:
        srv.route("/busy", retry_after("1", then=respond(200, PAGE.format("ok"))))
        (res,) = resolve([f"{srv.base()}/busy"]).values()
        first, second = srv.hits_for("/busy")
        assert res.outcome is Outcome.OK and res.attempts == 2
        assert 0.9 <= second.time - first.time < 3


def test_retry_after_http_date_is_honoured():
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    with FaultServer() as srv:
        srv.route("/busy", retry_after(when, status=503, then=respond(200, "ok")))
        (res,) = resolve([f"{srv.base()}/busy"]).values()
        first, second = srv.hits_for("/busy")
        assert res.outcome is Outcome.OK
        assert 0.9 <= second.time - first.time < 4


def test_retry_after_is_capped():
    with FaultServer() as srv:
        srv.route("/busy", retry_after("3600", then=respond(200, "ok")))
        started = time.monotonic()
        (res,) = resolve([f"{srv.base()}/busy"], retry_after_cap=0.5).values()
        assert res.outcome is Outcome.OK and time.monotonic() - started < 5


def test_503_then_200_is_recovered_and_429_after_retries_is_blocked():
    with FaultServer() as srv:
        srv.route("/flaky", sequence(respond(503, "down"), respond(200, PAGE.format("up"))))
        srv.route("/limited", respond(429, "slow down"))
        out = resolve([f"{srv.base()}/flaky", f"{srv.base()}/limited"], retries=2)
        assert out[f"{srv.base()}/flaky"].outcome is Outcome.OK
        limited = out[f"{srv.base()}/limited"]
        assert limited.outcome is Outcome.BLOCKED and len(srv.hits_for("/limited")) == 3


def test_404_is_not_retried():
    with FaultServer() as srv:
        srv.route("/gone", respond(404, "no"))
        (res,) = resolve([f"{srv.base()}/gone"], retries=3).values()
        assert res.outcome is Outcome.BROKEN and len(srv.hits) == 1


def test_a_dripping_server_is_cut_off_by_the_deadline():
    with FaultServer() as srv:
        srv.route("/drip", drip(total_bytes=1000, interval=0.3))
        started = time.monotonic()
        (res,) = resolve([f"{srv.base()}/drip"], timeout=1, retries=0).values()
        assert res.outcome is Outcome.BROKEN and res.error_kind == "timeout"
        assert time.monotonic() - started < 3


def test_a_hanging_server_times_out():
    with FaultServer() as srv:
        srv.route("/hang", hang())
        (res,) = resolve([f"{srv.base()}/hang"], timeout=0.5, retries=1).values()
        assert res.error_kind == "timeout" and res.attempts == 2


def test_huge_body_is_capped_and_gzip_bomb_costs_nothing():
    with FaultServer() as srv:
        srv.route("/huge", huge(60_000_000))
        srv.route("/bomb", gzip_bomb(200_000_000))
        started = time.monotonic()
        out = resolve([f"{srv.base()}/huge", f"{srv.base()}/bomb"], max_body=1_000_000,
                      max_decoded=2_000_000)
        assert time.monotonic() - started < 10
        assert out[f"{srv.base()}/huge"].outcome is Outcome.OK
        assert out[f"{srv.base()}/bomb"].outcome is Outcome.OK


def test_reset_and_garbage_are_error_outcomes():
    with FaultServer() as srv:
        srv.route("/reset", reset())
        srv.route("/garbage", garbage())
        srv.route("/fine", respond(200, PAGE.format("fine")))
        out = resolve([f"{srv.base()}/{p}" for p in ("reset", "garbage", "fine")], retries=1)
        assert out[f"{srv.base()}/reset"].outcome is Outcome.ERROR
        assert out[f"{srv.base()}/reset"].error_kind == "reset"
        assert out[f"{srv.base()}/garbage"].outcome is Outcome.ERROR
        assert out[f"{srv.base()}/fine"].outcome is Outcome.OK  # one failure costs no others


def test_head_405_get_200_is_ok_and_no_head_is_sent():
    with FaultServer() as srv:
        srv.route("/p", method_split(head=respond(405, ""), get=respond(200, PAGE.format("p"))))
        (res,) = resolve([f"{srv.base()}/p"]).values()
        assert res.outcome is Outcome.OK
        assert {h.method for h in srv.hits} == {"GET"}


@pytest.mark.parametrize("status,headers,title", [
    (403, {"cf-mitigated": "challenge", "Server": "cloudflare"}, "Just a moment..."),
    (503, {"Server": "cloudflare"}, "Attention Required! | Cloudflare"),
    (403, {"Server": "AkamaiGHost"}, "Access Denied"),
    (999, {}, "LinkedIn"),
    (200, {"Server": "cloudflare"}, "Just a moment..."),
])
def test_bot_walls_are_blocked_not_broken(status, headers, title):
    body = PAGE.format(title)
    if status == 200:
        body = body.replace("<p>text</p>", '<script src="/cdn-cgi/challenge-platform/x.js">'
                            "</script>")
    with FaultServer() as srv:
        srv.route("/wall", respond(status, body, headers=headers))
        (res,) = resolve([f"{srv.base()}/wall"], retries=0).values()
        assert res.outcome is Outcome.BLOCKED, res


def test_identifying_user_agent_and_per_domain_headers_stay_on_their_host():
    with FaultServer(hosts=2) as srv:
        srv.route("/start", redirect(f"{srv.base(2)}/elsewhere", 302))
        srv.route("/elsewhere", respond(200, "ok"))
        resolve([f"{srv.base()}/start"],
                headers_by_domain={"127.0.0.1": {"Authorization": "Bearer secret"}})
        first, second = srv.hits
        assert first.headers["authorization"] == "Bearer secret"
        assert "authorization" not in second.headers
        assert first.headers["user-agent"].startswith("linkcheck/")


def test_private_targets_are_refused_with_no_request_sent():
    with FaultServer() as srv:
        srv.route("/x", respond(200, "x"))
        out = resolve([f"{srv.base()}/x", "http://localhost:9/", "http://[::1]:9/",
                       "http://10.1.2.3/", "http://169.254.169.254/latest/"],
                      allow_private=False)
        assert srv.hits == []
        assert all(r.error_kind == "private-address" for r in out.values())


def test_a_public_url_redirecting_inward_is_refused_at_the_hop():
    async def run():
        s = ResolveSettings(allow_private=False)
        with respx.mock:
            respx.get("https://public.example-news.org/a").mock(return_value=httpx.Response(
                302, headers={"Location": "http://169.254.169.254/latest/meta-data"}))
            async with Resolver(s, httpx.AsyncHTTPTransport()) as r:
                return await r.resolve("https://public.example-news.org/a")
    res = asyncio.run(run())
    assert res.error_kind == "private-address" and res.private_address == "169.254.169.254"
    assert [h.status for h in res.hops] == [302]


def test_dns_answers_are_checked_at_connection_time(monkeypatch):
    """A public-looking name that resolves inward (DNS rebinding) is refused."""
    async def fake_getaddrinfo(host, port, **kw):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    async def run():
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", fake_getaddrinfo)
        with pytest.raises(PrivateAddressError) as err:
            await GuardedBackend().connect_tcp("rebind.example-news.org", 80, timeout=1)
        return err.value
    assert asyncio.run(run()).address == "10.0.0.7"


def test_cache_answers_the_second_run_with_no_request(tmp_path):
    with FaultServer() as srv:
        srv.route("/ok", respond(200, PAGE.format("cached page")))
        srv.route("/gone", respond(404, "no"))
        draft = tmp_path / "draft.txt"
        draft.write_text(f"{srv.base()}/ok and {srv.base()}/gone\n")
        args = [sys.executable, "-m", "linkcheck", "audit", str(draft), "--allow-private",
                "--format", "json", "--no-warc", "--cache", str(tmp_path / "cache.db")]
        subprocess.run(args, capture_output=True, timeout=60)
        assert len(srv.hits_for("/ok")) == 1
        second = json.loads(subprocess.run(args, capture_output=True, text=True,
                                           timeout=60).stdout)
        assert len(srv.hits_for("/ok")) == 1  # served from the cache
        assert len(srv.hits_for("/gone")) == 2  # failures are always checked again
        links = {lk["url"]: lk for lk in second["articles"][0]["links"]}
        assert links[f"{srv.base()}/ok"]["from_cache"] is True
        assert links[f"{srv.base()}/ok"]["title"] == "cached page"
        assert links[f"{srv.base()}/gone"]["from_cache"] is False


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_reports_what_finished_and_closes_the_warc(tmp_path, sig, code):
    with FaultServer() as srv:
        srv.route("/fast", respond(200, PAGE.format("fast")))
        srv.route("/slow", hang())
        draft = tmp_path / "draft.txt"
        draft.write_text(f"{srv.base()}/fast\n{srv.base()}/slow\n")
        warc = tmp_path / "snap.warc.gz"
        proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "audit", str(draft),
                                 "--allow-private", "--format", "json", "--warc", str(warc),
                                 "--no-cache", "--timeout", "30"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not srv.hits_for("/slow") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    links = {lk["url"]: lk for lk in json.loads(out)["articles"][0]["links"]}
    assert links[f"{srv.base()}/fast"]["outcome"] == "ok"
    assert links[f"{srv.base()}/slow"]["outcome"] == "skipped"
    assert warc.exists() and not Path(str(warc) + ".open").exists()
    check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", str(warc)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_no_progress_output_when_not_on_a_terminal(tmp_path):
    with FaultServer() as srv:
        srv.route("/ok", respond(200, "ok"))
        draft = tmp_path / "d.txt"
        draft.write_text(f"{srv.base()}/ok\n")
        proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit", str(draft),
                               "--allow-private", "--format", "json", "--no-warc", "--no-cache"],
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "CI": "true"})
        assert proc.stderr == "" and json.loads(proc.stdout)


def test_temporary_dns_failures_are_retried_and_missing_names_are_not(monkeypatch):
    calls = []

    async def fake_getaddrinfo(host, port, **kw):
        calls.append(host)
        if host == "flaky.example-news.org" and calls.count(host) == 1:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host == "flaky.example-news.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with FaultServer() as srv:
        srv.default(respond(200, PAGE.format("flaky dns")))

        async def run():
            monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", fake_getaddrinfo)
            s = ResolveSettings(allow_private=True, backoff_base=0.01, retries=2)
            async with Resolver(s, GuardedTransport(True)) as r:
                return await r.resolve_all([f"http://flaky.example-news.org:{srv.port}/a",
                                            "http://gone.example-news.org/b"])
        out = asyncio.run(run())
    flaky, gone = out.values()
    assert flaky.outcome is Outcome.OK and flaky.attempts == 2
    assert gone.error_kind == "dns" and gone.attempts == 1


def test_a_bad_certificate_is_a_tls_failure_not_retried(tmp_path):
    import shutil
    import ssl
    import threading

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handshakes = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(5)
    port = listener.getsockname()[1]

    def serve():
        for _ in range(3):  # bounded: at most three connections
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            handshakes.append(1)
            try:
                context.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    (res,) = resolve([f"https://127.0.0.1:{port}/"], retries=2).values()
    listener.close()
    assert res.outcome is Outcome.BROKEN and res.error_kind == "tls", res.error
    assert len(handshakes) == 1


def test_a_retry_after_beyond_the_deadline_gives_the_answer_not_a_timeout():
    with FaultServer() as srv:
        srv.route("/busy", respond(429, "slow down", headers={"Retry-After": "120"}))
        srv.route("/down", respond(503, "down", headers={"Retry-After": "120"}))
        started = time.monotonic()
        out = resolve([f"{srv.base()}/busy", f"{srv.base()}/down"], deadline=5,
                      retry_after_cap=120)
        assert time.monotonic() - started < 4
    assert out[f"{srv.base()}/busy"].outcome is Outcome.BLOCKED
    down = out[f"{srv.base()}/down"]
    assert (down.outcome, down.status) == (Outcome.BROKEN, 503)


def test_a_self_redirect_that_sets_a_cookie_is_not_a_loop():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gate":
            if "consent=yes" in request.headers.get("cookie", ""):
                return httpx.Response(200, html="<html><head><title>Story</title></head></html>")
            return httpx.Response(302, headers={"Location": "/gate",
                                                "Set-Cookie": "consent=yes; Path=/"})
        # /spin sets the same cookie every time and never answers: a loop
        return httpx.Response(302, headers={"Location": "/spin", "Set-Cookie": "n=1; Path=/"})

    async def go():
        s = ResolveSettings(retries=0, allow_private=True)
        with respx.mock:
            respx.route(host="cookies.test").mock(side_effect=answer)
            async with Resolver(s, httpx.AsyncHTTPTransport()) as r:
                return await r.resolve("https://cookies.test/gate"), \
                    await r.resolve("https://cookies.test/spin")

    gate, spin = asyncio.run(go())
    assert gate.outcome == Outcome.REDIRECTED and gate.status == 200
    assert [h.status for h in gate.hops] == [302, 200]
    assert spin.outcome == Outcome.ERROR and "loop" in spin.error
    assert len(spin.hops) == 2  # the cookie is set once; asked again with it, a loop
