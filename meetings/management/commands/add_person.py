import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# The groups the migrations make, by the role they give.
ROLES = {"editor": "Editors", "publisher": "Publishers"}


class Command(BaseCommand):
    help = (
        "Add a person to the editors' desk: an editor writes and submits readouts, a "
        "publisher also approves, schedules, corrects and takes them down. Prints the login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="The password to give; without it, a random one is printed."
        )

    @transaction.atomic
    def handle(self, username, role, email, password, **options):
        password, created = add_person(username, role, email=email, password=password)
        if not created:
            raise CommandError(f"There is already a person named “{username}”: choose another.")
        self.stdout.write(f"{ROLES[role][:-1]} added: user {username}  password: {password}")


def add_person(username, role, *, email="", password=None):
    """(password, created): a staff account in the role's group, unless the name is taken."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        return None, False
    password = password or secrets.token_urlsafe(12)
    person = users.objects.create_user(username, email, password, is_staff=True)
    person.groups.add(Group.objects.get(name=ROLES[role]))
    return password, True
