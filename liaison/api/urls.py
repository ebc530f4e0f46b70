from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import case_files, cases_staff, me, views

app_name = "api"

# Swagger UI (drf-spectacular-sidecar): the split view serves its start-up script as a file, which
# the Content-Security-Policy allows; its page keeps a small inline <style> block, so inline styles
# are allowed on this page alone.
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("stations/", views.StationList.as_view(), name="station-list"),
    path("stations/<str:public_code>/", views.StationDetail.as_view(), name="station-detail"),
    path("deputies/", views.DeputyList.as_view(), name="deputy-list"),
    path("deputies/<str:public_code>/", views.DeputyDetail.as_view(), name="deputy-detail"),
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path(
        "calendar/add-working-days",
        views.AddWorkingDays.as_view(),
        name="calendar-add-working-days",
    ),
    path("calendar/<int:year>", views.CalendarYear.as_view(), name="calendar-year"),
    # staff case endpoints
    path("me/notifications/", me.MyNotices.as_view(), name="my-notices"),
    path("me/notifications/read/", me.MarkNoticesRead.as_view(), name="my-notices-read"),
    path("staff/cases/", cases_staff.StaffCaseList.as_view(), name="staff-case-list"),
    path(
        "staff/cases/<str:tracking_number>/",
        cases_staff.StaffCaseDetail.as_view(),
        name="staff-case-detail",
    ),
    path("staff/files/<str:token>/", case_files.StaffCaseFile.as_view(), name="staff-case-file"),
    *(
        path(
            f"staff/cases/<str:tracking_number>/actions/{name}/",
            view.as_view(),
            name=f"staff-case-{name}",
        )
        for name, view in cases_staff.ACTION_VIEWS.items()
    ),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", swagger_ui, name="docs"),
]

# citizen case endpoints (liaison/api/cases_public.py)
from . import cases_public  # noqa: E402  (kept in this block so parallel edits do not collide)

urlpatterns += [
    path("cases/", cases_public.SubmitCase.as_view(), name="case-submit"),
    path("cases/<str:tracking_number>", cases_public.TrackCase.as_view(), name="case-track"),
    path(
        "cases/<str:tracking_number>/verify",
        cases_public.VerifyCase.as_view(),
        name="case-verify",
    ),
    path(
        "cases/<str:tracking_number>/supplement",
        cases_public.SupplementCase.as_view(),
        name="case-supplement",
    ),
    path(
        "cases/<str:tracking_number>/withdraw",
        cases_public.WithdrawCase.as_view(),
        name="case-withdraw",
    ),
    path("cases/<str:tracking_number>/rate", cases_public.RateCase.as_view(), name="case-rate"),
    path(
        "cases/<str:tracking_number>/resend-code",
        cases_public.ResendCode.as_view(),
        name="case-resend-code",
    ),
    path(
        "cases/<str:tracking_number>/tracking-code",
        cases_public.TrackingCode.as_view(),
        name="case-tracking-code",
    ),
]

# staff receptions (liaison/api/receptions.py)
from . import receptions  # noqa: E402

urlpatterns += [
    path("staff/receptions/", receptions.VisitList.as_view(), name="staff-visit-list"),
]

# activities, appointments, suggestions, a deputy's public record (liaison/api/activities.py,
# appointments.py, suggestions.py)
from . import activities, appointments, suggestions  # noqa: E402

urlpatterns += [
    path("activities/", activities.ActivityList.as_view(), name="activity-list"),
    path(
        "activities/<str:public_code>/",
        activities.ActivityDetail.as_view(),
        name="activity-detail",
    ),
    path(
        "activities/<str:public_code>/sign-up",
        activities.ActivitySignUp.as_view(),
        name="activity-sign-up",
    ),
    path(
        "activities/sign-up/verify",
        activities.VerifySignUp.as_view(),
        name="activity-sign-up-verify",
    ),
    path(
        "activities/sign-up/resend-code",
        activities.ResendSignUpCode.as_view(),
        name="activity-sign-up-resend-code",
    ),
    path(
        "stations/<str:public_code>/calendar",
        activities.StationCalendar.as_view(),
        name="station-calendar",
    ),
    path(
        "regions/<str:code>/calendar", activities.RegionCalendar.as_view(), name="region-calendar"
    ),
    path(
        "stations/<str:public_code>/slots",
        appointments.StationSlots.as_view(),
        name="station-slots",
    ),
    path(
        "stations/<str:public_code>/appointments",
        appointments.BookAppointment.as_view(),
        name="appointment-book",
    ),
    path("appointments/verify", appointments.VerifyBooking.as_view(), name="appointment-verify"),
    path(
        "appointments/resend-code",
        appointments.ResendBookingCode.as_view(),
        name="appointment-resend-code",
    ),
    path("appointments/<str:code>", appointments.BookingDetail.as_view(), name="appointment"),
    path(
        "appointments/<str:code>/cancel",
        appointments.CancelBooking.as_view(),
        name="appointment-cancel",
    ),
    path(
        "appointments/<str:code>/reschedule",
        appointments.RescheduleBooking.as_view(),
        name="appointment-reschedule",
    ),
    path(
        "staff/appointments/",
        appointments.StaffAppointmentList.as_view(),
        name="staff-appointment-list",
    ),
    path(
        "staff/appointments/<int:pk>/",
        appointments.StaffAppointmentDetail.as_view(),
        name="staff-appointment-detail",
    ),
    *(
        path(
            f"staff/appointments/<int:pk>/actions/{name}/",
            view.as_view(),
            name=f"staff-appointment-{name}",
        )
        for name, view in appointments.STAFF_ACTION_VIEWS.items()
    ),
    path("suggestions/", suggestions.PublicSuggestionList.as_view(), name="suggestion-list"),
    path(
        "suggestions/<str:number>/",
        suggestions.PublicSuggestionDetail.as_view(),
        name="suggestion-detail",
    ),
    path(
        "suggestions/<str:number>/rate",
        suggestions.RateSuggestion.as_view(),
        name="suggestion-rate",
    ),
    path(
        "deputies/<str:public_code>/record",
        suggestions.DeputyRecord.as_view(),
        name="deputy-record",
    ),
    path(
        "staff/suggestions/",
        suggestions.StaffSuggestionList.as_view(),
        name="staff-suggestion-list",
    ),
    path(
        "staff/suggestions/assignments/",
        suggestions.StaffAssignmentList.as_view(),
        name="staff-suggestion-assignments",
    ),
    path(
        "staff/suggestions/outcomes/",
        suggestions.StaffOutcomeList.as_view(),
        name="staff-suggestion-outcomes",
    ),
]

# statistics (liaison/api/stats.py)
from . import stats  # noqa: E402

urlpatterns += [
    path("stats/", stats.PublicStats.as_view(), name="stats"),
    path("staff/stats/", stats.StaffStats.as_view(), name="staff-stats"),
    path("stats/legislation/", stats.PublicLegislationStats.as_view(), name="stats-legislation"),
    path(
        "staff/stats/legislation/",
        stats.StaffLegislationStats.as_view(),
        name="staff-stats-legislation",
    ),
    re_path(
        r"^stats/open-data/(?P<month>[0-9]{4}-(0[1-9]|1[0-2]))/$",
        stats.OpenDataMonth.as_view(),
        name="stats-open-data",
    ),
]
