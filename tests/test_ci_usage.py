"""How newsrooms run linkcheck in CI: many drafts, one crawl, several formats,
only changed drafts, baselines."""

import json
import subprocess

from tests.support.cli import run_cli
from tests.support.server import FaultServer, respond

PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"


def test_many_drafts_share_one_crawl_and_every_format_is_written(tmp_path):
    with FaultServer() as srv:
        srv.route("/shared", respond(200, PAGE.format("Shared source")))
        srv.route("/gone", respond(404, "no"))
        drafts = tmp_path / "drafts"
        (drafts / "politics").mkdir(parents=True)
        (drafts / "a.md").write_text(f"[shared]({srv.base()}/shared)\n")
        (drafts / "politics" / "b.html").write_text(
            f'<p><a href="{srv.base()}/shared">same</a> <a href="{srv.base()}/gone">x</a></p>')
        (drafts / "notes.docx").write_text("ignored: not a draft type")
        out = tmp_path / "reports"
        proc = run_cli("audit", str(drafts), "--allow-private", "--no-warc", "--no-cache",
                       "--format", "json", "--format", "sarif", "--format", "junit",
                       "--format", "markdown", "--format", "html", "--format", "github",
                       "--output-dir", str(out))
        assert len(srv.hits_for("/shared")) == 1  # fetched once for both drafts
    assert proc.returncode == 1, proc.stderr
    report = json.loads((out / "linkcheck.json").read_text())
    paths = [a["path"] for a in report["articles"]]
    assert paths == sorted(paths) and len(paths) == 2
    for name in ("linkcheck.sarif", "linkcheck.junit.xml", "linkcheck.md", "linkcheck.html",
                 "linkcheck.github.txt"):
        assert (out / name).stat().st_size > 0, name
    assert "::error file=" in (out / "linkcheck.github.txt").read_text()


def test_changed_since_audits_only_changed_drafts(tmp_path):
    repo = tmp_path / "newsroom"
    repo.mkdir()
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True,  # noqa: E731
                                    capture_output=True, text=True)
    git("init", "-q")
    git("config", "user.email", "desk@example-news.org")
    git("config", "user.name", "Desk")
    (repo / "old.md").write_text("No links.\n")
    (repo / "untouched.md").write_text("x\n")
    git("add", ".")
    git("commit", "-qm", "first")
    (repo / "new.md").write_text("Still no links.\n")
    (repo / "old.md").write_text("Edited, no links.\n")
    git("add", "new.md", "old.md")
    git("commit", "-qm", "second")
    (repo / "draft-not-yet-committed.md").write_text("y\n")
    proc = run_cli("audit", ".", "--changed-since", "HEAD~1", "--format", "json", "--no-warc",
                   cwd=repo)
    assert proc.returncode == 0, proc.stderr
    paths = sorted(a["path"] for a in json.loads(proc.stdout)["articles"])
    assert paths == ["draft-not-yet-committed.md", "new.md", "old.md"]


def test_changed_since_with_a_bad_ref_is_an_input_error(tmp_path):
    proc = run_cli("audit", ".", "--changed-since", "no-such-ref", "--no-warc", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_baseline_lets_ci_fail_only_on_new_findings(tmp_path):
    with FaultServer() as srv:
        srv.route("/gone", respond(404, "no"))
        srv.route("/also-gone", respond(410, "no"))
        draft = tmp_path / "a.md"
        draft.write_text(f"[old]({srv.base()}/gone)\n")
        baseline = tmp_path / "baseline.json"
        first = run_cli("audit", str(draft), "--allow-private", "--no-warc", "--no-cache",
                        "--write-baseline", str(baseline))
        assert first.returncode == 1
        again = run_cli("audit", str(draft), "--allow-private", "--no-warc", "--no-cache",
                        "--baseline", str(baseline))
        assert again.returncode == 0, again.stdout
        draft.write_text(f"Moved.\n\n[old]({srv.base()}/gone)\n[new]({srv.base()}/also-gone)\n")
        third = run_cli("audit", str(draft), "--allow-private", "--no-warc", "--no-cache",
                        "--baseline", str(baseline), "--format", "json")
    assert third.returncode == 1
    findings = json.loads(third.stdout)["articles"][0]["findings"]
    assert [f["url"].rsplit("/", 1)[-1] for f in findings] == ["also-gone"]


def test_config_file_severities_and_bad_config(tmp_path):
    with FaultServer() as srv:
        srv.route("/gone", respond(404, "no"))
        draft = tmp_path / "a.md"
        draft.write_text(f"[x]({srv.base()}/gone)\n")
        (tmp_path / "linkcheck.toml").write_text('allow_private = true\ncache = false\n'
                                                 'rules = {broken-link = "warning"}\n')
        ok = run_cli("audit", "a.md", "--no-warc", cwd=tmp_path)
        assert ok.returncode == 0, ok.stdout + ok.stderr  # a warning does not fail by default
        (tmp_path / "linkcheck.toml").write_text("per_hots = 2\n")
        bad = run_cli("audit", "a.md", "--no-warc", cwd=tmp_path)
        assert bad.returncode == 2 and "unknown key 'per_hots'" in bad.stderr
        shown = run_cli("config", cwd=tmp_path)
        assert shown.returncode == 2
