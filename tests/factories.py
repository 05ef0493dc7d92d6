"""Small builders for test data: each returns a saved object with sensible defaults."""

import importlib
import itertools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MeetingType, Participant, PhotoSession
from relations.models import Region, RelationsPage

_numbers = itertools.count(1)

# The smallest valid image: a 1×1 GIF.

GIF_1PX = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def uploaded_gif(name="photo.gif"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, GIF_1PX, content_type="image/gif")


def uploaded_image(width, height, *, format="JPEG", mode="RGB", name=None):
    """A real photo made with Pillow: a colour gradient (so encoders have work to do); in
    RGBA, its left half transparent."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    if mode == "RGBA":
        image.putalpha(Image.new("L", (width, height), 255))
        image.paste((0, 0, 0, 0), (0, 0, width // 2, height))
    file = BytesIO()
    image.save(file, format)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(
        name or f"photo.{extension}", file.getvalue(), content_type=f"image/{extension}"
    )


def region(name=None, **fields):
    number = next(_numbers)
    name = name or f"Region {number}"
    fields.setdefault("slug", f"region-{number}")
    return Region.objects.create(name=name, **fields)


def relations_page(counterpart=None, region=None, **fields):
    number = next(_numbers)
    counterpart = counterpart or f"Country {number}"
    fields.setdefault("title", f"Japan-{counterpart} Relations")
    fields.setdefault("slug", f"country-{number}")
    fields.setdefault("introduction", f"Relations between Japan and {counterpart}.")
    return RelationsPage.objects.create(counterpart=counterpart, region=region, **fields)


def meeting_type(slug="foreign-ministers-meeting"):
    """A type the migrations create; made again after a transactional test flushed them."""
    defaults = importlib.import_module("meetings.migrations.0002_default_meeting_types")
    added = importlib.import_module("meetings.migrations.0017_meeting_type_precedence")
    names = {slug: name for name, slug in defaults.DEFAULT_TYPES}
    names |= {new["slug"]: new["name"] for new in added.NEW_TYPES}
    return MeetingType.objects.get_or_create(slug=slug, defaults={"name": names[slug]})[0]


def meeting(page=None, *, published=True, published_at=None, tags=(), **fields):
    number = next(_numbers)
    fields.setdefault("title", f"Japan-Country Foreign Ministers’ Meeting {number}")
    fields.setdefault("date", date(2024, 1, 1) + timedelta(days=number % 700))
    fields.setdefault("lead", f"On that day, the two ministers met ({number}).")
    fields.setdefault("meeting_type", meeting_type())
    if published:
        fields["state"] = Meeting.State.PUBLISHED
        fields["published_at"] = published_at or timezone.now() - timedelta(hours=1)
    created = Meeting.objects.create(relations_page=page or relations_page(), **fields)
    if tags:
        created.tags.add(*tags)
    return created


def agenda(meeting, *entries):
    """Agenda items from strings; a string starting “- ” is a sub-item of the item above."""
    items = []
    for position, entry in enumerate(entries, start=1):
        is_sub_item = entry.startswith("- ")
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                is_sub_item=is_sub_item,
                text=entry[2:] if is_sub_item else entry,
            )
        )
    return items


def full_meeting(page=None, *, items=4, photos=2, tags=("North Korea", "G7"), **fields):
    """A meeting with participants, photo sessions, items, sub-items and tags on both."""
    created = meeting(page, tags=tags, **fields)
    Participant.objects.create(
        meeting=created, name="Mr. TANAKA Kenji", title="Minister", position=1
    )
    Participant.objects.create(
        meeting=created, side=Participant.Side.COUNTERPART, name="Ms. Clara Whitfield", position=2
    )
    for position in range(1, photos + 1):
        PhotoSession.objects.create(meeting=created, caption=f"Photo {position}", position=position)
    entries = []
    for number in range(1, items + 1):
        entries += [f"Item {number}.", f"- Sub-item of item {number}."]
    for item in agenda(created, *entries):
        item.tags.add(*tags)
    return created


def index_all():
    """Write every meeting's search document and topic entries, as the site does whenever it
    saves one: these factories write rows directly, without them."""
    from meetings.search import indexing

    indexing.index_meetings(Meeting.objects.all())


def staff_user(username="editor", superuser=True):
    return get_user_model().objects.create_user(
        username=username, is_staff=True, is_superuser=superuser
    )


def ensure_groups():
    """The Editors and Publishers groups as the migration makes them.

    Transactional tests (the browser tests) empty the database afterwards, rows made by
    migrations included; the next one makes the groups again with this.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    migration = importlib.import_module("meetings.migrations.0006_editor_and_publisher_groups")
    sign_ins = importlib.import_module("accounts.migrations.0001_publishers_see_sign_ins")
    for name, specs in (
        ("Editors", [migration.EDITORS]),
        ("Publishers", [migration.EDITORS, migration.PUBLISHERS_ALSO, sign_ins.PUBLISHERS_ALSO]),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        for spec in specs:
            for app_label, codename in migration.codenames(spec):
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )


def member_of(group_name, username, **fields):
    """A staff user (no password) in the Editors or Publishers group."""
    from django.contrib.auth.models import Group

    ensure_groups()
    user = get_user_model().objects.create_user(username=username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user
