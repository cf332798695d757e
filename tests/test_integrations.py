"""The GitHub Action and pre-commit hook call commands and options that exist."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def help_text(*command):
    proc = subprocess.run([sys.executable, "-m", "linkcheck", *command, "--help"],
                          capture_output=True, text=True, timeout=60,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "TERM": "dumb"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_action_is_a_composite_action_whose_linkcheck_options_exist():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    scripts = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    assert "linkcheck audit" in scripts
    audit_help = help_text("audit")
    flags = set(re.findall(r"(--[a-z][a-z-]+)", scripts.split("linkcheck audit", 1)[1]))
    assert flags, "the action passes no option to linkcheck audit"
    for flag in flags:
        assert flag in audit_help, flag
    formats = re.findall(r"--format (\w+)", scripts)
    from linkcheck.report import FORMATS
    assert formats and all(f in FORMATS for f in formats)
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert "github/codeql-action/upload-sarif@v3" in uses


def test_pre_commit_hooks_call_real_commands():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks
    checked = 0
    for hook in hooks:
        words = hook["entry"].split()
        assert words[0] == "linkcheck"
        command_help = help_text(words[1])
        for flag in (w for w in words[2:] if w.startswith("--")):
            assert flag in command_help, (hook["id"], flag)
            checked += 1
    assert checked, "no hook passes an option: nothing was checked"
