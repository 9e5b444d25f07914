from django.urls import path

from api import views

urlpatterns = [
    path("tokens/", views.token_create, name="api_token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
