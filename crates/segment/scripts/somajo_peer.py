# SoMaJo 2.5 peer for `lagebild eval sentences|tokens --peer`.
# stdin: JSON list of texts. stdout: {"docs": [{"ends": [...], "tokens": [[s, e], ...]}], "seconds": t}
# Each text is fed one paragraph (blank-line separated block) at a time; offsets are chars.
# "seconds" times a second pass in SoMaJo's fastest mode (no character offsets), model
# loading excluded, so the speed comparison favours the peer.
import json
import re
import sys
import time

from somajo import SoMaJo

texts = json.load(sys.stdin)
tokenizer = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)
fast = SoMaJo("de_CMC", split_camel_case=False)
docs = []
all_paragraphs = []
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
        all_paragraphs.append(paragraph)
        sentences = list(tokenizer.tokenize_text([paragraph]))
        for sentence in sentences:
            spans = [(offset + t.character_offset[0], offset + t.character_offset[1])
                     for t in sentence]
            if spans:
                tokens.extend(spans)
                ends.append(spans[-1][1])
    docs.append({"ends": ends, "tokens": tokens})
t0 = time.perf_counter()
for paragraph in all_paragraphs:
    for _ in fast.tokenize_text([paragraph]):
        pass
seconds = time.perf_counter() - t0
json.dump({"docs": docs, "seconds": seconds}, sys.stdout)
