import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory):
    """Keep the resolution cache and snapshots of test runs out of the user's folders,
    and public archives out of the tests."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    # No test may ask a public archive: the default list is emptied for every command a
    # test runs (tests that want archives name local ones with --archive or a config).
    values = {"XDG_CACHE_HOME": str(cache), "LINKCHECK_ARCHIVES": ""}
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
