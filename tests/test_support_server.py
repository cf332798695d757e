"""Tests of the fault-injecting test server itself, with http.client and sockets."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.server import (
    FaultServer,
    chunked,
    drip,
    garbage,
    gzip,
    gzip_bomb,
    gzip_bomb_body,
    hang,
    huge,
    method_split,
    redirect,
    reset,
    respond,
    retry_after,
    sequence,
)


@pytest.fixture
def srv():
    with FaultServer(hosts=2) as s:
        yield s


def conn(srv: FaultServer, i: int = 1, timeout: float = 5) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(f"127.0.0.{i}", srv.port, timeout=timeout)


def get(srv: FaultServer, path: str, i: int = 1, method: str = "GET", headers=None):
    c = conn(srv, i)
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        c.close()


def raw_exchange(srv: FaultServer, path: str, i: int = 1) -> bytes:
    with socket.create_connection((f"127.0.0.{i}", srv.port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_respond_body_headers_and_default_404(srv):
    srv.route("/a", respond(201, "<p>héllo</p>", headers=[("X-One", "1"), ("X-Two", "2")]))
    srv.route("/b", respond(200, b"plain", {"X-K": "v"}, content_type="text/plain"))
    status, headers, body = get(srv, "/a")
    assert status == 201
    assert body == "<p>héllo</p>".encode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-One"] == "1" and headers["X-Two"] == "2"
    status, headers, body = get(srv, "/b?q=1")
    assert (status, body, headers["Content-Type"], headers["X-K"]) == (
        200, b"plain", "text/plain", "v")
    status, _, body = get(srv, "/missing")
    assert status == 404 and b"not found" in body
    srv.default(respond(418, "teapot"))
    assert get(srv, "/missing")[0] == 418


def test_keep_alive_and_request_body_consumed(srv):
    srv.route("/a", respond(200, "A"))
    srv.route("/post", respond(200, "P"))
    c = conn(srv)
    try:
        c.request("POST", "/post", body=b"x" * 5000)
        assert c.getresponse().read() == b"P"
        c.request("GET", "/a")
        assert c.getresponse().read() == b"A"
        c.request("HEAD", "/a")
        r = c.getresponse()
        assert r.headers["Content-Length"] == "1" and r.read() == b""
        c.request("GET", "/a")
        assert c.getresponse().read() == b"A"
    finally:
        c.close()
    # one connection carried all four requests
    assert len(srv.hits) == 4
    assert srv.max_in_flight_total == 1


def test_redirect(srv):
    srv.route("/old", redirect("/new"))
    srv.route("/tmp", redirect("http://example.org/x", status=302))
    status, headers, _ = get(srv, "/old")
    assert status == 301 and headers["Location"] == "/new"
    status, headers, _ = get(srv, "/tmp")
    assert status == 302 and headers["Location"] == "http://example.org/x"


def test_gzip(srv):
    srv.route("/z", gzip("<p>" + "squeeze " * 500 + "</p>", headers={"X-G": "1"}))
    status, headers, body = get(srv, "/z", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip" and headers["X-G"] == "1"
    assert int(headers["Content-Length"]) == len(body) < 500
    assert zlib.decompress(body, 31) == ("<p>" + "squeeze " * 500 + "</p>").encode()


def test_chunked_framing(srv):
    body = b"0123456789" * 25
    srv.route("/c", chunked(body, chunk_size=100))
    status, headers, got = get(srv, "/c")
    assert status == 200 and headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in headers
    assert got == body
    raw = raw_exchange(srv, "/c")
    framed = raw.split(b"\r\n\r\n", 1)[1]
    assert framed == (b"64\r\n" + body[:100] + b"\r\n64\r\n" + body[100:200]
                      + b"\r\n32\r\n" + body[200:] + b"\r\n0\r\n\r\n")


def test_routing_by_local_address_and_host_header(srv):
    srv.route("/x", respond(200, "one"), host="127.0.0.1")
    srv.route("/x", respond(200, "two"), host="127.0.0.2")
    srv.route("/y", respond(200, "named"), host="example.org")
    srv.route("/y", respond(200, "any"))
    assert srv.base(2) == f"http://127.0.0.2:{srv.port}"
    assert get(srv, "/x", 1)[2] == b"one"
    assert get(srv, "/x", 2)[2] == b"two"
    assert get(srv, "/y", 2, headers={"Host": "example.org:8080"})[2] == b"named"
    assert get(srv, "/y", 2)[2] == b"any"
    assert [h.host_addr for h in srv.hits_for("/x")] == ["127.0.0.1", "127.0.0.2"]
    assert srv.hits_for("/y")[0].host_header == "example.org:8080"


def test_hits_recorded(srv):
    srv.route("/p", respond(200, "ok"))
    t0 = time.monotonic()
    get(srv, "/p?a=1", headers={"X-Custom": "Yes", "User-Agent": "tester"})
    get(srv, "/p", method="HEAD")
    hits = srv.hits_for("/p")
    assert [(h.method, h.path) for h in hits] == [("GET", "/p?a=1"), ("HEAD", "/p")]
    assert srv.hits_for("/p?a=1") == hits[:1]
    first = hits[0]
    assert first.headers["x-custom"] == "Yes" and first.headers["user-agent"] == "tester"
    assert first.host_addr == "127.0.0.1"
    assert first.host_header == f"127.0.0.1:{srv.port}"
    assert t0 <= first.time <= hits[1].time <= time.monotonic()


def test_max_in_flight(srv):
    srv.route("/slow", respond(200, "slow", delay=0.3))
    barrier = threading.Barrier(4)

    def one(_):
        barrier.wait()
        return get(srv, "/slow")[0]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(one, range(4))) == [200] * 4
    assert srv.max_in_flight["127.0.0.1"] == 4
    assert srv.max_in_flight["127.0.0.2"] == 0
    assert srv.max_in_flight_total == 4
    assert srv.wait_idle() and srv.in_flight == {"127.0.0.1": 0, "127.0.0.2": 0}


def test_reset_gives_connection_error(srv):
    srv.route("/rst", reset())
    with pytest.raises(ConnectionError):
        get(srv, "/rst")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(b"GET /rst HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            s.recv(100)


def test_garbage_is_not_http(srv):
    srv.route("/g", garbage())
    with pytest.raises(http.client.BadStatusLine):
        get(srv, "/g")
    assert raw_exchange(srv, "/g") == b"\x00\xffnot http at all\r\n\r\n"


def test_sequence_and_retry_after(srv):
    srv.route("/s", sequence(respond(503, "busy"), respond(500), respond(200, "ok")))
    assert [get(srv, "/s")[0] for _ in range(4)] == [503, 500, 200, 200]
    srv.route("/r", retry_after("2", then=respond(200, "later")))
    status, headers, _ = get(srv, "/r")
    assert status == 429 and headers["Retry-After"] == "2"
    assert get(srv, "/r")[2] == b"later"
    srv.route("/r503", retry_after("Wed, 21 Oct 2015 07:28:00 GMT", status=503))
    status, headers, _ = get(srv, "/r503")
    assert status == 503 and headers["Retry-After"].startswith("Wed")
    assert get(srv, "/r503")[0] == 200


def test_method_split(srv):
    srv.route("/m", method_split(head=respond(405), get=respond(200, "body")))
    c = conn(srv)
    try:
        c.request("HEAD", "/m")
        r = c.getresponse()
        assert r.status == 405 and r.read() == b""
        c.request("GET", "/m")  # same connection: the HEAD answer carried no body
        r = c.getresponse()
        assert r.status == 200 and r.read() == b"body"
    finally:
        c.close()


def test_huge_and_gzip_bomb(srv):
    srv.route("/big", huge(3_000_000))
    status, headers, body = get(srv, "/big")
    assert status == 200 and len(body) == 3_000_000 == int(headers["Content-Length"])
    assert body.startswith(b"<p>lorem")
    size = 5 * (1 << 20) + 123
    srv.route("/bomb", gzip_bomb(size))
    status, headers, body = get(srv, "/bomb")
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < 10_000
    assert zlib.decompress(body, 31) == bytes(size)
    assert len(gzip_bomb_body(200_000_000)) < 250_000


def test_drip_stops_when_client_leaves(srv):
    srv.route("/d", drip(total_bytes=1000, interval=0.02))
    c = conn(srv)
    c.request("GET", "/d")
    r = c.getresponse()
    assert r.status == 200 and r.headers["Content-Length"] == "1000"
    assert r.read(3) == b"xxx"
    c.close()
    assert srv.wait_idle(timeout=2)


def test_handler_exception_does_not_kill_server(srv, capfd):
    async def boom(req, w):
        raise RuntimeError("kaboom")

    srv.route("/boom", boom)
    srv.route("/ok", respond(200, "ok"))
    status, _, body = get(srv, "/boom")
    assert status == 500 and b"kaboom" in body
    assert get(srv, "/ok")[2] == b"ok"
    assert "kaboom" in capfd.readouterr().err


def test_stop_is_prompt_with_pending_hang():
    s = FaultServer().start()
    s.route("/hang", hang())
    s.route("/drip", drip(interval=0.5))
    errors = []

    def client(path):
        try:
            get(s, path)
        except Exception as e:  # the connection is closed under the client
            errors.append(e)

    threads = [threading.Thread(target=client, args=(p,)) for p in ("/hang", "/drip")]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 2
    while s.in_flight_total < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert s.in_flight_total == 2
    t0 = time.monotonic()
    s.stop()
    assert time.monotonic() - t0 < 1.0
    for t in threads:
        t.join(timeout=2)
        assert not t.is_alive()
    assert len(errors) == 2
