from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Profile
from accounts.validators import validate_phone_number, validate_time_zone

pytestmark = pytest.mark.django_db


def test_every_new_user_gets_a_profile(make_user):
    user = make_user("fresh")

    assert Profile.objects.filter(user=user).exists()


def test_register_creates_the_user_and_logs_them_in(client):
    response = client.post(
        reverse("register"),
        {
            "username": "newbie",
            "email": "New@Example.com",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "new@example.com"
    assert user.profile is not None
    assert client.get(reverse("profile")).status_code == 200


def test_login_and_logout_by_post(client, client_user):
    response = client.post(reverse("login"), {"username": "client", "password": "pw-12345-long"})
    assert response.status_code == 302

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_profile_edit_validates_phone_and_time_zone_and_changes_nothing_when_bad(
    client, client_user
):
    client.force_login(client_user)

    response = client.post(
        reverse("profile"),
        {
            "user-email": "c@example.com",
            "profile-phone_number": "call me",
            "profile-time_zone": "Mars/Olympus",
        },
    )

    assert response.status_code == 200
    assert "Enter a phone number" in response.text
    assert "Select a valid choice" in response.text
    client_user.refresh_from_db()
    assert (client_user.email, client_user.profile.phone_number, client_user.profile.time_zone) == (
        "client@example.com",
        "",
        "",
    )


def test_profile_edit_saves_good_values(client, client_user):
    client.force_login(client_user)

    response = client.post(
        reverse("profile"),
        {
            "user-email": "c@example.com",
            "profile-phone_number": "+44 20 7946 0958",
            "profile-time_zone": "Asia/Kolkata",
            "profile-email_reminders": "on",
        },
    )

    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.profile.phone_number == "+442079460958"
    assert client_user.profile.time_zone == "Asia/Kolkata"


@pytest.mark.parametrize("value", ["Europe/London", "America/Havana", "UTC"])
def test_known_time_zones_are_valid(value):
    assert validate_time_zone(value) is None  # a ValidationError would refuse it


@pytest.mark.parametrize("value", ["Europe/Lundon", "GMT+25", ""])
def test_unknown_time_zones_are_refused(value):
    with pytest.raises(ValidationError):
        validate_time_zone(value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("+1 (555) 010-0199", True), ("12345", False), ("+12345678901234567", False)],
)
def test_phone_numbers(value, valid):
    if valid:
        validate_phone_number(value)
    else:
        with pytest.raises(ValidationError):
            validate_phone_number(value)
