from tests.bench import reporting


def pytest_terminal_summary(terminalreporter):
    if reporting.LINES:
        terminalreporter.section("measurements")
        for line in reporting.LINES:
            terminalreporter.write_line(line)
