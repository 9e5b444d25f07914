from django.urls import path

from appointments.teams import views

# Mounted at /teams/ (management) and /team/ (the public team page) by config/urls.py.
urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("new/", views.team_create, name="team_create"),
    path(
        "invitations/<int:pk>/accept/", views.team_invitation_accept, name="team_invitation_accept"
    ),
    path(
        "invitations/<int:pk>/decline/",
        views.team_invitation_decline,
        name="team_invitation_decline",
    ),
    path("<slug:slug>/", views.team_detail, name="team_detail"),
    path("<slug:slug>/invite/", views.team_invite, name="team_invite"),
    path(
        "<slug:slug>/invitations/<int:pk>/withdraw/",
        views.team_invitation_withdraw,
        name="team_invitation_withdraw",
    ),
    path("<slug:slug>/members/<int:pk>/role/", views.team_member_role, name="team_member_role"),
    path(
        "<slug:slug>/members/<int:pk>/remove/", views.team_member_remove, name="team_member_remove"
    ),
    path("<slug:slug>/leave/", views.team_leave, name="team_leave"),
    path(
        "<slug:slug>/event-types/new/",
        views.team_event_type_create,
        name="team_event_type_create",
    ),
    path(
        "<slug:slug>/event-types/<slug:event_slug>/",
        views.team_event_type_edit,
        name="team_event_type_edit",
    ),
]

public_urlpatterns = [path("<slug:slug>/", views.team_public, name="team_public")]
