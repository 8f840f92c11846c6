"""Reference for BilinearUpsample: torch 1.13's F.interpolate(mode='bilinear'), align_corners False and True.

x (2, 3, 5, 4) float32 is a standard normal draw kept in bilinear.npz (drawn anew, seed 0, only when the file is
absent); y_<H>x<W>_ac<0|1> is x resized to H x W, computed in float64 and rounded once to float32, for
17x13 (up), 5x9 (mixed) and 3x2 (down). Rerunning this script rewrites the same arrays (checked: equal to the committed file, element for element).
Run with /usr/bin/python3 (Debian's torch 1.13).
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bilinear.npz")
if os.path.exists(path):
    x = np.load(path)["x"]
else:
    torch.manual_seed(0)
    x = torch.randn(2, 3, 5, 4).numpy()
out = {"x": x}
for h, w in [(17, 13), (5, 9), (3, 2)]:
    for ac in (0, 1):
        y = F.interpolate(torch.from_numpy(x).double(), size=(h, w), mode="bilinear", align_corners=bool(ac))
        out["y_%dx%d_ac%d" % (h, w, ac)] = y.float().numpy()
np.savez(path, **out)
