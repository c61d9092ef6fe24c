"""A cap on how many bytes one archive may expand to, counted across nested archives.

A zip's members are read whole into memory; a small zip can hold members that expand a
thousandfold, and a zip of such zips multiplies that again (a 24 KB file expanding to
gigabytes). :class:`ExpansionBudget` is made once per file given to ``kb add`` and every member
read from it or from any archive nested inside it is charged against it *before* it is read, by
its declared size (``zipfile`` never returns more than the declared size of a member). Once the
budget is spent, the rest of the archive is skipped with one problem naming the setting.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Default for ``dailymed.max_expanded_mb``: a DailyMed release zip of labels is a few GB, so a
#: larger cap is a deliberate setting, not an accident.
DEFAULT_MAX_EXPANDED_BYTES = 2048 * 1024 * 1024


@dataclass
class ExpansionBudget:
    """Bytes an archive (with everything nested in it) may still expand to."""

    limit: int = DEFAULT_MAX_EXPANDED_BYTES
    used: int = 0
    #: Set once a member was refused: nothing more is read from the archive or its parents.
    spent: bool = False

    def take(self, size: int) -> bool:
        """Charge ``size`` bytes; False (and nothing charged) when that would pass the limit."""
        if self.spent or self.used + size > self.limit:
            self.spent = True
            return False
        self.used += size
        return True

    def refusal(self) -> str:
        mib = self.limit / 1024 / 1024
        return (f"skipped: the archive expands past the {mib:,.0f} MB cap on expanded bytes (nested archives "
                "included); raise CURBSIDE_DAILYMED__MAX_EXPANDED_MB if the archive is trusted")
