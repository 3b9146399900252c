"""The browser fixtures of tests/e2e, for the CSP test here."""

from tests.e2e.conftest import chromium  # noqa: F401
