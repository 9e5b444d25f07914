from __future__ import annotations

import pytest

from calendars.crypto import DecryptError, decrypt, encrypt

KEY = "django-insecure-settings-secret-key-for-tests"


def test_a_secret_round_trips() -> None:
    secret = "correct horse battery staple – Passwört ✓"

    token = encrypt(secret, KEY)

    assert secret not in token
    assert decrypt(token, KEY) == secret


def test_the_same_secret_encrypts_differently_every_time() -> None:
    assert encrypt("s3cret", KEY) != encrypt("s3cret", KEY)


def test_a_wrong_key_cannot_decrypt() -> None:
    token = encrypt("s3cret", KEY)

    with pytest.raises(DecryptError, match="could not be decrypted"):
        decrypt(token, KEY + "x")


@pytest.mark.parametrize("token", ["", "not-a-token", "gAAAAA" + "A" * 80, "ünïcode"])
def test_garbage_is_a_decrypt_error(token: str) -> None:
    with pytest.raises(DecryptError):
        decrypt(token, KEY)


def test_a_tampered_token_is_refused() -> None:
    token = encrypt("s3cret", KEY)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]

    with pytest.raises(DecryptError):
        decrypt(tampered, KEY)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty key"):
        encrypt("s3cret", "")
