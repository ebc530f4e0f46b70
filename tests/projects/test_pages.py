"""The livelihood project pages over HTTP: public (no login, no JS) and staff."""

from django.urls import reverse

from liaison.projects import services
from liaison.projects.models import Photo, Progress, Status, Vote

from .conftest import jpeg, not_an_image, open_for

EN = {"HTTP_COOKIE": "django_language=en"}  # the site is Chinese first: English by choice


def staff(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_public_list_by_year_and_project_page(client, project):
    page = client.get("/projects/", **EN)
    assert page.status_code == 200 and project.title in page.text
    assert client.get("/projects/?year=2026", **EN).status_code == 200
    assert client.get("/projects/?year=1999", **EN).status_code == 404
    assert client.get("/projects/?year=２０２６", **EN).status_code == 404
    detail = client.get(project.get_absolute_url(), **EN)
    assert detail.status_code == 200 and "Result of the deputies' vote" not in detail.text
    assert client.get("/projects/999999/").status_code == 404


def test_a_deputy_votes_once_on_the_staff_page(client, project, accounts, deputies):
    open_for(project, accounts)
    staff(client, deputies["a"])
    url = reverse("projects:detail", args=[project.pk])
    assert "Cast my vote" in client.get(url).text
    act = reverse("projects:act", args=[project.pk, "vote"])
    assert client.post(act, {"choice": "for"}).status_code == 302
    again = client.post(act, {"choice": "against"})
    assert again.status_code == 400 and "already" in again.text
    assert client.post(act, {"choice": "maybe"}).status_code == 400
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]
    assert "Cast my vote" not in client.get(url).text


def test_results_are_published_when_the_vote_closes(client, project, accounts, deputies):
    open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    staff(client, accounts.county_committee)
    closed = client.post(
        reverse("projects:act", args=[project.pk, "close_vote"]), {"seen_status": "voting"}
    )
    assert closed.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.ADOPTED
    client.logout()
    page = client.get(project.get_absolute_url(), **EN)
    assert "Result of the deputies' vote" in page.text


def test_progress_with_photos_is_published_and_bad_photos_refused(
    client, project, accounts, deputies
):
    open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    services.close_vote(project, actor=accounts.county_committee)
    staff(client, accounts.handler_a)
    act = reverse("projects:act", args=[project.pk, "report"])
    bad = client.post(act, {"period": "2026 Q2", "text": "进展", "photos": [not_an_image()]})
    assert bad.status_code == 400 and "not an image" in bad.text
    empty = client.post(act, {"period": "", "text": ""})
    assert empty.status_code == 400
    assert not Progress.objects.exists()
    good = client.post(act, {"period": "2026 Q2", "text": "已开工8部。", "photos": [jpeg()]})
    assert good.status_code == 302
    photo = Photo.objects.get()
    client.logout()
    page = client.get(project.get_absolute_url(), **EN)
    assert (
        "已开工8部。" in page.text
        and reverse("projects-public:photo", args=[photo.pk]) in page.text
    )
    image = client.get(reverse("projects-public:photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_staff_outside_the_scope_see_nothing_and_may_not_act(client, district, accounts, deputies):
    street = services.propose_project(
        actor=accounts.street_a_committee,
        year=2026,
        title="北山街道口袋公园",
        description="新建口袋公园两处。",
        department=district.department_a,
        budget="80",
        region=district.street_a,
    )
    open_for(street, accounts)
    staff(client, deputies["b"])
    assert client.get(reverse("projects:detail", args=[street.pk])).status_code == 404
    vote = client.post(reverse("projects:act", args=[street.pk, "vote"]), {"choice": "for"})
    assert vote.status_code == 404
    staff(client, accounts.station_a_staff)
    assert client.get(reverse("projects:detail", args=[street.pk])).status_code == 200
    closing = client.post(reverse("projects:act", args=[street.pk, "close_vote"]))
    assert closing.status_code == 403
    assert client.post(reverse("projects:act", args=[street.pk, "nonsense"])).status_code == 404
    assert not Vote.objects.exists()


def test_the_committee_links_the_case_that_fed_the_project(client, district, project, accounts):
    from liaison.cases import services as cases

    case = cases.submit_case(
        channel="phone",
        station=district.station_a,
        deputy=None,
        category=district.category,
        title="没有电梯",
        description="老人上下楼难。",
        citizen_phone="13912345678",
        privacy_accepted=True,
        actor=accounts.station_a_staff,
    )
    staff(client, accounts.county_committee)
    act = reverse("projects:act", args=[project.pk, "link"])
    unknown = client.post(act, {"tracking_number": "0000000000"})
    assert unknown.status_code == 400 and "No case with this number" in unknown.text
    assert client.post(act, {"tracking_number": case.tracking_number}).status_code == 302
    assert list(project.sources.values_list("case_id", flat=True)) == [case.pk]
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert case.title in page.text
