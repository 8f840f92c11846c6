"""Reference for ClipSgd: TSM's optimiser step with torch 1.13.

A Linear(3, 2) trained for 3 updates of 2 micro-batches each: per micro-batch the loss sum(y * g) / 2 is
back-propagated (gradients add up over the micro-batches), then clip_grad_norm_(params, 2.0) and torch.optim.SGD
(momentum 0.9, weight decay 0.05 on the weight matrix only, as TSM's policies give none to biases) at the update's
learning rate. Updates 0 and 2 are clipped, update 1 is not (asserted below). Writes clip_sgd.npz next to this file:
w0 (2,3), b0 (2,), x (3,2,4,3), g (3,2,4,2), lr (3,), grad_norm (3,) (before clipping, float64),
w (3,2,3) and b (3,2) after each update.

Run with /usr/bin/python3 (Debian's torch 1.13).
"""
import os

import numpy as np
import torch

CLIP = 2.0
torch.manual_seed(7)
lin = torch.nn.Linear(3, 2)
w0 = lin.weight.detach().clone()
b0 = lin.bias.detach().clone()
x = torch.randn(3, 2, 4, 3)
g = torch.randn(3, 2, 4, 2)
g[0] *= 3.0   # well above the clip norm
g[1] *= 0.2   # below it
g[2] *= 2.0
lr = [0.1, 0.1, 0.01]
opt = torch.optim.SGD([{"params": [lin.weight], "weight_decay": 0.05},
                       {"params": [lin.bias], "weight_decay": 0.0}], lr=lr[0], momentum=0.9)
norms, ws, bs = [], [], []
for u in range(3):
    opt.zero_grad()
    for m in range(2):
        (lin(x[u, m]) * g[u, m]).sum().div(2).backward()
    norm = torch.nn.utils.clip_grad_norm_(lin.parameters(), CLIP).item()
    norms.append(norm)
    for group in opt.param_groups:
        group["lr"] = lr[u]
    opt.step()
    ws.append(lin.weight.detach().clone())
    bs.append(lin.bias.detach().clone())
assert norms[0] > CLIP and norms[1] < CLIP and norms[2] > CLIP, norms
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "clip_sgd.npz")
np.savez(out, w0=w0.numpy(), b0=b0.numpy(), x=x.numpy(), g=g.numpy(), lr=np.array(lr, np.float32),
         grad_norm=np.array(norms, np.float64), w=torch.stack(ws).numpy(), b=torch.stack(bs).numpy())
print(out, norms)
