"""Signing in with a passkey, after the password.

The right password of someone who has a passkey, given without a code, does not sign them
in: the session remembers who gave it (for a few minutes) and the next page asks for the
passkey. django-otp-webauthn's ceremony then runs against that person's passkeys alone,
and only once it succeeds is the person signed in, their session verified by the passkey.
So there is never a session signed in with the password alone, and a passkey never signs
anyone in without their password (passwordless sign-in is off in the settings).
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.http import JsonResponse
from django.urls import reverse
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.settings import app_settings
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    CompleteCredentialAuthenticationView,
)

SESSION_KEY = "second_factor_passkey_pending"


class PasswordFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = (
        "Your password was given too long ago, or not at all: sign in again with your password."
    )
    default_code = "password_first"


# What the person is told when the passkey's answer is refused, by the library's error code.
REFUSALS = {
    "credential_not_found": "That passkey is not registered here. Choose one you registered "
    "for your account, or go back and sign in with a code.",
    "credential_user_mismatch": "That passkey belongs to another account. Choose one you "
    "registered for your account, or go back and sign in with a code.",
    "invalid_state": "The sign-in was not started, or was already used: press the button again.",
    "credential_disabled": "That passkey is disabled. Choose another, or sign in with a code.",
    "user_disabled": "This account is disabled.",
}
REFUSED = (
    "Your passkey's answer could not be verified. Try again, or go back and sign in with a code."
)


def remember(request, user):
    """After the right password: the person whose passkey the next page asks for."""
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        # A password changed meanwhile makes this stale, as it ends the person's sessions.
        "hash": user.get_session_auth_hash(),
        "until": time.time() + app_settings.OTP_WEBAUTHN_TIMEOUT_SECONDS,
    }


def pending_user(request):
    """Who gave their password in this session and may now give their passkey, or None."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    user = get_user_model()._default_manager.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None
    user.backend = pending["backend"]
    return user


class _PendingUser:
    """The ceremony is for the person who gave their password, whoever else is signed in."""

    def get_user(self):
        if not hasattr(self, "_pending"):
            self._pending = pending_user(self.request)
        return self._pending

    def check_can_authenticate(self):
        if self.get_user() is None:
            raise PasswordFirst()


class BeginSignIn(_PendingUser, BeginCredentialAuthenticationView):
    """The challenge, and the person's passkeys for the browser to choose from."""


class CompleteSignIn(_PendingUser, CompleteCredentialAuthenticationView):
    """Checks the passkey's signed answer (the library's verification); signs the person in."""

    admin_site_name = "admin"

    def complete_auth(self, device):
        user = self.get_user()
        del self.request.session[SESSION_KEY]
        auth_login(self.request, user, backend=user.backend)
        otp_login(self.request, device)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("admin:index", current_app=self.admin_site_name)

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(exc, PasswordFirst):
            return JsonResponse(
                {"detail": REFUSALS.get(exc.code, REFUSED), "code": exc.code},
                status=exc.status_code,
            )
        return super().handle_exception(exc)
