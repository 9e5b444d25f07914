from django.urls import path

from webhooks import views

urlpatterns = [
    path("", views.subscription_list, name="webhook_list"),
    path("<int:pk>/", views.subscription_detail, name="webhook_detail"),
    path("<int:pk>/ping/", views.subscription_ping, name="webhook_ping"),
    path("<int:pk>/active/", views.subscription_active, name="webhook_active"),
    path("<int:pk>/delete/", views.subscription_delete, name="webhook_delete"),
    path("deliveries/<int:pk>/again/", views.delivery_again, name="webhook_send_again"),
]

# Mounted at /teams/ by config/urls.py: a team's subscriptions (the team page shows the same
# list and form; its subscriptions' logs are the pages above).
team_urlpatterns = [
    path("<slug:slug>/webhooks/", views.subscription_list, name="team_webhook_list"),
]
