"""Translation completeness check, run by `make test`:

1. the zh_Hans catalogue translates every message (no empty, no fuzzy entry), and
2. the catalogue is up to date with the code: `makemessages` on a copy of the sources finds no
   message that the catalogue lacks (needs GNU gettext's xgettext; without it this part is
   skipped with a notice, unless LIAISON_REQUIRE_TEST_TOOLS is set, as in CI), and
3. the compiled .mo file holds exactly what the .po file says.

English is the language of the message ids, so the English catalogue is complete by
construction; it exists so that Django switches languages cleanly.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgid_plural, msgstr list and flags."""
    entries: list[dict] = []
    entry: dict = {}
    field = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry.get("msgid") is not None:
                entries.append(entry)
            entry, field = {}, None
            continue
        if line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue  # comments and obsolete (#~) entries
        elif line.startswith("msgctxt"):
            entry["msgctxt"], field = _unquote(line), "msgctxt"
        elif line.startswith("msgid_plural"):
            entry["msgid_plural"], field = _unquote(line), "msgid_plural"
        elif line.startswith("msgid"):
            entry["msgid"], field = _unquote(line), "msgid"
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])?", line)
            index = int(match.group(1) or 0)
            entry.setdefault("msgstr", {})[index] = _unquote(line)
            field = ("msgstr", index)
        elif line.startswith('"') and field:
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field] += _unquote(line)
    return entries


def untranslated(entries: list[dict]) -> list[str]:
    problems = []
    for entry in entries:
        if not entry["msgid"]:
            continue  # the header
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not all(entry.get("msgstr", {0: ""}).values()):
            problems.append(f"untranslated: {entry['msgid']!r}")
    return problems


def compiled_matches_source() -> bool:
    compiled = CATALOGUE.with_suffix(".mo")
    if not compiled.exists():
        return False
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    for entry in parse_po(CATALOGUE):
        if not entry["msgid"] or "fuzzy" in entry.get("flags", set()):
            continue
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            for index, text in entry["msgstr"].items():
                if catalog.get((key, index)) != text:
                    return False
        elif catalog.get(key) != entry["msgstr"][0]:
            return False
    return True


def missing_from_catalogue() -> list[str] | None:
    """Messages in the code that the catalogue lacks, or None when xgettext is not installed."""
    if not shutil.which("xgettext"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "liaison"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings"}
        env.setdefault("SECRET_KEY", "i18n-check")
        subprocess.run(
            [sys.executable, "-m", "liaison.cli", "makemessages", "-l", "zh_Hans",
             "--no-location", "--no-obsolete", "--ignore", "static/*"],
            cwd=copy, env=env, check=True, capture_output=True,
        )  # fmt: skip
        fresh = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    known = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(CATALOGUE)}
    return sorted(e["msgid"] for e in fresh if (e.get("msgctxt"), e["msgid"]) not in known)


def main() -> int:
    problems = untranslated(parse_po(CATALOGUE))
    if not compiled_matches_source():
        problems.append("django.mo does not match django.po: run `make messages`")
    missing = missing_from_catalogue()
    if missing is None:
        message = "xgettext not found: cannot check that the catalogue is up to date"
        if os.environ.get("LIAISON_REQUIRE_TEST_TOOLS"):
            problems.append(message)
        else:
            print(f"notice: {message}")
    else:
        problems += [f"not in the catalogue (run `make messages`): {m!r}" for m in missing]
    for problem in problems:
        print(problem)
    print(f"i18n check: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
