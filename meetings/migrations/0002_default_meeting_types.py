from django.db import migrations

DEFAULT_TYPES = [
    ("Summit meeting", "summit-meeting"),
    ("Summit telephone talk", "summit-telephone-talk"),
    ("Foreign ministers’ meeting", "foreign-ministers-meeting"),
    ("Foreign ministers’ telephone talk", "foreign-ministers-telephone-talk"),
    ("Courtesy call", "courtesy-call"),
    ("Strategic dialogue", "strategic-dialogue"),
    ("Other", "other"),
]


def add_default_types(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    for position, (name, slug) in enumerate(DEFAULT_TYPES, start=1):
        MeetingType.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_default_types, migrations.RunPython.noop)]
