"""The benchmarks' own PostgreSQL databases: created when missing, and Django's connection pointed at one."""

from django.db import connections


def ensure_database(settings_dict):
    """Create the database if missing (connecting to the server's "postgres" database to do it)."""
    import psycopg

    conninfo = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{key: value for key, value in conninfo.items() if value}, autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]]).fetchone()
        if not exists:
            server.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')


def use_database(settings_dict):
    """Point Django's default connection at `settings_dict` (closing the one open now)."""
    connections["default"].close()
    del connections["default"]
    current = connections.settings["default"]
    current.update(
        {
            key: value
            for key, value in settings_dict.items()
            if key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
        }
    )
    current["OPTIONS"] = {}
