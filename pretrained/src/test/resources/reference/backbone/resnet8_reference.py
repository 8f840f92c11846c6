"""resnet8_gn_ws.pth (shared/reference/checkpoints) with its keys renamed to torchvision style, plus the checkpoint's
input/logits, for ResNet8ReferenceTest (run: /usr/bin/python3 resnet8_reference.py). The renames are the rules
ResNet8.REFERENCE_RENAMES documents: stem->conv1, n0->bn1, bK.cJ->layerK.0.convJ, bK.nJ->layerK.0.bnJ,
bK.short->layerK.0.downsample."""
import re

import numpy as np
import torch

CKPT = "../checkpoints/resnet8_gn_ws.pth"
RULES = [
    (r"^stem\.", "conv1."),
    (r"^n0\.", "bn1."),
    (r"^b(\d+)\.c(\d+)\.", r"layer\1.0.conv\2."),
    (r"^b(\d+)\.n(\d+)\.", r"layer\1.0.bn\2."),
    (r"^b(\d+)\.short\.", r"layer\1.0.downsample."),
]


def rename(key):
    for pattern, repl in RULES:
        key, n = re.subn(pattern, repl, key)
        if n:
            break
    return key


sd = torch.load(CKPT)
io = np.load("../checkpoints/resnet8_gn_ws_io.npz")
arrays = {rename(k): v.numpy() for k, v in sd.items()}
arrays["x"] = io["x"]
arrays["logits"] = io["logits"]
np.savez("resnet8_gn_ws_torchvision_names.npz", **arrays)
print(sorted(arrays))
