from __future__ import annotations

from ninja import Router

from api.auth import token_auth
from api.problems import Problem
from api.v1 import present
from api.v1.schemas import Me

router = Router(tags=["me"])


@router.get("/me", response={200: Me, 401: Problem}, auth=token_auth)
def me(request):
    """The token's owner."""
    user = request.auth
    profile = getattr(user, "profile", None)
    return {
        **present.person(user),
        "email": user.email,
        "time_zone": (profile.time_zone if profile else "") or "UTC",
    }
