"""Extra torchvision 0.14 references for wsbcn's detection ops (run with /usr/bin/python3: torch 1.13).

Writes extra_ops.npz next to this script:
  big_boxes (1500,4) f32, big_scores (1500,) f32, big_idxs (1500,) i64, big_keep_batched_0.5 (i64):
      batched_nms on 1500 boxes = 6000 coordinates > 4000, so torchvision takes its per-class loop path
  keep_nms_0.3 (i64): nms(boxes, scores, 0.3) on nms.npz's boxes (threshold whose float32 rounds up)
  ms_g_ (20,4,7,7) f32, ms_dfeat_0..3: upstream gradient and d sum(pooled*g)/d feat_l for
      MultiScaleRoIAlign(['0','1','2','3'], 7, 2) on multiscale_roi_align.npz's inputs
"""
import collections
import os

import numpy as np
import torch
import torchvision
from torchvision.ops import MultiScaleRoIAlign, batched_nms, nms

here = os.path.dirname(os.path.abspath(__file__))
out = {}

rng = np.random.default_rng(5600)
n = 1500
xy = rng.uniform(0, 600, size=(n, 2)).astype(np.float32)
wh = rng.uniform(8, 120, size=(n, 2)).astype(np.float32)
big = np.concatenate([xy, xy + wh], axis=1).astype(np.float32)
big[1000:1200] = big[:200] + rng.normal(0, 3, size=(200, 4)).astype(np.float32)
scores = rng.uniform(0, 1, size=n).astype(np.float32)
idxs = rng.integers(0, 5, size=n).astype(np.int64)
out["big_boxes"] = big
out["big_scores"] = scores
out["big_idxs"] = idxs
out["big_keep_batched_0.5"] = batched_nms(torch.from_numpy(big), torch.from_numpy(scores),
                                          torch.from_numpy(idxs), 0.5).numpy()

ref = np.load(os.path.join(here, "nms.npz"))
out["keep_nms_0.3"] = nms(torch.from_numpy(ref["boxes"]), torch.from_numpy(ref["scores"]), 0.3).numpy()

ms = np.load(os.path.join(here, "multiscale_roi_align.npz"))
feats = collections.OrderedDict()
for i in range(4):
    feats[str(i)] = torch.from_numpy(ms["feat_%d" % i]).requires_grad_(True)
boxes = torch.from_numpy(ms["boxes"])
bidx = ms["box_batch_index"]
boxlist = [boxes[torch.from_numpy(bidx == b)] for b in range(2)]
pool = MultiScaleRoIAlign(["0", "1", "2", "3"], 7, 2)
pooled = pool(feats, boxlist, [(256, 320), (256, 320)])
assert np.allclose(pooled.detach().numpy(), ms["pooled"], atol=1e-6)
g = torch.from_numpy(np.random.default_rng(5601).standard_normal(pooled.shape).astype(np.float32))
(pooled * g).sum().backward()
out["ms_g_"] = g.numpy()
for i in range(4):
    out["ms_dfeat_%d" % i] = feats[str(i)].grad.numpy()

np.savez(os.path.join(here, "extra_ops.npz"), **out)
print("wrote extra_ops.npz:", {k: v.shape for k, v in out.items()}, "torch", torch.__version__,
      "torchvision", torchvision.__version__)
