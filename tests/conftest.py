import os

import pytest


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """A temporary Prefect server and home for the tests that run flows.

    Results and cache records go to the run's own output folder (the flow sets
    that), and PREFECT_HOME to a temporary folder, so nothing leaks between test
    sessions or into the user's ~/.prefect.
    """
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def pair_folder(tmp_path):
    """A function writing ``{name: (zh, en)}`` as NAME.zh.txt / NAME.en.txt into tmp_path/in."""

    def write(pairs: dict) -> "os.PathLike":
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for name, (zh, en) in pairs.items():
            (folder / f"{name}.zh.txt").write_text(zh + "\n", encoding="utf-8")
            (folder / f"{name}.en.txt").write_text(en + "\n", encoding="utf-8")
        return folder

    return write
