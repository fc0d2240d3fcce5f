"""Render chat cases and encode strings with transformers, for the TypeScript cross-check. Reads JSON on stdin:
{"dir": MODEL_DIR, "cases": [{"messages", "add_generation_prompt", "kwargs"}], "texts": [str]} → {"rendered": [...], "ids": [...]}"""
import json
import sys

from transformers import AutoTokenizer

req = json.load(sys.stdin)
tok = AutoTokenizer.from_pretrained(req["dir"])
rendered = [tok.apply_chat_template(c["messages"], tokenize=False, add_generation_prompt=c["add_generation_prompt"], **c.get("kwargs", {})) for c in req["cases"]]
ids = [tok(t).input_ids for t in req["texts"]]
print(json.dumps({"rendered": rendered, "ids": ids, "class": type(tok).__name__}))
