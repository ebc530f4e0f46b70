"""cases_caseevent partitioned by month of created_at, on PostgreSQL only (docs/scaling.md).

SQLite keeps the plain table. Reversing leaves the table partitioned: the ORM does not care."""

from django.db import migrations

from liaison.core.partitions import convert_to_monthly


def partition(apps, schema_editor):
    convert_to_monthly(schema_editor, "cases_caseevent")


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_case_links")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
