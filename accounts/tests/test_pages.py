"""The account pages as people use them: password change and reset by e-mail, the zone picker."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_password_reset_mails_a_link_that_sets_a_new_password(
    client, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "client@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["client@example.com"]
    assert message.subject == "Reset your Slotwise password"
    # The link is built from SITE_URL: the worker that renders it has no request.
    link = re.search(
        r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", message.body
    ).group(1)
    # Django swaps the token for a session-held one and redirects to the "set-password" URL.
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    client_user.refresh_from_db()
    assert client_user.check_password("brand-new-pass-77")


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your e-mail" in response.text
    assert mail.outbox == []


def test_a_used_reset_link_says_it_expired(client, client_user):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})

    response = client.get(url)

    assert "already been used or has expired" in response.text


def test_a_password_change_needs_the_old_password(client, client_user):
    client.force_login(client_user)
    url = reverse("password_change")

    refused = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "another-pass-88",
            "new_password2": "another-pass-88",
        },
    )
    accepted = client.post(
        url,
        {
            "old_password": "pw-12345-long",
            "new_password1": "another-pass-88",
            "new_password2": "another-pass-88",
        },
        follow=True,
    )

    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.text
    assert accepted.redirect_chain[-1][0] == reverse("profile")
    assert "Your password is changed." in accepted.text
    client_user.refresh_from_db()
    assert client_user.check_password("another-pass-88")


def test_the_profile_preselects_the_browser_zone_when_it_has_none(client, client_user):
    client.force_login(client_user)
    client.cookies["tz"] = "Asia/Tokyo"

    response = client.get(reverse("profile"))

    assert re.search(
        r'<option value="Asia/Tokyo" selected>Asia/Tokyo \(UTC\+09:00\)', response.text
    )


def test_the_profile_keeps_its_own_zone_over_the_browser(client, client_user):
    client_user.profile.time_zone = "Europe/Paris"
    client_user.profile.save()
    client.force_login(client_user)
    client.cookies["tz"] = "Asia/Tokyo"

    response = client.get(reverse("profile"))

    assert '<option value="Europe/Paris" selected>' in response.text
    assert '<option value="Asia/Tokyo" selected>' not in response.text
    assert "Times in <strong>Europe/Paris</strong>" in response.text


def test_an_unknown_browser_zone_is_ignored(client, client_user):
    client.force_login(client_user)
    client.cookies["tz"] = "Mars/Olympus"

    response = client.get(reverse("profile"))

    assert "Times in <strong>UTC</strong>" in response.text
    assert '<option value="" selected>' in response.text


def test_the_phone_error_is_tied_to_its_field(client, client_user):
    client.force_login(client_user)

    response = client.post(
        reverse("profile"), {"user-email": "c@example.com", "profile-phone_number": "12"}
    )

    assert 'aria-describedby="id_profile-phone_number_helptext id_profile-phone_number_error"' in (
        response.text
    )
    assert 'id="id_profile-phone_number_error"' in response.text
