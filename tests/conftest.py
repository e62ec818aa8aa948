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
