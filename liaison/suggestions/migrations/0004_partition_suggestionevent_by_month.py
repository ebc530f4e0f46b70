"""suggestions_suggestionevent partitioned by month of created_at, on PostgreSQL only
(docs/scaling.md). SQLite keeps the plain table. Reversing leaves the table partitioned."""

from django.db import migrations

from liaison.core.partitions import convert_to_monthly


def partition(apps, schema_editor):
    convert_to_monthly(schema_editor, "suggestions_suggestionevent")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_suggestion_submitted_at_index")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
