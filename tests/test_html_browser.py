"""The HTML report rendered by a real browser (Debian's chromium, headless,
with no network): the key elements are there, and a screenshot is saved as a
test artefact (test-artifacts/html-report.png)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install chromium); .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return exe


def browser(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-quic", f"--user-data-dir={profile}",
             "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             "--host-resolver-rules=MAP * ~NOTFOUND"]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120)


def test_html_report_renders_in_chromium(tmp_path):
    exe = chromium()
    report = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit",
                           "examples/nato-grushko.txt", "--replay",
                           "cassettes/nato-grushko.warc.gz", "--format", "html", "--output",
                           str(report)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    dom = browser(exe, tmp_path / "profile1", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    tree = lxml_html.fromstring(dom.stdout)
    assert tree.get_element_by_id("summary") is not None
    assert tree.find_class("timeline") and tree.xpath("//svg//circle")
    anomalies = tree.xpath("//svg//circle[contains(concat(' ', @class, ' '), ' anomaly ')]")
    assert len(anomalies) == 1  # the Moscow Times URL date, and only it
    text = tree.text_content()
    assert "duplicate-link" in text and "date-after-story" in text
    assert "2021-12-17" in text and "themoscowtimes.com" in text
    assert tree.find_class("links") and tree.find_class("findings")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    browser(exe, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1280,2000",
            "--hide-scrollbars", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000
