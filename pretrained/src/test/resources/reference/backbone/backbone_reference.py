"""Reference outputs of torchvision ResNets for ResNetBackboneReferenceTest (run: /usr/bin/python3 backbone_reference.py).

Weights are not stored: every tensor of the state_dict (num_batches_tracked excepted) is filled by a formula of its
position p in the state_dict and the flat index i of each element, which the Java test evaluates the same way:
  base = sin(0.7 i + 1.3 p)
  conv weight (4-d): base * 2 / sqrt(fan_in)       linear weight (2-d): base / sqrt(in)
  norm weight: 0.5 + 0.1 base     bias: 0.1 base     running_mean: 0.1 base     running_var: 1 + 0.5 base^2
Eval mode (BatchNorm = frozen BN), computed in float64 from the float32 weights and input, stored as float32.
"""
import numpy as np
import torch
from torchvision.models import resnet

torch.manual_seed(1234)


def formula(name, shape, p):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    base = np.sin(0.7 * i + 1.3 * p)
    if name.endswith("running_var"):
        v = 1 + 0.5 * base ** 2
    elif name.endswith("running_mean"):
        v = 0.1 * base
    elif len(shape) == 4:
        v = base * 2 / np.sqrt(np.prod(shape[1:]))
    elif len(shape) == 2:
        v = base / np.sqrt(shape[1])
    elif name.endswith("weight"):
        v = 0.5 + 0.1 * base
    else:
        v = 0.1 * base
    return torch.tensor(v.astype(np.float32).reshape(shape))


def load_formula(model):
    sd = model.state_dict()
    p = 0
    for k, v in sd.items():
        if k.endswith("num_batches_tracked"):
            continue
        v.copy_(formula(k, tuple(v.shape), p))
        p += 1
    model.load_state_dict(sd)
    return model.double().eval()


def stages(model, x):
    x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    out = []
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        x = layer(x)
        out.append(x)
    return out


def multi_grid(model, unit_rates):
    # DeepLab v3: block i of the last stage uses the stage's rate times unit_rates[i]
    rate = model.dilation
    for block, unit in zip(model.layer4, unit_rates):
        block.conv2.dilation = (rate * unit, rate * unit)
        block.conv2.padding = (rate * unit, rate * unit)
    return model


def save(path, **arrays):
    np.savez(path, **{k: v.detach().float().numpy() if torch.is_tensor(v) else v for k, v in arrays.items()})


x64 = torch.randn(1, 3, 64, 64)
x32 = torch.randn(1, 3, 32, 32)
with torch.no_grad():
    m = load_formula(resnet.resnet18())
    c = stages(m, x64.double())
    save("ref_resnet18.npz", x=x64, logits=m(x64.double()), c2=c[0], c3=c[1], c4=c[2], c5=c[3])

    m = load_formula(resnet.resnext50_32x4d())
    save("ref_resnext50_32x4d.npz", x=x32, logits=m(x32.double()))

    m = load_formula(resnet.resnet50(replace_stride_with_dilation=[False, True, True]))
    c = stages(m, x32.double())
    save("ref_resnet50_os8.npz", x=x32, c2=c[0], c5=c[3])

    m = multi_grid(load_formula(resnet.resnet50(replace_stride_with_dilation=[False, False, True])), (1, 2, 4))
    c = stages(m, x32.double())
    save("ref_resnet50_os16_mg124.npz", x=x32, c4=c[2], c5=c[3])
print("ok")
