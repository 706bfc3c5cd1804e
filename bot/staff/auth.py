"""Staff sign-in: argon2 hashes, an HMAC-signed session cookie, CSRF tokens, throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COOKIE = "madoguchi_staff"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
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


def _sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def session_cookie(secret: str, staff_id: int, *, now: float | None = None) -> str:
    """`id.expiry.signature`."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    body = f"{staff_id}.{expires}"
    return f"{body}.{_sign(secret, 'staff:' + body)}"


def session_staff_id(secret: str, cookie: str | None, *, now: float | None = None) -> int | None:
    """The staff id in a valid, unexpired cookie."""
    try:
        staff_id, expires, signature = (cookie or "").split(".")
        if not hmac.compare_digest(signature, _sign(secret, f"staff:{staff_id}.{expires}")):
            return None
        if int(expires) < (now or time.time()):
            return None
        return int(staff_id)
    except ValueError:
        return None


def csrf_for(secret: str, cookie: str) -> str:
    """The CSRF token bound to a session (or to a pre-login cookie)."""
    return _sign(secret, "staff-csrf:" + cookie)


def csrf_ok(secret: str, cookie: str | None, token: str | None) -> bool:
    """Constant-time check of a form's token."""
    return bool(cookie) and hmac.compare_digest(csrf_for(secret, cookie or ""), token or "")
