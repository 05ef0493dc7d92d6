"""django-otp-webauthn's browser scripts, without an inline script.

The library's own tags render their configuration with `json_script`, an inline <script>
element that a strict Content-Security-Policy is better without. Its scripts read the
configuration as the text of the element with id "otp_webauthn_config": here that element is
a hidden <div>, the JSON escaped as any text is."""

import json

from django import template
from django.urls import reverse
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

register = template.Library()


@register.inclusion_tag("second_factor/passkey_registration.html", takes_context=True)
def passkey_registration(context, next_url):
    """The button that registers a passkey; the page at next_url shows it registered."""
    return {
        "configuration": json.dumps(get_configuration(context["request"])),
        "next_url": next_url,
    }


@register.inclusion_tag("second_factor/passkey_verification.html", takes_context=True)
def passkey_verification(context, site_name="admin"):
    """The button that signs in with a passkey, after the password (passkey_sign_in.py)."""
    configuration = get_configuration(
        context["request"],
        {
            "beginAuthenticationUrl": reverse("admin:login_passkey_begin", current_app=site_name),
            "completeAuthenticationUrl": reverse(
                "admin:login_passkey_complete", current_app=site_name
            ),
        },
    )
    return {"configuration": json.dumps(configuration)}
