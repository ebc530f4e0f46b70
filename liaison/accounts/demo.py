"""Demo accounts: one per role, scoped to the demo district of liaison/directory/demo.py, all with
the published password below (shown on the login page in demo mode)."""

from liaison.core import registry
from liaison.directory.models import Department, Deputy, GridCell, Region, Station

from .models import Role, User

PASSWORD = "liaison-demo"

# (username, role, full name, code of the scope: region, station, department, deputy or cell)
ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, "系统管理员", None),
    ("committee", Role.COMMITTEE_STAFF, "区人大常委会联工委 周敏", "420190000000"),
    ("street", Role.COMMITTEE_STAFF, "新元街道人大工委 李娜", "420190001000"),
    ("station", Role.STATION_STAFF, "新元街道联络站联络员 王芳", "JB-ST-XY"),
    ("deputy", Role.DEPUTY, "林志强", "JB-Q01"),
    ("department", Role.DEPARTMENT_HANDLER, "区住建局 张伟", "JB-D-ZJ"),
    ("grid", Role.GRID_WORKER, "镜湖社区第1网格网格员 陈晓燕", "JB-G-JH1"),
]
SCOPES = {
    Role.COMMITTEE_STAFF: ("region", Region),
    Role.STATION_STAFF: ("station", Station),
    Role.DEPARTMENT_HANDLER: ("department", Department),
    Role.DEPUTY: ("deputy", Deputy),
    Role.GRID_WORKER: ("grid_cell", GridCell),
}


@registry.demo.register(order=5)
def load() -> dict[str, int]:
    created = 0
    existing = set(User.objects.values_list("username", flat=True))
    for username, role, full_name, scope in ACCOUNTS:
        if username in existing:
            continue
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            is_staff=True,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        if role in SCOPES:
            field, model = SCOPES[role]
            setattr(user, field, model.objects.get(code=scope))
        user.set_password(PASSWORD)
        user.save()
        created += 1
    return {"accounts": created}


def logins() -> list[tuple[str, str, str]]:
    """(username, role, scope) of the demo accounts that exist, for the console."""
    usernames = [row[0] for row in ACCOUNTS]
    accounts = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related(
            "region", "station", "department", "deputy", "grid_cell"
        )
    }
    return [
        (u.username, u.get_role_display(), u.scope_label or "—")
        for u in (accounts.get(name) for name in usernames)
        if u is not None
    ]
