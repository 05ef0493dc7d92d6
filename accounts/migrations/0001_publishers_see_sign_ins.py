from django.contrib.auth.management import create_permissions
from django.db import migrations

# Publishers see the sign-in audit and the staff list, unlock accounts and sign people out
# everywhere (accounts/admin.py); editors get none of these.
PUBLISHERS_ALSO = {
    "axes": {
        "accessattempt": ["view", "delete"],
        "accesslog": ["view"],
        "accessfailurelog": ["view"],
    },
    "auth": {"user": ["view"]},
}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames(PUBLISHERS_ALSO)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("meetings", "0006_editor_and_publisher_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
