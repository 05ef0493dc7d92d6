from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: sign-in limits (django-axes), session lifetimes, signing out
    everywhere, and the audit of sign-ins in the admin."""

    name = "accounts"
    verbose_name = "Accounts and sign-ins"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import staff_sessions

        # Django's one hook for the moment of signing in, by any path (the admin's form,
        # force_login in tests): it starts the session's clocks.
        user_logged_in.connect(staff_sessions.start_clocks, dispatch_uid="accounts.start_clocks")
