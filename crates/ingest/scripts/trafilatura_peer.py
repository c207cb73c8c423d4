"""Peer for `eval extract --peer`: runs trafilatura on the given pages, prints JSON
{"texts": [...], "seconds": CPU time of the extraction calls}. Input: a JSON list of file paths on stdin."""
import json
import sys
import time

from trafilatura import extract

paths = json.load(sys.stdin)
texts = []
seconds = 0.0
for path in paths:
    with open(path, "rb") as f:
        data = f.read()
    start = time.thread_time()
    texts.append(extract(data, include_comments=False, include_tables=True))
    seconds += time.thread_time() - start
json.dump({"texts": texts, "seconds": seconds}, sys.stdout)
