"""Measurements in text: a number with a unit ("162 mg/dL", "40mg", "5.6 mmol/L", "20 mIU/L").

A unit is whatever ``pint``'s unit registry parses (SI prefixes and units, clinical ones such as mmHg), with UCUM's
international unit (``IU``) and equivalent (``Eq``, so "mEq/L") added. Callers say which words are never units (a
stop word that pint reads as one: "at" is a technical atmosphere, "in" an inch). Used by the de-identifier (a
measurement is not a person, curbside.consult.medical_terms) and by the question's subject (a strength is not what a
question is about, curbside.answer.select.ontopic).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import cache
from typing import Any

_MEASUREMENT = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s?(?P<unit>[A-Za-zµμ%][A-Za-zµμ%0-9]*(?:/[A-Za-zµμ][A-Za-zµμ0-9]*)*)")


@cache
def _units() -> Any:
    import pint

    registry: Any = pint.UnitRegistry()
    registry.define("international_unit = [international_unit] = IU")
    registry.define("equivalent = [equivalent] = Eq = eq")
    return registry


@cache
def parses_as_unit(token: str) -> bool:
    """Whether pint's registry reads ``token`` as a unit (any word it knows, stop words included)."""
    try:
        _units().parse_units(token)
    except Exception:  # pint raises several kinds on what is not a unit
        return False
    return True


def unit_test(never: Collection[str]) -> Callable[[str], bool]:
    """A test of a token: a unit, and not one of the lower-case words ``never``."""
    return lambda token: token.lower() not in never and parses_as_unit(token)


def measurement_spans(text: str, is_unit: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Where ``text`` gives a number with a unit: (start, end) of each."""
    out = []
    for match in _MEASUREMENT.finditer(text):
        unit = match.group("unit").rstrip(".")
        # a shouted unit ("MG/KG/H") read in lower case; a capitalised word stays no unit ("5 Paula")
        if unit and (is_unit(unit) or (unit.isupper() and len(unit) > 1 and is_unit(unit.lower()))):
            out.append((match.start(), match.start("unit") + len(unit)))
    return out
