"""gunicorn's settings for the portal, used by `make run` and deploy/portal.service:

    gunicorn -c portal/gunicorn.conf.py portal.wsgi --bind 127.0.0.1:8000

Options given on the command line win over these. Workers: WEB_CONCURRENCY, else gunicorn's
default; GUNICORN_CMD_ARGS adds any other option.

The access log is JSON lines on stdout, one object per request (journald or any log shipper
reads them as they are): time (UTC), remote address (and X-Forwarded-For behind nginx),
method, path, query, status, bytes, duration in milliseconds, user agent, referer, and the
request id (X-Request-ID, from nginx or made by portal.middleware.RequestIdMiddleware).
Errors stay gunicorn's plain lines on stderr, beside Django's own (settings: LOGGING).
"""

import json
from datetime import UTC, datetime

from gunicorn.glogging import Logger

accesslog = "-"
errorlog = "-"
# gunicorn's control socket (gunicornc) is not used: nothing to leave lying about.
control_socket_disable = True


class JsonAccessLogger(Logger):
    """gunicorn's logger, with each access line a JSON object."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            headers = getattr(resp, "headers", [])
            headers = headers.items() if hasattr(headers, "items") else headers
            response_headers = {name.lower(): value for name, value in headers}
            line = {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "remote_addr": environ.get("REMOTE_ADDR"),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": environ.get("QUERY_STRING") or None,
                "status": int(str(resp.status).split(None, 1)[0]),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "referer": environ.get("HTTP_REFERER"),
                "request_id": response_headers.get("x-request-id")
                or environ.get("HTTP_X_REQUEST_ID"),
            }
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:
            self.exception("Could not write the access log line")


logger_class = JsonAccessLogger
