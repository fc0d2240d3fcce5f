"""Run lm-eval (0.4.x) against a running `rlvr serve` and print one JSON object with results and per-request facts.

Usage: python lmeval_run.py CONFIG TASK_DIR BASE_URL [HF_DIR]
  CONFIG  completions-defaults | completions-hf-tokenizer | chat
Uses lm_eval.simple_evaluate (the CLI's own entry point; the CLI's final table needs pytablewriter, which the
local index lacks). Offline: the tasks read local JSONL through `datasets`' json builder.
"""
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
import lm_eval  # noqa: E402
from lm_eval.tasks import TaskManager  # noqa: E402

config, task_dir, base, *rest = sys.argv[1:]
tm = TaskManager(include_path=task_dir)
if config == "completions-defaults":
    model, args, tasks, chat = "local-completions", f"model=rlvr-tiny-base,base_url={base}/v1/completions", ["rlvr_arith_mc", "rlvr_arith_gen"], False
elif config == "completions-hf-tokenizer":
    model, args, tasks, chat = "local-completions", f"model=rlvr-tiny-base,base_url={base}/v1/completions,tokenizer_backend=huggingface,tokenizer={rest[0]},add_bos_token=True", ["rlvr_arith_mc", "rlvr_arith_gen"], False
elif config == "chat":
    model, args, tasks, chat = "local-chat-completions", f"model=rlvr-tiny-base,base_url={base}/v1/chat/completions", ["rlvr_arith_gen"], True
else:
    raise SystemExit(f"unknown config {config}")

r = lm_eval.simple_evaluate(model=model, model_args=args, tasks=tasks, task_manager=tm, apply_chat_template=chat, log_samples=True)
out = {"config": config, "model": model, "model_args": args, "tokenizer_backend": None, "results": r["results"], "samples": {}}
for task, samples in r["samples"].items():
    out["samples"][task] = [{"doc_id": s["doc_id"], "arguments": [list(a) if isinstance(a, (list, tuple)) else a for a in s["arguments"]],
                             "resps": s["resps"], "filtered_resps": s["filtered_resps"]} for s in samples]
print(json.dumps(out, default=str))
