"""Every environment variable the settings read is documented in .env.example and the README."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "liaison" / "settings.py").read_text()
    return set(re.findall(r'env_(?:bool|list|str|int|float|path)\("([A-Z_]+)"', source))


def test_settings_read_variables():
    assert {"SECRET_KEY", "DATABASE_URL", "DEBUG"} <= _variables_read_by_settings()


def test_every_variable_is_in_env_example():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert _variables_read_by_settings() - documented == set()


def test_every_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in _variables_read_by_settings() if f"`{name}`" not in readme}
    assert missing == set()
