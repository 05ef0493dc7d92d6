from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own pages for its devices would show anyone with the permission another
# person's secret key and QR code; the two-factor pages (views.py) are the way in instead.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
