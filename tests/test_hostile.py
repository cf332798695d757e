"""The fault suite for hostile pages, damaged inputs, shared state and secrets.

Each case runs the CLI as a child process against a hostile server on
127.0.0.1 started here, and checks the bound (the child's peak RSS and wall
time), the verdict, that the WARC passes `warcio check`, and that no planted
secret reaches any output."""

from __future__ import annotations

import functools
import json

import pytest

from tests.support.hostile import outputs_containing, run_measured, warcio_check
from tests.support.server import FaultServer, respond

PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>text</p></body></html>"
BOMB_MB = 512


@functools.lru_cache
def brotli_bomb() -> bytes:
    """BOMB_MB MiB of zeros as one brotli stream (about 100 KB)."""
    import brotlicffi

    c = brotlicffi.Compressor(quality=1)
    zeros = bytes(1 << 20)
    return b"".join(c.process(zeros) for _ in range(BOMB_MB)) + c.finish()


def bomb_of(coding: str) -> bytes:
    if coding == "br":
        return brotli_bomb()
    if coding == "zstd":
        from backports import zstd

        c = zstd.ZstdCompressor(level=1)
        zeros = bytes(1 << 20)
        return b"".join(c.compress(zeros) for _ in range(BOMB_MB)) + c.flush()
    if coding == "gzip, br":  # gzip applied first, then brotli over it
        import brotlicffi

        from tests.support.server import gzip_bomb_body

        return brotlicffi.compress(gzip_bomb_body(BOMB_MB << 20), quality=1)
    raise ValueError(coding)


def audit(tmp_path, draft_text: str, *extra: str, name: str = "draft.md", timeout=120):
    draft = tmp_path / name
    draft.write_text(draft_text)
    warc = tmp_path / "snap.warc.gz"
    run = run_measured("audit", str(draft), "--allow-private", "--format", "json",
                       "--warc", str(warc), "--no-cache", "--retries", "0", *extra,
                       cwd=tmp_path, timeout=timeout)
    return run, warc


def links_of(run) -> dict[str, dict]:
    report = json.loads(run.stdout)
    return {lk["url"]: lk for lk in report["articles"][0]["links"]}


# 1. Every decoder streams with an output cap, live and replayed alike.

@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br"])
def test_compression_bombs_cost_bounded_memory_live_and_replayed(tmp_path, coding):
    body = bomb_of(coding)
    with FaultServer() as srv:
        srv.route("/bomb", respond(200, body, headers={"Content-Encoding": coding}))
        srv.route("/ok", respond(200, PAGE.format("Fine page")))
        base = srv.base()
        run, warc = audit(tmp_path, f"- [bomb]({base}/bomb)\n- [ok]({base}/ok)\n")
    assert run.returncode in (0, 1), run.stderr
    assert run.peak_mb < 300, f"{coding}: {run.peak_mb:.0f} MB"
    links = links_of(run)
    assert links[f"{base}/bomb"]["status"] == 200
    assert links[f"{base}/ok"]["outcome"] == "ok"
    assert warcio_check(warc).returncode == 0
    replay = run_measured("audit", str(tmp_path / "draft.md"), "--format", "json",
                          "--replay", str(warc), "--no-warc", "--allow-private", cwd=tmp_path)
    assert replay.returncode in (0, 1), replay.stderr
    assert replay.peak_mb < 300, f"replayed {coding}: {replay.peak_mb:.0f} MB"
    assert links_of(replay)[f"{base}/bomb"]["status"] == 200, json.dumps(links_of(replay))[:600]


# 2. Page analysis reads a bounded part of a page, in bytes and in elements.

def test_a_huge_one_line_page_is_analysed_within_bounds_and_costs_no_other_link(tmp_path):
    import gzip

    unit = b'<p><a href="/x">word</a> and <b>more</b></p>'
    html = (b"<html><head><title>Big page</title></head><body>"
            + unit * (50_000_000 // len(unit)) + b"</body></html>")
    body = gzip.compress(html, 9)  # about 150 KB on the wire
    with FaultServer() as srv:
        srv.route("/big", respond(200, body, headers={"Content-Encoding": "gzip"}))
        for i in range(6):
            srv.route(f"/ok{i}", respond(200, PAGE.format("Fine page"), delay=0.5 + 0.3 * i))
        base = srv.base()
        draft = f"- [big]({base}/big)\n" + "".join(f"- [ok]({base}/ok{i})\n" for i in range(6))
        run, warc = audit(tmp_path, draft, "--timeout", "4", "--per-host", "16")
    assert run.returncode == 0, run.stderr
    assert run.peak_mb < 300, f"{run.peak_mb:.0f} MB"
    assert run.seconds < 30
    links = links_of(run)
    assert links[f"{base}/big"]["title"] == "Big page"
    assert all(links[f"{base}/ok{i}"]["outcome"] == "ok" for i in range(6))
    assert warcio_check(warc).returncode == 0


def test_analysis_bounds_cut_by_size_and_by_element_count():
    from linkcheck.pages.bounds import ANALYSIS_BYTES, MAX_ELEMENTS, analysable_markup

    assert len(analysable_markup("x" * (ANALYSIS_BYTES * 2))) == ANALYSIS_BYTES
    tags = "<b>" * (MAX_ELEMENTS * 2)
    assert analysable_markup(tags).count("<") == MAX_ELEMENTS - 1
    small = "<p>" * 10
    assert analysable_markup(small) == small


# 3. Replay indexes the WARC and reads each record on demand, up to the body cap.

def hostile_warc(path, base: str) -> None:
    from tests.support.hostile import write_warc_response

    with open(path, "wb") as f:
        for i in range(4):  # four records of 256 MiB each, about 1 MB on disk
            write_warc_response(f, f"{base}/huge{i}", payload_size=256 << 20)
        write_warc_response(f, f"{base}/ok", body=PAGE.format("Fine page").encode(),
                            content_type="text/html")


def test_replay_and_compare_read_records_on_demand_within_the_cap(tmp_path):
    base = "http://replay.test"
    warc = tmp_path / "hostile.warc.gz"
    hostile_warc(warc, base)
    assert warc.stat().st_size < 3_000_000
    draft = tmp_path / "draft.md"
    draft.write_text("".join(f"- [h]({base}/huge{i})\n" for i in range(4)) + f"- [ok]({base}/ok)\n")
    run = run_measured("audit", str(draft), "--format", "json", "--replay", str(warc),
                       "--compare", str(warc), "--no-warc", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert run.peak_mb < 300, f"{run.peak_mb:.0f} MB"
    links = links_of(run)
    assert links[f"{base}/ok"]["title"] == "Fine page"
    assert all(links[f"{base}/huge{i}"]["status"] == 200 for i in range(4))


# 8. Damaged WARCs: a cut-off one is used up to the cut and says where; a
# corrupted one is one printable line; neither is an internal error.

@pytest.fixture
def damaged(tmp_path):
    import os
    import random

    from tests.support.hostile import write_warc_response

    whole = tmp_path / "whole.warc.gz"
    with open(whole, "wb") as f:
        write_warc_response(f, "http://a.test/1", body=PAGE.format("One").encode(),
                            content_type="text/html")
        second = f.tell()
        write_warc_response(f, "http://a.test/2", body=os.urandom(300_000),
                            content_type="text/html")
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:-100_000])
    rng = random.Random(7)
    bad = bytearray(data)
    for i in range(200, 400):
        bad[i] = rng.randrange(256)
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(bytes(bad))
    draft = tmp_path / "d.md"
    draft.write_text("- [a](http://a.test/1)\n- [b](http://a.test/2)\n")
    return draft, cut, corrupt, second


def _one_printable_line(text: str) -> bool:
    lines = text.strip().splitlines()
    return len(lines) == 1 and lines[0].isascii() and lines[0].isprintable()


def test_a_cut_off_warc_is_replayed_up_to_the_cut_and_says_where(damaged, tmp_path):
    draft, cut, _, second = damaged
    where = f"offset {second}"
    for flag in ("--replay", "--compare"):
        extra = ["--replay", str(cut)] if flag == "--replay" else [
            "--replay", str(cut), "--compare", str(cut)]
        run = run_measured("audit", str(draft), "--format", "json", "--no-warc", *extra,
                           cwd=tmp_path)
        assert run.returncode in (0, 1), run.stderr
        assert "ends early" in run.stderr and where in run.stderr
        report = json.loads(run.stdout)
        assert any(where in n for n in report["notices"])
        links = {lk["url"]: lk for lk in report["articles"][0]["links"]}
        assert links["http://a.test/1"]["title"] == "One"
    text = run_measured("audit", str(draft), "--no-warc", "--replay", str(cut), cwd=tmp_path)
    assert "ends early" in text.stdout


def test_a_corrupted_warc_is_one_printable_line(damaged, tmp_path):
    draft, _, corrupt, _ = damaged
    for flag in ("--replay", "--compare", "--dedup-against"):
        extra = [flag, str(corrupt)] + (["--warc", str(tmp_path / f"n{flag}.warc.gz")]
                                       if flag == "--dedup-against" else ["--no-warc"])
        run = run_measured("audit", str(draft), *extra, cwd=tmp_path)
        assert run.returncode == 2, (flag, run.stderr)
        assert _one_printable_line(run.stderr), (flag, run.stderr)
        assert "damaged" in run.stderr


def test_a_cut_off_warc_for_dedup_is_refused_in_one_clear_line(damaged, tmp_path):
    draft, cut, _, _ = damaged
    run = run_measured("audit", str(draft), "--dedup-against", str(cut), "--warc",
                       str(tmp_path / "new.warc.gz"), cwd=tmp_path)
    assert run.returncode == 2
    assert _one_printable_line(run.stderr) and "ends early" in run.stderr
    assert not (tmp_path / "new.warc.gz").exists()


# 4. Extraction is linear; standard input is capped like a file.

def test_bare_url_extraction_is_linear_on_one_huge_line(tmp_path):
    url = "https://site{0}.test/a/{0}?id={0}"
    text = " ".join(f"see {url.format(i)} and" for i in range(40_000))  # 1.7 MB, one line
    draft = tmp_path / "oneline.txt"
    draft.write_text(text)
    run = run_measured("extract", str(draft), "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count('"url"') == 40_000
    # quadratic, this took minutes and gigabytes; the bench has the 200,000-link figure
    assert run.seconds < 30 and run.peak_mb < 300, (run.seconds, run.peak_mb)
    sentence = json.loads(run.stdout)
    first = sentence[0] if isinstance(sentence, list) else sentence
    assert first


def test_context_around_a_url_is_bounded():
    from linkcheck.extract.text import MAX_CONTEXT, sentence_around

    text = "word " * 10_000 + "https://a.test/x" + " word" * 10_000
    start = text.index("https://")
    around = sentence_around(text, start, start + len("https://a.test/x"))
    assert 2 * MAX_CONTEXT - 10 <= len(around) <= 2 * MAX_CONTEXT


def test_standard_input_is_capped_like_a_file(tmp_path):
    from linkcheck.inputs.files import MAX_ARTICLE_BYTES

    big = b"https://a.test/ " * (MAX_ARTICLE_BYTES // 16 + 1024)
    (tmp_path / "big.txt").write_bytes(big)
    as_file = run_measured("extract", str(tmp_path / "big.txt"), cwd=tmp_path)
    on_stdin = run_measured("extract", "-", stdin=big, cwd=tmp_path)
    assert as_file.returncode == on_stdin.returncode == 2
    assert "too large" in on_stdin.stderr and len(on_stdin.stderr.strip().splitlines()) == 1
    assert on_stdin.peak_mb < 200


# 5. A shared cache never changes a verdict.

def _verdicts(run) -> dict:
    return {u: (lk["outcome"], lk["status"], lk["title"]) for u, lk in links_of(run).items()}


def test_two_audits_sharing_a_locked_cache_report_what_two_without_one_do(tmp_path):
    import sqlite3
    import subprocess
    import sys
    import threading
    import time

    with FaultServer() as srv:
        for i in range(12):
            srv.route(f"/p{i}", respond(200, PAGE.format(f"Page {i}"), delay=0.05))
        srv.route("/gone", respond(404, PAGE.format("Gone")))
        base = srv.base()
        text = "".join(f"- [p]({base}/p{i})\n" for i in range(12)) + f"- [g]({base}/gone)\n"
        (tmp_path / "a.md").write_text(text)
        (tmp_path / "b.md").write_text(text)
        common = ["--allow-private", "--format", "json", "--no-warc", "--retries", "0"]
        alone = [run_measured("audit", str(tmp_path / n), *common, "--no-cache", cwd=tmp_path)
                 for n in ("a.md", "b.md")]
        cache = tmp_path / "shared.sqlite3"
        sqlite3.connect(cache).execute("CREATE TABLE IF NOT EXISTS resolutions (key TEXT "
                                       "PRIMARY KEY, version INTEGER, stored REAL, data TEXT)")
        holder = sqlite3.connect(cache, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN EXCLUSIVE")  # another audit in the middle of a write

        def release():
            time.sleep(3)
            holder.execute("ROLLBACK")

        threading.Thread(target=release, daemon=True).start()
        procs = [subprocess.Popen([sys.executable, "-m", "linkcheck", "audit",
                                   str(tmp_path / n), *common, "--cache", str(cache)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=tmp_path) for n in ("a.md", "b.md")]
        shared = [p.communicate(timeout=120) for p in procs]
        third = run_measured("audit", str(tmp_path / "a.md"), *common, "--cache", str(cache),
                             cwd=tmp_path)
    expected = _verdicts(alone[0])
    assert expected == _verdicts(alone[1])
    assert sum(1 for v in expected.values() if v[0] == "ok") == 12
    for (out, err), proc in zip(shared, procs, strict=True):
        assert proc.returncode == alone[0].returncode, err
        report = json.loads(out)
        got = {lk["url"]: (lk["outcome"], lk["status"], lk["title"])
               for lk in report["articles"][0]["links"]}
        assert got == expected
        assert "the audit was interrupted" not in out
    assert _verdicts(third) == expected
    assert sum(json.loads(third.stdout)["articles"][0]["links"][i]["from_cache"]
               for i in range(12)) == 12  # the shared writes did land


def test_a_cache_locked_past_the_busy_timeout_keeps_the_verdicts_and_warns(tmp_path,
                                                                         monkeypatch,
                                                                         capsys):
    import asyncio
    import sqlite3

    from linkcheck.pipeline import AuditOptions, run_audit
    from linkcheck.resolve import cache as cache_module
    from linkcheck.resolve.settings import ResolveSettings

    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.2)
    path = tmp_path / "c.sqlite3"
    cache_module.ResolutionCache(path, 60).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with FaultServer() as srv:
        srv.route("/p", respond(200, PAGE.format("Fine")))
        draft = tmp_path / "d.md"
        draft.write_text(f"- [p]({srv.base()}/p)\n")
        options = AuditOptions(settings=ResolveSettings(allow_private=True),
                               cache_path=path)
        report = asyncio.run(run_audit([str(draft)], options))
    holder.execute("ROLLBACK")
    (res,) = report.articles[0].links.values()
    assert res.outcome.value == "ok" and res.meta.title == "Fine"
    err = capsys.readouterr().err
    assert err.count("could not") == 1 and "verdicts are unaffected" in err


# 6. One audit at a time writes a WARC; a leftover .open is never truncated.

def test_two_audits_with_one_warc_path_one_writes_and_one_is_refused(tmp_path):
    import subprocess
    import sys

    with FaultServer() as srv:
        for i in range(6):
            srv.route(f"/p{i}", respond(200, PAGE.format(f"Page {i}"), delay=0.3))
        base = srv.base()
        draft = tmp_path / "d.md"
        draft.write_text("".join(f"- [p]({base}/p{i})\n" for i in range(6)))
        warc = tmp_path / "same.warc.gz"
        procs = [subprocess.Popen([sys.executable, "-m", "linkcheck", "audit", str(draft),
                                   "--allow-private", "--no-cache", "--warc", str(warc),
                                   "--format", "json"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=tmp_path)
                 for _ in range(2)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(r[0] for r in results)
    assert codes == [0, 2], results
    refused = next(r for r in results if r[0] == 2)
    assert len(refused[2].strip().splitlines()) == 1
    assert "another audit" in refused[2] or "already exists" in refused[2]
    assert warcio_check(warc).returncode == 0
    assert not warc.with_name(warc.name + ".open").exists()


def test_a_leftover_open_file_is_never_truncated(tmp_path):
    warc = tmp_path / "snap.warc.gz"
    leftover = warc.with_name(warc.name + ".open")
    leftover.write_bytes(b"records of a killed run")
    draft = tmp_path / "d.md"
    draft.write_text("- [p](http://127.0.0.1:9/p)\n")
    run = run_measured("audit", str(draft), "--warc", str(warc), "--no-cache", cwd=tmp_path)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "interrupted run" in run.stderr
    assert leftover.read_bytes() == b"records of a killed run"
    assert not warc.exists()


# 7. Unusable charset labels fall back to detection; odd headers are not errors;
# a damaged config file is one line.

@pytest.mark.parametrize("label", ["idna", "undefined", "punycode", "rot13", "base64"])
def test_unusable_charset_labels_fall_back_to_detection(tmp_path, label):
    page = PAGE.format("Fine page").replace("<head>", f'<head><meta charset="{label}">')
    with FaultServer() as srv:
        srv.route("/p", respond(200, page, headers={
            "Content-Type": f"text/html; charset={label}"}))
        base = srv.base()
        run, warc = audit(tmp_path, f"- [p]({base}/p)\n")
    assert run.returncode == 0, run.stderr
    link = links_of(run)[f"{base}/p"]
    assert (link["outcome"], link["title"]) == ("ok", "Fine page")
    draft = tmp_path / "draft.html"
    draft.write_text(f'<html><head><meta charset="{label}"></head><body>'
                     f'<a href="{base}/p">p</a></body></html>')
    extracted = run_measured("extract", str(draft), cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    assert f"{base}/p" in extracted.stdout


@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0662", "1e3", "-5", "Tue, 99 Foo"])
def test_odd_retry_after_values_are_no_error_and_the_exchange_is_archived(tmp_path, value):
    with FaultServer() as srv:
        srv.route("/busy", respond(429, PAGE.format("Slow down"),
                                   headers=[("Retry-After", value.encode().decode("latin-1"))]))
        base = srv.base()
        run, warc = audit(tmp_path, f"- [b]({base}/busy)\n", "--retries", "1")
    assert run.returncode in (0, 1), run.stderr
    link = links_of(run)[f"{base}/busy"]
    assert link["outcome"] == "blocked" and link["status"] == 429, link
    assert warcio_check(warc).returncode == 0
    from tests.support.hostile import readable_bytes

    assert link["attempts"] == 2  # the header ignored: retried after the usual backoff
    assert readable_bytes(warc).count(b"WARC-Type: response") == 1  # the final answer


@pytest.mark.parametrize("content", [
    "timeout = 5\n".encode("utf-16"),
    b'user_agent = "caf\xe9"\n',
    ("x = " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    ("[" + ".".join(["a"] * 3000) + "]\n").encode(),
])
def test_a_damaged_config_file_is_one_line_exit_2(tmp_path, content):
    (tmp_path / "linkcheck.toml").write_bytes(content)
    for args in (["config"], ["extract", "x.txt"]):
        (tmp_path / "x.txt").write_text("https://a.test/\n")
        run = run_measured(*args, cwd=tmp_path)
        if args[0] == "extract" and run.returncode == 0:
            continue  # extract reads no settings
        assert run.returncode == 2, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert "Traceback" not in run.stderr


def test_linkcheck_toml_takes_the_tool_linkcheck_heading_too(tmp_path):
    (tmp_path / "linkcheck.toml").write_text("[tool.linkcheck]\ntimeout = 7\n")
    run = run_measured("config", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "timeout = 7" in run.stdout


# 12. 6to4, Teredo and site-local IPv6 are judged by what they embed; a trailing
# dot changes nothing.

def test_embedded_and_dotted_private_targets_are_refused_with_no_connection_or_dns(
        monkeypatch):
    import asyncio

    from linkcheck.resolve.client import Resolver
    from linkcheck.resolve.safety import GuardedBackend, PrivateAddressError
    from linkcheck.resolve.settings import ResolveSettings
    from linkcheck.resolve.transport import GuardedTransport

    with FaultServer() as srv:
        srv.route("/x", respond(200, "x"))
        port = srv.base().rsplit(":", 1)[1]
        urls = [f"http://[2002:7f00:1::]:{port}/x", f"http://[2002:a00:1::]:{port}/x",
                f"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]:{port}/x",
                f"http://[fec0::1]:{port}/x", f"http://localhost.:{port}/x",
                f"http://127.0.0.1.:{port}/x", f"http://app.localhost.:{port}/x"]
        lookups = []

        async def run():
            loop = asyncio.get_running_loop()
            real = loop.getaddrinfo

            async def counting(host, *a, **kw):
                lookups.append(host)
                return await real(host, *a, **kw)

            monkeypatch.setattr(loop, "getaddrinfo", counting)
            s = ResolveSettings(allow_private=False, retries=0)
            async with Resolver(s, GuardedTransport(False)) as r:
                out = await r.resolve_all(urls)
            # the backend refuses them by itself too, whoever calls it
            for host in ("2002:7f00:1::", "localhost.", "127.0.0.1.", "fec0::1"):
                with pytest.raises(PrivateAddressError):
                    await GuardedBackend().connect_tcp(host, int(port), timeout=1)
            return out

        out = asyncio.run(run())
        assert srv.hits == []
    assert lookups == []
    assert all(r.error_kind == "private-address" for r in out.values()), {
        u: r.error for u, r in out.items()}
    assert "6to4 embedding 127.0.0.1" in out[urls[0]].error
    # the public 6to4 range is not refused wholesale
    from linkcheck.resolve.safety import forbidden_reason

    assert forbidden_reason("2002:808:808::1") is None


# 9-11. Secrets: credentials in cited URLs and redirects, configured header
# values and cookies never reach the server or any output.

ALL_FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "html"]


def audit_everything(tmp_path, draft_text: str, *extra: str):
    """An audit writing every output there is: each report format, WARC, CDXJ,
    WACZ, cache and baseline. Returns (run, folder of outputs)."""
    out = tmp_path / "out"
    out.mkdir()
    draft = tmp_path / "draft.md"
    draft.write_text(draft_text)
    args = ["audit", str(draft), "--allow-private", "--retries", "0",
            "--warc", str(out / "snap.warc.gz"), "--index", "--wacz",
            "--cache", str(out / "cache.sqlite3"), "--write-baseline", str(out / "base.json"),
            "--output-dir", str(out / "reports"), "--fail-on", "never", *extra]
    for f in ALL_FORMATS:
        args += ["--format", f]
    run = run_measured(*args, cwd=tmp_path)
    stdout = run_measured("audit", str(draft), "--allow-private", "--retries", "0",
                          "--no-warc", "--no-cache", "--fail-on", "never", *extra,
                          cwd=tmp_path)
    assert stdout.returncode == 0 and "link(s)" in stdout.stdout, stdout.stderr
    return run, out, stdout


def test_credentials_in_cited_urls_and_redirects_are_never_sent_or_stored(tmp_path):
    with FaultServer() as srv:
        srv.route("/page", respond(200, PAGE.format("Fine page")))
        srv.route("/gone", respond(404, PAGE.format("Gone")))
        host = srv.base().split("//", 1)[1]
        srv.route("/redir", respond(302, "", headers={
            "Location": f"http://carol:REDIRSECRET@{host}/page"}))
        draft = (f"- [a](http://bob:PA@SS2WORD@{host}/page)\n"
                 f"- [b](http://bob:PA@SS2WORD@{host}/gone)\n"
                 f"- [c](http://{host}/redir)\n"
                 f"Bare: http://dave:BARE@SECRET3@{host}/page?x=1 too.\n")
        run, out, plain = audit_everything(tmp_path, draft)
        hits = list(srv.hits)
    assert run.returncode == 0, run.stderr
    assert hits and all("authorization" not in h.headers for h in hits)
    assert all(h.host_addr == "127.0.0.1" for h in hits)
    for secret in ("SS2WORD", "REDIRSECRET", "SECRET3", "PA@", "bob:", "carol:"):
        assert outputs_containing(secret, out, texts={"stdout": plain.stdout,
                                                      "stderr": run.stderr}) == [], secret
    report = json.loads((out / "reports" / "linkcheck.json").read_text())
    rules = {f["rule"] for f in report["articles"][0]["findings"]}
    assert {"credentials-in-url", "broken-link"} <= rules
    assert warcio_check(out / "snap.warc.gz").returncode == 0
    from tests.support.hostile import readable_bytes

    warc = readable_bytes(out / "snap.warc.gz")
    assert f"Location: http://{host}/page".encode() in warc


def test_userinfo_is_split_at_the_last_at_sign():
    from linkcheck.urls.normalise import redact_userinfo, strip_userinfo

    assert strip_userinfo("http://bob:PA@SS2WORD@host.test/a@b") == "http://host.test/a@b"
    assert strip_userinfo("https://u@h.test/?q=a@b#c@d") == "https://h.test/?q=a@b#c@d"
    assert redact_userinfo('{"url": "http://a:b@c@h.test/", "x": "m@n"}') == \
        '{"url": "http://h.test/", "x": "m@n"}'


def test_configured_header_values_are_sent_but_never_archived_or_shown(tmp_path):
    with FaultServer() as srv:
        srv.route("/page", respond(200, PAGE.format("Fine page")))
        host = srv.base().split("//", 1)[1]
        (tmp_path / "linkcheck.toml").write_text(
            '[headers]\n"127.0.0.1" = {X-Api-Key = "KEYSECRET42", '
            'Authorization = "Bearer TOKSECRET43"}\n')
        run, out, plain = audit_everything(tmp_path, f"- [a](http://{host}/page)\n")
        hits = list(srv.hits)
    assert run.returncode == 0, run.stderr
    assert hits[0].headers["x-api-key"] == "KEYSECRET42"  # sent, as configured
    for secret in ("KEYSECRET42", "TOKSECRET43"):
        assert outputs_containing(secret, out, texts={"stdout": plain.stdout}) == []
    from tests.support.hostile import readable_bytes

    warc = readable_bytes(out / "snap.warc.gz")
    assert b"X-Api-Key: <redacted>" in warc and b"Authorization: <redacted>" in warc
    shown = run_measured("config", cwd=tmp_path)
    assert shown.returncode == 0 and "X-Api-Key" in shown.stdout
    assert "KEYSECRET42" not in shown.stdout and "TOKSECRET43" not in shown.stdout


def test_cookies_follow_one_links_redirect_chain_and_no_other_link(tmp_path):
    from tests.support.server import redirect

    async def consent(req, w):  # the consent dance: a cookie, then the page
        await w.send(302, b"", headers=[("Location", "/article"),
                                        ("Set-Cookie", "consent=COOKIESECRET7; Path=/")])

    async def article(req, w):
        ok = "consent=COOKIESECRET7" in req.headers.get("cookie", "")
        await w.send(200 if ok else 403, PAGE.format("Article" if ok else "Consent wall"))

    with FaultServer(hosts=2) as srv:
        srv.route("/consent", consent)
        srv.route("/article", article)
        srv.route("/other", respond(200, PAGE.format("Other page")))
        srv.route("/hop", redirect("/other"))
        one, two = srv.base(1), srv.base(2)
        draft = (f"- [a]({one}/consent)\n- [b]({one}/other)\n- [c]({two}/hop)\n"
                 f"- [d]({one}/article)\n")
        run, out, plain = audit_everything(tmp_path, draft, "--per-host", "1")
        hits = list(srv.hits)
    assert run.returncode == 0, run.stderr
    links = {lk["url"]: lk for lk in
             json.loads((out / "reports" / "linkcheck.json").read_text())["articles"][0]["links"]}
    assert links[f"{one}/consent"]["title"] == "Article"  # the chain carried its cookie
    assert links[f"{one}/article"]["status"] == 403  # another link never got it
    with_cookie = [h.path for h in hits if "cookie" in h.headers]
    # only the hop after the Set-Cookie, once in each of the two audits
    assert with_cookie == ["/article", "/article"], with_cookie
    from tests.support.hostile import readable_bytes

    warc = readable_bytes(out / "snap.warc.gz")
    assert warc.count(b"\r\nCookie: <redacted>") == 1  # the archive says one was sent
    assert b"Set-Cookie: consent=<redacted>; Path=/" in warc
    assert outputs_containing("COOKIESECRET7", out, texts={"stdout": plain.stdout}) == []


# Smaller: what is retried is what README says; --write-baseline checked first.

def test_a_reset_mid_answer_and_a_read_timeout_are_retried_a_404_is_not(tmp_path):
    import asyncio

    from linkcheck.resolve.client import Resolver
    from linkcheck.resolve.settings import ResolveSettings
    from linkcheck.resolve.transport import GuardedTransport
    from tests.support.server import hang, reset, sequence

    with FaultServer() as srv:
        srv.route("/reset", sequence(reset(), respond(200, PAGE.format("ok"))))
        srv.route("/slow", sequence(hang(), respond(200, PAGE.format("ok"))))
        srv.route("/gone", respond(404, "no"))
        urls = [srv.url("/reset"), srv.url("/slow"), srv.url("/gone")]

        async def run():
            s = ResolveSettings(allow_private=True, retries=2, backoff_base=0.05, timeout=1)
            async with Resolver(s, GuardedTransport(True)) as r:
                return await r.resolve_all(urls)

        out = asyncio.run(run())
    assert [out[u].attempts for u in urls] == [2, 2, 1]
    assert out[urls[0]].outcome.value == out[urls[1]].outcome.value == "ok"
    readme = (__import__("pathlib").Path(__file__).parent.parent / "README.md").read_text()
    assert "a read or write timeout" in readme and "connection reset" in readme


def test_write_baseline_problems_are_reported_before_the_crawl(tmp_path):
    with FaultServer() as srv:
        srv.route("/p", respond(200, PAGE.format("x")))
        draft = tmp_path / "d.md"
        draft.write_text(f"- [p]({srv.url('/p')})\n")
        (tmp_path / "afolder").mkdir()
        for target in (tmp_path / "afolder", tmp_path / "file.txt" / "below.json"):
            (tmp_path / "file.txt").write_text("x")
            run = run_measured("audit", str(draft), "--allow-private", "--no-warc",
                               "--no-cache", "--write-baseline", str(target), cwd=tmp_path)
            assert run.returncode == 2 and "--write-baseline" in run.stderr, run.stderr
            assert len(run.stderr.strip().splitlines()) == 1
        assert srv.hits == []  # refused before any fetch
