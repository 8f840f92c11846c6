#!/usr/bin/env python3
"""Times the layers of `wsbcn bench norms` with PyTorch on the same machine, for a side-by-side table.

Run with a Python that has torch (Debian: apt-get install python3-torch python3-torchvision; then
/usr/bin/python3 bench/pytorch_norms.py [repeats] [warmup] [sizes, e.g. 1x224,2x224 or none] [steps]).
Forward + backward of y.sum() (PyTorch's cheapest scalar head: a dot with ones costs ~1 ms more at
1x256x56x56; wsbcn uses that dot on MXNet, where it is the cheaper one), median of N runs, 2 threads; the same
shapes and the same definitions as wsbcn:
frozen-bn = x * scale + shift with fixed scale/shift; bn = nn.BatchNorm2d in training; gn = F.group_norm with
min(32, C/4) groups; bcn = micro-batch BCN (estimate update under no_grad, per-channel affine with the estimates,
group norm, per-group affine), as the official code; conv3x3 with and without weight standardisation.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

SHAPES = [(1, 256, 56, 56), (1, 512, 28, 28), (1, 1024, 14, 14), (2, 256, 128, 128)]


def groups(c):
    return max(1, min(32, c // 4))


def make(name, c):
    if name == "identity":  # the harness's own cost: one element-wise op, the sum() head, its backward
        return lambda x: x * 1, []
    if name == "frozen-bn":
        scale, shift = torch.rand(c) + 0.5, torch.randn(c)
        return lambda x: x * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1), []
    if name == "bn":
        bn = torch.nn.BatchNorm2d(c).train()
        return bn, list(bn.parameters())
    if name == "gn":
        w, b = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        g = groups(c)
        return lambda x: F.group_norm(x, g, w, b, 1e-5), [w, b]
    if name == "bcn":
        g = groups(c)
        bw, bb = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        gw, gb = torch.ones(1, g, 1, requires_grad=True), torch.zeros(1, g, 1, requires_grad=True)
        rm, rv = torch.zeros(c), torch.ones(c)

        def bcn(x):
            with torch.no_grad():
                mu = x.mean(dim=(0, 2, 3))
                var = ((x - rm.view(1, -1, 1, 1)) ** 2).mean(dim=(0, 2, 3))
                rm.mul_(0.99).add_(0.01 * mu)
                rv.mul_(0.99).add_(0.01 * var)
            xd = bw.view(1, -1, 1, 1) * (x - rm.view(1, -1, 1, 1)) / (rv.view(1, -1, 1, 1) + 1e-5).sqrt() \
                + bb.view(1, -1, 1, 1)
            n = x.shape[0]
            z = F.group_norm(xd, g, None, None, 1e-5).view(n, g, -1)
            return (z * gw + gb).view_as(x)
        return bcn, [bw, bb, gw, gb]
    if name in ("conv3x3", "ws-conv3x3"):
        w = torch.randn(c, c, 3, 3, requires_grad=True)

        def conv(x):
            wt = w
            if name == "ws-conv3x3":
                flat = w.view(c, -1)
                mean = flat.mean(1, keepdim=True)
                var = flat.var(1, unbiased=False, keepdim=True)
                wt = ((flat - mean) / (var + 1e-5).sqrt()).view_as(w)
            return F.conv2d(x, wt, padding=1)
        return conv, [w]
    raise ValueError(name)


def time_layer(name, shape, repeats, warmup):
    fn, _ = make(name, shape[1])
    data = torch.randn(*shape)
    ms = []
    for i in range(warmup + repeats):
        x = data.clone().requires_grad_(True)
        t0 = time.perf_counter()
        fn(x).sum().backward()
        if i >= warmup:
            ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms)


class WsConv2d(torch.nn.Conv2d):
    """Weight Standardization as in the paper: biased variance, eps 1e-5 inside the square root."""

    def forward(self, x):
        w = self.weight
        flat = w.view(w.shape[0], -1)
        wt = ((flat - flat.mean(1, keepdim=True)) / (flat.var(1, unbiased=False, keepdim=True) + 1e-5).sqrt())
        return F.conv2d(x, wt.view_as(w), self.bias, self.stride, self.padding, self.dilation, self.groups)


class MicroBcn(torch.nn.Module):
    """Micro-batch BCN (Algorithm 1) as a module, the same computation as make("bcn")."""

    def __init__(self, c):
        super().__init__()
        self.fn, params = make("bcn", c)
        self.params = torch.nn.ParameterList([torch.nn.Parameter(p.detach()) for p in params])

    def forward(self, x):
        return self.fn(x)


def resnet50(norm):
    import torchvision
    from torchvision.ops import FrozenBatchNorm2d
    layer = {"frozen-bn": FrozenBatchNorm2d, "gn": lambda c: torch.nn.GroupNorm(groups(c), c),
             "gn+ws": lambda c: torch.nn.GroupNorm(groups(c), c), "bcn+ws": MicroBcn}[norm]
    net = torchvision.models.resnet50(norm_layer=layer)
    if norm.endswith("+ws"):
        def swap(module):
            for name, child in module.named_children():
                if type(child) is torch.nn.Conv2d:
                    ws = WsConv2d(child.in_channels, child.out_channels, child.kernel_size, child.stride,
                                  child.padding, child.dilation, child.groups, child.bias is not None)
                    setattr(module, name, ws)
                else:
                    swap(child)
        swap(net)
    return net.train()


def time_step(norm, batch, side, steps):
    net = resnet50(norm)
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=0.01, momentum=0.9,
                          weight_decay=1e-4)
    x = torch.randn(batch, 3, side, side)
    y = torch.randint(0, 1000, (batch,))
    times = []
    for i in range(steps + 1):
        t0 = time.perf_counter()
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
        if i > 0:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    sizes = sys.argv[3].split(",") if len(sys.argv) > 3 else ["1x224", "2x224", "1x512", "2x512"]
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    torch.set_num_threads(2)
    print(f"PyTorch {torch.__version__}, forward+backward, median of {repeats} runs (ms); ratio to frozen-bn in ()")
    print(f"{'layer':<12}" + "".join(f" {str(s).replace(' ', ''):>22}" for s in SHAPES))
    rows = {name: [time_layer(name, s, repeats, warmup) for s in SHAPES]
            for name in ["identity", "frozen-bn", "bn", "gn", "bcn", "conv3x3", "ws-conv3x3"]}
    base = rows["frozen-bn"]
    for name, row in rows.items():
        print(f"{name:<12}" + "".join(f" {v:12.2f} ({v / b:5.1f}x)" for v, b in zip(row, base)))
    if sizes == ["none"]:
        return
    print()
    print(f"resnet50 training step (forward, backward, SGD), PyTorch, median of {steps} (s); ratio to frozen-bn in ()")
    print(f"{'norm':<10}" + "".join(f" {s:>16}" for s in sizes))
    base = None
    for norm in ["frozen-bn", "gn", "gn+ws", "bcn+ws"]:
        row = []
        for size in sizes:
            b, side = (int(v) for v in size.split("x"))
            row.append(time_step(norm, b, side, steps))
        base = base or row
        print(f"{norm:<10}" + "".join(f" {v:8.3f} ({v / r:4.2f}x)" for v, r in zip(row, base)))


if __name__ == "__main__":
    main()
