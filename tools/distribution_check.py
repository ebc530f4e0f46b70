"""Check the schema against the Citus plan of docs/scaling.md ("The path to Citus").

In a distributed PostgreSQL every large table is distributed by the root region (the province),
so each large table must carry that column, its primary key and unique constraints must include
it, and foreign keys between large tables must include it too (co-located joins). This script
reads the models and prints, per large table, what it carries and what the move would have to
change. docs/scaling.md holds its output between the markers; tests/core/test_distribution_plan.py
checks that the page is current and that every large table named here exists.

    export SECRET_KEY=x DEBUG=1 PYTHONPATH=.
    .venv/bin/python tools/distribution_check.py                            # print
    .venv/bin/python tools/distribution_check.py --write docs/scaling.md    # update the page
"""

import os
import sys
from pathlib import Path

# The tables that grow with the number of cases, people or days (docs/scaling.md, "Table growth").
LARGE = [
    "cases.Case",
    "cases.CaseEvent",
    "cases.Assignment",
    "cases.CasePhoto",
    "cases.ResultAttachment",
    "cases.PhoneCode",
    "notifications.Notification",
    "core.AuditEvent",
    "stats.CaseFigure",
    "stats.WorkFigure",
    "receptions.Visit",
    "receptions.VisitMatter",
    "appointments.Appointment",
    "activities.ActivityOpinion",
    "suggestions.Suggestion",
    "suggestions.SuggestionEvent",
    "legislation.Comment",
    "api.IdempotencyRecord",
]
# Columns from which the root region can be read today (a full region path starts with it).
REGION_COLUMNS = ("root_region_id", "region_id", "region_path")
BEGIN = "<!-- distribution-check: begin (tools/distribution_check.py --write docs/scaling.md) -->"
END = "<!-- distribution-check: end -->"


def _region_column(model) -> str:
    columns = {field.column for field in model._meta.concrete_fields}
    for name in REGION_COLUMNS:
        if name in columns:
            return name
    return ""


def _uniques(model) -> list[str]:
    found = [
        f"`{field.column}`"
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if type(constraint).__name__ == "UniqueConstraint" and fields:
            found.append(f"`{constraint.name}`")
    return found


def rows() -> list[dict]:
    from django.apps import apps

    large = {apps.get_model(label) for label in LARGE}
    result = []
    for label in LARGE:
        model = apps.get_model(label)
        links = [
            f"`{field.column}` → {field.related_model._meta.db_table}"
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in large
        ]
        result.append(
            {
                "table": model._meta.db_table,
                "region": _region_column(model),
                "root": "root_region_id" in {f.column for f in model._meta.concrete_fields},
                "uniques": _uniques(model),
                "links": links,
            }
        )
    return result


def report() -> str:
    lines = [
        "| table | root region today | unique constraints to widen | FKs to large tables |",
        "|---|---|---|---|",
    ]
    for row in rows():
        if row["root"]:
            region = "✅ `root_region_id`"
        elif row["region"]:
            region = f"derivable from `{row['region']}`"
        else:
            region = "**none**"
        uniques = ", ".join(row["uniques"]) or "—"
        links = ", ".join(row["links"]) or "—"
        lines.append(f"| `{row['table']}` | {region} | {uniques} | {links} |")
    missing = [row["table"] for row in rows() if not row["root"]]
    derivable = [row["table"] for row in rows() if not row["root"] and row["region"]]
    lines += [
        "",
        f"Large tables: {len(LARGE)}; carrying `root_region_id`: {len(LARGE) - len(missing)}; "
        f"root derivable from a column they have: {len(derivable)}; "
        f"no region column at all: {len(missing) - len(derivable)}. "
        "Every primary key is `id` alone (Citus needs `(root_region_id, id)`).",
    ]
    return "\n".join(lines) + "\n"


def write(path: Path) -> None:
    text = path.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    path.write_text(text[:start] + "\n" + report() + text[end:])


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    if argv[:1] == ["--write"] and len(argv) == 2:
        write(Path(argv[1]))
    elif argv:
        print("usage: distribution_check.py [--write docs/scaling.md]", file=sys.stderr)
        return 2
    else:
        sys.stdout.write(report())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
