"""Who sees a budget; a deputy's question, the office's reply, the deputy told."""

import pytest
from django.urls import reverse

from liaison.budget import services
from liaison.budget.models import BudgetQuestion
from liaison.core.models import AuditEvent
from liaison.notifications.models import Channel, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def other_deputy(district):
    from tests.factories import DeputyFactory, RegionFactory, UserFactory

    elsewhere = RegionFactory(code="330108000000", name="滨江区", parent=district.city)
    deputy = DeputyFactory(name="赵六", region=elsewhere)
    return UserFactory(username="deputy_other", role="deputy", deputy=deputy)


def detail(budget):
    return reverse("budget:detail", args=[budget.pk])


def test_a_draft_budget_is_hidden_from_deputies(client, imported, accounts):
    client.force_login(accounts.deputy_a)
    assert client.get(detail(imported)).status_code == 404
    client.force_login(accounts.county_committee)
    assert client.get(detail(imported)).status_code == 200


def test_a_published_budget_is_for_deputies_of_its_region_only(
    client, published, accounts, other_deputy
):
    client.force_login(accounts.deputy_a)  # a street deputy under the county
    page = client.get(detail(published))
    assert page.status_code == 200 and "区住房和城乡建设局" in page.content.decode()
    client.force_login(other_deputy)
    assert client.get(detail(published)).status_code == 404
    assert "西湖区2026年预算" not in client.get(reverse("budget:list")).content.decode()
    client.logout()
    assert client.get(detail(published)).status_code == 404


def test_a_public_budget_is_for_everybody(client, published, accounts, other_deputy):
    services.set_flags(published, actor=accounts.county_committee, published=True, public=True)
    assert client.get(detail(published)).status_code == 200
    client.force_login(other_deputy)
    page = client.get(detail(published))
    assert page.status_code == 200
    assert 'id="budget-ask"' not in page.content.decode()  # not their region's: no questions


def test_public_needs_published(client, imported, accounts):
    client.force_login(accounts.county_committee)
    response = client.post(reverse("budget:flags", args=[imported.pk]), {"public": "1"})
    assert response.status_code == 400
    assert "Only a published budget can be public" in response.content.decode()
    imported.refresh_from_db()
    assert not imported.public


def test_drill_down_to_a_department(client, published, accounts, district):
    client.force_login(accounts.deputy_a)
    url = reverse("budget:department", args=[published.pk, district.department_county.pk])
    text = client.get(url).content.decode()
    assert "2120803 城市建设支出" in text and "Behind schedule" in text
    assert "城乡社区环境卫生" not in text
    assert 'data-table="lines"' in text and 'data-rate="10.0"' in text  # the chart's data
    missing = reverse("budget:department", args=[published.pk, district.department_b.pk])
    assert client.get(missing).status_code == 404


def test_question_reply_notification(client, published, accounts, district):
    line = published.lines.get(function_code="2120803")
    client.force_login(accounts.deputy_a)
    response = client.post(
        reverse("budget:ask", args=[published.pk]),
        {"line": line.pk, "department": "", "kind": "question", "text": "为何执行进度滞后？"},
    )
    assert response.status_code == 302
    question = BudgetQuestion.objects.get()
    assert question.department == district.department_county and question.line == line
    client.force_login(accounts.county_committee)
    response = client.post(reverse("budget:reply", args=[question.pk]), {"reply": ""})
    assert response.status_code == 400 and "Please write the reply" in response.content.decode()
    response = client.post(
        reverse("budget:reply", args=[question.pk]), {"reply": "项目招标在七月完成。"}
    )
    assert response.status_code == 302
    told = Notification.objects.get(channel=Channel.IN_APP, recipient=str(accounts.deputy_a.pk))
    assert "has a reply" in told.subject
    client.force_login(accounts.deputy_a)
    assert "项目招标在七月完成。" in client.get(detail(published)).content.decode()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"budgetquestion.asked", "budgetquestion.replied"} <= verbs


def test_bad_questions_are_refused(client, published, accounts, other_deputy):
    url = reverse("budget:ask", args=[published.pk])
    client.force_login(accounts.deputy_a)
    response = client.post(url, {"department": "", "kind": "question", "text": "问"})
    assert response.status_code == 400
    assert "Please choose a department of the budget" in response.content.decode()
    response = client.post(url, {"line": "999999", "kind": "question", "text": "问"})
    assert response.status_code == 400 and "This line is not in the budget" in (
        response.content.decode()
    )
    response = client.post(url, {"line": "", "department": "1", "kind": "x", "text": " "})
    assert response.status_code == 400
    client.force_login(accounts.county_committee)  # staff do not ask
    assert client.post(url, {"kind": "question", "text": "问"}).status_code == 403
    client.force_login(other_deputy)
    assert client.post(url, {"kind": "question", "text": "问"}).status_code == 404
    assert not BudgetQuestion.objects.exists()


def test_another_committee_cannot_reply(client, published, accounts):
    question = services.ask(
        published,
        actor=accounts.deputy_a,
        department_id=published.lines.first().department_id,
        line_id=None,
        kind="opinion",
        text="建议公开项目明细。",
    )
    client.force_login(accounts.street_a_committee)
    response = client.post(reverse("budget:reply", args=[question.pk]), {"reply": "好"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.reply == ""


def test_demo_budget_loads_once(client):
    from liaison.accounts.models import Role
    from liaison.budget import demo
    from liaison.budget.models import Budget
    from tests.factories import DepartmentFactory, RegionFactory, UserFactory

    region = RegionFactory(code="420190000000", name="江滨区", level=3)
    for name in ("区教育局", "区民政局", "区住房和城乡建设局"):
        DepartmentFactory(name=name, region=region)
    UserFactory(username="committee", role=Role.COMMITTEE_STAFF, region=region)
    loaded = demo.load()
    assert loaded["budgets"] == 1 and loaded["budget lines"] == 5
    assert demo.load() == {}
    budget = Budget.objects.get()
    assert budget.published and budget.public
    page = client.get(reverse("budget:detail", args=[budget.pk]))
    assert page.status_code == 200 and "区民政局" in page.content.decode()


def test_the_workspace_counts_questions_awaiting_a_reply(published, accounts):
    from liaison.accounts.workspace import work_for

    services.ask(
        published,
        actor=accounts.deputy_a,
        department_id=published.lines.first().department_id,
        line_id=None,
        kind="question",
        text="问",
    )
    items = {item.key: item for item in work_for(accounts.county_committee)}
    assert items["work-budget"].count == 1
    assert "work-budget" not in {item.key for item in work_for(accounts.street_a_committee)}


def test_the_deviation_threshold_comes_from_the_settings(published, settings):
    from liaison.budget import selectors

    rows = {row.key: row for row in selectors.by_function(published)}
    assert rows["2120101"].rate == 50 and rows["2120101"].deviation == ""  # June: 50 % due
    assert rows["2120803"].deviation == "behind" and rows["2120501"].deviation == "over"
    settings.LIAISON_BUDGET_DEVIATION = 45
    assert rows["2120803"].deviation == ""  # 40 points behind: within 45


def test_a_new_import_keeps_the_questions(published, accounts):
    from .conftest import finance_table, workbook

    line = published.lines.get(function_code="2120803")
    question = services.ask(
        published,
        actor=accounts.deputy_a,
        department_id=None,
        line_id=line.pk,
        kind="question",
        text="问",
    )
    services.import_table(
        published, actor=accounts.county_committee, data=workbook(finance_table())
    )
    question.refresh_from_db()
    assert question.line is None and question.department == line.department


def test_creating_a_budget_through_the_page(client, accounts, district):
    from liaison.budget.models import Budget

    url = reverse("budget:create")
    client.force_login(accounts.county_committee)
    for year, message in [("二〇二六", "between 2000 and 2100"), ("1900", "between 2000 and 2100")]:
        response = client.post(url, {"year": year})
        assert response.status_code == 400 and message in response.content.decode()
    response = client.post(url, {"year": "2026"})
    assert response.status_code == 302
    budget = Budget.objects.get()
    assert budget.region == district.county and budget.title == "西湖区2026年预算"
    response = client.post(url, {"year": "2026"})
    assert response.status_code == 400
    assert "already has a budget for that year" in response.content.decode()
    client.force_login(accounts.administrator)  # no region of its own
    response = client.post(url, {"year": "2027"})
    assert (
        response.status_code == 400 and "committee staff of a region" in response.content.decode()
    )
    client.force_login(accounts.deputy_a)
    assert client.post(url, {"year": "2027"}).status_code == 403
    assert Budget.objects.count() == 1
