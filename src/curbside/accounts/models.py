"""Boundary types of accounts (pydantic): roles and the signed-in user.

These cross into the articles and consult workflows, the web layer and the JSON API; nothing here
touches the database.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    READER = "reader"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


class User(BaseModel):
    """A signed-in person; reviewers are advisory board members (name, credentials, specialty)."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    role: Role
    credentials: str = ""
    specialty: str = ""

    @property
    def signature(self) -> str:
        """'Jane Roe, MD (Radiology)': how a reviewer is named on an article."""
        name = self.display_name or self.username
        if self.credentials:
            name += f", {self.credentials}"
        if self.specialty:
            name += f" ({self.specialty})"
        return name
