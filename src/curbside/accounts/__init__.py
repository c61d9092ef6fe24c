"""Accounts of reviewers, editors and admins (readers are anonymous and have none).

- ``models``: the boundary types, ``Role`` and ``User``;
- ``tables``: the SQL tables ``users`` and ``user_sessions`` (migrations 0003 and 0004);
- ``users``: ``UserService``: add, sign in, look up, change password or role, deactivate;
- ``passwords``: password strength (zxcvbn) when a password is set;
- ``hashing``: argon2id hashes at rest, rehashed when the parameters rise;
- ``sessions``: ``SessionStore``, the server-side sessions behind the signed cookie.

Accounts sit below the articles and the consult board: they and the edges import accounts;
accounts import only the foundations (``tests/test_layers.py``).
"""
