"""Writes ../resources/vectors/ops.safetensors: LIF and WKV operators at long sequence lengths,
computed by literal, step-by-step autograd loops in float64 (the most direct reading of the
equations), for the Java operator tests.

    /usr/bin/python3 make_op_vectors.py     # needs Debian's python3-torch; deterministic

LIF cases cover every neuron option the Java LifNeuron has: hard/soft reset, attached/detached
reset, arctan/sigmoid surrogate, learnable tau (1/tau = sigmoid(w)) and learnable threshold.
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "reference"))
import spikegpt_ref as R  # noqa: E402  (safetensors writer and the reference WKV loop)

torch.manual_seed(7)
DT = torch.float64


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, kind, alpha):
        ctx.save_for_backward(z)
        ctx.kind, ctx.alpha = kind, alpha
        return (z >= 0).to(z.dtype)

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        a = ctx.alpha
        if ctx.kind == "arctan":
            d = (a / 2) / (1 + (math.pi / 2 * a * z) ** 2)
        else:
            s = torch.sigmoid(a * z)
            d = a * s * (1 - s)
        return g * d, None, None


def lif(x, tau_w, theta, reset, detach, kind, alpha, v_reset=0.0, fixed_tau=None):
    """x: [B, T, N]; literal loop with autograd. Returns spikes [B, T, N] and the smallest
    |h - theta| seen (spike decisions closer than float noise would make the vectors fragile)."""
    v = torch.full_like(x[:, 0], v_reset)
    out = []
    margin = float("inf")
    for t in range(x.shape[1]):
        if fixed_tau is not None:
            h = v + (x[:, t] - v) / fixed_tau
        else:
            h = v + (x[:, t] - v) * torch.sigmoid(tau_w)
        margin = min(margin, (h - theta).abs().min().item())
        s = Spike.apply(h - theta, kind, alpha)
        sr = s.detach() if detach else s
        if reset == "hard":
            v = h * (1 - sr) + v_reset * sr
        else:
            v = h - sr * theta
        out.append(s)
    return torch.stack(out, 1), margin


tensors = {}
cases = []
B, N = 2, 12
for name, T, opts in [
    ("default_T512", 512, dict(reset="hard", detach=False, kind="arctan", alpha=2.0, tau=2.0)),
    ("soft_T96", 96, dict(reset="soft", detach=False, kind="arctan", alpha=2.0, tau=2.0)),
    ("hard_detached_T96", 96, dict(reset="hard", detach=True, kind="arctan", alpha=2.0, tau=2.0)),
    ("soft_detached_sigmoid_T96", 96, dict(reset="soft", detach=True, kind="sigmoid", alpha=4.0, tau=3.0)),
    ("plif_learnable_T128", 128, dict(reset="hard", detach=False, kind="arctan", alpha=2.0, tau=2.5,
                                      learn_tau=True, learn_theta=True, theta=0.8)),
]:
    # float32, like the Java forward, so that spike decisions agree exactly
    x = (torch.randn(B, T, N) * 0.9 + 0.6).requires_grad_(True)
    g = torch.randn(B, T, N)
    theta0 = opts.get("theta", 1.0)
    learn_tau, learn_theta = opts.get("learn_tau", False), opts.get("learn_theta", False)
    tau_w = torch.tensor(-math.log(opts["tau"] - 1.0), requires_grad=learn_tau)
    theta = torch.tensor(theta0, requires_grad=learn_theta)
    s, margin = lif(x, tau_w, theta, opts["reset"], opts["detach"], opts["kind"], opts["alpha"],
            fixed_tau=None if learn_tau else opts["tau"])
    assert margin > 1e-5, (name, margin)
    print(name, "spike rate %.3f, min |h - theta| %.2e" % (s.mean().item(), margin))
    (s * g).sum().backward()
    p = "lif." + name + "."
    tensors[p + "x"] = x.detach().float()
    tensors[p + "g"] = g.float()
    tensors[p + "spikes"] = s.detach().float()
    tensors[p + "dx"] = x.grad.float()
    if learn_tau:
        tensors[p + "dtau_w"] = tau_w.grad.reshape(1).float()
    if learn_theta:
        tensors[p + "dtheta"] = theta.grad.reshape(1).float()
    cases.append(dict(name=name, theta=theta0, learn_tau=learn_tau, learn_theta=learn_theta,
                      **{k: v for k, v in opts.items() if k not in ("learn_tau", "learn_theta", "theta")}))

# WKV at T = 600 with a few slow channels (long memory) and some large keys (stability)
B, T, C = 2, 600, 10
time_decay = torch.linspace(-6, 2, C, dtype=DT).requires_grad_(True)
u = (torch.randn(C, dtype=DT) * 0.5).requires_grad_(True)
k = (torch.randn(B, T, C, dtype=DT) * 3.0).requires_grad_(True)
v = torch.randn(B, T, C, dtype=DT).requires_grad_(True)
gy = torch.randn(B, T, C, dtype=DT)
y, _ = R.wkv_loop(-torch.exp(time_decay), u, k, v)
(y * gy).sum().backward()
for key, val in dict(time_decay=time_decay.detach(), u=u.detach(), k=k.detach(), v=v.detach(), gy=gy,
                     y=y.detach(), d_time_decay=time_decay.grad, du=u.grad, dk=k.grad, dv=v.grad).items():
    tensors["wkv." + key] = val.float()

out = os.path.join(HERE, "..", "resources", "vectors", "ops.safetensors")
R.save_safetensors(out, tensors, {"lif_cases": json.dumps(cases)})
print("wrote", out, len(tensors), "tensors")
