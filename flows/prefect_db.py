"""A Prefect server's SQLite database: made at once on a new home, checked by revision.

Prefect's server makes a new database by running its migrations (115 of them for
SQLite in Prefect 3.9: ~9 s of CPU, more than the rest of its start-up), and runs
alembic on every start to find an existing one at the head revision (~0.3 s of CPU).
Here a new database is made instead from ``prefect-schema.sql``, the dump (SQLite's
``iterdump``) of a database that Prefect's own migrations made, if the installed
Prefect's head revision is the one the dump was made at (else Prefect migrates, as
usual); ``tests/test_prefect_db.py`` checks that both databases have the same
``sqlite_master`` entries and rows. An existing database is at the head revision when
its ``alembic_version`` row names it: the check alembic makes, without alembic.

After an upgrade of Prefect that brings new migrations, make the dump again:
``python -m flows.prefect_db``.
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

SCHEMA = Path(__file__).with_name("prefect-schema.sql")
HEADER = "-- Prefect {version}, alembic revision {revision}: `python -m flows.prefect_db` wrote it from a " \
         "database that Prefect's migrations made\n"
_HEADER_REVISION = re.compile(r"alembic revision (\w+)")
_REVISION = re.compile(r"^revision\s*=\s*[\"'](\w+)[\"']", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def migrations_dir() -> Path:
    """Prefect's SQLite migration scripts (found without importing Prefect)."""
    import importlib.util

    prefect_dir = Path(list(importlib.util.find_spec("prefect").submodule_search_locations)[0])
    return prefect_dir / "server" / "database" / "_migrations" / "versions" / "sqlite"


def head_revision(versions: Path | None = None) -> str | None:
    """The one head of the migration scripts in ``versions`` (default: the installed
    Prefect's), from their ``revision``/``down_revision`` lines; None when there is not
    exactly one, or a script says them otherwise."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (versions or migrations_dir()).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"[\"'](\w+)[\"']", down.group(1)))  # None, "rev" or ("rev", "rev")
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def revision(path: str) -> str | None:
    """The revision in the ``alembic_version`` table of the database at ``path``
    (None: no database there, no such table, or it cannot be read now)."""
    if not os.path.isfile(path):
        return None
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=2)) as con:
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return rows[0][0] if len(rows) == 1 else None


def at_head(path: str, head: str | None = None) -> bool:
    """The database at ``path`` needs none of the installed Prefect's migrations."""
    head = head or head_revision()
    return head is not None and revision(path) == head


def dump_revision(dump: Path = SCHEMA) -> str | None:
    try:
        with open(dump, encoding="utf-8") as fh:
            found = _HEADER_REVISION.search(fh.readline())
    except OSError:
        return None
    return found.group(1) if found else None


def make_from_dump(path: str, dump: Path = SCHEMA, head: str | None = None) -> bool:
    """Make a new database at ``path`` from ``dump`` if it was made at the installed
    Prefect's head revision (``head``: that revision, if known); False when it was not
    (nothing written: Prefect's migrations make the database)."""
    head = head or head_revision()
    if head is None or dump_revision(dump) != head:
        return False
    tmp = f"{path}.{os.getpid()}.new"
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            con.executescript(dump.read_text(encoding="utf-8"))
            con.execute("PRAGMA journal_mode = WAL")  # as Prefect's migrations leave it
        # linked into place whole: no server opens half of one, and a database that a server
        # started meanwhile (one not started by bitextflow) is never replaced under it
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:  # no hard links here: Prefect's migrations make it
        return False
    finally:
        with contextlib.suppress(OSError):
            os.remove(tmp)
    return True


def migrated_database(home: str) -> str:
    """A new database in the Prefect home ``home``, made by Prefect's own migrations (what
    its server runs on start), in a process of its own; returns its path."""
    code = ("import asyncio\nfrom prefect.server.database import provide_database_interface\n"
            "asyncio.run(provide_database_interface().create_db())\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    # a fixed hash seed: the order of some tables' foreign keys follows it (see the tests), and
    # so the same dump is written again from the same migrations
    env.update(PREFECT_HOME=home, PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PYTHONHASHSEED="0")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return os.path.join(home, "prefect.db")


def write_dump(database: str, dump: Path = SCHEMA) -> str:
    """Write ``database``'s dump, headed by its revision and the Prefect release; returns the revision."""
    from importlib.metadata import version

    found = revision(database)
    if found is None:
        raise ValueError(f"{database} has no alembic revision")
    with contextlib.closing(sqlite3.connect(database)) as con:
        lines = list(con.iterdump())
    tmp = dump.with_name(dump.name + ".new")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER.format(version=version("prefect"), revision=found))
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, dump)
    return found


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="prefect-home-") as home:
        found = write_dump(migrated_database(home))
    print(f"{SCHEMA}: alembic revision {found}")


if __name__ == "__main__":
    main()
