#!/usr/bin/env python3
"""Packs MeloTTS's English lexicon (melo/text/cmudict.rep, MIT; derived from the CMU Pronouncing Dictionary,
BSD-2-Clause) into models/MeloTTS/Text/Resources/cmudict-melo.txt.gz, the lexicon VoxTile carries so that text input
needs nothing at run time.

Kept: the file's header (its copyright and acknowledgement lines) and every plain entry, in order, with the syllable
marks (" - ") dropped. Dropped: the WORD(2) variants, which MeloTTS never looks up (a basic token never holds a
bracket). The result is plain CMUdict form, which CmuLexicon reads. gzip with mtime 0, so the same input gives the
same bytes (`--check` compares them with the committed file).

usage: scripts/pack-lexicon.py [--check] [path/to/cmudict.rep]   (default ../shared/lexicon/cmudict.rep)
"""
import gzip
import io
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "MeloTTS", "Text", "Resources", "cmudict-melo.txt.gz")
VARIANT = re.compile(r"^\S+\(\d+\)\s")

SOURCE_NOTE = (
    "## VoxTile: the entries of MeloTTS's melo/text/cmudict.rep (myshell-ai/MeloTTS 2091453, MIT licence,\n"
    "## Copyright (c) 2024 MyShell.ai), derived from the CMU Pronouncing Dictionary (header above, BSD-2-Clause).\n"
    "## Syllable marks and WORD(n) variants removed by scripts/pack-lexicon.py; the lookups are unchanged.\n"
)


def pack(source: str) -> bytes:
    with open(source, encoding="latin-1") as f:
        lines = f.read().splitlines()
    header = [l for l in lines if l.startswith("##")]
    entries = []
    for line in lines:
        if not line.strip() or line.startswith("##") or VARIANT.match(line):
            continue
        word, phones = line.split(None, 1)
        entries.append(word + "  " + " ".join(p for p in phones.split() if p != "-"))
    text = "\n".join(header) + "\n" + SOURCE_NOTE + "\n".join(entries) + "\n"
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("latin-1"))
    return buf.getvalue()


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    source = args[0] if args else os.path.join(ROOT, "..", "shared", "lexicon", "cmudict.rep")
    data = pack(source)
    if check:
        with open(OUT, "rb") as f:
            same = f.read() == data
        print(f"{OUT}: {'up to date' if same else 'differs from ' + source}")
        return 0 if same else 1
    with open(OUT, "wb") as f:
        f.write(data)
    print(f"{OUT}: {len(data)} bytes from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
