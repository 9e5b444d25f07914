"""The profile's API tokens: create (the token is shown once, on the answer to the POST) and
revoke. The list lives on the profile page (templatetags/api_tokens.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens
from api.forms import TokenForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, token = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.messages[0])
        else:
            return render(request, "api/token_created.html", {"row": row, "token": token})
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk: int):
    if not tokens.token_revoke(user=request.user, token_id=pk):
        raise Http404
    messages.success(request, "The token is revoked; requests with it are refused from now on.")
    return redirect("profile")
