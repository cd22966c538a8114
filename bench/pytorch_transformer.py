# PyTorch's side of antorcha-bench's TransformerEncoderBenchmark and LayerNormBenchmark: one forward
# and backward, the gradient of sum(out * g) for a fixed random g, as the benchmarks do.
#  - encoder: nn.TransformerEncoder(nn.TransformerEncoderLayer(256, 8, dim_feedforward=1024,
#    dropout=0), 2) on src [S 64, N 16, 256], in train mode with gradients (so the same path as
#    Antorcha's, not the inference fast path);
#  - layer_norm: nn.LayerNorm at [700, 200] and [64*128, 512].
# One thread, as the other comparisons; prints the median and the spread over the timed
# repetitions, in wall time and in the thread's CPU time (on a machine shared with other jobs the
# CPU time is the steadier of the two).
#
# Usage: /usr/bin/python3 bench/pytorch_transformer.py [REPS]
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(42)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 50


def timed(name, module, x, g, unit_ms=True):
    def step():
        module.zero_grad()
        x.grad = None
        module(x).backward(g)

    for _ in range(10):
        step()
    times, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.thread_time()
        step()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    scale, unit = (1, "ms") if unit_ms else (1000, "us")
    q, qc = statistics.quantiles(times, n=4), statistics.quantiles(cpu, n=4)
    print(f"torch {torch.__version__}, 1 thread: {name} forward+backward: "
          f"median {statistics.median(times) * scale:.2f} {unit} wall (quartiles {q[0] * scale:.2f} .. {q[2] * scale:.2f}), "
          f"{statistics.median(cpu) * scale:.2f} {unit} CPU (quartiles {qc[0] * scale:.2f} .. {qc[2] * scale:.2f}), {reps} reps")


layer = nn.TransformerEncoderLayer(256, 8, dim_feedforward=1024, dropout=0.0)
encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
encoder.train()
src = torch.randn(64, 16, 256, requires_grad=True)
timed("TransformerEncoder(TransformerEncoderLayer(256, 8, 1024, dropout 0), 2) src [64, 16, 256]",
      encoder, src, torch.randn(64, 16, 256))

for rows, features in ((700, 200), (64 * 128, 512)):
    norm = nn.LayerNorm(features)
    x = torch.randn(rows, features, requires_grad=True)
    timed(f"LayerNorm({features}) x [{rows}, {features}]", norm, x, torch.randn(rows, features), unit_ms=False)
