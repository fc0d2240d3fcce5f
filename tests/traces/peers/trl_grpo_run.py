"""Run TRL's real GRPOTrainer for a few steps on a tiny random-init model and keep what it writes.

Used by tests/traces/trl-real.test.ts (skipped where the peers venv is absent) and to regenerate
tests/traces/fixtures/trl/. No downloads: the model is built from a config, the tokenizer from a
character vocabulary in memory. Writes OUT/checkpoint-N/trainer_state.json (TRL's own checkpointing)
and OUT/trainer_state.json (the final state), and prints TRL's version.

usage: python trl_grpo_run.py OUT [--steps N]
"""
import argparse
import os
import sys

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_DISABLED", "true")

import torch  # noqa: E402
import trl  # noqa: E402
from datasets import Dataset  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--steps", type=int, default=6)
args = p.parse_args()

chars = list("0123456789+=? abcdefghijklmnopqrstuvwxyz#.")
vocab = {"<pad>": 0, "<eos>": 1, "<unk>": 2, **{c: i + 3 for i, c in enumerate(chars)}}
tk = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
tk.pre_tokenizer = pre_tokenizers.Split(pattern="", behavior="isolated")
tok = PreTrainedTokenizerFast(tokenizer_object=tk, pad_token="<pad>", eos_token="<eos>", unk_token="<unk>")
tok.padding_side = "left"

torch.manual_seed(0)
cfg = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                  num_key_value_heads=2, max_position_embeddings=128, pad_token_id=0, eos_token_id=1, bos_token_id=1)
model_dir = os.path.join(args.out, "tiny-model")
LlamaForCausalLM(cfg).save_pretrained(model_dir)  # the reference model (beta > 0) is loaded from a path
tok.save_pretrained(model_dir)

prompts = [f"{a}+{b}=?" for a in range(10) for b in range(10)]
ds = Dataset.from_dict({"prompt": prompts, "answer": [str(eval(p[:-2])) for p in prompts]})


def accuracy_reward(completions, answer, **kwargs):
    return [1.0 if answer[i] in c else 0.0 for i, c in enumerate(completions)]


def format_reward(completions, **kwargs):
    return [0.5 if "#" in c else 0.0 for c in completions]


conf = GRPOConfig(
    output_dir=args.out, max_steps=args.steps, per_device_train_batch_size=8, num_generations=4,
    max_completion_length=8, logging_steps=1, save_steps=max(1, args.steps // 2), save_only_model=True,
    report_to="none", use_cpu=True, learning_rate=1e-3, beta=0.04, seed=0, bf16=False, temperature=1.0,
    dataloader_num_workers=0, disable_tqdm=True,
)
trainer = GRPOTrainer(model=model_dir, reward_funcs=[accuracy_reward, format_reward], args=conf, train_dataset=ds, processing_class=tok)
trainer.train()
trainer.state.save_to_json(os.path.join(args.out, "trainer_state.json"))
print(f"trl {trl.__version__}", file=sys.stderr)
