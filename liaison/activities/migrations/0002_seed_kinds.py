"""The activity kinds named in the articles (issue 5); staff can add or deactivate kinds later."""

from django.db import migrations

KINDS = [
    ("co-learn", "约您共学", "Learning together"),
    ("co-talk", "约您共话", "Talking together"),
    ("co-build", "约您共建", "Building together"),
    ("co-supervise", "约您共督", "Supervising together"),
    ("co-evaluate", "约您共评", "Evaluating together"),
    ("co-share", "约您共享", "Sharing together"),
    ("joint-review", "集中研判", "Joint review of issues"),
    ("regular-council", "定期议事", "Regular council meeting"),
    ("public-forum", "民情恳谈会", "Public opinion forum"),
    ("policy-briefing", "政策宣讲", "Policy briefing"),
    ("skills-training", "技能培训", "Skills training"),
    ("inspection", "视察调研", "Inspection and survey"),
    ("deputy-meeting", "代表约见", "Deputies meet officials"),
    ("report-to-voters", "向选民述职", "Report to voters"),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for position, (code, name, name_en) in enumerate(KINDS):
        ActivityKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityKind").objects.filter(
        code__in=[code for code, _, _ in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
