"""Load an `rlvr export --format hf` folder's tokenizer with transformers (AutoTokenizer, the fast tokenizer) and
report what it does with texts; check that the model refuses the <unk> id. Prints one JSON object.

Usage: python hf_tokenizer.py HF_DIR TEXTS.json   (TEXTS.json: a JSON list of strings)
"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

d, texts_path = sys.argv[1], sys.argv[2]
texts = json.load(open(texts_path, encoding="utf-8"))
tok = AutoTokenizer.from_pretrained(d)
out = {"class": type(tok).__name__, "unk_token": tok.unk_token, "unk_id": tok.unk_token_id, "len": len(tok), "items": []}
for t in texts:
    ids = tok(t).input_ids
    out["items"].append({"ids": ids, "decoded": tok.decode(ids, skip_special_tokens=True),
                         "plain": tok.decode(tok(t, add_special_tokens=False).input_ids)})
model = AutoModelForCausalLM.from_pretrained(d)
out["vocab_size"] = model.config.vocab_size
try:
    with torch.no_grad():
        model(torch.tensor([[tok.bos_token_id, tok.unk_token_id]]))
    out["unk_forward"] = "ran"
except IndexError as e:
    out["unk_forward"] = f"IndexError: {e}"
print(json.dumps(out, ensure_ascii=False))
