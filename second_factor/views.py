"""The admin's pages for two-factor sign-in: one's own apps, passkeys and recovery codes,
and (for publishers) the staff's, with a reset for a lost phone. Each is given the admin
site. Passkeys are registered by django-otp-webauthn's own views and script."""

import django_otp
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings import workflow

from . import devices, passkey_sign_in, policy
from .forms import ConfirmAppForm, ProveItIsYouForm


def open_before_enrolment(view):
    """A page that someone who must set up an app may reach before they have."""
    view.open_before_enrolment = True
    return view


def _render(site, request, template, title, **context):
    return TemplateResponse(
        request,
        f"second_factor/{template}",
        {**site.each_context(request), "title": title, **context},
    )


def _url(site, name, *args):
    return reverse(f"admin:{name}", args=args, current_app=site.name)


@open_before_enrolment
@require_http_methods(["GET"])
def overview(request, *, site):
    if policy.must_enrol(request.user):
        return redirect(_url(site, "two_factor_add_app"))
    return _render(
        site,
        request,
        "overview.html",
        "Two-factor sign-in",
        apps=devices.authenticators(request.user),
        passkeys=devices.passkeys(request.user),
        enrolled=policy.is_enrolled(request.user),
        recovery_codes_left=devices.recovery_codes_left(request.user),
        required=policy.is_required_for(request.user),
        may_reset_others=workflow.can_publish(request.user),
    )


@open_before_enrolment
@require_http_methods(["GET", "POST"])
def add_app(request, *, site):
    device = devices.pending_authenticator(request.user)
    form = ConfirmAppForm(device, request.POST or None)
    if form.is_valid():
        # This session has now given a code: it is verified, as a login with one would be.
        django_otp.login(request, device)
        messages.success(request, f"The app “{device.name}” is set up.")
        if form.recovery_codes:
            return _render(
                site,
                request,
                "recovery_codes.html",
                "Your recovery codes",
                codes=form.recovery_codes,
            )
        return redirect(_url(site, "two_factor"))
    return _render(
        site,
        request,
        "add_app.html",
        "Set up an authenticator app",
        form=form,
        secret=devices.secret(device),
        qr_code=devices.qr_code_svg(device),
        config_url=device.config_url,
        must_enrol=policy.must_enrol(request.user),
    )


@require_http_methods(["GET", "POST"])
def remove_app(request, pk, *, site):
    app = get_object_or_404(devices.authenticators(request.user), pk=pk)
    return _remove(request, site, app, f"the app “{app.name}”")


@require_http_methods(["GET", "POST"])
def remove_passkey(request, pk, *, site):
    passkey = get_object_or_404(devices.passkeys(request.user), pk=pk)
    return _remove(request, site, passkey, f"the passkey “{passkey.name or 'Passkey'}”")


def _remove(request, site, device, what):
    form = ProveItIsYouForm(request.user, request.POST or None)
    if form.is_valid():
        devices.remove(device)
        messages.success(request, f"{what[0].upper()}{what[1:]} was removed.")
        return redirect(_url(site, "two_factor"))
    others = devices.authenticators(request.user).count() + devices.passkeys(request.user).count()
    return _render(
        site,
        request,
        "remove_app.html",
        f"Remove {what}",
        form=form,
        is_passkey=not isinstance(device, devices.TOTPDevice),
        last=others == 1,
        required=policy.is_required_for(request.user),
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request, *, site):
    if not policy.is_enrolled(request.user):
        messages.error(
            request,
            "Set up an authenticator app or a passkey first: recovery codes stand in for them.",
        )
        return redirect(_url(site, "two_factor"))
    form = ProveItIsYouForm(request.user, request.POST or None)
    if form.is_valid():
        codes = devices.new_recovery_codes(request.user)
        messages.success(request, "New recovery codes made: the old ones no longer work.")
        return _render(site, request, "recovery_codes.html", "Your recovery codes", codes=codes)
    return _render(
        site,
        request,
        "new_recovery_codes.html",
        "New recovery codes",
        form=form,
        left=devices.recovery_codes_left(request.user),
    )


@require_http_methods(["GET", "POST"])
def staff(request, *, site):
    """Who has set up two-factor sign-in; a publisher resets it for someone who lost their
    phone (they set up a new app at their next sign-in). Superusers are reset only by
    superusers, and nobody resets their own here (they remove the app themselves)."""
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    people = get_user_model().objects.filter(is_staff=True).order_by("username")
    if request.method == "POST":
        try:
            person = people.exclude(pk=request.user.pk).get(pk=int(request.POST.get("reset", "")))
        except (ValueError, get_user_model().DoesNotExist):
            raise Http404("No such member of staff.") from None
        if person.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        devices.reset(person)
        LogEntry.objects.log_actions(
            request.user.pk,
            [person],
            CHANGE,
            change_message="Reset two-factor sign-in (apps and passkeys removed; a new one is "
            "set up at next sign-in).",
            single_object=True,
        )
        messages.success(request, f"Two-factor sign-in of {person.get_username()} was reset.")
        return redirect(_url(site, "two_factor_staff"))
    enrolled = devices.enrolled_user_ids()
    required = policy.required_among_staff(request.user)
    rows = [
        {
            "person": person,
            "enrolled": person.pk in enrolled,
            "required": person.pk in required,
            "may_reset": person.pk != request.user.pk
            and person.pk in enrolled
            and (request.user.is_superuser or not person.is_superuser),
        }
        for person in people
    ]
    return _render(site, request, "staff.html", "Two-factor sign-in of staff", rows=rows)


@never_cache
@require_http_methods(["GET"])
def passkey(request, *, site):
    """After the right password, for someone with a passkey: the button that asks for it."""
    user = passkey_sign_in.pending_user(request)
    if user is None:
        messages.error(
            request, "Sign in with your password first (it is asked again after a few minutes)."
        )
        return redirect(_url(site, "login"))
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = _url(site, "index")
    return _render(
        site,
        request,
        "passkey_sign_in.html",
        "Sign in with a passkey",
        username=user.get_username(),
        next=next_url,
        has_codes=devices.authenticators(user).exists() or devices.recovery_codes_left(user) > 0,
    )
