"""The outbox's operations: administrators' page of undelivered messages (/staff/outbox/) and the
gateways' delivery-receipt callbacks (/hooks/sms/<gateway>/<token>/)."""

from django.urls import path

from . import views_outbox, views_receipts

app_name = "outbox"

urlpatterns = [
    path("staff/outbox/", views_outbox.undelivered_list, name="undelivered"),
    path("staff/outbox/retry/", views_outbox.retry_shown, name="retry-shown"),
    path("staff/outbox/<int:pk>/retry/", views_outbox.retry_one, name="retry"),
    path("hooks/sms/<str:gateway>/<str:token>/", views_receipts.receive, name="sms-receipts"),
]
