from django.core.management.base import BaseCommand

from meetings.workflow import record_due_transitions


class Command(BaseCommand):
    help = (
        "Record in the publication log the meetings that went public or expired by the clock "
        "since the last run, and retire cached pages. Run it every minute from cron or a "
        "systemd timer; the public site does not depend on it."
    )

    def handle(self, **options):
        went_public, expired = record_due_transitions()
        for meeting in went_public:
            self.stdout.write(f"public: {meeting}")
        for meeting in expired:
            self.stdout.write(f"expired: {meeting}")
