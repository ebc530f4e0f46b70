"""Reading the environment (liaison/core/env.py): defaults, and a clear error naming the variable
for a value that cannot be read."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.core.env import env_bool, env_float, env_int, env_list, env_str


def test_defaults_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("LIAISON_X", raising=False)
    assert env_int("LIAISON_X", 5) == 5
    monkeypatch.setenv("LIAISON_X", "  ")
    assert env_str("LIAISON_X", "d") == "d" and env_bool("LIAISON_X", True) is True


def test_values_are_read(monkeypatch):
    monkeypatch.setenv("LIAISON_X", " 42 ")
    assert env_int("LIAISON_X", 0) == 42 and env_float("LIAISON_X", 0) == 42.0
    monkeypatch.setenv("LIAISON_X", "Yes")
    assert env_bool("LIAISON_X") is True
    monkeypatch.setenv("LIAISON_X", "a, b,,c")
    assert env_list("LIAISON_X") == ["a", "b", "c"]


@pytest.mark.parametrize(
    "reader, value, message",
    [
        (lambda: env_int("LIAISON_X", 1), "²", "LIAISON_X must be a whole number"),
        (lambda: env_int("LIAISON_X", 1), "5 minutes", "LIAISON_X must be a whole number"),
        (lambda: env_int("LIAISON_X", 1), "-3", "LIAISON_X must be at least 0"),
        (lambda: env_float("LIAISON_X", 1.0), "fast", "LIAISON_X must be a number"),
        (lambda: env_bool("LIAISON_X"), "maybe", "LIAISON_X must be one of"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch, reader, value, message):
    monkeypatch.setenv("LIAISON_X", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader()
