"""Encrypt secrets we must be able to read back (CalDAV passwords, private feed URLs).

Fernet (AES-128-CBC + HMAC-SHA256, with a timestamp) from `cryptography`. The key is derived
from an arbitrary secret string such as a setting, so operators need not generate Fernet keys.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class DecryptError(ValueError):
    """The token was not made with this key, or was altered."""


def encrypt(text: str, key: str) -> str:
    return _fernet(key).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, key: str) -> str:
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptError("The secret could not be decrypted with this key.") from error


def _fernet(key: str) -> Fernet:
    if not key:
        raise ValueError("An empty key would encrypt nothing worth the name.")
    # SHA-256 gives exactly the 32 bytes Fernet wants. A secret setting is already
    # high-entropy, so a slow password hash would add cost without adding safety.
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))
