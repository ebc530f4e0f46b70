"""Roster import from the admin (.xlsx / .csv), with a dry run."""

from django.http import HttpResponse


def import_view(request):
    return HttpResponse("not yet")
