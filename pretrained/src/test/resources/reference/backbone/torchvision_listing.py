"""Writes the state_dict names and shapes of torchvision's ResNets, the listing ResNetBackboneNamesTest checks.

Run with the system interpreter (torch 1.13, torchvision 0.14): /usr/bin/python3 torchvision_listing.py
num_batches_tracked is left out: it is a BatchNorm bookkeeping buffer, not a parameter (importers ignore it).
"""
import json

import torch
from torchvision.models import resnet

MODELS = {
    "resnet18": lambda: resnet.resnet18(),
    "resnet34": lambda: resnet.resnet34(),
    "resnet50": lambda: resnet.resnet50(),
    "resnet101": lambda: resnet.resnet101(),
    "resnet152": lambda: resnet.resnet152(),
    "resnext50_32x4d": lambda: resnet.resnext50_32x4d(),
    # not in torchvision's zoo, but its ResNet class builds it the same way
    "resnext101_32x4d": lambda: resnet.ResNet(resnet.Bottleneck, [3, 4, 23, 3], groups=32, width_per_group=4),
}

torch.manual_seed(0)
for name, make in MODELS.items():
    sd = make().state_dict()
    listing = [[k, list(v.shape)] for k, v in sd.items() if not k.endswith("num_batches_tracked")]
    source = f"torchvision {__import__('torchvision').__version__}: {name}, state_dict() without num_batches_tracked"
    with open(f"torchvision_{name}.json", "w") as f:
        f.write('{"source": ' + json.dumps(source) + ',\n "parameters": [\n')
        f.write(",\n".join("  " + json.dumps(entry) for entry in listing))
        f.write("\n]}\n")
    print(name, len(listing))
