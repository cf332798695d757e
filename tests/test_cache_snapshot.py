"""A snapshot is complete by default: the resolution cache is opt-in, and when it
answers a link the report, the text summary and the warcinfo name that link as
having no capture in this snapshot, with when and where it was captured."""

import json
import os
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from linkcheck.cli.cacheopt import bare_cache_flags
from tests.support.server import FaultServer, respond

PAGE = ("<html><head><title>Ministry statement</title></head><body><h1>Ministry "
        "statement</h1><p>The ministry said on Friday that talks would resume.</p>"
        "</body></html>")


def audit(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "linkcheck", "audit", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def captured(warc: Path) -> list[str]:
    with open(warc, "rb") as f:
        return [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)
                if r.rec_type == "response"]


def warcinfos(warc: Path) -> list[str]:
    with open(warc, "rb") as f:
        return [r.content_stream().read().decode() for r in ArchiveIterator(f)
                if r.rec_type == "warcinfo"]


def draft_for(srv, tmp_path) -> tuple[Path, str]:
    srv.route("/statement", respond(200, PAGE))
    url = f"{srv.base()}/statement"
    draft = tmp_path / "draft.txt"
    draft.write_text(f"The ministry said talks would resume ({url}).\n")
    return draft, url


def test_two_audits_on_one_day_both_keep_the_page_by_default(tmp_path):
    with FaultServer() as srv:
        draft, url = draft_for(srv, tmp_path)
        for name in ("first", "second"):
            proc = audit(str(draft), "--allow-private", "--format", "json",
                         "--warc", str(tmp_path / f"{name}.warc.gz"))
            assert proc.returncode == 0, proc.stderr
            report = json.loads(proc.stdout)
            assert report["not_captured"] == []
            assert report["articles"][0]["links"][0]["from_cache"] is False
        assert len(srv.hits_for("/statement")) == 2
        assert url in captured(tmp_path / "first.warc.gz")
        assert url in captured(tmp_path / "second.warc.gz")
        assert "resolution-cache" not in warcinfos(tmp_path / "second.warc.gz")[0]


def test_cached_link_is_named_as_not_captured_with_when_and_where(tmp_path):
    cache = tmp_path / "resolutions.db"
    with FaultServer() as srv:
        draft, url = draft_for(srv, tmp_path)
        first = audit(str(draft), "--allow-private", "--cache", str(cache),
                      "--warc", str(tmp_path / "first.warc.gz"))
        assert first.returncode == 0, first.stderr
        second = audit(str(draft), "--allow-private", "--cache", str(cache), "--format",
                       "json", "--warc", str(tmp_path / "second.warc.gz"))
        assert len(srv.hits_for("/statement")) == 1
        report = json.loads(second.stdout)
        (entry,) = report["not_captured"]
        assert entry["url"] == url and entry["warc"] == str(tmp_path / "first.warc.gz")
        assert entry["checked"].endswith("Z")
        assert report["articles"][0]["links"][0]["cached"]["warc"] == entry["warc"]
        assert url not in captured(tmp_path / "second.warc.gz")
        infos = warcinfos(tmp_path / "second.warc.gz")
        assert "resolution-cache: on" in infos[0]
        assert f"not-captured: {url} (checked " in infos[-1]
        assert "captured in first.warc.gz" in infos[-1]
        third = audit(str(draft), "--allow-private", "--cache", str(cache),
                      "--warc", str(tmp_path / "third.warc.gz"))
        assert "not captured in this snapshot: 1 link(s)" in third.stdout
        assert f"{url} (checked " in third.stdout and "first.warc.gz" in third.stdout


def test_bare_cache_flag_uses_the_default_file_and_config_can_turn_it_on(tmp_path):
    with FaultServer() as srv:
        draft, _ = draft_for(srv, tmp_path)
        default = Path(os.environ["XDG_CACHE_HOME"]) / "linkcheck" / "resolutions.sqlite3"
        default.unlink(missing_ok=True)
        proc = audit("--cache", str(draft), "--allow-private", "--no-warc")
        assert proc.returncode == 0, proc.stderr
        assert default.is_file()
        (tmp_path / "linkcheck.toml").write_text(
            f'cache = true\ncache_path = "{tmp_path / "cfg.db"}"\nallow_private = true\n')
        audit(str(draft), "--no-warc", cwd=tmp_path)
        assert (tmp_path / "cfg.db").is_file()
        hits = len(srv.hits_for("/statement"))
        audit(str(draft), "--no-warc", cwd=tmp_path)
        assert len(srv.hits_for("/statement")) == hits  # answered from cfg.db
        audit(str(draft), "--no-warc", "--no-cache", cwd=tmp_path)
        assert len(srv.hits_for("/statement")) == hits + 1  # --no-cache wins over the file


def test_cache_value_is_optional_but_a_named_file_is_kept():
    assert bare_cache_flags(["--cache", "draft.md"]) == ["--cache=", "draft.md"]
    assert bare_cache_flags(["a.txt", "--cache"]) == ["a.txt", "--cache="]
    assert bare_cache_flags(["--cache", "--no-warc", "a.txt"]) == ["--cache=", "--no-warc",
                                                                  "a.txt"]
    assert bare_cache_flags(["--cache", "https://news.example/story"])[0] == "--cache="
    # near misses: a cache file named after the option, and --cache=PATH, stay as given
    assert bare_cache_flags(["--cache", "links.db", "a.txt"]) == ["--cache", "links.db",
                                                                  "a.txt"]
    assert bare_cache_flags(["--cache=links.md", "a.txt"]) == ["--cache=links.md", "a.txt"]
    assert bare_cache_flags(["--", "--cache"]) == ["--", "--cache"]


def test_markdown_summary_names_links_with_no_capture():
    from datetime import date

    from linkcheck.model import Article, ArticleReport, AuditReport, StoryDate
    from linkcheck.report import markdown, text

    report = AuditReport([ArticleReport(Article("d.md", "", "md"), [], {},
                                        StoryDate(date(2021, 11, 4), "explicit"), [])],
                         warc="second.warc.gz", not_captured=[
                             {"url": "https://port.example/notice",
                              "checked": "2021-11-04T08:00:00Z", "warc": "first.warc.gz"}])
    assert "Not captured in this snapshot (1, answered from the cache): " \
        "`https://port.example/notice`" in markdown.render(report)
    assert "https://port.example/notice (checked 2021-11-04T08:00:00Z, captured in " \
        "first.warc.gz)" in text.render(report)
    report.not_captured = []
    assert "not captured" not in text.render(report).lower()  # near miss: nothing to say
