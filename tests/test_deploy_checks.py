"""Production settings pass Django's deployment checks, and refuse to start without a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def manage(*arguments, **environment):
    """Run manage.py with production settings in a clean process (settings are read at import)."""
    # Nothing from this test run leaks in: no settings module, no DJANGO_ALLOW_ASYNC_UNSAFE (the browser
    # tests set it, and check --deploy rightly warns about it), no secrets or hosts of our own.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="pathways.settings.production", **environment)
    return subprocess.run(
        [sys.executable, str(MANAGE), *arguments],
        env=env,
        cwd=MANAGE.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(60),  # 80 characters, as Django's check wants (>= 50, varied)
        ALLOWED_HOSTS="pathways.example",
        DATABASE_URL="sqlite:////tmp/x.sqlite3",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="pathways.example", DATABASE_URL="sqlite:////tmp/x.sqlite3")

    assert result.returncode != 0, result.stdout
    assert "SECRET_KEY" in result.stderr, result.stderr


def test_production_settings_refuse_to_load_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(60), DATABASE_URL="sqlite:////tmp/x.sqlite3")

    assert result.returncode != 0, result.stdout
    assert "ALLOWED_HOSTS" in result.stderr, result.stderr
