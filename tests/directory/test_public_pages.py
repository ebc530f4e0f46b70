"""Station and deputy pages, the friendly 404, display options and the language switch."""

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from liaison.core.context_processors import DISPLAY_COOKIE
from liaison.core.views import server_error
from liaison.directory.models import Deputy, DeputyLevel, Station
from tests.factories import DeputyFactory

# The language switch sets this cookie; the browser's Accept-Language is not consulted.
EN = {"HTTP_COOKIE": "django_language=en"}


@pytest.mark.django_db
def test_an_address_that_already_names_its_district_is_not_prefixed_twice(client, district):
    station = district.station_a
    Station.objects.filter(pk=station.pk).update(address="西湖区北山路1号")
    html = client.get(station.get_absolute_url()).content.decode()
    assert "西湖区北山路1号" in html
    assert "北山街道西湖区" not in html


@pytest.mark.django_db
def test_station_page_shows_what_a_visitor_needs(client, district):
    station = district.station_a
    Station.objects.filter(pk=station.pk).update(
        address="北山路1号",
        opening_hours="周一至周五 9:00-17:00",
        reception_days="每周一、每月15日",
        phone="0571-8765 4321",
        rules="代表轮流值班。",
    )
    html = client.get(station.get_absolute_url(), **EN).content.decode()
    assert "<h1>北山街道人大代表联络站</h1>" in html
    assert "西湖区北山街道北山路1号" in html
    assert "周一至周五 9:00-17:00" in html
    assert "每周一、每月15日" in html
    assert 'href="tel:0571-87654321"' in html
    assert "代表轮流值班。" in html
    assert 'id="contact"' in html
    for deputy in (district.dep_a, district.dep_shared):
        assert f'href="{deputy.get_absolute_url()}"' in html
    assert district.dep_b.name not in html
    assert f"/s/{station.public_code}/qr.svg" in html
    assert f"/s/{station.public_code}/qr.png" in html


@pytest.mark.django_db
def test_station_page_explains_the_closed_loop_when_it_has_no_process(client, district):
    html = client.get(district.station_b.get_absolute_url(), **EN).content.decode()
    assert "How a matter is handled" in html
    assert "within 3 working days" in html
    assert "within 15 working days" in html
    assert "You rate the answer" in html


@pytest.mark.django_db
def test_station_page_shows_its_own_process(client, district):
    Station.objects.filter(pk=district.station_b.pk).update(process="先登记,再转办。")
    html = client.get(district.station_b.get_absolute_url(), **EN).content.decode()
    assert "先登记,再转办。" in html
    assert "within 15 working days" not in html


@pytest.mark.django_db
def test_station_page_hides_inactive_deputies(client, district):
    Deputy.objects.filter(pk=district.dep_a.pk).update(is_active=False)
    html = client.get(district.station_a.get_absolute_url()).content.decode()
    assert district.dep_a.name not in html
    assert district.dep_shared.name in html


@pytest.mark.django_db
def test_station_page_runs_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries
):
    url = district.station_a.get_absolute_url()
    # 3 for the station and its deputies, at most 4 for the reception days (rules, calendar
    # years and days, duties: tests/receptions/test_reception_days_pages.py), 1 for the station
    # head and liaison officers, 1 for the grid cells it covers.
    with django_assert_max_num_queries(9):
        client.get(url)
    DeputyFactory.create_batch(12, region=district.street_a, stations=[district.station_a])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert len(response.context["deputies"]) == 14


@pytest.mark.django_db
def test_deputy_page_shows_the_public_sign_data(client, district):
    Deputy.objects.filter(pk=district.dep_shared.pk).update(
        level=DeputyLevel.CITY,
        term="第十六届",
        constituency="西湖区第三选区",
        contact_blocks="保俶社区\n\n  西溪一网格  \n",
        public_phone="138 0000 1111",
        occupation="社区医生",
        bio="长期关注养老服务。",
    )
    deputy = district.dep_shared
    html = client.get(deputy.get_absolute_url(), **EN).content.decode()
    assert "<h1>李秀英</h1>" in html
    assert "City people&#x27;s congress" in html
    assert "第十六届" in html
    assert "西湖区第三选区" in html
    assert "<li>保俶社区</li>" in html
    assert "<li>西溪一网格</li>" in html
    assert 'href="tel:13800001111"' in html
    assert "社区医生" in html
    assert "长期关注养老服务。" in html
    assert f'href="{district.station_a.get_absolute_url()}"' in html
    assert f'href="{district.station_b.get_absolute_url()}"' in html
    assert f'href="/d/{deputy.public_code}/sign.pdf"' in html
    assert f'href="/d/{deputy.public_code}/qr.png"' in html


@pytest.mark.django_db
def test_leave_a_message_leads_to_the_message_form(client, district):
    html = client.get(district.dep_a.get_absolute_url(), **EN).content.decode()
    assert f'href="/d/{district.dep_a.public_code}/message/"' in html
    assert "Leave a message" in html


@pytest.mark.django_db
def test_deputy_without_station_offers_the_phone(client, district):
    deputy = DeputyFactory(region=district.street_a, public_phone="13912345678")
    html = client.get(deputy.get_absolute_url(), **EN).content.decode()
    assert "/message/" not in html
    assert "This deputy is not listed at a station yet." in html
    assert 'href="tel:13912345678"' in html


@pytest.mark.django_db
def test_deputy_page_lists_only_active_stations(client, district):
    Station.objects.filter(pk=district.station_a.pk).update(is_active=False)
    html = client.get(district.dep_shared.get_absolute_url()).content.decode()
    assert district.station_a.get_absolute_url() not in html
    assert f'href="{district.station_b.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_deputy_photo_or_placeholder_has_a_meaningful_alt(client, district):
    html = client.get(district.dep_a.get_absolute_url(), **EN).content.decode()
    assert 'role="img" aria-label="No photo of 张明华"' in html
    district.dep_a.photo.save("a.jpg", ContentFile(b"jpeg"), save=True)
    html = client.get(district.dep_a.get_absolute_url(), **EN).content.decode()
    assert 'alt="Photo of 张明华"' in html
    assert district.dep_a.photo.url in html


@pytest.mark.django_db
def test_deputy_page_runs_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries
):
    # 2 for the deputy and stations, 8 for the public part of the record (liaison/records; the
    # deputy's registered suggestions are two indexed reads, led and co-signed), 1 for the grid
    # cells the deputy serves.
    with django_assert_max_num_queries(11):
        client.get(district.dep_shared.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    ["/s/nosuchcode/", "/d/nosuchcode/", "/no/such/page/", "/s/nosuchcode/qr.png"],
)
@pytest.mark.django_db
def test_unknown_codes_get_the_friendly_404(client, district, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert 'href="/"' in html
    assert 'name="q"' in html
    assert 'role="search"' in html


@pytest.mark.django_db
def test_inactive_station_and_deputy_are_404(client, district):
    Station.objects.filter(pk=district.station_a.pk).update(is_active=False)
    Deputy.objects.filter(pk=district.dep_a.pk).update(is_active=False)
    assert client.get(district.station_a.get_absolute_url()).status_code == 404
    response = client.get(district.dep_a.get_absolute_url(), **EN)
    assert response.status_code == 404
    assert "Sorry, we cannot find this page" in response.content.decode()


def test_500_page_renders_without_a_database(rf):
    # No django_db mark: any query here would fail the test.
    with translation.override("zh-hans"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "/static/liaison/site.css" in html
    assert 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client, district):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans"' in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client, district):
    url = district.station_a.get_absolute_url()
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert '<html lang="en"' in html
    assert "Visit or call" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": url})
    assert '<html lang="zh-Hans"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_every_page_offers_display_and_language_forms(client, district):
    html = client.get(district.dep_a.get_absolute_url()).content.decode()
    assert 'action="/display/"' in html
    assert 'name="option" value="large"' in html
    assert 'name="option" value="contrast"' in html
    assert 'action="/i18n/setlang/"' in html
    assert f'name="next" value="{district.dep_a.get_absolute_url()}"' in html
    assert 'href="#main"' in html


@pytest.mark.django_db
def test_large_type_toggle_sets_cookie_and_html_class(client, district):
    url = district.station_a.get_absolute_url()
    response = client.post("/display/", {"option": "large", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies[DISPLAY_COOKIE].value == "large"
    html = client.get(url).content.decode()
    assert 'class="large-type"' in html
    assert 'value="large" class="toggle" aria-pressed="true"' in html

    client.post("/display/", {"option": "contrast", "next": url})
    assert 'class="large-type high-contrast"' in client.get(url).content.decode()

    client.post("/display/", {"option": "large", "next": url})
    assert 'class="high-contrast"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_unknown_display_option_changes_nothing(client, district):
    response = client.post("/display/", {"option": "sparkles", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[DISPLAY_COOKIE].value == ""
    assert "large-type" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
@pytest.mark.django_db
def test_display_next_cannot_redirect_off_site(client, next_url):
    response = client.post("/display/", {"option": "large", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_display_needs_post(client):
    assert client.get("/display/?option=large").status_code == 405
