"""`linkcheck fix` end to end: a local site (a permanent redirect, a URL with
tracking parameters, a dead page) and a real pywb holding an earlier capture
of the dead page. The diff is exactly the expected one for .md, .html (CRLF)
and .txt (cp1252); --write then a second fix proposes nothing; the fixed HTML
parses and our own extractor reads its Robust Links back; a draft needing no
fix is left byte for byte as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.mementos import Capture, FakeArchive, Wayback, write_warc

pytest.importorskip("pywb")

PAGE = "<!DOCTYPE html><html><head><title>{}</title></head><body><h1>{}</h1></body></html>"


def _site(target: str, headers):
    html = [("Content-Type", "text/html; charset=utf-8")]
    if target == "/old-path":
        return 301, [("Location", "/new-path")], b""
    if target == "/new-path":
        return 200, html, PAGE.format("Harbour notice", "Harbour notice").encode()
    if target.startswith("/story?"):
        return 200, html, PAGE.format("Union statement", "Union statement").encode()
    if target == "/ok":
        return 200, html, PAGE.format("Tide tables", "Tide tables").encode()
    return 404, html, PAGE.format("Not found", "Not found").encode()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fix")
    with FakeArchive(_site) as site:
        gone = f"{site.base}/gone"
        warc = write_warc(folder / "captures.warc.gz", [
            Capture(gone, "2021-12-10T10:00:00Z", title="Union page: strike called")])
        with Wayback(folder, [warc]) as wb:
            config = folder / "linkcheck.toml"
            config.write_text(f'archives = ["{wb.coll}"]\narchive_rate = 0\n', encoding="utf-8")
            yield {"site": site.base, "coll": wb.coll, "config": config, "folder": folder,
                   "memento": f"{wb.coll}20211210100000/{gone}"}


def fix(env, *args: str):
    return subprocess.run([sys.executable, "-m", "linkcheck", "fix", *args,
                           "--config", str(env["config"]), "--allow-private", "--no-cache",
                           "--published", "2021-12-17"],
                          capture_output=True, text=True, timeout=120)


def _draft(env, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = env["folder"] / name
    path.write_bytes(text.format(SITE=env["site"]).encode(encoding))
    return path


def _body(diff: str) -> str:
    """The diff without its comment lines (the reasons)."""
    return "".join(line for line in diff.splitlines(keepends=True) if not line.startswith("#"))


MD = """# Port strike

The harbour [moved its notice]({SITE}/old-path) on Friday.
Officials said so in [a statement]({SITE}/story?id=3&utm_source=feed).
The union's page <{SITE}/gone> is gone; see also {SITE}/gone for the record.

    curl {SITE}/gone

`{SITE}/gone` is the address quoted in the complaint.
"""


def test_markdown_diff_is_exactly_the_expected_one_and_a_second_fix_proposes_nothing(env):
    path = _draft(env, "draft.md", MD)
    site, m = env["site"], env["memento"]
    done = fix(env, str(path))
    assert done.returncode == 1, done.stderr
    robust = (f'data-originalurl="{site}/gone" data-versionurl="{m}" '
              'data-versiondate="2021-12-10"')
    assert _body(done.stdout) == (
        f"--- {path}\n+++ {path}\n@@ -1,8 +1,8 @@\n # Port strike\n \n"
        f"-The harbour [moved its notice]({site}/old-path) on Friday.\n"
        f"-Officials said so in [a statement]({site}/story?id=3&utm_source=feed).\n"
        f"-The union's page <{site}/gone> is gone; see also {site}/gone for the record.\n"
        f"+The harbour [moved its notice]({site}/new-path) on Friday.\n"
        f"+Officials said so in [a statement]({site}/story?id=3).\n"
        f'+The union\'s page <a href="{site}/gone" {robust}>{site}/gone</a> is gone; see also '
        f'<a href="{site}/gone" {robust}>{site}/gone</a> for the record.\n'
        f" \n     curl {site}/gone\n \n")
    assert f"# {path}:3:32: redirected: permanently redirected to {site}/new-path" in done.stdout
    assert "tracking-params: tracking parameters removed (utm_source)" in done.stdout
    assert "archived: archived copy added (127.0.0.1: closest capture before the story date " \
           "2021-12-17" in done.stdout
    assert path.read_text() == MD.format(SITE=site)  # not written without --write
    written = fix(env, str(path), "--write")
    assert written.returncode == 0, written.stderr
    assert Path(str(path) + ".orig").read_text() == MD.format(SITE=site)
    again = fix(env, str(path))
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    from linkcheck.extract.markdown import extract_markdown

    robust_links = [c for c in extract_markdown(path.read_text()) if c.version_url]
    assert [c.version_url for c in robust_links] == [m, m]


def test_markdown_link_style_adds_an_archived_link_after_the_original(env):
    path = _draft(env, "link-style.md", "See [the union page]({SITE}/gone) and <{SITE}/gone>.\n")
    site, m = env["site"], env["memento"]
    done = fix(env, str(path), "--style", "link", "--only", "archived")
    assert done.returncode == 1, done.stderr
    assert _body(done.stdout).splitlines()[-1] == (
        f"+See [the union page]({site}/gone) ([archived]({m})) and <{site}/gone> "
        f"([archived]({m})).")


HTML = ("<!DOCTYPE html>\r\n<html><head><title>Port strike</title></head><body>\r\n"
        "<p>The harbour <a href=\"{SITE}/old-path\">moved its notice</a>.</p>\r\n"
        "<p>The union's <a class=\"x\" href='{SITE}/gone'>page</a> is gone.</p>\r\n"
        "<pre>{SITE}/gone</pre>\r\n</body></html>\r\n")


def test_html_gets_robust_links_and_crlf_survives(env):
    path = _draft(env, "draft.html", HTML)
    site, m = env["site"], env["memento"]
    written = fix(env, str(path), "--write", "--no-backup")
    assert written.returncode == 0, written.stderr
    assert not Path(str(path) + ".orig").exists()
    expected = HTML.format(SITE=site).replace(f"{site}/old-path", f"{site}/new-path").replace(
        f"href='{site}/gone'>", f"href='{site}/gone' data-originalurl=\"{site}/gone\" "
        f"data-versionurl=\"{m}\" data-versiondate=\"2021-12-10\">")
    assert path.read_bytes() == expected.encode()
    from linkcheck.extract.html import extract_html

    cites = extract_html(path.read_bytes().decode())
    gone = next(c for c in cites if c.url == f"{site}/gone")
    assert (gone.version_url, gone.version_date) == (m, "2021-12-10")
    import lxml.html

    assert lxml.html.fromstring(path.read_bytes()).xpath("//a/@data-versionurl") == [m]
    assert fix(env, str(path)).stdout == ""


def test_plain_text_in_cp1252_gets_the_archived_url_in_brackets(env):
    text = "Le caf\u00e9 du port a ferm\u00e9. Source: {SITE}/gone\nVoir {SITE}/old-path.\n"
    path = _draft(env, "note.txt", text, "cp1252")
    site, m = env["site"], env["memento"]
    done = fix(env, str(path), "--write")
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == (
        f"Le caf\u00e9 du port a ferm\u00e9. Source: {site}/gone [archived: {m}]\n"
        f"Voir {site}/new-path.\n").encode("cp1252")


def test_only_picks_the_kinds_of_edit(env):
    path = _draft(env, "only.md", MD)
    done = fix(env, str(path), "--only", "redirected")
    assert done.returncode == 1
    body = _body(done.stdout)
    assert "+The harbour [moved its notice]" in body and "new-path" in body
    assert "+Officials" not in body  # its tracking parameters stay: not asked for
    assert "data-versionurl" not in body


def test_a_draft_needing_no_fix_is_byte_for_byte_unchanged(env):
    raw = ("Caf\u00e9 tides\r\nsee {SITE}/ok\r\n\r\nno newline at the end").format(
        SITE=env["site"]).encode("cp1252")
    path = env["folder"] / "fine.txt"
    path.write_bytes(raw)
    done = fix(env, str(path), "--write")
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert path.read_bytes() == raw and not Path(str(path) + ".orig").exists()


@pytest.mark.parametrize("args,message", [
    (["--only", "everything"], "--only: unknown kind everything"),
    (["--style", "footnote"], "fix_style must be one of html, link"),
    (["--no-backup"], "--no-backup only makes sense with --write"),
    (["--archive", "ftp://x/"], "--archive 'ftp://x/'"),
])
def test_bad_options_exit_2_with_one_line(env, args, message):
    path = _draft(env, "bad.md", "x {SITE}/ok\n")
    done = fix(env, str(path), *args)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
