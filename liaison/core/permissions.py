"""Who may do what — the one permission table (docs/design.md, rule 4).

`may(user, action, obj)` and `restrict(queryset, user, action)` answer every question of the kind
"may this account see / change / act on this", for the web views, the admin, the API and the
services alike. Both read one table, `ACTION → (model, rule)`: an action is named
`<model>.<verb>` ("case.view", "case.review", "deputy.speak_for"); its rule says, per role, which
rows the account reaches, as a `Q` over the model (the region it covers, its station, its
department's assignments, the deputy it speaks for). Administrators may everything; a role the
rule does not name may nothing, so a forgotten rule hides data instead of leaking it.

The engine lives in core so that every app can ask it; each app declares the rows for its own
models in its `permissions.py` (found at start-up like `jobs.py`), with the scope primitives of
`liaison.accounts.rules`. `python -m liaison.core.permissions` (or `liaison permissions`) prints the
whole table; the role-matrix tests read it too.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

from .errors import NotAllowed
from .events import signed_in

NOTHING = Q(pk__in=[])
EVERYTHING = Q()

# The acting account → the rows it reaches. A scope may also have `test(user, obj)`, which
# answers for one object from its loaded fields (True/False), or None when only the database
# can tell; `may()` then needs no query (see liaison/accounts/rules.py).
Scope = Callable[[object], Q]


@dataclass(frozen=True)
class Permission:
    action: str
    model: type[models.Model]
    scopes: Mapping[str, Scope]  # role → scope
    doc: str = ""
    # False for the few actions that are not an administrator's to take, whatever else they may:
    # seeing a citizen's full phone number (PIPL), writing in a deputy's name.
    administrators: bool = True

    def condition(self, user) -> Q:
        scope = self.scopes.get(user.role)
        return NOTHING if scope is None else scope(user)


TABLE: dict[str, Permission] = {}


def register(
    action: str,
    model: type[models.Model],
    scopes: Mapping[str, Scope],
    doc: str = "",
    *,
    administrators: bool = True,
):
    """Add one row to the table. A second row for the same action would silently replace the
    first: refuse it at start-up."""
    existing = TABLE.get(action)
    permission = Permission(action, model, dict(scopes), doc, administrators)
    if existing is not None and existing != permission:
        raise ValueError(f"A permission named {action!r} is already registered.")
    if not action.startswith(f"{model._meta.model_name}."):
        raise ValueError(f"Permission {action!r} must be named <{model._meta.model_name}>.<verb>.")
    TABLE[action] = permission
    return permission


def autodiscover() -> None:
    """Import every installed app's `permissions` module (CoreConfig.ready does it)."""
    autodiscover_modules("permissions")


def _permission(model: type[models.Model], action: str) -> Permission | None:
    name = action if "." in action else f"{model._meta.model_name}.{action}"
    permission = TABLE.get(name)
    if permission is not None and permission.model is not model:
        raise ValueError(f"Permission {name!r} is about {permission.model.__name__}, not {model}.")
    return permission


def restrict(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    """The rows of `queryset` that `user` may `action` ("view", "change" or a full action name)."""
    if not signed_in(user):
        return queryset.none()
    permission = _permission(queryset.model, action)
    if user.is_administrator and (permission is None or permission.administrators):
        return queryset
    if permission is None:
        return queryset.none()
    condition = permission.condition(user)
    if condition is NOTHING:
        return queryset.none()
    if condition is EVERYTHING:
        return queryset
    if _single_valued(queryset.model, condition):
        # Only the row's own columns (or forward foreign keys): filtered in place, so that the
        # database can use an index matching the scope, filter and order of a list (issue 17).
        return queryset.filter(condition)
    # A semi-join, so that conditions across many-to-many relations never repeat rows.
    allowed = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=allowed)


def _single_valued(model, condition: Q) -> bool:
    """Whether every lookup of `condition` stays on one row per row of `model` (no reverse or
    many-to-many relation, which would repeat rows)."""
    for child in condition.children:
        if isinstance(child, Q):
            if not _single_valued(model, child):
                return False
            continue
        if not isinstance(child, tuple):
            return False
        current = model
        for part in child[0].split("__"):
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:  # "pk", or a lookup such as "startswith": the path ended
                break
            if field.one_to_many or field.many_to_many:
                return False
            if not field.is_relation:
                break
            current = field.related_model
    return True


def may(user, action: str, obj: models.Model) -> bool:
    """Whether `user` may `action` this object: from its loaded fields where the scope can tell,
    otherwise one indexed query."""
    if not signed_in(user):
        return False
    permission = _permission(type(obj), action)
    if user.is_administrator and (permission is None or permission.administrators):
        return True
    if permission is None:
        return False
    scope = permission.scopes.get(user.role)
    test = getattr(scope, "test", None)
    if test is not None:
        answer = test(user, obj)
        if answer is not None:
            return answer
    condition = permission.condition(user)
    if condition is NOTHING:
        return False
    if condition is EVERYTHING:
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def may_any(user, action: str, model: type[models.Model]) -> bool:
    """Whether `user` may `action` at least one row of `model` (menus, admin modules)."""
    return restrict(model._default_manager.all(), user, action).exists()


def require(user, action: str, obj: models.Model, message=None) -> None:
    """`may`, or NotAllowed with `message`."""
    if not may(user, action, obj):
        raise NotAllowed(message or gettext("Your account may not take this action."))


def may_at_all(user, action: str) -> bool:
    """Whether `user` may take `action` on some rows by role (to offer a form or a menu entry
    before there is an object); no query."""
    if not signed_in(user):
        return False
    permission = TABLE[action]
    return (user.is_administrator and permission.administrators) or user.role in permission.scopes


def roles_for(action: str) -> list[str]:
    """The roles the table lets take `action` on some rows (administrators always may)."""
    return sorted(TABLE[action].scopes)
