"""Issue 17: the queue's filter boxes are rendered once per viewer and query and then come from
the cache: a category added through the directory shows at once, one viewer never gets another's
boxes, and a query with an error is shown with its error."""

import pytest
from django.core.cache import cache
from django.test import Client

from liaison.directory import services
from liaison.directory.models import Category

from .staff_pages import signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/"


def test_a_new_category_shows_in_the_filter_at_once(client, accounts):
    signed_in(client, accounts.station_a_staff)
    assert "新分类" not in client.get(QUEUE).content.decode()
    services.save_entry(Category(code="new", name="新分类"), actor=accounts.administrator)
    assert "新分类" in client.get(QUEUE).content.decode()


def _grid(html: str) -> str:
    return html[html.index('<div class="filter-grid">') : html.index("</details>")]


def test_each_viewer_has_their_own_filter_boxes(accounts):
    alone = {}
    for role in ("county_committee", "station_a_staff", "handler_a"):
        cache.clear()
        alone[role] = _grid(
            signed_in(Client(), getattr(accounts, role)).get(QUEUE).content.decode()
        )
    cache.clear()
    for role in ("county_committee", "station_a_staff", "handler_a"):
        page = signed_in(Client(), getattr(accounts, role)).get(QUEUE).content.decode()
        assert _grid(page) == alone[role]
    assert alone["county_committee"] != alone["station_a_staff"]


def test_a_wrong_filter_is_shown_with_its_error_every_time(client, accounts):
    signed_in(client, accounts.station_a_staff)
    for _ in range(2):
        response = client.get(QUEUE, {"received_from": "2026-13-45"})
        assert response.status_code == 400
        assert "has-error" in _grid(response.content.decode())
