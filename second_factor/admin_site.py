"""The admin site, asking for the second factor (installed as the default site in apps.py).

Someone signed in with a password alone who must use two-factor sign-in but has no app yet
is sent to set one up, and reaches nothing else of the admin until they have; someone who
has an app reaches nothing until the session has given one of its codes (at login).
"""

from functools import partial, update_wrapper

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from . import policy, views
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
                    "to continue.",
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
            path("two-factor/staff/", view(views.staff), name="two_factor_staff"),
        ]
        return two_factor + super().get_urls()
