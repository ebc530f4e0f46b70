"""Citizen pages: leave a message, confirm it, track it, add information, withdraw, rate.

`/t/<number>` and `/r/<token>` are the paths of the links sent by SMS (links.py)."""

from django.urls import path

from . import mine_views, support_views
from . import public_views as views

app_name = "cases"
urlpatterns = [
    path("d/<str:code>/message/", views.message_to_deputy, name="message-deputy"),
    path("s/<str:code>/message/", views.message_to_station, name="message-station"),
    path("message/confirm/", views.confirm_message, name="message-confirm"),
    path("message/sent/", views.message_sent, name="message-sent"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/", views.track_lookup, name="track-lookup"),
    path("t/<str:number>", views.track, name="track"),
    path("t/<str:number>/supplement/", views.supplement, name="track-supplement"),
    path("t/<str:number>/withdraw/", views.withdraw, name="track-withdraw"),
    path("t/<str:number>/photos/<int:photo>.jpg", views.photo, name="track-photo"),
    path("r/<str:token>", views.rate, name="rate"),
    path("c/<str:key>", support_views.public_case, name="public-case"),
    path("c/<str:key>/support/code/", support_views.support_code, name="public-case-code"),
    path("c/<str:key>/support/", support_views.support_confirm, name="public-case-support"),
    path("mine/", mine_views.find, name="mine"),
    path("mine/list/", mine_views.listing, name="mine-list"),
    path("mine/<str:number>/erase/", mine_views.erase, name="mine-erase"),
]
