"""Trains the reference implementation (../shared/reference/spikegpt_ref.py) with the same recipe as
`spikegpt train-lm`, as the yardstick for the DJL model's validation bits per character.

Same: character vocabulary (sorted code points of the whole corpus), split (first 90% training,
last 10% validation), configuration (our config.json keys), initialisation scheme, uniformly random
training windows, loss (cross-entropy with the L2Wrap term), Adam (betas 0.9/0.99, eps 4e-9),
global-norm clipping 1.0, linear warm-up then cosine decay, dropout, batch size, steps, and the
evaluation (contiguous ctx_len windows of the validation part, each from an empty state).
Not the same: the random numbers (PyTorch's generator), so the curves agree in distribution only.

    /usr/bin/python3 reference_train_lm.py --corpus ../../../shared/data/tinyshakespeare/input.txt \
        --config char-model.json --steps 3000 --out /tmp/ref-run
"""
import argparse
import json
import math
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--config", required=True, help="our config.json (vocab_size is taken from the corpus)")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--lr", type=float, default=6e-4)
    p.add_argument("--lr-final", type=float, default=1e-5)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared"))
    a = p.parse_args()
    sys.path.insert(0, os.path.join(a.shared, "reference"))
    import spikegpt_ref as R

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    text = open(a.corpus, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    cut = int(len(text) * 0.9)
    train = torch.tensor([index[c] for c in text[:cut]], dtype=torch.long)
    val = torch.tensor([index[c] for c in text[cut:]], dtype=torch.long)

    ours = json.load(open(a.config))
    init = ours.get("init", {})
    cfg = R.SpikeGPTConfig(len(chars), ours["n_embd"], ours["n_layer"], ctx_len=ours["ctx_len"],
                           ffn_mult=ours.get("ffn_mult", 4), tau=ours.get("tau", 2.0),
                           v_threshold=ours.get("v_threshold", 1.0), v_reset=ours.get("v_reset", 0.0),
                           alpha=ours.get("alpha", 2.0), dropout=ours.get("dropout", 0.03),
                           ln_eps=ours.get("ln_eps", 1e-5))
    model = R.SpikeGPT(cfg, att_out_gain=init.get("att_out_gain", 1.0),
                       ffn_value_gain=init.get("ffn_value_gain", 1.0))
    if init.get("scheme", "rwkv") == "torch":   # PyTorch's defaults, RWKV time_* formulas kept
        for name, mod in model.named_modules():
            if isinstance(mod, (torch.nn.Linear, torch.nn.Embedding)):
                mod.reset_parameters()
    T, B = cfg.ctx_len, a.batch_size
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.99), eps=4e-9)

    def lr_at(step):   # step = 1 .. steps, as our LearningRateSchedule
        if step <= a.warmup:
            return a.lr * step / max(1, a.warmup)
        n, total = step - a.warmup, max(1, a.steps - a.warmup)
        if n > total:
            return a.lr_final
        return a.lr_final + (a.lr - a.lr_final) * (1 + math.cos(math.pi * n / total)) / 2

    @torch.no_grad()
    def evaluate():
        model.eval()
        nats, count = 0.0, 0
        windows = (len(val) - 1) // T
        for first in range(0, windows, 16):
            idx = torch.arange(first, min(windows, first + 16)) * T
            x = torch.stack([val[i:i + T] for i in idx])
            y = torch.stack([val[i + 1:i + T + 1] for i in idx])
            logits = model(x)
            nats += torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                                      reduction="sum").item()
            count += y.numel()
        model.train()
        return nats / count / math.log(2)

    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, "log.csv"), "w")
    log.write("step,tokens,lr,train_loss,train_bpc,val_bpc,seconds\n")
    model.train()
    start = time.time()
    loss_sum, loss_n = 0.0, 0
    for step in range(1, a.steps + 1):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        starts = torch.randint(0, len(train) - T, (B,))
        x = torch.stack([train[s:s + T] for s in starts])
        y = torch.stack([train[s + 1:s + T + 1] for s in starts])
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss_sum += loss.item()
        loss_n += 1
        if step % 10 == 0 or step == a.steps:
            val_bpc = evaluate() if step % a.eval_every == 0 or step == a.steps else float("nan")
            mean = loss_sum / loss_n
            log.write("%d,%d,%.6g,%.6g,%.6g,%s,%.1f\n" % (step, step * B * T, lr_at(step), mean, mean / math.log(2),
                                                         "" if math.isnan(val_bpc) else "%.6g" % val_bpc,
                                                         time.time() - start))
            log.flush()
            if not math.isnan(val_bpc):
                print("step %d/%d: loss %.3f val bpc %.4f (%.0f tok/s)" % (
                    step, a.steps, mean, val_bpc, step * B * T / (time.time() - start)), flush=True)
            loss_sum, loss_n = 0.0, 0
    seconds = time.time() - start
    summary = dict(steps=a.steps, tokens=a.steps * B * T, seconds=seconds, tokens_per_s=a.steps * B * T / seconds,
                   validation_bpc=evaluate())
    json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
