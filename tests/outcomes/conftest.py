"""The outcomes tests share one clock (Monday 16 November 2026, 10:00 in New York) and a hand-built world."""

import pytest
from django.utils import timezone

from .world import NOW, World


class Clock:
    def __init__(self, now):
        self.now = now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fixed = Clock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


@pytest.fixture
def world(db):
    return World()
