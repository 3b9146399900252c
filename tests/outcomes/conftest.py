"""The outcomes tests share one clock (Monday 16 November 2026, 10:00 in New York) and a hand-built world."""

import pytest

from tests.builders import stop_clock

from .world import NOW, World


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


@pytest.fixture
def world(db):
    return World()
