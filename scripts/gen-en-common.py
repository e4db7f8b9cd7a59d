#!/usr/bin/env python3
"""Generate rules/lists/en-common.txt: frequent English words of up to 8 ASCII lower-case
letters, the quick rejection of the `foreign-words` rule kind (src/kinds/foreign.rs).

Most words of English text are among them: a word of the list (that the rule's own word
list does not hold) is not foreign, found with one integer lookup instead of a search of
the rule's list. The list only makes the rule faster; what it flags is the same with any
list. It is also a built-in word list (`en-common`) that rules may name.

Source: the TOP most frequent English words of `wordfreq` (Robyn Speer et al.; code
Apache-2.0, data CC BY-SA 4.0, https://github.com/rspeer/wordfreq), the same source as the
foreign-word list (scripts/gen-foreign-words.py).

    pip install wordfreq
    python3 scripts/gen-en-common.py
"""
import os
import re

import wordfreq

TOP = 6000
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

words = sorted({w for w in wordfreq.top_n_list("en", TOP) if re.fullmatch(r"[a-z]{1,8}", w)})
with open(os.path.join(ROOT, "rules", "lists", "en-common.txt"), "w", encoding="utf-8") as f:
    f.write("".join(w + "\n" for w in words))
print(f"rules/lists/en-common.txt: {len(words)} words")
