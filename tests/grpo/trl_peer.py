"""TRL 1.13 peer for tests/grpo/parity.test.ts: TRL's own advantage and loss code on numbers from stdin (JSON).

Advantages: the `sum_then_normalize` branch of GRPOTrainer._generate_and_score_completions (single reward
function, weight 1), with trl.trainer.utils.nanstd, for scale_rewards "group" and "batch".
Loss: GRPOTrainer._compute_loss itself, called on a minimal object that supplies the attributes it reads and
returns the given per-token log-probs and entropies from _get_per_token_logps_and_entropies (no model).
"""
import json
import sys
from collections import defaultdict
from types import SimpleNamespace

import torch
import trl
from trl.trainer.grpo_trainer import GRPOTrainer
from trl.trainer.utils import nanstd

x = json.load(sys.stdin)
out = {"trl_version": trl.__version__}

rewards = torch.tensor(x["rewards"], dtype=torch.float64)
G = x["G"]
mean_g = torch.nanmean(rewards.view(-1, G), dim=1).repeat_interleave(G, dim=0)
for scale in ("group", "batch"):
    if scale == "group":
        std = nanstd(rewards.view(-1, G), dim=1).repeat_interleave(G, dim=0)
    else:
        std = nanstd(rewards).expand_as(rewards)
    out[f"adv_{scale}"] = ((rewards - mean_g) / (std + 1e-4)).tolist()


class Acc:
    num_processes = 1
    sync_gradients = True

    def gather(self, t):
        return t

    def gather_for_metrics(self, t):
        return t

    def reduce(self, t, reduction="sum"):
        return t


L = x["loss"]
lp = torch.tensor(L["logprobs"], dtype=torch.float64)
ent = torch.tensor(L["entropy"], dtype=torch.float64)
mask = torch.tensor(L["mask"], dtype=torch.float64)
N, T = lp.shape
losses = {}
for loss_type in ("grpo", "dapo", "dr_grpo", "bnpo"):
    fake = SimpleNamespace(
        _get_per_token_logps_and_entropies=lambda *a, **k: (lp, ent, None),
        aux_loss_enabled=False,
        top_entropy_quantile=1.0,
        off_policy_mask_threshold=None,
        importance_sampling_level="token",
        beta=0.0,
        loss_type=loss_type,
        epsilon_low=0.2,
        epsilon_high=0.28,
        args=SimpleNamespace(delta=None, use_bias_correction_kl=False, steps_per_generation=1),
        use_vllm=False,
        model=SimpleNamespace(training=True),
        current_gradient_accumulation_steps=1,
        accelerator=Acc(),
        max_completion_length=L["maxTokens"],
        _entropy_bonus_enabled=True,
        entropy_coef=L["entropyCoef"],
        use_adaptive_entropy=False,
        _metrics={"train": defaultdict(list), "eval": defaultdict(list)},
    )
    inputs = {
        "prompt_ids": torch.zeros((N, 1), dtype=torch.long),
        "prompt_mask": torch.ones((N, 1), dtype=torch.long),
        "completion_ids": torch.zeros((N, T), dtype=torch.long),
        "completion_mask": mask,
        "advantages": torch.tensor(L["advantages"], dtype=torch.float64),
        "old_per_token_logps": torch.tensor(L["oldLogprobs"], dtype=torch.float64),
        "num_items_in_batch": mask.sum(),
    }
    losses[loss_type] = GRPOTrainer._compute_loss(fake, None, inputs).item()
out["loss"] = losses
print(json.dumps(out))
