"""Peer for `bench scale --peer`: datasketch MinHash + MinHashLSH over the same texts.

Reads one text per line (newlines inside texts escaped as spaces) from argv[1], builds
word 3-gram shingles like lagebild does, inserts every text into a MinHashLSH after
querying it, and prints a JSON line with the wall time and the number of matched pairs.
"""
import json
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
WORD = re.compile(r"\w+")


def main():
    texts = open(sys.argv[1], encoding="utf-8").read().split("\n")
    texts = [t for t in texts if t]
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    pairs = 0
    for i, text in enumerate(texts):
        words = [w.lower() for w in WORD.findall(text)]
        shingles = {" ".join(words[k : k + 3]).encode("utf-8") for k in range(len(words) - 2)}
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch(list(shingles))
        pairs += len(lsh.query(m))
        lsh.insert(str(i), m)
    seconds = time.perf_counter() - start
    print(json.dumps({"docs": len(texts), "seconds": seconds, "pairs": pairs}))


if __name__ == "__main__":
    main()
