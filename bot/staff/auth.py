"""Staff sign-in: argon2 hashes, server-side session tokens, CSRF tokens, throttle keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage import accounts

COOKIE = "madoguchi_staff"
SESSION_SECONDS = 8 * 3600
THROTTLE_WINDOW = accounts.THROTTLE_WINDOW
# Wrong guesses for one username from one address, then that pair waits for the window.
USER_LIMIT = 5
# Every attempt from one address, whatever the username: stops spraying many usernames
# while leaving colleagues behind the same address room to sign in.
ADDRESS_LIMIT = 50
_hasher = PasswordHasher()
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches (constant work even for unknown users)."""
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    """A fresh random session token for the cookie (the table keeps only its hash)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the session table stores: a leaked table cannot be replayed as cookies."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_key(username: str, address: str) -> str:
    """The throttle key for one username tried from one address."""
    return f"user:{username[:64]}:{address[:64]}"


def address_key(address: str) -> str:
    """The throttle key for every attempt from one address."""
    return f"addr:{address[:64]}"


def _sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def csrf_for(secret: str, cookie: str) -> str:
    """The CSRF token bound to a session token (or to a pre-login cookie)."""
    return _sign(secret, "staff-csrf:" + cookie)


def csrf_ok(secret: str, cookie: str | None, token: str | None) -> bool:
    """Constant-time check of a form's token."""
    return bool(cookie) and hmac.compare_digest(csrf_for(secret, cookie or ""), token or "")
