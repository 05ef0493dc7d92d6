from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from . import caching
        from .search import indexing

        caching.listen_for_public_changes()
        indexing.listen_for_renames()
        post_migrate.connect(indexing.index_missing_after_migrate, sender=self)
