"""Browser tests of issue 14, section 3, on a phone, in Chinese, with axe on every page touched:
a grid worker files a case for a resident; a livelihood project from the vote to its acceptance."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from liaison.accounts.models import Role
from liaison.cases.models import Case, Channel
from liaison.directory.models import GridCell
from liaison.projects import services
from liaison.projects.models import Status
from tests.factories import UserFactory

from .test_accessibility import check
from .test_staff_first_week import person  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


def test_a_grid_worker_files_a_case_on_a_phone(person, district):  # noqa: F811
    cell = GridCell.objects.create(
        code="G1", name="翠苑一区网格", region=district.street_a, station=district.station_a
    )
    worker = UserFactory(username="grid1", role=Role.GRID_WORKER, grid_cell=cell, is_staff=False)
    page = person(worker)
    check(page, "grid-workspace")
    page.click("#work-grid-case-new a")
    page.wait_for_url("**/staff/cases/new/grid/")
    check(page, "grid-new-case")
    page.click("form.panel button[type=submit]")  # nothing filled in: every error names its field
    assert page.locator(".error-notice").count() == 1
    check(page, "grid-new-case-errors")
    page.select_option("#id_category", str(district.category.pk))
    page.fill("#id_title", "楼道灯坏了")
    page.fill("#id_description", "3幢2单元楼道灯坏了两周。")
    page.fill("#id_citizen_phone", "13912345678")
    page.check("#id_privacy_accepted")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/staff/cases/*/")
    case = Case.objects.get()
    assert (case.channel, case.grid_cell, case.station) == (Channel.GRID, cell, district.station_a)
    check(page, "grid-case-detail")


def _jpeg(path):
    Image.new("RGB", (320, 240), (30, 140, 90)).save(path, format="JPEG")
    return str(path)


def test_a_livelihood_project_from_the_vote_to_its_acceptance(
    person,  # noqa: F811
    browser,
    live_site,
    district,
    accounts,
    tmp_path,
):
    project = services.propose_project(
        actor=accounts.county_committee,
        year=timezone.localdate().year,
        title="老旧小区加装电梯",
        description="加装电梯20部。",
        department=district.department_a,
        budget="1200",
        region=district.county,
    )
    services.open_vote(
        project, actor=accounts.county_committee, closes_at=timezone.now() + timedelta(days=7)
    )
    staff_page = f"/staff/projects/{project.pk}/"

    deputy = person(accounts.deputy_a)
    deputy.goto(staff_page)
    check(deputy, "project-vote")
    deputy.check("input[name=choice][value=for]")
    deputy.click("form[action$='/vote/'] button[type=submit]")
    deputy.wait_for_url(f"**{staff_page}")

    committee = person(accounts.county_committee)
    committee.goto(staff_page)
    committee.click("form[action$='/close_vote/'] button[type=submit]")
    committee.wait_for_url(f"**{staff_page}")
    project.refresh_from_db()
    assert project.status == Status.ADOPTED
    check(committee, "project-adopted")

    deputy.goto(staff_page)
    deputy.click("form[action$='/claim/'] button[type=submit]")
    deputy.wait_for_url(f"**{staff_page}")

    handler = person(accounts.handler_a)
    handler.goto(staff_page)
    handler.fill("#id_period", "2026 Q2")
    handler.fill("form[action$='/report/'] #id_text", "已开工8部。")
    handler.set_input_files("form[action$='/report/'] input[type=file]", _jpeg(tmp_path / "a.jpg"))
    handler.click("form[action$='/report/'] button[type=submit]")
    handler.wait_for_url(f"**{staff_page}")

    committee.goto(staff_page)
    committee.fill("form[action$='/accept/'] textarea", "20部电梯全部投用。")
    committee.set_input_files(
        "form[action$='/accept/'] input[type=file]", _jpeg(tmp_path / "b.jpg")
    )
    committee.click("form[action$='/accept/'] button[type=submit]")
    committee.wait_for_url(f"**{staff_page}")
    project.refresh_from_db()
    assert project.status == Status.COMPLETED

    citizen = browser.new_context(
        viewport={"width": 375, "height": 667}, locale="zh-CN", base_url=live_site.url
    ).new_page()
    citizen.goto("/projects/")
    check(citizen, "projects-public-list")
    citizen.click(f"a[href='/projects/{project.pk}/']")
    assert citizen.locator(".votes-for").inner_text() == "1"
    assert citizen.locator("img[src^='/projects/photos/']").count() == 2
    # The photos load lazily: on a phone screen the first may be below the fold until scrolled to.
    photo = citizen.locator("img[src^='/projects/photos/']").first
    photo.scroll_into_view_if_needed()
    citizen.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=photo.element_handle())
    check(citizen, "project-public-completed")
