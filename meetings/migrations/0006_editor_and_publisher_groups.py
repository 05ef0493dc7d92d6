from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = {
    "meetings": {
        "meeting": ["add", "change", "view"],
        "agendaitem": ["add", "change", "delete", "view"],
        "photosession": ["add", "change", "delete", "view"],
        "participant": ["add", "change", "delete", "view"],
        "topic": ["add", "change", "view"],
        "meetingtype": ["view"],
        "publicationlogentry": ["view"],
    },
    "relations": {"relationspage": ["add", "change", "view"], "region": ["view"]},
    "taggit": {"tag": ["add", "change", "view"]},
}
PUBLISHERS_ALSO = {
    "meetings": {"meeting": ["delete", "publish"], "meetingtype": ["add", "change"]},
    "relations": {"region": ["add", "change"]},
    "taggit": {"tag": ["delete"]},
}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(spec):
        return [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames(spec)
        ]

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(EDITORS))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(*permissions(EDITORS), *permissions(PUBLISHERS_ALSO))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_publication_log_and_roles"),
        ("relations", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
