# The tutorial's network at any size and batch, trained on MNIST preloaded as one float32 tensor
# (x / 255, what ToTensor gives), so that only the computation is measured: PyTorch's side of
# bench/scale-curve.sh. Three Linear layers with ReLU, cross-entropy, Adam(lr=0.001), batches in
# order, then the test accuracy.
#
# Usage: /usr/bin/python3 bench/pytorch_mlp.py ROOT H1,H2 EPOCHS BATCH
#   ROOT holds MNIST/raw/*-ubyte (uncompressed IDX files, torchvision's layout).
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


root, hidden, epochs, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
h1, h2 = (int(v) for v in hidden.split(","))
raw = os.path.join(root, "MNIST", "raw")
x = torch.from_numpy(read_idx(os.path.join(raw, "train-images-idx3-ubyte")).copy()).reshape(-1, 784).float().div(255)
y = torch.from_numpy(read_idx(os.path.join(raw, "train-labels-idx1-ubyte")).astype(np.int64))
xt = torch.from_numpy(read_idx(os.path.join(raw, "t10k-images-idx3-ubyte")).copy()).reshape(-1, 784).float().div(255)
yt = torch.from_numpy(read_idx(os.path.join(raw, "t10k-labels-idx1-ubyte")).astype(np.int64))
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, h1), nn.ReLU(), nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 10))
loss = nn.CrossEntropyLoss()
opt = optim.Adam(model.parameters(), lr=0.001)
t0 = time.perf_counter()
for epoch in range(epochs):
    for start in range(0, x.shape[0], batch):
        out = model(x[start:start + batch])
        model.zero_grad()
        err = loss(out, y[start:start + batch])
        err.backward()
        opt.step()
train = time.perf_counter() - t0
with torch.no_grad():
    acc = 100.0 * int((model(xt).argmax(1) == yt).sum()) / yt.numel()
print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s): train {train:.2f} s")
print(f"test accuracy: {acc:.2f}%")
