#!/usr/bin/env python3
"""PyTorch's float64 losses of the tutorial's network on one fixed batch (the fixture of ClassifierFloat64Test).

The tutorial's Classifier (784 -> 100 -> 50 -> 10, ReLU), converted with .double(), its parameters set
to exactly representable values that Java computes identically (no stored weights needed):
    element i of a parameter = ((i * 7919 + k * 104729) % 2001 - 1000) / 20000.0
with k the parameter's index in state-dict order (a correctly rounded division in both languages).
The batch: the first 16 digits of the committed MNIST sample's test set (testdata/mnist-small),
pixels / 255.0 in float64, and their labels. Then the tutorial's loop on that batch, 12 times:
    output = model(x); model.zero_grad(); error = CrossEntropyLoss()(output, target); error.backward(); optimizer.step()
with Adam(lr=0.001), writing every iteration's loss (Python's repr: the exact double).

Usage (PyTorch 1.13, CPU, one thread), from the repository root:
    python3 antorcha-cli/src/test/resources/tutorial-f64/make_tutorial_f64.py testdata/mnist-small \
        > antorcha-cli/src/test/resources/tutorial-f64/losses.json
"""
import gzip
import json
import os
import struct
import sys

import torch

BATCH, STEPS = 16, 12
torch.set_num_threads(1)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.tensor(list(data[16:16 + BATCH * rows * cols]), dtype=torch.float64).reshape(BATCH, rows * cols)
    return torch.tensor(list(data[8:8 + BATCH]), dtype=torch.int64)


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    x = idx(os.path.join(argv[1], "t10k-images-idx3-ubyte.gz")) / 255.0
    target = idx(os.path.join(argv[1], "t10k-labels-idx1-ubyte.gz"))
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 50), torch.nn.ReLU(),
                                torch.nn.Linear(50, 10)).double()
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            i = torch.arange(p.numel(), dtype=torch.int64)
            p.copy_((((i * 7919 + k * 104729) % 2001 - 1000).double() / 20000.0).reshape(p.shape))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss = torch.nn.CrossEntropyLoss()
    losses = []
    for _ in range(STEPS):
        output = model(x)
        model.zero_grad()
        error = loss(output, target)
        error.backward()
        optimizer.step()
        losses.append(error.item())
    json.dump({"torch_version": torch.__version__, "batch": BATCH, "images": "t10k[0:16] of testdata/mnist-small, / 255.0",
               "init": "((i * 7919 + k * 104729) % 2001 - 1000) / 20000.0", "optimizer": "Adam(lr=0.001)",
               "losses": losses}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
