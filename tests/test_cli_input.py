"""Bad input: one line on stderr, exit status 2, never a traceback."""


import pytest

from tests.support.cli import run_cli


def linkcheck(*args, stdin=None, cwd=None):
    return run_cli(*args, stdin=stdin, cwd=cwd, timeout=60)


def assert_input_error(proc, needle):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]


def test_missing_file(tmp_path):
    assert_input_error(linkcheck("audit", str(tmp_path / "nope.md"), "--no-warc"), "no such file")


def test_binary_file(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_input_error(linkcheck("audit", str(f), "--no-warc"), "binary")


def test_unknown_file_type(tmp_path):
    f = tmp_path / "draft.docx"
    f.write_text("hello")
    assert_input_error(linkcheck("extract", str(f)), "unsupported file type")


def test_malformed_published_date(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("no links here")
    assert_input_error(linkcheck("audit", str(f), "--published", "17/12/2021", "--no-warc"),
                       "not a valid date")


@pytest.mark.parametrize("args,needle", [
    (["--format", "yaml"], "unknown format"),
    (["--fail-on", "sometimes"], "--fail-on"),
])
def test_bad_options(tmp_path, args, needle):
    f = tmp_path / "a.txt"
    f.write_text("no links here")
    assert_input_error(linkcheck("audit", str(f), "--no-warc", *args), needle)


def test_unreadable_replay_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("https://news.example-site.org/a")
    assert_input_error(linkcheck("audit", str(f), "--replay", str(tmp_path / "x.warc.gz")),
                       "no such file")


def test_corrupt_replay_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("https://news.example-site.org/a")
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a warc at all\n" * 10)
    assert_input_error(linkcheck("audit", str(f), "--replay", str(bad)), "cannot read WARC")


def test_malformed_url_in_article_is_a_finding_not_a_crash(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("See [this](http://bad..host/x) and [that](http://[::1/x).\n")
    proc = linkcheck("audit", str(f), "--no-warc", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "malformed-url" in proc.stdout and "Traceback" not in proc.stderr


def test_extract_lists_citations_from_stdin():
    proc = linkcheck("extract", "-", stdin="Read https://a.org/x now.\n")
    assert proc.returncode == 0
    assert proc.stdout.strip() == "-:1:6\thttps://a.org/x"


def test_rules_lists_every_rule():
    proc = linkcheck("rules")
    assert proc.returncode == 0
    for rule in ("broken-link", "duplicate-link", "date-after-story", "redirected",
                 "blocked", "soft-404", "private-address"):
        assert rule in proc.stdout


def test_utf16_file_with_bom_is_read_as_text(tmp_path):
    f = tmp_path / "word-export.txt"
    f.write_bytes("Hi https://c.example-news.org/z ok\n".encode("utf-16"))
    proc = linkcheck("extract", str(f))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith(":1:4\thttps://c.example-news.org/z")


def test_crlf_lines_keep_their_columns(tmp_path):
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"Line one https://a.example-news.org/x.\r\n(https://b.example-news.org/y)\r\n")
    lines = linkcheck("extract", str(f)).stdout.splitlines()
    assert [line.split("\t")[0].split(":", 1)[1] for line in lines] == ["1:10", "2:2"]


def test_unwritable_report_or_snapshot_location_is_an_input_error(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("no links here")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert_input_error(linkcheck("audit", str(f), "--no-warc", "--output",
                                 str(blocker / "r.json")), "--output")
    assert_input_error(linkcheck("audit", str(f), "--warc", str(blocker / "x.warc.gz")),
                       "a-file")


def test_an_existing_snapshot_is_never_overwritten(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("no links here")
    old = tmp_path / "old.warc.gz"
    old.write_bytes(b"evidence")
    assert_input_error(linkcheck("audit", str(f), "--warc", str(old)), "already exists")
    assert old.read_bytes() == b"evidence"


def test_an_empty_published_date_is_an_input_error(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("no links here")
    assert_input_error(linkcheck("audit", str(f), "--published", "", "--no-warc"),
                       "not a valid date")
