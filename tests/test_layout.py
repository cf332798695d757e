"""The shape of the package: every module imports, no import cycle, the
README's rule table is the registry, and exit statuses mean what they say."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import linkcheck
from linkcheck.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_imports  # noqa: E402


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(linkcheck.__path__, "linkcheck.")
                  if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", _modules())
def test_every_module_imports_on_its_own(name):
    importlib.import_module(name)


def test_the_package_has_no_import_cycle():
    assert check_imports.cycles(check_imports.graph()) == []


def test_the_cycle_check_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert check_imports.cycles(edges) == [["a", "b", "c"]]
    assert check_imports.cycles({"a": {"b"}, "b": set()}) == []


def _readme_rules() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Rules", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", section, re.M))


def test_readme_rule_table_is_the_registry():
    assert _readme_rules() == {r.id: r.severity.value for r in RULES.values()}


def test_every_rule_has_a_summary_and_help_line_in_linkcheck_rules():
    from linkcheck.cli import app

    out = CliRunner().invoke(app, ["rules"]).output
    for rule in RULES.values():
        assert rule.summary
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.severity.value}\s+\S", out, re.M)


def test_an_internal_error_exits_3_with_one_line(monkeypatch, capsys, tmp_path):
    """A bug in linkcheck is not bad input: CI must be able to tell them apart."""
    import linkcheck.extract as extract_pkg
    from linkcheck import cli

    def boom(_article):
        raise ZeroDivisionError("planted bug")

    monkeypatch.setattr(extract_pkg, "extract", boom)
    draft = tmp_path / "a.txt"
    draft.write_text("See https://news.invalid/a\n")
    monkeypatch.setattr(sys, "argv", ["linkcheck", "extract", str(draft)])
    monkeypatch.delenv("LINKCHECK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "planted bug" in err


def test_bad_input_still_exits_2(monkeypatch, capsys, tmp_path):
    from linkcheck import cli

    monkeypatch.setattr(sys, "argv", ["linkcheck", "extract", str(tmp_path / "missing.txt")])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
