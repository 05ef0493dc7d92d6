"""Settings for `manage.py load_readouts` only: the site's settings plus the portal's apps.

The loader reads readouts with the portal's own parser (meetings.importing), which imports
the portal's models; Django can only import those with their apps installed. Nothing of the
portal is migrated into this site's database or used while serving: the served site runs on
wagtailbench.settings, which does not have these apps.
"""

import os
import sys

from .settings import *  # noqa: F403
from .settings import BASE_DIR, INSTALLED_APPS

PORTAL_DIR = os.environ.get("BENCH_PORTAL_DIR") or str(BASE_DIR.parent.parent)
if PORTAL_DIR not in sys.path:
    sys.path.insert(0, PORTAL_DIR)

INSTALLED_APPS = [*INSTALLED_APPS, "relations", "meetings"]

# What the portal's modules read from settings at import or parse time.
PORTAL_HOME_COUNTRY = "Japan"
PHOTO_MAX_BYTES = 8 * 1024 * 1024
