from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

# django-otp's own pages for its devices would show anyone with the permission another
# person's secret key and QR code, and django-otp-webauthn's would let them give their own
# passkey to another account; the two-factor pages (views.py) are the way in instead.
for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
