"""Country names as news copy writes them.

Source: pycountry (ISO 3166-1, pinned in requirements) for every country's `name` and
`common_name`, the part before a comma when ISO inverts the name ("Iran, Islamic Republic of"
is "Iran"), plus a hand list of the short forms and older names wire copy uses ("U.S.",
"Britain", "Russia"), which ISO does not give. A country is an ACTOR only when it acts; the
ACTOR suggester decides that from the words around it.
"""

from functools import lru_cache

import pycountry

# ISO names that news copy never writes, or writes otherwise (the hand list has the usual form).
NOT_NEWS_NAMES = frozenset({"Virgin Islands", "Korea", "Congo", "Micronesia", "Palestine"})
SHORT_FORMS = {
    "U.S.": "US", "US": "US", "U.S.A.": "US", "USA": "US", "United States": "US",
    "United States of America": "US", "America": "US", "Britain": "GB", "Great Britain": "GB",
    "U.K.": "GB", "UK": "GB", "United Kingdom": "GB", "Russia": "RU", "Czech Republic": "CZ",
    "Czechia": "CZ", "Turkey": "TR", "Türkiye": "TR", "Ivory Coast": "CI", "Vatican": "VA",
    "Holy See": "VA", "Palestine": "PS", "Kosovo": "XK", "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD", "Republic of Congo": "CG", "Micronesia": "FM",
    "Burma": "MM", "Cape Verde": "CV", "Swaziland": "SZ", "East Timor": "TL",
    "South Korea": "KR", "North Korea": "KP", "Laos": "LA", "Syria": "SY", "Vietnam": "VN",
    "Brunei": "BN", "Macedonia": "MK", "UAE": "AE", "U.A.E.": "AE", "DRC": "CD",
    # ISO's "Congo" is the Republic's; wire style (AP) writes "Congo" for the larger
    # Democratic Republic, whose capital is Kinshasa, and "Republic of Congo" for the other.
    "Congo": "CD",
}  # fmt: skip


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Return every news name of a country mapped to its ISO alpha-2 code."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if not name or "(" in name:
                continue
            name = name.split(",")[0].strip()
            if name not in NOT_NEWS_NAMES:
                names[name] = country.alpha_2
    names.update(SHORT_FORMS)
    return names


# Countries whose provinces and states act as governments in the copy we read ("Alberta
# ordered evacuations", "Quebec’s secularism law"), and the subdivision types that do.
REGION_COUNTRIES = ("CA", "US", "AU")
REGION_TYPES = frozenset({"Province", "Territory", "State"})
# Subdivision names that news copy mostly uses for something else: a first name, a city.
NOT_REGION_NAMES = frozenset({"Victoria", "New York", "Washington", "Georgia"})


@lru_cache(maxsize=1)
def region_names() -> frozenset[str]:
    """Return the names of the provinces and states (ISO 3166-2) that act as governments.

    Like a country, a region is an ACTOR when it acts and a place when it is one ("in
    Alberta"); the ACTOR suggester decides from the words around it.
    """
    return frozenset(
        subdivision.name
        for code in REGION_COUNTRIES
        for subdivision in pycountry.subdivisions.get(country_code=code)
        if subdivision.type in REGION_TYPES and subdivision.name not in NOT_REGION_NAMES
    )
