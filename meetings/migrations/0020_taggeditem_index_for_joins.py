"""An index PostgreSQL can use when it joins meetings or agenda items to their tags.

taggit stores `object_id` as an integer; our primary keys are big integers, so Django
joins on `object_id::bigint`, and taggit's own index on `object_id` no longer applies:
at 50,000 meetings each such join read the whole tag table. SQLite has no such cast and
needs nothing."""

from django.db import migrations

INDEX = "taggeditem_object_as_key_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON taggit_taggeditem "
            "(content_type_id, (object_id::bigint), tag_id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0019_editing_presence"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
