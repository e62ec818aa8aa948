"""A Prefect database made from the shipped dump, and the revision checks (flows/prefect_db.py)."""
import contextlib
import sqlite3

import pytest

from flows import prefect_db


def script(folder, name, revision, down):
    (folder / f"{name}.py").write_text(f'"""{name}"""\nrevision = "{revision}"\ndown_revision = {down}\n\n'
                                       "def upgrade():\n    pass\n", encoding="utf-8")


def test_the_head_is_the_one_revision_no_script_revises(tmp_path):
    script(tmp_path, "a", "aaa1", "None")
    script(tmp_path, "b", "bbb2", '"aaa1"')
    script(tmp_path, "c", "ccc3", '"aaa1"')
    assert prefect_db.head_revision(tmp_path) is None  # two heads
    script(tmp_path, "d", "ddd4", '("bbb2", "ccc3")')  # a merge
    assert prefect_db.head_revision(tmp_path) == "ddd4"
    (tmp_path / "e.py").write_text("revision = make_one()\n", encoding="utf-8")
    assert prefect_db.head_revision(tmp_path) is None  # a script read otherwise: no guess


def test_the_installed_prefect_has_one_head():
    head = prefect_db.head_revision()
    assert head is not None and head in {p.read_text(encoding="utf-8").split('revision = "')[1][:len(head)]
                                         for p in prefect_db.migrations_dir().glob("*.py")}


def small_dump(tmp_path, revision):
    dump = tmp_path / "schema.sql"
    dump.write_text(prefect_db.HEADER.format(version="0", revision=revision)
                    + "BEGIN TRANSACTION;\nCREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);\n"
                      f"INSERT INTO \"alembic_version\" VALUES('{revision}');\nCOMMIT;\n", encoding="utf-8")
    return dump


def test_a_database_is_made_from_a_dump_only_at_the_installed_head(tmp_path):
    dump = small_dump(tmp_path, "abc123")
    path = str(tmp_path / "prefect.db")
    assert not prefect_db.make_from_dump(path, dump, head="def456")
    assert not (tmp_path / "prefect.db").exists()
    assert prefect_db.make_from_dump(path, dump, head="abc123")
    assert prefect_db.revision(path) == "abc123"
    assert prefect_db.at_head(path, "abc123") and not prefect_db.at_head(path, "def456")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefect.db", "schema.sql"]  # no temporary file left


def test_a_database_made_meanwhile_is_not_replaced(tmp_path):
    path = tmp_path / "prefect.db"
    path.write_bytes(b"a server's")
    assert not prefect_db.make_from_dump(str(path), small_dump(tmp_path, "abc123"), head="abc123")
    assert path.read_bytes() == b"a server's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefect.db", "schema.sql"]


def test_a_missing_or_unversioned_database_is_not_at_head(tmp_path):
    path = str(tmp_path / "prefect.db")
    assert prefect_db.revision(path) is None and not (tmp_path / "prefect.db").exists()  # not created by asking
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE flow (id TEXT)")
    assert prefect_db.revision(path) is None
    assert not prefect_db.at_head(path, "abc123")


def test_the_shipped_dump_makes_a_database_at_its_revision(tmp_path):
    found = prefect_db.dump_revision()
    assert found is not None
    path = str(tmp_path / "prefect.db")
    assert prefect_db.make_from_dump(path, head=found)
    assert prefect_db.revision(path) == found
    with contextlib.closing(sqlite3.connect(path)) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert {"flow", "flow_run", "task_run", "events", "deployment_version"} <= tables


def unordered_constraints(sql):
    """A table's definition with its constraint lines in a set: Prefect's migrations order
    the foreign keys of the tables they rebuild by Python's string hashes, so two runs of
    them differ there (5 tables, PYTHONHASHSEED=1 and 2)."""
    lines = [line.rstrip(", ") for line in (sql or "").splitlines()]
    return ([line for line in lines if not line.lstrip().startswith("CONSTRAINT")],
            sorted(line for line in lines if line.lstrip().startswith("CONSTRAINT")))


def contents(path):
    """Everything a database holds but its page numbers: schema entries, rows, settings."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        master = sorted((kind, name, table, unordered_constraints(sql))
                        for kind, name, table, sql in con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        rows = {name: sorted(con.execute(f'SELECT * FROM "{name}"'), key=repr)
                for kind, name, _, _ in master if kind == "table"}
        pragmas = {p: con.execute(f"PRAGMA {p}").fetchall()
                   for p in ("journal_mode", "user_version", "application_id", "encoding", "auto_vacuum")}
    return master, rows, pragmas


@pytest.mark.slow
def test_the_shipped_dump_is_what_prefect_s_migrations_make(tmp_path):
    found, head = prefect_db.dump_revision(), prefect_db.head_revision()
    if found != head:
        pytest.skip(f"the dump is at {found}, the installed Prefect at {head}: `python -m flows.prefect_db`")
    migrated = prefect_db.migrated_database(str(tmp_path / "home"))
    made = str(tmp_path / "made.db")
    assert prefect_db.make_from_dump(made)
    master, rows, pragmas = contents(migrated)
    assert len(master) > 200 and rows["alembic_version"] == [(head,)]
    assert contents(made) == (master, rows, pragmas)
