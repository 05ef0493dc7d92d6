"""Settings for `manage.py load_readouts` only: the site's settings plus the portal's apps.

The loader reads readouts with the portal's own parser (meetings.importing), which imports
the portal's models; Django can only import those with their apps installed. Nothing of the
portal is migrated into this site's database or used while serving: the served site runs on
wagtailbench.settings, which does not have these apps.
"""

import importlib
import os
import sys

from .settings import *  # noqa: F403
from .settings import BASE_DIR, INSTALLED_APPS, SECRET_KEY

PORTAL_DIR = os.environ.get("BENCH_PORTAL_DIR") or str(BASE_DIR.parent.parent)
if PORTAL_DIR not in sys.path:
    sys.path.insert(0, PORTAL_DIR)

# modeltranslation before the admin, as in the portal's settings: the portal's admin forms
# name the Japanese fields it adds (text_ja), and the admin is autodiscovered at set-up.
INSTALLED_APPS = ["modeltranslation", *INSTALLED_APPS, "imagekit", "relations", "meetings"]
LANGUAGES = [("en", "English"), ("ja", "日本語")]

# What the portal's modules read from settings at import or parse time (PORTAL_*, PHOTO_*,
# MODELTRANSLATION_*, …): every setting of the portal's that this site does not define.
os.environ.setdefault("DJANGO_SECRET_KEY", SECRET_KEY)
_portal_settings = importlib.import_module("portal.settings")
for _name in dir(_portal_settings):
    if _name.isupper() and _name not in globals():
        globals()[_name] = getattr(_portal_settings, _name)
