from django.apps import AppConfig


def relations_changed(sender, raw=False, **kwargs):
    from .caching import content_changed

    if not raw:
        content_changed()


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        # relations knows nothing of the page cache, so saving or deleting a region or a
        # relations page retires cached pages from here (the relations admin no longer does).
        from django.db.models.signals import post_delete, post_save

        for label in ("relations.Region", "relations.RelationsPage"):
            model = self.apps.get_model(label)
            post_save.connect(relations_changed, sender=model, dispatch_uid=f"{label}:save")
            post_delete.connect(relations_changed, sender=model, dispatch_uid=f"{label}:delete")
