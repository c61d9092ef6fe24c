"""Word lists about people that the de-identifier and its medical-term guard share: given names and
surnames (US Census 1990 lists of the ``names`` package, MIT) and common English words that are also
names."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def census_first_names() -> frozenset[str]:
    """Every given name, lower case, of the US Census 1990 lists shipped in the ``names`` package (MIT),
    words among them ("grace", "hope", "bill")."""
    try:
        base = resources.files("names")
        return frozenset(line.split()[0].lower() for f in ("dist.female.first", "dist.male.first")
                         for line in base.joinpath(f).read_text().splitlines() if line.strip())
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a dependency of curbside
        return frozenset()


@cache
def first_names() -> frozenset[str]:
    """Given names, lower case (:func:`census_first_names`) less common English words ("will", "may",
    "grace" are names only when capitalised)."""
    return census_first_names() - common_words()


@cache
def world_first_names() -> frozenset[str]:
    """Given names of many countries, lower case: the person providers of the ``faker`` package (MIT; 86
    locales: Irish, Indian, Italian, Zulu, Afrikaans, Turkish … "aoife", "nomvula", "matteo"), with the
    census lists, less common English words. Used where a capitalised word or a person's context must be a
    given name; the census lists alone stay the test for the medicine dictionary and lower-case words."""
    import importlib
    import pkgutil

    out: set[str] = set(census_first_names())
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - a dependency of curbside
        return frozenset(out - common_words())
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in ("first_names", "first_names_female", "first_names_male"):
            values = provider.__dict__.get(attr, ())
            if isinstance(values, (dict, list, tuple, set, frozenset)):
                out.update(v.lower() for v in values if isinstance(v, str) and v.isalpha())
    return frozenset(out - common_words())


@cache
def all_given_names() -> frozenset[str]:
    """Every given name either list holds, words among them ("hope", "bill"): for a word that context
    already marks as a person's name (before their phone number, spelled by their e-mail address)."""
    return world_first_names() | census_first_names()


@cache
def surnames() -> frozenset[str]:
    try:
        base = resources.files("names")
        return frozenset(line.split()[0].lower() for line in base.joinpath("dist.all.last").read_text().splitlines()
                         if line.strip())
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return frozenset()


@cache
def stop_words(language: str = "en") -> frozenset[str]:
    """spaCy's stop-word list of ``language`` ("en", "es", "it", "pt", "fr" …), lower case, read once."""
    import importlib

    return frozenset(w.lower() for w in importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)


@cache
def common_words() -> frozenset[str]:
    """English stop words (spaCy's list) plus short words that are common as words and as names."""
    extra = {"will", "may", "june", "april", "august", "grace", "hope", "joy", "faith", "art", "bill", "mark",
             "rich", "sue", "pat", "don", "ben", "rose", "dawn", "ray", "gay", "guy", "jack", "frank", "lane",
             "page", "king", "young", "white", "black", "brown", "green", "long", "best", "good", "sure", "fine",
             "glad", "here", "home", "back", "worried", "scared", "sick", "tired", "pregnant", "allergic",
             "diabetic", "taking", "having", "going", "feeling", "getting", "still", "also", "just", "really",
             "not", "so", "very", "told", "asking", "writing", "new", "old", "now", "ok", "okay", "curious",
             "concerned", "afraid", "unsure", "confused", "currently", "always", "over", "under", "about"}
    return stop_words() | frozenset(extra)
