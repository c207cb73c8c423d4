"""Peer for `bench time --peer`: dateparser's search_dates over German texts.

Reads a JSON list of texts on stdin; prints one JSON object: seconds spent searching
(import and setup excluded) and, per text, the (found text, ISO value) pairs.
"""
import json
import sys
import time

from dateparser.search import search_dates

texts = json.load(sys.stdin)
settings = {"RETURN_AS_TIMEZONE_AWARE": False}
search_dates("Am 3. Mai 2020", languages=["de"], settings=settings)  # warm-up: loads data
found = []
start = time.perf_counter()
for text in texts:
    hits = search_dates(text, languages=["de"], settings=settings) or []
    found.append([[s, d.isoformat()] for s, d in hits])
seconds = time.perf_counter() - start
json.dump({"seconds": seconds, "found": found}, sys.stdout, ensure_ascii=False)
