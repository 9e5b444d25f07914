from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router

from api.auth import token_auth
from api.problems import Problem
from api.selectors import user_teams
from api.v1 import present
from api.v1.schemas import ObjectId, Team

router = Router(tags=["teams"], auth=token_auth)


@router.get("/teams", response={200: list[Team], 401: Problem})
def team_list(request):
    """The teams you belong to, with their members and event types."""
    return [present.team(team) for team in user_teams(request.auth)]


@router.get("/teams/{team_id}", response={200: Team, 401: Problem, 404: Problem})
def team_read(request, team_id: ObjectId):
    return present.team(get_object_or_404(user_teams(request.auth), pk=team_id))
