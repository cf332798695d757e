import pytest

from linkcheck.config import apply_cli, describe, load_config
from linkcheck.errors import InputError


def test_defaults_with_no_file(tmp_path):
    cfg = load_config(cwd=tmp_path)
    assert cfg["per_host"] == 2 and cfg.origins["per_host"] == "default"


def test_pyproject_table_then_command_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.linkcheck]\nper_host = 4\ntimeout = 3\nrules = {redirected = "off"}\n')
    cfg = apply_cli(load_config(cwd=tmp_path), {"timeout": 5.0, "per_host": None})
    assert cfg["per_host"] == 4 and "pyproject.toml" in cfg.origins["per_host"]
    assert cfg["timeout"] == 5.0 and cfg.origins["timeout"].startswith("command line")
    assert "per_host = 4    # pyproject.toml [tool.linkcheck]" in describe(cfg)


def test_linkcheck_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.linkcheck]\nper_host = 4\n")
    (tmp_path / "linkcheck.toml").write_text("per_host = 1\n")
    assert load_config(cwd=tmp_path)["per_host"] == 1


@pytest.mark.parametrize("body,needle", [
    ("per_hots = 3\n", "unknown key 'per_hots'"),
    ("per_host = 'two'\n", "per_host must be a whole number"),
    ("allow_private = 1\n", "allow_private must be true or false"),
    ("fail_on = 'sometimes'\n", "fail_on must be one of"),
    ("rules = {no-such-rule = 'error'}\n", "no such rule"),
    ("rules = {duplicate-link = 'loud'}\n", "rules.duplicate-link must be one of"),
    ("exclude = ['(unclosed']\n", "exclude pattern"),
    ("accept = {'linkedin.com' = ['999']}\n", "accept.linkedin.com"),
    ("per_host = \n", "not valid TOML"),
])
def test_bad_config_is_a_one_line_error_naming_the_key(tmp_path, body, needle):
    (tmp_path / "linkcheck.toml").write_text(body)
    with pytest.raises(InputError) as err:
        load_config(cwd=tmp_path)
    assert needle in str(err.value) and "\n" not in str(err.value)
