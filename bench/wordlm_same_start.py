# PyTorch's side of bench/wordlm-same-start.sh: the word language model of reference/word_lm.py
# (imported from there, so the same recipe) without dropout, started from the weights in a
# safetensors file (written first if it does not exist, from torch.manual_seed(1111)), trained one
# epoch. Prints the loss and clipped gradient norm of the first chunks and the test perplexity.
#
# Usage: /usr/bin/python3 wordlm_same_start.py WORD_LM_PY CORPUS INIT.safetensors [--float64] [--perturb K] [--chunks N]
#   --float64     the model and the hidden state in float64 (the initial weights converted)
#   --perturb K   adds K·1e-6 to decoder.weight[0, 0] before training
#   --chunks N    stops after N chunks (no perplexity)
import importlib.util
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def save(sd, path):
    header, blobs, offset = {}, [], 0
    for k, v in sd.items():
        b = v.detach().contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(path + ".tmp", path)


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    return {k: torch.from_numpy(np.frombuffer(raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]],
                                              dtype="<f4").copy()).view(v["shape"]) for k, v in header.items()}


def main():
    spec = importlib.util.spec_from_file_location("word_lm", sys.argv[1])
    w = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(w)
    corpus, init = sys.argv[2], sys.argv[3]
    vocab = {}
    train, valid, test = (w.tokenize(os.path.join(corpus, f + ".txt"), vocab) for f in ("train", "valid", "test"))
    train, test = w.batchify(train, 20), w.batchify(test, 10)
    torch.manual_seed(1111)
    model = w.RNNModel("LSTM", len(vocab), dropout=0.0)
    if not os.path.exists(init):
        save(model.state_dict(), init)
    model.load_state_dict(load(init), strict=True)
    if "--float64" in sys.argv:
        model.double()
        torch.set_default_dtype(torch.float64)   # the hidden state init_hidden makes
    with torch.no_grad():
        model.decoder.weight[0, 0] += float(option("--perturb", "0")) * 1e-6
    chunks, lr, bptt = int(option("--chunks", "0")), 20.0, 35
    model.train()
    hidden = model.init_hidden(20)
    for k, i in enumerate(range(0, train.size(0) - 1, bptt)):
        n = min(bptt, train.size(0) - 1 - i)
        hidden = w.detach(hidden)
        model.zero_grad()
        out, hidden = model(train[i:i + n], hidden)
        loss = F.nll_loss(out.view(-1, len(vocab)), train[i + 1:i + 1 + n].reshape(-1))
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        if k < 8:
            print(f"chunk {k + 1}: loss {loss.item():.12f}, gradient norm {float(norm):.10f}", flush=True)
        if k + 1 == chunks:
            return
    print(f"test ppl: {math.exp(w.evaluate(model, test)):.2f}")


if __name__ == "__main__":
    main()
