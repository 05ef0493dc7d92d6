"""The database settings of the web process, applied by portal/wsgi.py and portal/asgi.py
before Django opens any connection."""

from django.conf import settings


def limit_statement_time(database, milliseconds):
    """Have PostgreSQL cancel any statement of this connection that runs longer than
    `milliseconds` (0: never). Set when the connection opens, not per request: no query
    more. Other databases have no such setting and are left as they are."""
    if database["ENGINE"] != "django.db.backends.postgresql" or milliseconds <= 0:
        return
    options = database.setdefault("OPTIONS", {})
    given = options.get("options", "")
    options["options"] = f"{given} -c statement_timeout={milliseconds}".strip()


def configure_web_process():
    limit_statement_time(settings.DATABASES["default"], settings.DATABASE_STATEMENT_TIMEOUT_MS)
