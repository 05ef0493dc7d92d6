from django.contrib import auth, messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .staff_sessions import sign_out_everywhere


@require_POST
def sign_out_everywhere_view(request):
    """A person ends all their sessions, this one included (the button beside “Log out”)."""
    person = request.user
    auth.logout(request)
    ended = 1 + sign_out_everywhere(person)
    messages.success(request, f"Signed out everywhere: {ended} sessions ended.")
    return redirect("admin:login")
