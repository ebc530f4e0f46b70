from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from liaison.core.images import reencode_image
from liaison.core.permissions import may, restrict

from . import services
from .admin_mixins import ScopedAdminMixin
from .models import Category, Department, Deputy, GridCell, Region, Station, StationPosition


class ImportLinkMixin:
    """Adds the roster import button to the changelist."""

    change_list_template = "admin/directory/change_list_with_import.html"


@admin.register(Region)
class RegionAdmin(ImportLinkMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        # The path of every region below depends on code and parent: fixed once created.
        return ["code", "parent"] if obj else []


class StationPositionInline(admin.TabularInline):
    """站长 and 联络员, edited with their station by whoever may change it."""

    model = StationPosition
    fields = ["kind", "name", "public_phone"]
    extra = 1

    def _may(self, request, obj) -> bool:
        user = request.user
        return user.is_administrator or (obj is not None and may(user, "change", obj))

    def has_view_permission(self, request, obj=None):
        return request.user.is_administrator or (obj is not None and may(request.user, "view", obj))

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)


@admin.register(Station)
class StationAdmin(ImportLinkMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "phone", "is_active", "public_page"]
    list_filter = ["kind", "is_active", "region__level"]
    search_fields = ["name", "code", "address", "public_code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    readonly_fields = ["public_code"]
    actions = ["deactivate", "activate"]
    fieldsets = [
        (None, {"fields": ["name", "code", "kind", "region", "is_active", "public_code"]}),
        (
            _("Where and when"),
            {
                "fields": [
                    "address",
                    ("latitude", "longitude", "coordinate_system"),
                    "opening_hours",
                    "reception_days",
                ]
            },
        ),
        (_("Contact and rules"), {"fields": ["phone", "rules", "process"]}),
    ]
    inlines = [StationPositionInline]

    def save_formset(self, request, form, formset, change):
        # Through the services, so that every position added, changed or removed is audited;
        # the lists are what the admin's own change message reads.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = formset.deleted_forms if formset.can_delete else []
        for inline in deleted:
            # The row the form stood for (its instance is not the stored row once deleted).
            position = inline.cleaned_data.get("id")
            if position is not None:
                services.remove_station_position(position, actor=request.user)
                formset.deleted_objects.append(position)
        for inline in formset.forms:
            if inline in deleted or not inline.has_changed():
                continue
            creating = inline.instance.pk is None
            position = inline.save(commit=False)
            position.station = form.instance
            services.save_entry(position, actor=request.user, changed_fields=inline.changed_data)
            if creating:
                formset.new_objects.append(position)
            else:
                formset.changed_objects.append((position, inline.changed_data))

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), _("open")
        )


class DeputyAdminForm(forms.ModelForm):
    class Meta:
        model = Deputy
        fields = [
            "name",
            "code",
            "level",
            "term",
            "region",
            "is_active",
            "photo",
            "public_phone",
            "constituency",
            "constituency_regions",
            "contact_blocks",
            "occupation",
            "bio",
            "stations",
        ]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            data = reencode_image(photo.read())
            stem = self.instance.public_code
            return ContentFile(data, name=f"{stem}.jpg")
        return photo


@admin.register(Deputy)
class DeputyAdmin(ImportLinkMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = DeputyAdminForm
    list_display = ["name", "code", "level", "term", "region", "public_phone", "is_active"]
    # No filter by station: a province has thousands; searching by station name finds them.
    list_filter = ["level", "is_active", "term"]
    search_fields = [
        "name",
        "code",
        "constituency",
        "contact_blocks",
        "public_code",
        "stations__name",
    ]
    autocomplete_fields = ["region", "constituency_regions"]
    filter_horizontal = ["stations"]
    list_select_related = ["region"]
    readonly_fields = ["public_code", "sign_links"]
    actions = ["deactivate", "activate"]
    fieldsets = [
        (None, {"fields": ["name", "code", "level", "term", "region", "is_active"]}),
        (
            _("Public sign"),
            {
                "fields": [
                    "photo",
                    "public_phone",
                    "constituency",
                    "constituency_regions",
                    "contact_blocks",
                    "occupation",
                    "bio",
                    "public_code",
                    "sign_links",
                ]
            },
        ),
        (_("Stations"), {"fields": ["stations"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stations" and not request.user.is_administrator:
            kwargs["queryset"] = restrict(Station.objects.all(), request.user, "change")
        if db_field.name == "constituency_regions" and not request.user.is_administrator:
            kwargs["queryset"] = restrict(Region.objects.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The stations field lists only the stations this account may change; keep the deputy's
        # seats in other stations that it cannot see.
        chosen = set(form.cleaned_data.get("stations", []))
        hidden = set(form.instance.stations.all()) - set(
            restrict(Station.objects.all(), request.user, "change")
        )
        services.set_deputy_stations(form.instance, chosen | hidden, actor=request.user)
        # The same for the constituency: a county's staff keep a national deputy's province.
        if "constituency_regions" in form.cleaned_data:
            chosen = set(form.cleaned_data["constituency_regions"])
            hidden = set(form.instance.constituency_regions.all()) - set(
                restrict(Region.objects.all(), request.user)
            )
            services.set_deputy_constituency(form.instance, chosen | hidden, actor=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("QR code and sign"))
    def sign_links(self, obj):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("public page"),
            f"{obj.get_absolute_url()}qr.png",
            _("QR code"),
            f"{obj.get_absolute_url()}sign.pdf",
            _("sign (PDF)"),
        )


@admin.register(Department)
class DepartmentAdmin(ImportLinkMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "region", "phone", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    actions = ["deactivate", "activate"]


@admin.register(Category)
class CategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "handling_days", "sort_order", "is_active"]
    list_editable = ["handling_days", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    actions = ["deactivate", "activate"]


@admin.register(GridCell)
class GridCellAdmin(ImportLinkMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region", "station", "worker_name", "worker_phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "worker_name", "station__name"]
    autocomplete_fields = ["region", "station"]
    filter_horizontal = ["deputies"]
    list_select_related = ["region", "station"]
    actions = ["deactivate", "activate"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station" and not request.user.is_administrator:
            kwargs["queryset"] = restrict(Station.objects.all(), request.user, "change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "deputies" and not request.user.is_administrator:
            kwargs["queryset"] = restrict(Deputy.objects.all(), request.user, "view")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # Through the service, so that a change of the cell's deputies is audited; deputies this
        # account cannot see stay assigned.
        chosen = set(form.cleaned_data.get("deputies", []))
        hidden = set(form.instance.deputies.all()) - set(
            restrict(Deputy.objects.all(), request.user, "view")
        )
        services.set_grid_cell_deputies(form.instance, chosen | hidden, actor=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
