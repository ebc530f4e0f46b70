"""The permission table (liaison/core/permissions.py) is complete and consistent: every action the
code asks about is a row of the table, every row is asked about somewhere, and each row names
only real roles. The role-matrix tests in tests/accounts prove the rows over HTTP."""

import ast
from pathlib import Path

from liaison.accounts.models import Role
from liaison.core import permissions

ROOT = Path(__file__).resolve().parents[2]
ASKING = {"may", "require", "restrict", "may_any", "may_at_all", "roles_for"}


def asked_actions(folder: Path) -> dict[str, list[str]]:
    """Every full action name ("case.review") passed as a literal to may/require/restrict/…"""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ASKING:
                continue
            for arg in node.args:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if literal and "." in arg.value:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(arg.value, []).append(where)
    return found


def test_every_action_the_code_asks_about_is_in_the_table():
    unknown = {
        action: places
        for action, places in asked_actions(ROOT / "liaison").items()
        if action not in permissions.TABLE
    }
    # A misspelt action would silently refuse everyone but administrators.
    assert unknown == {}


def test_every_row_is_asked_about():
    asked = set(asked_actions(ROOT / "liaison")) | set(asked_actions(ROOT / "tests"))
    # view, change and add rows are also asked by model and verb: restrict(qs, user, "view").
    short = {a for a in permissions.TABLE if a.split(".")[1] in {"view", "change", "add"}}
    assert set(permissions.TABLE) - asked - short == set()


def test_rows_name_real_roles_and_never_the_administrator():
    for action, row in permissions.TABLE.items():
        roles = set(row.scopes)
        assert roles <= set(Role.values), action
        # Administrators may everything without a row; naming them would suggest otherwise.
        assert Role.ADMINISTRATOR not in roles, action


def test_every_row_but_the_plain_verbs_says_what_it_allows():
    plain = {"view", "change", "add"}
    undocumented = [a for a, row in permissions.TABLE.items() if not row.doc]
    assert [a for a in undocumented if a.split(".")[1] not in plain] == []


def test_the_documented_table_is_the_table_in_code():
    from liaison.core.management.commands.permissions import table_markdown

    documented = (ROOT / "docs" / "permissions.md").read_text()
    # Regenerate with: liaison permissions > docs/permissions.md
    assert documented == table_markdown()
