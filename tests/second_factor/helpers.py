"""Codes as an authenticator app computes them, and sign-in through the admin's own form."""

from base64 import b32decode

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from second_factor import devices
from tests.browser_forms import read_form

PASSWORD = "correct horse battery staple"
# Password hashing at full strength is what makes sign-in tests slow; these test the factor.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def app_code(key, steps_ago=0):
    """What the app shows now (or that many 30-second steps ago), from the key as bytes."""
    totp = TOTP(key)
    totp.time = totp.time - 30 * steps_ago
    return f"{totp.token():06d}"


def code_of(device, steps_ago=0):
    return app_code(device.bin_key, steps_ago)


def code_from_page(response):
    """Read the key the setup page shows as text, as a person types it into an app."""
    secret = read_text(response, "#two-factor-secret").replace(" ", "")
    return app_code(b32decode(secret))


def read_text(response, selector):
    import lxml.html

    return lxml.html.fromstring(response.content.decode()).cssselect(selector)[0].text_content()


def with_app(user, name="Phone"):
    device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
    codes = devices.new_recovery_codes(user)
    return device, codes


def sign_in(client, username, password=PASSWORD, code=None, follow=False):
    """Fill in the admin's login form as rendered, and send it."""
    form = read_form(client.get(reverse("admin:login")), "#login-form")
    form.set("username", username).set("password", password)
    if code is not None:
        form.set("otp_token", code)
    return form.submit(client, follow=follow)


def signed_in(client):
    return "_auth_user_id" in client.session


def with_passkey(user, name=""):
    """A registered passkey, as django-otp-webauthn stores one (its key is never used here:
    the browser test signs with a real one)."""
    import os

    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=os.urandom(32),
        public_key=b"not a real key",
        aaguid="00000000-0000-0000-0000-000000000000",
        confirmed=True,
    )


def verified_by(client, device):
    """This test client's session gave that device, as a sign-in with it would."""
    client.force_login(device.user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def scripts_without_src(response):
    """Inline <script> elements and on…= attributes: what a strict CSP refuses."""
    import lxml.html

    page = lxml.html.fromstring(response.content.decode())
    inline = [s for s in page.iter("script") if not s.get("src")]
    handlers = [
        (element.tag, name)
        for element in page.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.lower().startswith("on")
    ]
    return inline + handlers
