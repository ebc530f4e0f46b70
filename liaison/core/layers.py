"""The layer order of the apps (docs/design.md, rule 11). An app imports only from apps before it
in this list (and from itself); tests/core/test_layers.py reads every module and fails on an import
that goes the other way, lazy imports inside functions included. Where a lower app needs the
higher ones (demo data, the staff workspace, periodic jobs, the permission table), the higher app
registers itself with the lower one (liaison/core/registry.py, jobs.py, permissions.py).

Why this order: the working-day calendar knows nothing but dates; the directory is the map every
account is scoped to; accounts need the directory; notifications need accounts (recipients); triage
(department suggestions, similar messages) learns from the texts and outcomes fed to it and knows no
case; a case needs all of those; reception days register visitors as cases; appointments book
reception slots; activities record opinions as cases; suggestions grow from cases and activities;
clues forward a case or a suggestion to the procuratorate (线索移送); livelihood projects link the
cases and suggestions that fed them; the performance record sums up everything a deputy did; the
legislative contact point asks the public about draft regulations with the phone codes and the
outbox, needing nothing above; budget supervision needs the directory and the outbox; statistics
count all of it; the interfaces sit on top.
"""

LAYERS = [
    "core",
    "workdays",
    "directory",
    "accounts",
    "notifications",
    "triage",
    "cases",
    "receptions",
    "appointments",
    "activities",
    "suggestions",
    "clues",
    "projects",
    "records",
    "legislation",
    "budget",
    "stats",
    "api",
    "open311",
]
