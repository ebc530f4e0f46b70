"""tests/tools.require_tool: a missing program skips locally and fails in CI."""

import pytest

from .tools import require_tool


def test_a_present_tool_gives_its_path():
    assert require_tool("sh").endswith("/sh")


def test_a_missing_tool_skips_locally(monkeypatch):
    monkeypatch.delenv("LIAISON_REQUIRE_TEST_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="zbar-tools"):
        _missing("zbarimg", monkeypatch)


def test_a_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("LIAISON_REQUIRE_TEST_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="LIAISON_REQUIRE_TEST_TOOLS=1"):
        _missing("pdftoppm", monkeypatch)


def _missing(name, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    return require_tool(name)
