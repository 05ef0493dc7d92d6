"""Signing in as a person does: the admin's sign-in form, read from its page, filled in."""

from django.urls import reverse

from tests.browser_forms import read_form

PASSWORD = "a long staff passphrase"
# Hashing with the cheapest hasher: what is tested is counting, not hashing.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, username, password, address="192.0.2.10", **headers):
    page = client.get(reverse("admin:login"))
    form = read_form(page, "#login-form")
    form.set("username", username).set("password", password)
    return form.submit(client, REMOTE_ADDR=address, headers=headers)


def with_password(user, password=PASSWORD):
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
