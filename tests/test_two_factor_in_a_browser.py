"""A publisher signs in for the first time, in Chromium: sent to set up an authenticator
app, they type its key into the "app" (computed here), confirm, keep their recovery codes,
and sign in again with password and code. Skips like the other browser tests."""

from base64 import b32decode

import pytest
from django.urls import reverse

from tests import factories
from tests.second_factor.helpers import PASSWORD, app_code


@pytest.fixture
def publisher(db, settings):
    settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = factories.member_of("Publishers", "paul")
    person.set_password(PASSWORD)
    person.save()
    return person


def sign_in(page, live_server, code=""):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "paul")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code)
    page.click("#login-form input[type=submit]")


def test_a_publisher_sets_up_an_app_then_signs_in_with_its_code(publisher, browser, live_server):
    page = browser.new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server)

    # Sent to set up an app; the QR code is drawn, the key shown to type in.
    page.wait_for_url(f"**{reverse('admin:two_factor_add_app')}")
    assert "must use two-factor sign-in" in page.inner_text(".messagelist")
    assert page.locator(".qr-code svg").bounding_box()["width"] > 100
    key = b32decode(page.inner_text("#two-factor-secret").replace(" ", ""))
    page.goto(live_server.url + reverse("admin:meetings_meeting_changelist"))
    assert page.url.endswith(reverse("admin:two_factor_add_app"))

    code = app_code(key)
    page.fill("#id_otp_token", code)
    page.fill("#id_name", "Work phone")
    page.click("#two-factor-add-app input[type=submit]")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them").click()
    assert "Work phone" in page.inner_text("#two-factor-apps")

    page.click("#logout-form button")
    # The code that confirmed the app is spent; the app's next one signs in.
    sign_in(page, live_server, code)
    assert "That code has already been used" in page.inner_text("#login-form")
    # A refused code makes the next try wait a second (django-otp's throttling).
    page.wait_for_timeout(1500)
    sign_in(page, live_server, app_code(key, steps_ago=-1))
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(live_server.url + reverse("admin:meetings_meeting_changelist"))
    assert page.url.endswith(reverse("admin:meetings_meeting_changelist"))
    assert errors == []


def test_a_publisher_registers_a_passkey_then_signs_in_with_it(
    publisher, browser, live_server, settings
):
    # Passkeys need a domain name and a secure context: http://localhost is both.
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = browser.new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Chromium's virtual authenticator stands in for a phone or a security key.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    # First sign-in: sent to set up an app, the publisher registers a passkey instead.
    sign_in(page, live_server)
    page.wait_for_url(f"**{reverse('admin:two_factor_add_app')}")
    page.click("#passkey-register-button")
    page.wait_for_url(f"**{reverse('admin:two_factor')}")
    assert "Passkey" in page.inner_text("#two-factor-passkeys")
    assert (
        len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"])
        == 1
    )
    page.goto(live_server.url + reverse("admin:meetings_meeting_changelist"))
    assert page.url.endswith(reverse("admin:meetings_meeting_changelist"))

    page.click("#logout-form button")
    # Password, no code: the passkey is asked for next, and signs in.
    sign_in(page, live_server)
    page.wait_for_url(f"**{reverse('admin:login_passkey')}**")
    page.click("#passkey-verification-button")
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(live_server.url + reverse("admin:meetings_meeting_changelist"))
    assert page.url.endswith(reverse("admin:meetings_meeting_changelist"))
    assert errors == []


def test_without_the_registered_passkey_the_page_says_so_and_signs_nobody_in(
    publisher, browser, live_server, settings
):
    from tests.second_factor.helpers import with_passkey

    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    with_passkey(publisher)  # registered, but its key is on no authenticator here
    page = browser.new_context().new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, live_server)
    page.wait_for_url(f"**{reverse('admin:login_passkey')}**")
    page.click("#passkey-verification-button")
    status = page.locator("#passkey-verification-status-message")
    status.wait_for(state="visible")
    page.wait_for_function(
        "document.getElementById('passkey-verification-status-message').textContent.length > 0"
    )
    assert status.inner_text() == "Verification canceled or not allowed."
    assert page.url.split("?")[0].endswith(reverse("admin:login_passkey"))
    page.goto(live_server.url + reverse("admin:index"))
    assert reverse("admin:login") in page.url
