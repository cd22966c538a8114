#!/usr/bin/env python3
"""Writes the committed float64 parity fixtures (torch-parity-v1 with float64 tensors).

A small subset in the layout of the team's float64 sets (PARITY_FORMAT_F64.md): every float tensor
is float64, drawn directly in float64 (full 53-bit doubles), written as Python's repr (the shortest
decimal that reads back as the same double), every output stored in full, and each file carries
"tolerance": {"rtol": 1e-10, "atol": 1e-12}. "f32_miss" is, per output, the largest
|f32 - expected| / (atol + rtol*|expected|) of torch's own float32 run of the same case; the script
refuses a case where no output exceeds 1 (a float32 computation must fail it).

Usage (PyTorch 1.13, CPU, one thread; deterministic, a rerun gives identical files):
    python3 antorcha-parity/src/test/python/make_parity_f64.py antorcha-parity/src/test/resources/parity-f64
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

RTOL, ATOL = 1e-10, 1e-12
torch.set_num_threads(1)


def gen(seed):
    return torch.Generator().manual_seed(seed)


def randn(g, *shape):
    return torch.randn(tuple(shape), generator=g, dtype=torch.float64)


def run_graph(fn, inputs, grads):
    """fn(inputs) -> dict of outputs; grads: output name -> (upstream input name or None, [inputs to differentiate])."""
    leaf = {k: (v.clone().requires_grad_(True) if v.is_floating_point() else v.clone()) for k, v in inputs.items()}
    outs = fn(leaf)
    result = {}
    for name, y in outs.items():
        result[name] = y.detach().clone()
    for name, (g_name, wrt) in grads.items():
        for k in wrt:
            leaf[k].grad = None
        y = fn(leaf)[name]
        y.backward(leaf[g_name].detach() if g_name else None)
        prefix = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        suffix = name.split("_", 1)[1] if name.startswith("loss_") else None
        for k in wrt:
            out_name = prefix + "d" + k + ("_" + suffix if suffix else "")
            result[out_name] = leaf[k].grad.detach().clone()
    return result


def both_precisions(fn, inputs, grads):
    out64 = run_graph(fn, inputs, grads)
    in32 = {k: (v.float() if v.is_floating_point() else v) for k, v in inputs.items()}
    out32 = run_graph(fn, in32, grads)
    miss = {}
    for k, v in out64.items():
        if v.is_floating_point():
            tol = ATOL + RTOL * v.abs()
            miss[k] = float(((out32[k].double() - v).abs() / tol).max()) if v.numel() else 0.0
    return out64, miss


def tensor_json(t):
    t = t.detach().contiguous()
    if t.dtype == torch.int64:
        return {"shape": list(t.shape), "dtype": "int64", "layout": "full", "data": [int(v) for v in t.reshape(-1).tolist()]}
    assert t.dtype == torch.float64, t.dtype
    return {"shape": list(t.shape), "dtype": "float64", "layout": "full", "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(out_dir, case, seed, description, expr, params, inputs, outputs, miss, manifest):
    if not any(m > 1 for m in miss.values()):
        raise SystemExit(f"{case}_s{seed}: no output that a float32 computation misses; refusing to write it")
    doc = {
        "format": "torch-parity-v1", "case": case, "id": f"{case}_s{seed}", "set": "fixture", "seed": seed,
        "torch_version": torch.__version__, "description": description, "expr": expr, "params": params,
        "tolerance": {"rtol": RTOL, "atol": ATOL}, "f32_miss": miss,
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "outputs": {k: tensor_json(v) for k, v in outputs.items()},
    }
    name = f"{case}_s{seed}.json"
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    manifest.append({"file": name, "case": case, "seed": seed, "description": description})


def cases(seed):
    g = gen(seed)
    x, W, b, gy = randn(g, 3, 4), randn(g, 2, 4), randn(g, 2), randn(g, 3, 2)
    yield ("f64_linear", "linear forward+backward in float64", "y = F.linear(x, W, b); y.backward(g)", {},
           {"x": x, "W": W, "b": b, "g": gy},
           lambda i: {"y": F.linear(i["x"], i["W"], i["b"])}, {"y": ("g", ["x", "W", "b"])})
    A, B, gy = randn(g, 2, 2, 3), randn(g, 2, 3, 2), randn(g, 2, 2, 2)
    yield ("f64_matmul_3d", "batched matmul in float64", "y = torch.matmul(A, B); y.backward(g)", {},
           {"A": A, "B": B, "g": gy}, lambda i: {"y": torch.matmul(i["A"], i["B"])}, {"y": ("g", ["A", "B"])})
    x = randn(g, 3, 5)
    x[1, 0], x[1, 1], x[2] = 50.0, -50.0, x[2] + 800.0
    gy = randn(g, 3, 5)
    yield ("f64_log_softmax", "log_softmax in float64 with +-50 and ~800 rows", "y = torch.log_softmax(x, dim=1); y.backward(g)",
           {"dim": 1}, {"x": x, "g": gy}, lambda i: {"y": torch.log_softmax(i["x"], dim=1)}, {"y": ("g", ["x"])})
    logits = randn(g, 4, 5)
    logits[1, 2], logits[1, 3], logits[2] = -80.0, 80.0, logits[2] + 800.0
    target = torch.tensor([0, 2, 4, 1])
    yield ("f64_cross_entropy", "cross_entropy (mean) in float64",
           "loss_mean = F.cross_entropy(logits, target); loss_mean.backward() -> dlogits_mean", {"reduction": "mean"},
           {"logits": logits, "target": target}, lambda i: {"loss_mean": F.cross_entropy(i["logits"], i["target"])},
           {"loss_mean": (None, ["logits"])})
    x, gs, gm = randn(g, 2, 4, 3), randn(g, 2, 3), randn(g)
    yield ("f64_sum_mean", "sum over dim 1 and mean of all, each on its own graph",
           "sum/y = x.sum(dim=1); sum/y.backward(g/sum) -> sum/dx; mean/y = x.mean(); mean/y.backward(g/mean) -> mean/dx",
           {"sum_dim": 1, "keepdim": False}, {"x": x, "g/sum": gs, "g/mean": gm},
           lambda i: {"sum/y": i["x"].sum(dim=1), "mean/y": i["x"].mean()},
           {"sum/y": ("g/sum", ["x"]), "mean/y": ("g/mean", ["x"])})
    x, xp = randn(g, 2, 3) * 3, torch.exp(2 * randn(g, 2, 3))
    ops = {"exp": "x", "log": "xp", "sqrt": "xp", "tanh": "x", "sigmoid": "x"}
    inputs = {"x": x, "xp": xp}
    for op in ops:
        inputs["g/" + op] = randn(g, 2, 3)
    yield ("f64_unary", "exp, log, sqrt, tanh, sigmoid in float64, each on its own graph",
           "; ".join(f"{op}/y = torch.{op}({src}); {op}/y.backward(g/{op}) -> {op}/d{src}" for op, src in ops.items()),
           {"ops": ops}, inputs, lambda i: {f"{op}/y": getattr(torch, op)(i[src]) for op, src in ops.items()},
           {f"{op}/y": ("g/" + op, [src]) for op, src in ops.items()})
    a, bb, gy = randn(g, 3, 1, 2), randn(g, 2, 2).abs() + 0.5, randn(g, 3, 2, 2)
    yield ("f64_broadcast_div", "broadcast division in float64", "y = a / b; y.backward(g)", {},
           {"a": a, "b": bb, "g": gy}, lambda i: {"y": i["a"] / i["b"]}, {"y": ("g", ["a", "b"])})


def classifier(seed, out_dir, manifest):
    """The tutorial network shape (Linear, ReLU, Linear, ReLU, Linear) at a small width, .double(), Adam."""
    torch.manual_seed(seed)
    sizes = [12, 6, 5, 4]
    layers = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(), torch.nn.Linear(sizes[1], sizes[2]),
                                 torch.nn.ReLU(), torch.nn.Linear(sizes[2], sizes[3])).double()
    for m in layers:
        if isinstance(m, torch.nn.Linear):
            m.reset_parameters()
    init = {k: v.detach().clone() for k, v in layers.state_dict().items()}
    g = gen(seed + 100)
    x = torch.rand(4, sizes[0], generator=g, dtype=torch.float64)
    target = torch.tensor([1, 3, 0, 2])

    def run(dtype):
        model = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(), torch.nn.Linear(sizes[1], sizes[2]),
                                    torch.nn.ReLU(), torch.nn.Linear(sizes[2], sizes[3])).to(dtype)
        model.load_state_dict({k: v.to(dtype) for k, v in init.items()})
        xs = x.to(dtype)
        out = {}
        logits = model(xs)
        loss = torch.nn.CrossEntropyLoss()(logits, target)
        loss.backward()
        out["logits"], out["loss"] = logits.detach().clone(), loss.detach().clone()
        for k, p in model.named_parameters():
            out["grad/layers." + k] = p.grad.detach().clone()
        model.load_state_dict({k: v.to(dtype) for k, v in init.items()})
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        losses = []
        for step in range(1, 4):
            output = model(xs)
            model.zero_grad()
            error = torch.nn.CrossEntropyLoss()(output, target)
            error.backward()
            opt.step()
            losses.append(error.detach().clone())
            if step in (1, 3):
                for k, p in model.named_parameters():
                    out[f"adam_step{step}/layers.{k}"] = p.detach().clone()
        out["adam_losses"] = torch.stack(losses)
        return out

    out64, out32 = run(torch.float64), run(torch.float32)
    miss = {k: float(((out32[k].double() - v).abs() / (ATOL + RTOL * v.abs())).max()) for k, v in out64.items()}
    names = [f"layers.{k}" for k in ("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias")]
    inputs = {"init/" + k: init[k.split(".", 1)[1]] for k in names}
    inputs["x"], inputs["target"] = x, target
    params = {"batch": 4, "layer_sizes": sizes, "adam": {"lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0.0},
              "adam_steps": [1, 3], "param_names": names, "init": "torch default nn.Linear init drawn in float64"}
    write(out_dir, "f64_classifier", seed, "the tutorial's network (small width) in float64: loss, gradients, 3 Adam steps",
          "model = Classifier().double(); output = model(x); model.zero_grad(); error = CrossEntropyLoss()(output, target); "
          "error.backward(); optimizer.step()  # 3 steps, same batch", params, inputs, out64, miss, manifest)


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for case, description, expr, params, inputs, fn, grads in cases(0):
        outputs, miss = both_precisions(fn, inputs, grads)
        write(out_dir, case, 0, description, expr, params, inputs, outputs, miss, manifest)
    classifier(0, out_dir, manifest)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"format": "torch-parity-v1", "set": "fixture", "dtype": "float64",
                   "tolerance": {"rtol": RTOL, "atol": ATOL}, "torch_version": torch.__version__, "files": manifest}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
