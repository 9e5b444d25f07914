from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from accounts import emails, services, verification
from accounts.forms import AccountDeleteForm, ProfileForm, RegisterForm, UserEmailForm
from accounts.middleware import BROWSER_ZONE_COOKIE
from accounts.validators import time_zone_names


@require_http_methods(["GET", "POST"])
@ratelimit(key=settings.RATELIMIT_KEY, rate=settings.RATE_REGISTER, method="POST", block=True)
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            existing = emails.users_with_email(user.email, exclude_pk=user.pk)
            emails.registration_notice(new_user=user, existing_users=list(existing))
            verification.verification_send(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready. Check your time zone below.")
        return redirect("profile")
    return render(request, "accounts/register.html", {"form": form})


def browser_zone(request) -> str:
    zone = request.COOKIES.get(BROWSER_ZONE_COOKIE, "")
    return zone if zone in time_zone_names() else ""


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    data = request.POST if request.method == "POST" else None
    # A profile without a zone starts from the browser's, so saving pins what the person sees.
    initial = {} if user.profile.time_zone else {"time_zone": browser_zone(request)}
    email_form = UserEmailForm(data, instance=user, prefix="user")
    profile_form = ProfileForm(data, instance=user.profile, prefix="profile", initial=initial)
    if data is not None and email_form.is_valid() and profile_form.is_valid():
        with transaction.atomic():
            email_form.save()
            profile_form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    context = {
        "email_form": email_form,
        "profile_form": profile_form,
        "email_verified": bool(verification.verified_email(user)),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
@ratelimit(key="user", rate=settings.RATE_EMAIL_VERIFY, method="POST", block=False)
def email_verify_send(request):
    if getattr(request, "limited", False):
        messages.error(request, "You asked for several links already: try again in an hour.")
    elif verification.verification_send(request.user):
        messages.success(
            request,
            f"A link is on its way to {request.user.email}: open it to confirm the address.",
        )
    elif request.user.email:
        messages.info(request, "Your e-mail address is already confirmed.")
    else:
        messages.error(request, "Add an e-mail address first.")
    return redirect("profile")


@login_required
@require_http_methods(["GET", "POST"])
def email_verify(request, token: str):
    """The link from the e-mail: GET asks, POST confirms (opening a link changes nothing)."""
    try:
        email = verification.token_email(token, request.user)
    except verification.LinkError as error:
        if error.not_found:
            raise Http404 from None
        return render(request, "accounts/email_verify.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        verification.email_verify(user=request.user, token=token)
        messages.success(
            request,
            f"{email} is confirmed: bookings made with it without signing in are in your list.",
        )
        return redirect("appointment_list")
    return render(request, "accounts/email_verify.html", {"email": email})


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("profile")
    success_message = "Your password is changed."


@method_decorator(
    ratelimit(
        key=settings.RATELIMIT_KEY, rate=settings.RATE_PASSWORD_RESET, method="POST", block=True
    ),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Every valid address gets the same answer after the same work: one queued task. The
    worker finds the accounts (if any) and puts the e-mails in the outbox."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        emails.password_reset_send.enqueue(form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete my account: upcoming appointments cancelled with notices, personal data removed,
    past appointments kept (anonymised) in the hosts' and clients' history."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cancelled = services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            f"Your account is deleted. {len(cancelled)} upcoming appointment(s) were cancelled "
            "and everyone involved was told.",
        )
        return redirect("login")
    return render(request, "accounts/account_delete.html", {"form": form})
