from django.contrib import admin
from django.urls import include, path

from api.v1.api import api as api_v1
from appointments import views as appointment_views
from appointments.teams.urls import public_urlpatterns as team_public_urls
from config.health import healthz
from webhooks.urls import team_urlpatterns as team_webhook_urls

urlpatterns = [
    path("", appointment_views.dashboard, name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("appointments/", include("appointments.urls")),
    path("appointments/", include("appointments.confirmation.urls")),
    path("notifications/", include("notifications.urls")),
    path("calendars/", include("calendars.urls")),
    path("", include("appointments.booking.urls")),
    path("", include("appointments.embed.urls")),
    path("", include("appointments.guests.urls")),
    path("provider/", include("appointments.provider.urls")),
    path("", include("appointments.event_types.urls")),
    path("teams/", include("appointments.teams.urls")),
    path("teams/", include(team_webhook_urls)),
    path("team/", include(team_public_urls)),
    path("api/v1/", api_v1.urls),
    path("developer/", include("api.urls")),
    path("developer/webhooks/", include("webhooks.urls")),
]
