"""Peer for `bench scale --peer`: datasketch MinHash + MinHashLSH over the same texts.

Reads one text per line from argv[1], builds word 3-gram shingles (lower-cased \\w+ words)
like lagebild does, queries a MinHashLSH with every text and then inserts it, and prints a
JSON line with the CPU time (time.process_time) and the wall time of that loop, reading the
file and importing excluded, and the number of candidate pairs returned.
"""
import json
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
WORD = re.compile(r"\w+")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [t for t in f.read().split("\n") if t]
    cpu, wall = time.process_time(), time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    pairs = 0
    for i, text in enumerate(texts):
        words = [w.lower() for w in WORD.findall(text)]
        shingles = {" ".join(words[k : k + 3]).encode("utf-8") for k in range(len(words) - 2)}
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch(list(shingles))
        pairs += len(lsh.query(m))
        lsh.insert(str(i), m)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"docs": len(texts), "cpu_seconds": cpu, "seconds": wall, "pairs": pairs}))


if __name__ == "__main__":
    main()
