"""Password strength: long enough, not common, not derived from the account's own names.

Strength is estimated by zxcvbn (Dropbox's estimator, its frequency lists of common passwords,
names and words, keyboard patterns, dates and l33t substitutions), told the username and display
name so a password built on them scores low. A password must score at least
:data:`MIN_SCORE` (of 0–4), and may not contain the username or a part of the display name.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from curbside.errors import InputError

#: zxcvbn's "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_SCORE = 3
_PART = re.compile(r"[a-z0-9]{3,}")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def check_password(password: str, *, minimum: int, username: str = "", display_name: str = "") -> None:
    """Raise InputError saying what to change when ``password`` is too short, common or derived
    from the account's names."""
    if len(password) < minimum:
        raise InputError(f"The password is too short: use at least {minimum} characters "
                         "(accounts.min_password_length).")
    names = [part for part in _PART.findall(f"{username} {display_name}".lower())
             if part not in {"dr", "mr", "mrs", "ms"}]
    plain = _plain(password)
    if any(name in plain for name in names):
        raise InputError("The password contains the username or the account's name: choose one "
                         "that has nothing to do with the account.")
    result = zxcvbn(password[:100], user_inputs=names)  # past 100 characters zxcvbn gets slow
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or "it is too easy to guess"
        raise InputError(f"The password is too common or easy to guess ({warning.rstrip('.')}). "
                         "Use a longer passphrase of unrelated words.")
