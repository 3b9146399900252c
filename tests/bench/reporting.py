"""What the benchmarks print. Lines are collected during the run and printed in pytest's terminal summary,
after output capture has ended, so `make bench` shows every table without -s (tests/bench/conftest.py)."""

LINES = []


def say(*lines):
    LINES.extend(lines)
