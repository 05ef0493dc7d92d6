"""The admin site, asking for the second factor (installed as the default site in apps.py).

Someone signed in with a password alone who must use two-factor sign-in but has no app yet
is sent to set one up, and reaches nothing else of the admin until they have; someone who
has an app reaches nothing until the session has given one of its codes (at login).
"""

from functools import partial, update_wrapper
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from . import passkey_sign_in, policy, views
from .forms import AdminLoginForm


class PortalAdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "second_factor/login.html"

    def has_permission(self, request):
        # Those who must set up an app pass here; admin_view() sends them to do it.
        user = request.user
        return super().has_permission(request) and (
            policy.has_passed(user) or policy.must_enrol(user)
        )

    def login(self, request, extra_context=None):
        # Django's login view signs in whoever its form accepts; the form refuses, and flags,
        # the right password of someone with a passkey and no code: they give it next.
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        user = getattr(form, "passkey_user", None)
        if user is None:
            return response
        passkey_sign_in.remember(request, user)
        query = urlencode({REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, "")})
        return redirect(f"{reverse('admin:login_passkey', current_app=self.name)}?{query}")

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)
        if getattr(view, "open_before_enrolment", False):
            return checked

        def enrolled_first(request, *args, **kwargs):
            if (
                policy.must_enrol(request.user)
                and request.user.is_active
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                messages.warning(
                    request,
                    "Your account must use two-factor sign-in: set up an authenticator app "
                    "or a passkey to continue.",
                )
                return redirect(reverse("admin:two_factor_add_app", current_app=self.name))
            return checked(request, *args, **kwargs)

        return update_wrapper(never_cache(enrolled_first), view)

    def get_urls(self):
        def view(function):
            bound = partial(function, site=self)
            bound.open_before_enrolment = getattr(function, "open_before_enrolment", False)
            return self.admin_view(bound)

        two_factor = [
            path("two-factor/", view(views.overview), name="two_factor"),
            path("two-factor/add-app/", view(views.add_app), name="two_factor_add_app"),
            path(
                "two-factor/apps/<int:pk>/remove/",
                view(views.remove_app),
                name="two_factor_remove_app",
            ),
            path(
                "two-factor/recovery-codes/",
                view(views.recovery_codes),
                name="two_factor_recovery_codes",
            ),
            path(
                "two-factor/passkeys/<int:pk>/remove/",
                view(views.remove_passkey),
                name="two_factor_remove_passkey",
            ),
            path("two-factor/staff/", view(views.staff), name="two_factor_staff"),
        ]
        # Before signing in (like the login page): the passkey after the password.
        complete = passkey_sign_in.CompleteSignIn.as_view(admin_site_name=self.name)
        passkey = [
            path("login/passkey/", partial(views.passkey, site=self), name="login_passkey"),
            path(
                "login/passkey/begin/",
                passkey_sign_in.BeginSignIn.as_view(),
                name="login_passkey_begin",
            ),
            path("login/passkey/complete/", complete, name="login_passkey_complete"),
        ]
        return two_factor + passkey + super().get_urls()
