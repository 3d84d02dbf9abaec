#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The peer for bench-score: VBench's temporal flickering with OpenCV decoding and numpy.
# Prints one line: "seconds=S score=X frames=N" (time from opening the file to the score).
import sys
import time

import cv2
import numpy as np


def temporal_flickering(path):
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        raise SystemExit("bench-score-peer: cannot open " + path)
    means = []
    previous = None
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        current = frame.astype(np.float32)
        if previous is not None:
            # VBench: np.mean of the float32 absolute difference over all H*W*3 values.
            means.append(np.mean(np.abs(previous - current)))
        previous = current
    capture.release()
    if not means:
        raise SystemExit("bench-score-peer: fewer than two frames in " + path)
    return (255.0 - np.mean(np.array(means)).item()) / 255.0, len(means) + 1


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: bench-score-peer.py VIDEO")
    start = time.perf_counter()
    score, frames = temporal_flickering(sys.argv[1])
    seconds = time.perf_counter() - start
    print("seconds=%.6f score=%.17g frames=%d" % (seconds, score, frames))


if __name__ == "__main__":
    main()
