# PyTorch's side of antorcha-bench's LstmBenchmark: one forward and backward of the word language
# model's LSTM (pytorch/examples word_language_model defaults: nn.LSTM(200, 200, num_layers=2),
# bptt 35, batch 20) on random input from a zero state, the gradient of sum(output * g) for a fixed
# random g, as the benchmark does. One thread, as the other comparisons; prints the median and
# the spread over the timed repetitions, in wall time and in the thread's CPU time (on a machine
# shared with other jobs the CPU time is the steadier of the two).
#
# Usage: /usr/bin/python3 bench/pytorch_lstm.py [REPS]
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(42)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 50
bptt, batch, ninp, nhid, nlayers = 35, 20, 200, 200, 2
lstm = nn.LSTM(ninp, nhid, nlayers)
x = torch.randn(bptt, batch, ninp, requires_grad=True)
g = torch.randn(bptt, batch, nhid)


def step():
    lstm.zero_grad()
    x.grad = None
    out, _ = lstm(x)
    out.backward(g)


for _ in range(10):
    step()
times, cpu = [], []
for _ in range(reps):
    t0, c0 = time.perf_counter(), time.thread_time()
    step()
    times.append((time.perf_counter() - t0) * 1000)
    cpu.append((time.thread_time() - c0) * 1000)
q, qc = statistics.quantiles(times, n=4), statistics.quantiles(cpu, n=4)
print(f"torch {torch.__version__}, 1 thread: LSTM({ninp}, {nhid}, num_layers={nlayers}) bptt {bptt} batch {batch} "
      f"forward+backward: median {statistics.median(times):.2f} ms wall (quartiles {q[0]:.2f} .. {q[2]:.2f}), "
      f"{statistics.median(cpu):.2f} ms CPU (quartiles {qc[0]:.2f} .. {qc[2]:.2f}), {reps} reps")
