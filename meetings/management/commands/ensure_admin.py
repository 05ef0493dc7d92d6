import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.BASE_DIR / ".admin-password"


class Command(BaseCommand):
    help = (
        "Create an administrator account named “admin” with a random password when there is "
        "no superuser yet, and print the login. For development and first runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, url, **options):
        users = get_user_model()
        admin = users.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            password = secrets.token_urlsafe(12)
            admin = users.objects.create_superuser("admin", "admin@example.org", password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        known = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        if known and admin.check_password(known):
            self.stdout.write(f"Admin: {url}  user: {admin.get_username()}  password: {known}")
        else:
            self.stdout.write(
                f"Admin: {url}  user: {admin.get_username()} (password unchanged; reset it with "
                f"`.venv/bin/python manage.py changepassword {admin.get_username()}`)"
            )
        self.stdout.write(
            "Add the team: `.venv/bin/python manage.py add_person NAME --role editor` (writes and "
            "submits) or `--role publisher` (also approves and publishes; nobody approves their "
            "own submission, so a team needs two)."
        )
