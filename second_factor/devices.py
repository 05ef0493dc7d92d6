"""A person's second factors: authenticator apps (TOTP), passkeys (WebAuthn) and
single-use recovery codes.

Kept in django-otp's own models: a TOTPDevice per app, confirmed once it has given a first
right code; a WebAuthnCredential per passkey (django-otp-webauthn's, confirmed when
registered); one StaticDevice whose tokens are the recovery codes, each deleted as it is used.
"""

import io
import re

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

RECOVERY_CODES = 10
APP_CODE = re.compile(r"\d{6}")


def authenticators(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def passkeys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_second_factor(user):
    """Has a confirmed app or passkey (recovery codes only stand in for them); in one query,
    as the admin asks it on every request of a session signed in without a code."""
    either = Exists(authenticators(user)) | Exists(passkeys(user))
    return get_user_model().objects.filter(pk=user.pk).filter(either).exists()


def enrolled_user_ids():
    """Who has a confirmed app or passkey, in two queries (for a list of everyone)."""
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)) | set(
        WebAuthnCredential.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(user):
    """The app being set up: made on first asking, kept until its first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret(device):
    """The key as apps ask for it when typed in: base32, in groups of four."""
    encoded = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def qr_code_svg(device):
    """The otpauth:// address as an inline <svg> element (no script, no image request)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def normalised(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def verify(user, code):
    """The device that accepts this code, or a ValidationError saying what is wrong.

    Six digits go to the person's apps, anything else to their recovery codes: trying every
    device would count a failure against each that did not match (django-otp throttles
    each device after failures)."""
    code = normalised(code)
    if not code:
        raise ValidationError(
            "Enter the six-digit code your authenticator app shows, or one of your recovery codes.",
            code="code_required",
        )
    if APP_CODE.fullmatch(code):
        devices = list(authenticators(user))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            seconds = _seconds_until(details)
            raise ValidationError(
                f"Too many wrong codes: wait {seconds} second{'s' if seconds != 1 else ''}, "
                "then enter a new code.",
                code="throttled",
            )
    reused = False
    with transaction.atomic():
        for device in devices:
            if device.verify_token(code):
                return device
            reused = reused or _was_used_before(device, code)
    if reused:
        raise ValidationError(
            "That code has already been used. Wait for your app to show the next one.",
            code="reused",
        )
    raise ValidationError(
        "That code is not right. Check that you typed the code your app shows now, "
        "or an unused recovery code.",
        code="wrong",
    )


def _was_used_before(device, code):
    """A code an app device would accept but for its having been used (or a later one)."""
    if not isinstance(device, TOTPDevice) or not code.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t


def _seconds_until(details):
    locked_until = details.get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def confirm(device, code, name=""):
    """Mark a pending app confirmed once it gives a right code; the recovery codes made for
    a person's first app are returned (they are shown once), otherwise an empty list."""
    code = normalised(code)
    if not APP_CODE.fullmatch(code):
        raise ValidationError("Enter the six-digit code your app shows.", code="invalid")
    if not device.verify_token(code):
        if _was_used_before(device, code):
            raise ValidationError(
                "That code has already been used. Wait for the next one.", code="reused"
            )
        raise ValidationError(
            "That code is not right: check that the app shows this site's entry and that "
            "the phone's clock is right, then enter the code it shows now.",
            code="wrong",
        )
    with transaction.atomic():
        first = not authenticators(device.user).exists()
        device.confirmed = True
        device.name = name.strip() or device.name
        device.save(update_fields=["confirmed", "name"])
        if first or recovery_codes_left(device.user) == 0:
            return new_recovery_codes(device.user)
    return []


def new_recovery_codes(user):
    """Ten new single-use codes; those made before stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove(device):
    """Remove an app or a passkey; with the last of them go the recovery codes, which only
    stand in for them."""
    with transaction.atomic():
        user = device.user
        device.delete()
        if not has_second_factor(user):
            reset(user)


def reset(user):
    """Forget every second factor of a person (a lost phone or key): they set one up again."""
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
