# One epoch of the tutorial's data pipeline in PyTorch, for comparison with Antorcha's
# DataLoaderBenchmark: torchvision MNIST with Compose([ToTensor()]), DataLoader(batch_size=128),
# iterated without training. Prints the median of RUNS epochs in milliseconds.
#
# Usage: /usr/bin/python3 bench/pytorch_dataloader.py ROOT [RUNS]
#   ROOT holds MNIST/raw/*-ubyte (decompressed), e.g. as laid out by ../shared/reference/prepare_data.sh
import statistics
import sys
import time

import torch
import torchvision

root = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
T = torchvision.transforms.Compose([torchvision.transforms.ToTensor()])
images = torchvision.datasets.MNIST(root, transform=T, download=False)
loader = torch.utils.data.DataLoader(images, batch_size=128)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    n = 0
    for x, y in loader:
        n += x.shape[0]
    times.append((time.perf_counter() - t0) * 1000)
print(f"torch {torch.__version__}, {n} images per epoch, epochs: " + ", ".join(f"{t:.0f}" for t in times)
      + f" ms; median {statistics.median(times):.0f} ms")
