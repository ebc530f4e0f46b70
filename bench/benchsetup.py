"""What a bench script does before anything else: the repository on the path, settings from the
environment with the bench's own database (BENCH_DATABASE_URL, else the script's default), and
Django set up. `ensure_database()` creates a PostgreSQL bench database that does not exist yet."""

import os
import sys
from pathlib import Path


def start_django(default_database_url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default_database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.settings"
    import django

    django.setup()


def ensure_database() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    from psycopg import connect

    name = url.rsplit("/", 1)[1]
    with connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
