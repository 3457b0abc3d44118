#!/usr/bin/env python3
"""Makes Tests/Fixtures/snowball-dutch/reference.txt: words and their stems by Snowball's own Dutch stemmer
(PyPI snowballstemmer 2.2.0, the classic Dutch algorithm that PostgreSQL's `dutch` configuration uses; from 3.0 on
the package's `dutch` is a newer algorithm, so pin 2.2.0).

Vocabulary: every word of the report in ../shared/seed/ and a fixed sample of 12,000 words from the OpenTaal word
list (/usr/share/dict/nederlands, Debian package wdutch; BSD / CC BY 3.0).

    python3 -m venv /tmp/sbs && /tmp/sbs/bin/pip install snowballstemmer==2.2.0
    /tmp/sbs/bin/python scripts/reference-stemmer.py
"""
import pathlib, random, re
import snowballstemmer

root = pathlib.Path(__file__).resolve().parent.parent
stemmer = snowballstemmer.stemmer("dutch")
words = set()
for path in (root.parent / "shared" / "seed").glob("*.txt"):
    words.update(w.lower() for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
dictionary = [w.strip().lower() for w in open("/usr/share/dict/nederlands", encoding="utf-8") if w.strip().isalpha()]
random.seed(20261129)
words.update(random.sample(dictionary, 12000))
out = root / "Tests" / "Fixtures" / "snowball-dutch" / "reference.txt"
with open(out, "w", encoding="utf-8") as f:
    for w in sorted(words):
        f.write(f"{w} {stemmer.stemWord(w)}\n")
print(len(words), "words ->", out)
