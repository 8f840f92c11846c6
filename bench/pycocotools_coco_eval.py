#!/usr/bin/env python3
"""Times pycocotools' COCOeval on the files written by `wsbcn bench coco-eval --write DIR`, for the README comparison.

Needs numpy and pycocotools importable (not a dependency of wsbcn; the tests never use it):
    python3 bench/pycocotools_coco_eval.py --gt DIR/instances.json --dt DIR/results.json --iou-type bbox \
        [--java-json OUT.json]
With --java-json (the file written by `wsbcn eval coco --json OUT.json` on the same files) it also checks that the
12 numbers are identical. Times are wall-clock seconds of COCO()/loadRes (load), evaluate(), accumulate().
"""
import argparse
import contextlib
import io
import json
import sys
import time

import numpy as np

if not hasattr(np, 'float'):  # pycocotools < 2.0.5 uses np.float, removed in numpy 1.24
    np.float = float

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

NAMES = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gt', required=True)
    ap.add_argument('--dt', required=True)
    ap.add_argument('--iou-type', default='bbox', choices=['bbox', 'segm'])
    ap.add_argument('--java-json', help='stats written by wsbcn eval coco --json, to compare with')
    args = ap.parse_args()

    quiet = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(quiet):
        gt = COCO(args.gt)
        dt = gt.loadRes(args.dt)
    t1 = time.perf_counter()
    E = COCOeval(gt, dt, args.iou_type)
    with contextlib.redirect_stdout(quiet):
        E.evaluate()
    t2 = time.perf_counter()
    with contextlib.redirect_stdout(quiet):
        E.accumulate()
    t3 = time.perf_counter()
    E.summarize()
    print(f'pycocotools {args.iou_type}: load {t1 - t0:.2f} s, evaluate {t2 - t1:.2f} s, '
          f'accumulate {t3 - t2:.2f} s, evaluate+accumulate {t3 - t1:.2f} s')
    if args.java_json:
        java = json.load(open(args.java_json))
        diff = [(n, float(s), java[n]) for n, s in zip(NAMES, E.stats) if float(s) != java[n]]
        if diff:
            print('MISMATCH (name, pycocotools, wsbcn):', diff)
            sys.exit(1)
        print('all 12 numbers identical to', args.java_json)


if __name__ == '__main__':
    main()
