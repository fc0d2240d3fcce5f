"""Peer for tests/verifiers/ifeval/peer.test.ts: lm-eval's IFEval checkers on the same responses.

stdin: JSONL {prompt, response, instruction_id_list, kwargs}; stdout: JSONL {strict: [bool], loose: [bool],
sentences, words, capital_words, lang}. Runs lm-eval 0.4.13's own `tasks/ifeval/utils.py` evaluation
functions (strict and loose) unchanged. langdetect is seeded (DetectorFactory.seed = 0) so its answer is
reproducible; NLTK_DATA must point at the punkt_tab parameters to compare with (the test passes empty,
untrained ones, the same the TypeScript port uses).
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)

from langdetect import detector_factory  # noqa: E402

detector_factory.DetectorFactory.seed = 0

import langdetect  # noqa: E402
import nltk  # noqa: E402
from lm_eval.tasks.ifeval import instructions_util, utils  # noqa: E402

for line in sys.stdin:
    if not line.strip():
        continue
    r = json.loads(line)
    inp = utils.InputExample(key=0, instruction_id_list=r["instruction_id_list"], prompt=r["prompt"], kwargs=r["kwargs"])
    resp = r["response"]
    strict = utils.test_instruction_following_strict(inp, resp).follow_instruction_list
    loose = utils.test_instruction_following_loose(inp, resp).follow_instruction_list
    try:
        lang = langdetect.detect(resp)
    except langdetect.LangDetectException:
        lang = None
    out = {
        "strict": strict,
        "loose": loose,
        "sentences": instructions_util.count_sentences(resp),
        "words": instructions_util.count_words(resp),
        "capital_words": len([w for w in nltk.word_tokenize(resp) if w.isupper()]),
        "lang": lang,
    }
    print(json.dumps(out), flush=True)
