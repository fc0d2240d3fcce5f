"""PyTorch / TRL peers for bench/grpo.bench.ts, on a tiny Llama built from a config (no downloads).

Reads JSON on stdin: {threads, prompts, answers, alphabet, hidden, layers, heads, targetParams, positions,
B, G, maxTokens, temperature, reps, seqLen}. Prints one JSON line: params, plain (s per forward+backward+Adam
step on [B·G, seqLen] tokens) and trl (s per GRPOTrainer step of the main job's shape), at `threads`.
"""
import json
import os
import sys
import time
import warnings

x = json.load(sys.stdin)
os.environ["OMP_NUM_THREADS"] = str(x["threads"])
warnings.filterwarnings("ignore")
import torch  # noqa: E402

torch.set_num_threads(x["threads"])
import transformers  # noqa: E402
import trl  # noqa: E402
from datasets import Dataset  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizer, TrainerCallback  # noqa: E402

transformers.logging.set_verbosity_error()


class CharTokenizer(PreTrainedTokenizer):
    """One token per character of the policy's alphabet, plus pad and eos (like src/policy/tokenizer.ts)."""

    def __init__(self, alphabet, **kw):
        self.alphabet = alphabet
        self.vocab = {c: i for i, c in enumerate(alphabet)}
        self.vocab["<pad>"] = len(self.vocab)
        self.vocab["<eos>"] = len(self.vocab)
        self.inv = {i: c for c, i in self.vocab.items()}
        super().__init__(pad_token="<pad>", eos_token="<eos>", **kw)

    @property
    def vocab_size(self):
        return len(self.vocab)

    def get_vocab(self):
        return dict(self.vocab)

    def _tokenize(self, text):
        return list(text)

    def _convert_token_to_id(self, t):
        return self.vocab.get(t, self.vocab["?"])

    def _convert_id_to_token(self, i):
        return self.inv.get(i, "?")

    def convert_tokens_to_string(self, tokens):
        return "".join(t for t in tokens if t not in ("<pad>", "<eos>"))


tok = CharTokenizer(x["alphabet"])


def make_model(intermediate):
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=tok.vocab_size, hidden_size=x["hidden"], intermediate_size=intermediate,
        num_hidden_layers=x["layers"], num_attention_heads=x["heads"], num_key_value_heads=x["heads"],
        max_position_embeddings=x["positions"], pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
        bos_token_id=tok.eos_token_id,
    )
    return LlamaForCausalLM(cfg)


out = {"threads": x["threads"], "torch_version": torch.__version__, "trl_version": trl.__version__, "transformers_version": transformers.__version__}
# Same size: Llama's MLP has three matrices (gate, up, down) to the GPT's two, so pick the intermediate width
# whose parameter count is closest to the policy's (`targetParams`).
count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
p0, p1 = count(make_model(0)), count(make_model(1))
inter = max(1, round((x["targetParams"] - p0) / (p1 - p0)))
out["intermediate"] = inter
model = make_model(inter)
out["params"] = sum(p.numel() for p in model.parameters())

# Plain forward + backward + Adam on [B·G, seqLen] random tokens (cross-entropy loss).
N = x["B"] * x["G"]
ids = torch.randint(0, len(x["alphabet"]), (N, x["seqLen"]))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)


def plain_step():
    opt.zero_grad()
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    opt.step()


plain_step()
t = time.perf_counter()
for _ in range(x["reps"]):
    plain_step()
out["plain"] = (time.perf_counter() - t) / x["reps"]

# TRL GRPOTrainer steps of the main job's shape: B prompts × G completions, ≤ maxTokens new tokens, T.
answers = dict(zip(x["prompts"], x["answers"]))


def reward(prompts, completions, **kw):
    return [1.0 if answers[p].strip() and answers[p] in c else 0.0 for p, c in zip(prompts, completions)]


class Timer(TrainerCallback):
    def __init__(self):
        self.times = []

    def on_step_begin(self, args, state, control, **kw):
        self.t = time.perf_counter()

    def on_step_end(self, args, state, control, **kw):
        self.times.append(time.perf_counter() - self.t)


steps = 1 + x["reps"]
ds = Dataset.from_dict({"prompt": (x["prompts"] * steps)[: x["B"] * steps]})
args = trl.GRPOConfig(
    output_dir=os.environ.get("TMPDIR", "/tmp") + "/rlvr-grpo-peer", per_device_train_batch_size=N,
    num_generations=x["G"], max_completion_length=x["maxTokens"], temperature=x["temperature"],
    max_steps=steps, learning_rate=1e-3, report_to="none", save_strategy="no", logging_steps=10**6,
    use_cpu=True, bf16=False, fp16=False, dataloader_num_workers=0, disable_tqdm=True, seed=1,
)
timer = Timer()
trainer = trl.GRPOTrainer(model=make_model(inter), reward_funcs=reward, args=args, train_dataset=ds, processing_class=tok, callbacks=[timer])
trainer.train()
out["trl_steps"] = timer.times
out["trl"] = sum(timer.times[1:]) / max(1, len(timer.times) - 1)
print(json.dumps(out))
