# The worker's JobRun moved from notifications to core (core sits below notifications, see
# liaison/core/layers.py). State only: the table notifications_jobrun and its rows stay.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="job")),
                        (
                            "last_run_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last started"
                            ),
                        ),
                        (
                            "last_finished_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last finished"
                            ),
                        ),
                        ("last_result", models.TextField(blank=True, verbose_name="last result")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                    ],
                    options={
                        "verbose_name": "periodic job",
                        "verbose_name_plural": "periodic jobs",
                        "ordering": ["name"],
                        "db_table": "notifications_jobrun",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
