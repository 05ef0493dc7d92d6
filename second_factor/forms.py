from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import devices, policy

CODE_HELP = "The six-digit code your authenticator app shows, or one of your recovery codes."


def code_field(label="Code", help_text=CODE_HELP, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login: password, then the code of those who set up an app, or their
    passkey on the next page (passkey_sign_in.py).

    The code is checked only once the password is right, so a wrong password says nothing
    about the account's second factor."""

    otp_token = code_field(
        help_text=f"{CODE_HELP} Leave it empty to sign in with your passkey next, or if you "
        "have not set up two-factor sign-in."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The person who gave the right password and no code, and has a passkey to give.
        self.passkey_user = None

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if (
            user is not None
            and not devices.normalised(cleaned_data.get("otp_token"))
            and devices.passkeys(user).exists()
        ):
            self.passkey_user = user
            # Not signed in here: the site's login sends them to give their passkey.
            raise ValidationError(
                {"otp_token": "Sign in with your passkey, or enter a code."}, code="passkey"
            )
        if user is not None and policy.is_enrolled(user):
            try:
                # Read by django-otp when the view logs the person in: the session is verified.
                user.otp_device = devices.verify(user, cleaned_data.get("otp_token"))
            except ValidationError as error:
                raise ValidationError({"otp_token": error}) from None
        return cleaned_data


class ConfirmAppForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=64,
        required=False,
        help_text="To tell your devices apart, e.g. “Work phone”.",
    )
    otp_token = code_field(
        label="Code from the app",
        help_text="The six-digit code the app shows once it has read the QR code or the key.",
        required=True,
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.recovery_codes = []

    def clean(self):
        cleaned_data = super().clean()
        if "otp_token" in cleaned_data:
            try:
                self.recovery_codes = devices.confirm(
                    self.device, cleaned_data["otp_token"], cleaned_data.get("name", "")
                )
            except ValidationError as error:
                raise ValidationError({"otp_token": error}) from None
        return cleaned_data


class ProveItIsYouForm(forms.Form):
    """Before removing an app or making new recovery codes: the password, or a code."""

    password_or_code = forms.CharField(
        label="Your password, or a code",
        max_length=4096,
        strip=False,
        help_text="Your password, or a code from your app, or a recovery code.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password_or_code(self):
        given = self.cleaned_data["password_or_code"]
        if self.user.has_usable_password() and self.user.check_password(given):
            return given
        try:
            devices.verify(self.user, given)
        except ValidationError:
            raise ValidationError(
                "That is neither your password nor a valid code.", code="wrong"
            ) from None
        return given
