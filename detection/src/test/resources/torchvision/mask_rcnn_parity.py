"""Side-by-side check of the Java Mask R-CNN against torchvision 0.14 (used by MaskRcnnTorchvisionParityTest).

Reads DIR/manifest.json + raw little-endian float32 files written by the Java test (the model's parameters under
torchvision names, the input batch and the targets), builds the same model with torchvision's classes, loads the
parameters, runs the RPN and RoI heads in training mode (losses) and in eval mode (proposals, detections, masks) and
writes DIR/torchvision.json.
"""
import json
import os
import sys

import numpy as np
import torch
from torchvision.models import resnet
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.faster_rcnn import FastRCNNConvFCHead, FastRCNNPredictor
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.mask_rcnn import MaskRCNN, MaskRCNNHeads, MaskRCNNPredictor
from torchvision.models.detection.rpn import RPNHead
from torchvision.ops import FrozenBatchNorm2d
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool


def load(d, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(d, name), dtype="<f4").reshape(shape).copy())


def main(d):
    m = json.load(open(os.path.join(d, "manifest.json")))
    c = m["config"]
    k1 = c["numClasses"] + 1
    ch, hc, rep, mc = c["fpnChannels"], c["headChannels"], c["representationSize"], c["maskChannels"]
    if c["norm"] == "gn":
        # wsbcn's automatic group count: min(32, C / 4); torch GroupNorm's eps is 1e-5 like ours
        def norm_layer(ch):
            return torch.nn.GroupNorm(min(32, ch // 4), ch)
        head_norm = norm_layer
    else:
        norm_layer = FrozenBatchNorm2d
        head_norm = None
    body = getattr(resnet, c["arch"])(norm_layer=norm_layer)
    layers = {"layer1": "0", "layer2": "1", "layer3": "2", "layer4": "3"}
    backbone = BackboneWithFPN(body, layers, m["featureChannels"], ch, extra_blocks=LastLevelMaxPool(),
                               norm_layer=head_norm)
    anchors = AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)
    model = MaskRCNN(
        backbone, num_classes=None, rpn_anchor_generator=anchors, rpn_head=RPNHead(ch, 3),
        box_head=FastRCNNConvFCHead((ch, 7, 7), [hc] * c["headConvs"], [rep], norm_layer=head_norm),
        box_predictor=FastRCNNPredictor(rep, k1),
        mask_head=MaskRCNNHeads(ch, [mc] * c["maskConvs"], 1, norm_layer=head_norm), mask_predictor=MaskRCNNPredictor(mc, mc, k1),
        rpn_pre_nms_top_n_train=c["rpnPreNmsTopNTrain"], rpn_post_nms_top_n_train=c["rpnPostNmsTopNTrain"],
        rpn_pre_nms_top_n_test=c["rpnPreNmsTopNTest"], rpn_post_nms_top_n_test=c["rpnPostNmsTopNTest"],
        rpn_batch_size_per_image=c["rpnBatchSizePerImage"], rpn_positive_fraction=c["rpnPositiveFraction"],
        box_batch_size_per_image=c["boxBatchSizePerImage"], box_positive_fraction=c["boxPositiveFraction"])
    state = {name: load(d, f, shape) for name, (f, shape) in m["parameters"].items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    out = {"missing": list(missing), "unexpected": list(unexpected)}

    img = load(d, "image.bin", m["imageShape"])
    h, w = m["imageSize"]
    images = ImageList(img, [(h, w)])
    t = m["targets"]
    masks = load(d, "masks.bin", [len(t["labels"]), h, w]).to(torch.uint8)
    targets = [{"boxes": torch.tensor(t["boxes"], dtype=torch.float32).reshape(-1, 4),
                "labels": torch.tensor(t["labels"], dtype=torch.int64), "masks": masks}]
    with torch.no_grad():
        model.train()
        feats = model.backbone(img)
        out["features"] = [float(v.double().abs().sum()) for v in feats.values()]
        props, rpn_losses = model.rpn(images, feats, targets)
        out["trainProposals"] = props[0].flatten().tolist()
        # The RoI heads get the Java proposals: a box whose IoU with a kept one is within float rounding of the NMS
        # threshold may be kept by one side only; the RPN proposals are compared separately, with that allowance.
        java_train = load(d, "train_proposals.bin", [-1, 4])
        _, roi_losses = model.roi_heads(feats, [java_train], images.image_sizes, targets)
        out["losses"] = {k: float(v) for k, v in {**rpn_losses, **roi_losses}.items()}
        model.eval()
        props, _ = model.rpn(images, feats)
        java_eval = load(d, "eval_proposals.bin", [-1, 4])
        dets, _ = model.roi_heads(feats, [java_eval], images.image_sizes)
        out["proposals"] = props[0].flatten().tolist()
        out["boxes"] = dets[0]["boxes"].flatten().tolist()
        out["scores"] = dets[0]["scores"].tolist()
        out["labels"] = dets[0]["labels"].tolist()
        out["maskProbs"] = dets[0]["masks"].flatten().tolist()
    json.dump(out, open(os.path.join(d, "torchvision.json"), "w"))


if __name__ == "__main__":
    main(sys.argv[1])
