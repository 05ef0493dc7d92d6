from django.apps import AppConfig


class ReadoutsConfig(AppConfig):
    name = "readouts"
    default_auto_field = "django.db.models.BigAutoField"
