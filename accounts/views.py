from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm, RegisterForm, UserEmailForm


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready. Set your time zone below.")
        return redirect("profile")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    data = request.POST if request.method == "POST" else None
    email_form = UserEmailForm(data, instance=user, prefix="user")
    profile_form = ProfileForm(data, instance=user.profile, prefix="profile")
    if data is not None and email_form.is_valid() and profile_form.is_valid():
        with transaction.atomic():
            email_form.save()
            profile_form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    context = {"email_form": email_form, "profile_form": profile_form}
    return render(request, "accounts/profile.html", context)
