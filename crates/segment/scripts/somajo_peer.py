# SoMaJo 2.5 peer for `lagebild eval sentences|tokens --peer`.
# stdin: JSON list of texts. stdout: {"docs": [{"ends": [...], "tokens": [[s, e], ...]}], "seconds": t}
# Each text is fed one paragraph (blank-line separated block) at a time; offsets are chars.
import json
import re
import sys
import time

from somajo import SoMaJo

texts = json.load(sys.stdin)
tokenizer = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)
docs = []
seconds = 0.0
for text in texts:
    paragraphs, offsets, start = [], [], 0
    for sep in re.finditer(r"\n[ \t\r]*\n", text):
        paragraphs.append(text[start:sep.start()])
        offsets.append(start)
        start = sep.end()
    paragraphs.append(text[start:])
    offsets.append(start)
    ends, tokens = [], []
    for paragraph, offset in zip(paragraphs, offsets):
        if not paragraph.strip():
            continue
        t0 = time.perf_counter()
        sentences = list(tokenizer.tokenize_text([paragraph]))
        seconds += time.perf_counter() - t0
        for sentence in sentences:
            spans = [(offset + t.character_offset[0], offset + t.character_offset[1])
                     for t in sentence]
            if spans:
                tokens.extend(spans)
                ends.append(spans[-1][1])
    docs.append({"ends": ends, "tokens": tokens})
json.dump({"docs": docs, "seconds": seconds}, sys.stdout)
