"""The outbox (notifications_notification) partitioned by month of created_at, on PostgreSQL only
(docs/scaling.md). SQLite keeps the plain table.

A partitioned table cannot have a unique index without the partition key, so `dedupe_key`
becomes a plain index and its uniqueness moves to `notifications_dedupe` (key → created_at),
kept by two triggers: before an insert the key is claimed there, and a row whose key is taken is
skipped — what the unique index and ON CONFLICT DO NOTHING did; after a delete the key is free
again (prune_sent). Dropping a month frees its keys in `notifications.partitions`.
Reversing leaves the table partitioned."""

from django.db import migrations

from liaison.core.partitions import convert_to_monthly

DEDUPE = """
CREATE TABLE notifications_dedupe (
    dedupe_key varchar(200) PRIMARY KEY,
    created_at timestamptz NOT NULL
);
CREATE INDEX notifications_dedupe_created ON notifications_dedupe (created_at);
INSERT INTO notifications_dedupe (dedupe_key, created_at)
    SELECT dedupe_key, created_at FROM notifications_notification WHERE dedupe_key IS NOT NULL;

CREATE FUNCTION notifications_claim_dedupe_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.dedupe_key IS NULL THEN
        RETURN NEW;
    END IF;
    -- Waits for a concurrent insert of the same key to commit or roll back, like a unique index.
    INSERT INTO notifications_dedupe (dedupe_key, created_at)
        VALUES (NEW.dedupe_key, NEW.created_at) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN NEW;
    END IF;
    RETURN NULL;  -- the key is taken: this row is not inserted
END $$;

CREATE FUNCTION notifications_free_dedupe_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.dedupe_key IS NOT NULL THEN
        DELETE FROM notifications_dedupe WHERE dedupe_key = OLD.dedupe_key;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER notification_claim_dedupe_key BEFORE INSERT ON notifications_notification
    FOR EACH ROW EXECUTE FUNCTION notifications_claim_dedupe_key();
CREATE TRIGGER notification_free_dedupe_key AFTER DELETE ON notifications_notification
    FOR EACH ROW EXECUTE FUNCTION notifications_free_dedupe_key();
"""


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    convert_to_monthly(
        schema_editor,
        "notifications_notification",
        unique_to_plain=("notifications_notification_dedupe_key_key",),
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DEDUPE)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_claimed_index")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
