"""Proposing a project in the admin (through the service, audited) and the deputy's reminder."""

from liaison.accounts.workspace import work_for
from liaison.core.models import AuditEvent
from liaison.projects import services
from liaison.projects.models import Project

from .conftest import open_for


def _form(district, **overrides):
    data = {
        "year": "2026",
        "title": "社区食堂",
        "description": "新建社区老年食堂三处。",
        "department": district.department_a.pk,
        "budget": "300",
        "region": district.street_a.pk,
    }
    data.update(overrides)
    return data


def test_the_committee_proposes_in_the_admin(client, district, accounts):
    client.force_login(accounts.street_a_committee)
    response = client.post("/admin/projects/project/add/", _form(district))
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.status == "proposed"
    assert AuditEvent.objects.filter(verb="project.proposed", object_id=str(project.pk)).exists()
    bad = client.post("/admin/projects/project/add/", _form(district, budget="-1", year="99"))
    assert bad.status_code == 200 and Project.objects.count() == 1


def test_deputies_and_stations_may_not_propose(client, district, accounts):
    client.force_login(accounts.deputy_a)
    assert client.post("/admin/projects/project/add/", _form(district)).status_code in (302, 403)
    assert not Project.objects.exists()


def test_the_deputy_is_reminded_of_open_votes_until_voting(project, accounts, deputies):
    def waiting():
        return {i.key: i.count for i in work_for(deputies["a"])}["work-project-votes"]

    assert waiting() == 0
    open_for(project, accounts)
    assert waiting() == 1
    services.cast_vote(project, actor=deputies["a"], choice="for")
    assert waiting() == 0
