"""The demo projects: one at each stage, loaded once, through the services."""

from liaison.accounts import demo as accounts_demo
from liaison.directory import demo as directory_demo
from liaison.projects import demo
from liaison.projects.models import Photo, Project, Status


def test_one_project_at_each_stage_and_nothing_twice(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    directory_demo.load()
    accounts_demo.load()
    assert demo.load() == {"livelihood projects": 4}
    assert sorted(Project.objects.values_list("status", flat=True)) == sorted(
        [Status.COMPLETED, Status.ADOPTED, Status.VOTING, Status.PROPOSED]
    )
    completed = Project.objects.get(status=Status.COMPLETED)
    assert completed.ratings.count() == 2 and completed.progress.filter(is_acceptance=True).exists()
    assert Photo.objects.count() == 4
    assert demo.load() == {"livelihood projects": 0}
