import os

from django.core.asgi import get_asgi_application

from portal.web_database import configure_web_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
configure_web_process()

application = get_asgi_application()
