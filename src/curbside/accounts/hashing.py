"""Password hashing with argon2id (argon2-cffi), parameters from RFC 9106's low-memory profile.

Stored hashes carry their own parameters, so raising them later only means rehashing on the next
successful sign-in (:func:`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = (
    PasswordHasher()
)  # argon2id, t=3, m=64 MiB, p=4 (argon2-cffi's RFC 9106 low-memory default)

#: Verified against when a username does not exist, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("curbside: no such user")


def hash_password(password: str) -> str:
    """An argon2id hash string (with salt and parameters) of ``password``."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; False for a mismatch or a malformed hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_verification(password: str) -> None:
    """Spend the time of one verification (for unknown usernames)."""
    verify_password(_DUMMY_HASH, password)


def needs_rehash(stored_hash: str) -> bool:
    """True when ``stored_hash`` was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
