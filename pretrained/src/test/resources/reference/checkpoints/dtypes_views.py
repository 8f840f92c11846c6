"""Reference for reading checkpoints whose tensors are not contiguous float32.

Saves one state dict three ways next to this file: dtypes_views.pth (torch 1.13's zip format),
dtypes_views_legacy.pth (_use_new_zipfile_serialization=False) and dtypes_views.safetensors (written by hand: 8-byte
little-endian header length, JSON header, raw bytes; contiguous tensors only, as the format requires), plus
dtypes_views_expected.npz with every tensor as the float32 array torch gives (t.float().contiguous()).

Tensors: float16 with the largest normal, subnormals, -0 and +-inf; bfloat16 over a wide range; float64; a transposed
float32 view (strides (1, 4)); a float16 transposed view; a slice at storage offset 3 sharing its storage with
'base'; a stride-2 slice. Run with /usr/bin/python3 (Debian's torch 1.13).
"""
import json
import os
import struct

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(3)
base = torch.randn(10)
half_special = torch.tensor([0.1, -2.5, 65504.0, 6e-8, 1e-5, -0.0, float("inf"), float("-inf")],
                            dtype=torch.float16)
sd = {
    "half": torch.cat([half_special, torch.randn(4).half()]).reshape(3, 4),
    "bf16": (torch.randn(6) * torch.tensor([1e-30, 1e-3, 1.0, 1e3, 1e20, -7.0])).bfloat16(),
    "double": torch.randn(2, 3, dtype=torch.float64),
    "transposed": torch.randn(3, 4).t(),
    "half_transposed": torch.randn(2, 3).half().t(),
    "base": base,
    "offset": base[3:7],
    "every_other": torch.randn(9)[::2],
}
assert not sd["transposed"].is_contiguous() and sd["offset"].storage_offset() == 3
torch.save(sd, os.path.join(here, "dtypes_views.pth"))
torch.save(sd, os.path.join(here, "dtypes_views_legacy.pth"), _use_new_zipfile_serialization=False)
np.savez(os.path.join(here, "dtypes_views_expected.npz"),
         **{k: v.float().contiguous().numpy() for k, v in sd.items()})

# safetensors: the dense tensors in little-endian bytes (bfloat16 as the top half of float32's bits)
names = {torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.float32: "F32"}
header, blobs, offset = {}, [], 0
for k, v in sd.items():
    v = v.contiguous()
    if v.dtype == torch.bfloat16:
        raw = (v.float().numpy().view(np.uint32) >> 16).astype("<u2").tobytes()
    else:
        raw = v.numpy().astype(v.numpy().dtype.newbyteorder("<")).tobytes()
    header[k] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
text = json.dumps(header).encode()
with open(os.path.join(here, "dtypes_views.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print({k: (str(v.dtype), tuple(v.shape), v.stride(), v.storage_offset()) for k, v in sd.items()})
