"""Makes a small SpikeGPT with the GPT-NeoX vocabulary of the original 216M model (50277 tokens),
saves it with torch.save as the original release did, and generates greedily from a prompt with
the reference's RNN form: the end-to-end import check of NeoxImportTest.

usage: /usr/bin/python3 make_neox_checkpoint.py REFERENCE_DIR OUT.pth PROMPT_IDS N
PROMPT_IDS: comma-separated token ids (the Java test encodes the prompt with 20B_tokenizer.json).
Prints JSON: {"seed", "generated": N greedy ids, "first_logits": logits after the prompt
(top 5 ids and values), "min_gap": smallest top-1/top-2 logit gap, "min_margin": smallest
|membrane - threshold|}. The seed is the first for which min_gap > 1e-3 and min_margin > 2e-4,
so float noise cannot change a spike or an argmax.
"""
import json
import sys

import torch

sys.path.insert(0, sys.argv[1])
import spikegpt_ref as R  # noqa: E402

out, prompt, n = sys.argv[2], [int(t) for t in sys.argv[3].split(",")], int(sys.argv[4])
V, C, L = 50277, 32, 2

margins = []
_orig_lif_step = R._lif_step


def _recording_lif_step(x, v, c):
    margins.append((v + (x - v) / c.tau - c.v_threshold).abs().min().item())
    return _orig_lif_step(x, v, c)


R._lif_step = _recording_lif_step

for seed in range(50):
    torch.manual_seed(seed)
    model = R.SpikeGPT(R.SpikeGPTConfig(vocab_size=V, n_embd=C, n_layer=L, ctx_len=64, dropout=0.0),
                       att_out_gain=5.0, ffn_value_gain=12.0).eval()
    margins.clear()
    state = model.init_state(1)
    for t in prompt:
        logits, state = model.step(torch.tensor([t]), state)
    first = logits[0].clone()
    generated, gaps = [], []
    for _ in range(n):
        top = torch.topk(logits[0], 2)
        gaps.append((top.values[0] - top.values[1]).item())
        nxt = int(top.indices[0])
        generated.append(nxt)
        logits, state = model.step(torch.tensor([nxt]), state)
    if min(gaps) > 1e-3 and min(margins) > 2e-4:
        break
else:
    raise SystemExit("no seed with safe gaps and margins")

torch.save(model.state_dict(), out)
top5 = torch.topk(first, 5)
print(json.dumps({"seed": seed, "generated": generated, "first_top_ids": top5.indices.tolist(),
                  "first_top_logits": top5.values.tolist(), "min_gap": min(gaps), "min_margin": min(margins)}))
