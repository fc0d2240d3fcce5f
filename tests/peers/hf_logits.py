"""Load an `rlvr export --format hf` folder with transformers and print logits / a greedy generation as JSON.

Usage: python hf_logits.py HF_DIR PROMPT…   → {"class", "ids": [[…]], "logits": [[[…]]], "greedy": [...], "chat": ...}
"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

d, prompts = sys.argv[1], sys.argv[2:]
tok = AutoTokenizer.from_pretrained(d)
model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
out = {"class": type(model).__name__, "tokenizer_class": type(tok).__name__, "ids": [], "logits": [], "greedy": []}
with torch.no_grad():
    for p in prompts:
        ids = tok(p, return_tensors="pt").input_ids  # add_special_tokens: <bos> first
        out["ids"].append(ids[0].tolist())
        out["logits"].append(model(ids).logits[0].tolist())
        g = model.generate(ids, max_new_tokens=30, do_sample=False, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
        out["greedy"].append(tok.decode(g[0, ids.shape[1]:], skip_special_tokens=True))
out["chat"] = tok.apply_chat_template([{"role": "system", "content": "S"}, {"role": "user", "content": prompts[0].rstrip("\n")}], tokenize=False, add_generation_prompt=True)
print(json.dumps(out))
