"""Accounts: one role per account, and the scope that role covers.

Citizens have no account (SPEC: they leave messages without one). Every staff account is scoped:
station staff to a station, committee staff to a region, a department handler to a department,
a deputy to their own record.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DEPUTY = "deputy", _("Deputy")  # 代表
    STATION_STAFF = "station_staff", _("Station staff")  # 联络站工作人员/联络员
    COMMITTEE_STAFF = "committee_staff", _("Committee staff")  # 街道人大工委/县区人大常委会联工委
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")  # 承办单位
    GRID_WORKER = "grid_worker", _("Grid worker")  # 网格员: files cases for the residents of a cell
    ADMINISTRATOR = "administrator", _("Administrator")


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text=_("Committee staff: the region (and everything below it) they supervise."),
    )
    station = models.ForeignKey(
        "directory.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_accounts",
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    grid_cell = models.ForeignKey(
        "directory.GridCell",
        verbose_name=_("grid cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worker_accounts",
        help_text=_("Grid workers: the cell whose residents they file cases for."),
    )
    deputy = models.OneToOneField(
        "directory.Deputy",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )

    # How the account wants to be told (the inbox always has every notice): docs/notifications.md.
    email_notices = models.BooleanField(
        _("e-mail me each notice"), default=True, help_text=_("Needs an e-mail address.")
    )
    daily_digest = models.BooleanField(
        _("one e-mail a day instead"),
        default=False,
        help_text=_("A summary of the day's notices each morning, instead of one e-mail each."),
    )
    sms_notices = models.BooleanField(
        _("text me urgent notices"),
        default=True,
        help_text=_("Urging and supervision (催办、督办), by SMS to the phone of the account."),
    )

    # The account's openid at the station's WeChat service account (服务号), entered by an
    # administrator once the person followed it: WeChat notices go there (docs/notifications.md).
    wechat_openid = models.CharField(_("WeChat openid"), max_length=64, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            # Each role carries exactly the scope it needs; a staff account without one would
            # silently see nothing (or, worse, be mistaken for an administrator).
            models.CheckConstraint(
                name="account_scope_matches_role",
                condition=(
                    Q(role="deputy", deputy__isnull=False)
                    | Q(role="station_staff", station__isnull=False)
                    | Q(role="committee_staff", region__isnull=False)
                    | Q(role="department_handler", department__isnull=False)
                    | Q(role="grid_worker", grid_cell__isnull=False)
                    | Q(role="administrator")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def scope_label(self) -> str:
        scope = {
            Role.DEPUTY: self.deputy,
            Role.STATION_STAFF: self.station,
            Role.COMMITTEE_STAFF: self.region,
            Role.DEPARTMENT_HANDLER: self.department,
            Role.GRID_WORKER: self.grid_cell,
        }.get(self.role)
        return str(scope) if scope else ""

    @property
    def public_label(self) -> str:
        """What a public timeline shows for this account: a role, a station, a department —
        never a staff member's name. Deputies are public figures and appear by name."""
        if self.role == Role.DEPUTY and self.deputy_id:
            return gettext("Deputy %(name)s") % {"name": self.deputy.name}
        if self.role == Role.STATION_STAFF and self.station_id:
            return self.station.name
        if self.role == Role.DEPARTMENT_HANDLER and self.department_id:
            return self.department.name
        if self.role == Role.GRID_WORKER and self.grid_cell_id:
            return gettext("Grid worker, %(cell)s") % {"cell": self.grid_cell.name}
        if self.role == Role.COMMITTEE_STAFF and self.region_id:
            return gettext("People's congress committee, %(region)s") % {"region": self.region.name}
        return gettext("Administrator")
