"""The Japanese interface is complete: every string the code marks is translated, compiled."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"


def po_entries(path):
    """(msgid, msgstr, flags) of each entry of a .po file but its header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        strings = {"msgid": "", "msgstr": ""}
        current = None
        for line in block.splitlines():
            keyword = re.match(r"^(msgid|msgstr|msgstr\[0\]|msgid_plural) ", line)
            if keyword:
                current = {"msgstr[0]": "msgstr", "msgid_plural": None}.get(keyword[1], keyword[1])
                line = line[len(keyword[0]) :]
            if current and line.startswith('"'):
                strings[current] += (
                    line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
                )
        if strings["msgid"]:
            entries.append((strings["msgid"], strings["msgstr"], flags))
    return entries


class JapaneseCatalogueTests(SimpleTestCase):
    def test_every_string_is_translated_and_none_is_fuzzy(self):
        entries = po_entries(CATALOGUE / "django.po")
        self.assertGreater(len(entries), 40)
        self.assertEqual([msgid for msgid, msgstr, _ in entries if not msgstr], [])
        self.assertEqual([msgid for msgid, _, flags in entries if "fuzzy" in flags], [])

    def test_the_compiled_catalogue_holds_every_translation(self):
        with open(CATALOGUE / "django.mo", "rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)
        for msgid, msgstr, _ in po_entries(CATALOGUE / "django.po"):
            with self.subTest(msgid=msgid):
                translated = catalogue.gettext(msgid)
                if translated == msgid:  # or a plural's singular
                    translated = catalogue.ngettext(msgid, msgid, 1)
                self.assertEqual(translated, msgstr, "run `make messages`")

    def test_placeholders_survive_translation(self):
        for msgid, msgstr, _ in po_entries(CATALOGUE / "django.po"):
            with self.subTest(msgid=msgid):
                placeholders = [sorted(re.findall(r"%\(\w+\)s", text)) for text in (msgid, msgstr)]
                self.assertEqual(*placeholders)

    def test_django_uses_it(self):
        with translation.override("ja"):
            self.assertEqual(translation.gettext("All meetings"), "すべての会談")
