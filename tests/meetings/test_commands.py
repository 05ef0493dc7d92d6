import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from meetings import caching
from meetings.models import Meeting, PublicationLogEntry, PublicContentVersion
from relations.models import RelationsPage
from tests.accounts.signing_in import sign_in
from tests.meetings.test_importing import FIXTURES


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class ImportReadoutCommandTests(TestCase):
    def test_prints_the_public_address_of_each_imported_meeting(self):
        out, err = run(
            "import_readout",
            str(FIXTURES / "foreign-ministers-meeting.txt"),
            str(FIXTURES / "telephone-talk.txt"),
        )
        meetings = Meeting.objects.order_by("date")
        self.assertEqual(
            out.splitlines(),
            [
                f"imported: http://127.0.0.1:8000{meetings[0].get_absolute_url()}",
                f"imported: http://127.0.0.1:8000{meetings[1].get_absolute_url()}",
            ],
        )
        self.assertEqual(err, "2 readout(s): 2 created, 0 updated, 0 failed\n")
        self.assertFalse(any(m.is_public for m in meetings))

    def test_prints_what_an_editor_must_look_at_with_file_and_line(self):
        text = (FIXTURES / "foreign-ministers-meeting.txt").read_text(encoding="utf-8")
        path = Path(self.tmp) / "skipped-number.txt"
        path.write_text(
            text.replace("  2. The two ministers exchanged", "  4. The two ministers exchanged")
        )
        _out, err = run("import_readout", str(path))
        self.assertIn(f"{path.name}:10: warning: item numbered 4. is item 2 of the overview", err)

    def test_publish_flag_publishes(self):
        run("import_readout", "--publish", str(FIXTURES / "telephone-talk.txt"))
        self.assertTrue(Meeting.objects.get().is_public)

    def test_publishing_a_batch_retires_cached_pages_once_after_the_last_meeting(self):
        caching.current_version()
        before = PublicContentVersion.objects.get(pk=1).version
        files = [str(FIXTURES / name) for name in ("telephone-talk.txt", "summit-meeting.txt")]
        with (
            mock.patch.object(caching, "_bump_version", wraps=caching._bump_version) as bump,
            # Each readout's transaction commits as it ends, as outside a test's.
            mock.patch.object(caching.transaction, "on_commit", lambda callback: callback()),
        ):
            run("import_readout", "--publish", *files)
        self.assertEqual(Meeting.objects.published().count(), 2)
        self.assertEqual(bump.call_count, 1)
        self.assertEqual(PublicContentVersion.objects.get(pk=1).version, before + 1)

    def test_bad_input_names_file_and_line_and_writes_nothing_for_that_file(self):
        bad = Path(self.tmp) / "bad.txt"
        bad.write_text("Japan-Atlantis Relations\nSummer 2024\nTitle\n\nOn May 1, they met.\n")
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError):
            call_command(
                "import_readout",
                str(bad),
                str(FIXTURES / "telephone-talk.txt"),
                stdout=out,
                stderr=err,
            )
        self.assertIn(f"{bad}:2: expected the meeting's date as “Month D, YYYY”", err.getvalue())
        self.assertEqual(
            list(Meeting.objects.values_list("title", flat=True)),
            ["Japan-Borduria Foreign Ministers’ Telephone Talk"],
        )
        self.assertFalse(RelationsPage.objects.filter(title="Japan-Atlantis Relations").exists())

    def test_a_missing_file_is_a_clear_error(self):
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_readout", "/no/such/file.txt", stderr=err)
        self.assertIn("/no/such/file.txt:1: cannot read the file", err.getvalue())

    def test_folders_are_imported_file_by_file_with_a_summary(self):
        folder = Path(self.tmp) / "batch"
        (folder / "2025").mkdir(parents=True)
        for name in ("telephone-talk.txt", "summit-meeting.txt"):
            (folder / "2025" / name).write_bytes((FIXTURES / name).read_bytes())
        (folder / "broken.txt").write_text("Japan-Atlantis Relations\n")
        (folder / "notes.md").write_text("not a readout")
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError):
            call_command("import_readout", str(folder), stdout=out, stderr=err)
        self.assertEqual(out.getvalue().count("imported: "), 2)
        self.assertIn("3 readout(s): 2 created, 0 updated, 1 failed", err.getvalue())
        self.assertIn(f"failed: {folder / 'broken.txt'}:1: no date", err.getvalue())
        self.assertEqual(Meeting.objects.count(), 2)

        out, err = StringIO(), StringIO()
        call_command("import_readout", str(folder / "2025"), stdout=out, stderr=err)
        self.assertIn("2 readout(s): 0 created, 2 updated, 0 failed", err.getvalue())

    def test_a_dry_run_prints_the_parsed_structure_and_writes_nothing(self):
        out, err = run(
            "import_readout", "--dry-run", str(FIXTURES / "foreign-ministers-meeting.txt")
        )
        [readout] = json.loads(out)
        self.assertEqual(readout["title"], "Japan-Atlantis Foreign Ministers’ Meeting")
        self.assertEqual(readout["date"], "2024-06-03")
        self.assertEqual(readout["start_time"], "17:45")
        self.assertEqual(readout["duration_minutes"], 45)
        self.assertFalse(readout["relations_page_exists"])
        self.assertEqual(
            [(i["number"], len(i["sub_items"])) for i in readout["overview"]],
            [("1.", 0), ("2.", 0), ("3.", 3), ("4.", 0), ("5.", 0), ("6.", 0)],
        )
        self.assertEqual(readout["overview"][2]["sub_items"][1]["number"], "(2)")
        self.assertEqual(readout["warnings"], [])
        self.assertIn("parsed (dry run, nothing written)", err)
        self.assertFalse(Meeting.objects.exists())
        self.assertFalse(RelationsPage.objects.exists())

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = str(tmp_path)


class LoadDemoTests(TestCase):
    def test_loads_published_demo_content_once(self):
        out, _ = run("load_demo")
        self.assertIn("Demo content loaded", out)
        count = Meeting.objects.count()
        self.assertGreaterEqual(count, 10)
        self.assertEqual(Meeting.objects.published().count(), count)
        self.assertTrue(Meeting.objects.filter(tags__isnull=False).exists())
        out, _ = run("load_demo")
        self.assertIn("not loaded", out)
        self.assertEqual(Meeting.objects.count(), count)

    def test_every_demo_relations_page_and_meeting_page_renders(self):
        run("load_demo")
        for page in RelationsPage.objects.all():
            self.assertEqual(self.client.get(page.get_absolute_url()).status_code, 200)
        for meeting in Meeting.objects.all():
            self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 200)


class EnsureAdminTests(TestCase):
    def test_creates_one_admin_and_prints_the_login_each_time(self):
        out, _ = run("ensure_admin")
        self.assertIn("user: admin  password: ", out)
        again, _ = run("ensure_admin")
        self.assertEqual(again, out)
        self.assertEqual(get_user_model().objects.filter(is_superuser=True).count(), 1)

    @pytest.fixture(autouse=True)
    def _password_file_in_tmp(self, tmp_path, monkeypatch):
        from meetings.management.commands import ensure_admin

        monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / ".admin-password")


class TeamTests(TestCase):
    """A fresh install gets to a working team: an editor writes, another person approves."""

    @pytest.fixture(autouse=True)
    def _login_files_in_tmp(self, tmp_path, monkeypatch):
        from meetings.management.commands import ensure_admin, load_demo

        monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / ".admin-password")
        monkeypatch.setattr(load_demo, "DEMO_PEOPLE_FILE", tmp_path / ".demo-people")

    def test_the_admin_login_says_how_to_add_the_team(self):
        out, _ = run("ensure_admin")
        self.assertIn("manage.py add_person NAME --role editor", out)
        self.assertIn("--role publisher", out)

    def test_a_person_is_added_in_their_role_and_can_log_in(self):
        out, _ = run("add_person", "jane", "--role", "publisher", "--email", "jane@example.org")
        password = out.split("password: ")[1].strip()
        jane = get_user_model().objects.get(username="jane")
        self.assertTrue(jane.is_staff)
        self.assertEqual([group.name for group in jane.groups.all()], ["Publishers"])
        self.assertEqual(sign_in(self.client, "jane", password).status_code, 302)

    def test_a_taken_name_is_refused_naming_it(self):
        run("add_person", "jane", "--role", "editor")
        with self.assertRaisesMessage(CommandError, "already a person named “jane”"):
            run("add_person", "jane", "--role", "publisher")

    def test_the_demo_people_take_a_readout_through_review(self):
        from meetings import workflow
        from tests import factories

        out, _ = run("load_demo", "--people")
        logins = dict(
            line.split("  password: ")
            for line in out.splitlines()
            if line.startswith("Demo ") and "password: " in line
        )
        self.assertEqual(
            sorted(logins), ["Demo editor: user demo-editor", "Demo publisher: user demo-publisher"]
        )
        again, _ = run("load_demo", "--people")
        self.assertIn(f"password: {logins['Demo editor: user demo-editor']}", again)
        users = get_user_model().objects
        editor, publisher = users.get(username="demo-editor"), users.get(username="demo-publisher")
        draft = factories.meeting(published=False)
        workflow.submit_for_review(draft, by=editor)
        workflow.approve(draft, by=publisher)
        draft.refresh_from_db()
        self.assertTrue(draft.is_public)


class BackfillCommandTests(TestCase):
    """`import_readout --backfill`: an archive brought in at its own dates, unannounced."""

    def test_backfills_each_readout_at_its_meeting_date_with_a_summary(self):
        out, err = run(
            "import_readout",
            "--backfill",
            str(FIXTURES / "summit-meeting.txt"),
            str(FIXTURES / "telephone-talk.txt"),
        )
        meetings = Meeting.objects.order_by("date")
        self.assertTrue(all(m.is_public for m in meetings))
        self.assertEqual(
            [timezone.localtime(m.published_at).isoformat() for m in meetings],
            ["2023-10-30T13:00:00+09:00", "2025-01-09T10:15:00+09:00"],
        )
        self.assertIn(
            f"back-filled: http://127.0.0.1:8000{meetings[0].get_absolute_url()} "
            "(public since 2023-10-30 13:00 JST)",
            out.splitlines(),
        )
        self.assertIn(
            "2 readout(s): 2 back-filled, published at their meeting dates and not announced; "
            "0 skipped (already on the portal), 0 failed",
            err,
        )
        entries = PublicationLogEntry.objects.all()
        self.assertEqual([(e.backfill, e.actor) for e in entries], [(True, None), (True, None)])
        self.assertEqual(mail.outbox, [])

    def test_a_meeting_already_on_the_portal_is_skipped_naming_it_so_a_batch_can_run_again(self):
        run("import_readout", str(FIXTURES / "telephone-talk.txt"))
        draft = Meeting.objects.get()
        out, err = run(
            "import_readout",
            "--backfill",
            str(FIXTURES / "telephone-talk.txt"),
            str(FIXTURES / "summit-meeting.txt"),
        )
        self.assertIn(
            f"skipped: {FIXTURES / 'telephone-talk.txt'}: “{draft.title}” is already on the "
            f"portal (draft), left as it is: http://127.0.0.1:8000{draft.get_absolute_url()}",
            out.splitlines(),
        )
        self.assertIn("1 back-filled, published at their meeting dates", err)
        self.assertIn("1 skipped (already on the portal), 0 failed", err)
        draft.refresh_from_db()
        self.assertEqual(draft.state, Meeting.State.DRAFT)

    def test_a_meeting_dated_in_the_future_is_refused_naming_the_file(self):
        future = Path(self.tmp) / "future.txt"
        next_year = timezone.localdate().year + 1
        future.write_text(
            (FIXTURES / "summit-meeting.txt").read_text().replace("2023", str(next_year))
        )
        err = StringIO()
        with self.assertRaisesMessage(CommandError, "1 of 2 readout(s) could not be imported"):
            call_command(
                "import_readout",
                "--backfill",
                str(future),
                str(FIXTURES / "telephone-talk.txt"),
                stdout=StringIO(),
                stderr=err,
            )
        self.assertIn(
            f"failed: {future}:3: the meeting is dated October 30, {next_year}, in the future: "
            "an archive back-fill publishes only meetings that have taken place",
            err.getvalue(),
        )
        self.assertEqual(
            list(Meeting.objects.values_list("title", flat=True)),
            ["Japan-Borduria Foreign Ministers’ Telephone Talk"],
        )
        self.assertFalse(RelationsPage.objects.filter(title="Japan-Syldavia Relations").exists())

    def test_a_dry_run_says_when_each_would_be_published(self):
        out, _ = run(
            "import_readout", "--backfill", "--dry-run", str(FIXTURES / "telephone-talk.txt")
        )
        [readout] = json.loads(out)
        self.assertEqual(
            readout["backfill"], {"published_at": "2025-01-09T10:15:00+09:00", "skipped": False}
        )
        self.assertFalse(Meeting.objects.exists())

    def test_backfill_and_publish_are_two_different_choices(self):
        with self.assertRaises(CommandError):
            run("import_readout", "--backfill", "--publish", str(FIXTURES / "telephone-talk.txt"))

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = str(tmp_path)
