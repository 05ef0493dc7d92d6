"""Sign-ins in the admin: the audit of who signed in, failed or signed out (django-axes's
logs, read-only for everyone), unlocking, and signing a person out everywhere.

Publishers and superusers see these (accounts/migrations gives publishers the permissions);
editors see none of them, so nobody's sign-in history is open to their colleagues.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from meetings.admin import filters
from meetings.workflow.actors import can_publish

from .staff_sessions import sign_out_everywhere


class ReadOnlyAudit:
    """An audit trail is read, never edited or deleted here (`manage.py axes_reset_logs
    --age DAYS` keeps it to a retention period)."""

    # Its date hierarchy ignores impossible dates (year 0, 30 digits) instead of a 500.
    get_changelist = filters.get_changelist

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)
admin.site.unregister(AccessAttempt)


@admin.register(AccessLog)
class SignInLogAdmin(ReadOnlyAudit, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInLogAdmin(ReadOnlyAudit, AccessFailureLogAdmin):
    pass


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    """The failures that currently count towards a lockout; deleting them unlocks."""

    actions = ["unlock"]
    get_changelist = filters.get_changelist

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # “Unlock” says what deleting them means
        return actions

    @admin.action(description="Unlock: forget these failed sign-ins", permissions=["delete"])
    def unlock(self, request, queryset):
        unlocked = sorted({f"{a.username} from {a.ip_address}" for a in queryset})
        queryset.delete()
        self.message_user(request, f"Unlocked: {', '.join(unlocked)}.")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    actions = ["sign_out_everywhere"]

    def has_sign_out_permission(self, request):
        return can_publish(request.user)

    @admin.action(
        description="Sign out everywhere (a lost laptop, a shared computer)",
        permissions=["sign_out"],
    )
    def sign_out_everywhere(self, request, queryset):
        ended = sum(sign_out_everywhere(person) for person in queryset)
        names = ", ".join(person.get_username() for person in queryset)
        self.message_user(request, f"Signed out everywhere: {names} ({ended} sessions ended).")
