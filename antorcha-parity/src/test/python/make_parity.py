#!/usr/bin/env python3
"""Writes PyTorch reference cases in the torch-parity-v1 format (see ../resources/parity/README.md).

Each case draws small inputs from torch.manual_seed(seed), runs one op, network step or optimizer
in float32 and, on the same (float32-exact) inputs widened to float64, again in float64; the
float32 outputs are written with f32_err[name] = max |float32 - float64| as the tolerance hint.
Everything runs single-threaded on the CPU, so the output is deterministic: the same PyTorch
gives byte-identical files.

Usage (with PyTorch installed, e.g. Debian's python3-torch 1.13):

  make_parity.py OUT_DIR                 # the full public set: seeds 0, 1, 2 (classifier 0, 1)
  make_parity.py OUT_DIR --fixtures      # the small subset committed with antorcha-parity's tests
  make_parity.py --check DIR [DIR ...]   # recompute every case of DIR from its own inputs and
                                         # compare with its outputs and f32_err, bit for bit

The Java tests never run this script; they read what it wrote.
"""
import os

# One thread everywhere (set before torch loads its BLAS and OpenMP): blocked summation orders
# depend on the thread count, and the files must not.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)

FORMAT = "torch-parity-v1"
SET = "public"
FULL_MAX = 2048          # outputs with more elements are written as a strided sample plus stats
X_SCALE = 2.0 ** -8      # classifier input batch: k / 256, k in [0, 256]
W_SCALE = 2.0 ** -12     # classifier initial parameters: rounded to multiples of 2^-12


# ------------------------------------------------------------------ inputs

def randn(*shape):
    return torch.randn(shape, dtype=torch.float32)


def extreme_rows(rows, cols, scale, zeros=True, minus100=True):
    """randn * scale with exact zeros (0.0 and -0.0: relu'(0) = 0), +-80, and rows near +100 (a naive
    exp overflows float32) and -100 (a naive exp underflows)."""
    x = randn(rows, cols) * scale
    if zeros:
        x[0, 0] = 0.0
        x[0, 1] = -0.0
    x[1, 0] = 80.0
    x[1, 1] = -80.0
    x[2] = 100.0 + randn(cols)
    if minus100:
        x[3] = -100.0 + randn(cols)
    return x


def optim_inputs(seed):
    """p0 [3, 4] and 5 gradients with a 0, a 1000, a 1e-9 and one element that is 0 at every step."""
    p0 = randn(3, 4)
    grads = randn(5, 3, 4)
    grads[:, 2, 3] = 0.0
    grads[1, 0, 0] = 0.0
    grads[2, 0, 1] = 1000.0
    grads[3, 0, 2] = 1e-9
    return {"p0": p0, "grads": grads}


# ------------------------------------------------------------------ computing

def with_grad(inputs, names, fn):
    """y = fn(*inputs but g); y.backward(g) with requires_grad on `names`; returns y and d<name>."""
    leaves = {k: (v.clone().requires_grad_(True) if k in names else v) for k, v in inputs.items() if k != "g"}
    y = fn(*leaves.values())   # in the order the inputs were drawn
    y.backward(inputs["g"])
    out = {"y": y.detach()}
    for k in names:
        out["d" + k] = leaves[k].grad
    return out


def single(names, fn):
    return lambda inputs, params: with_grad(inputs, names, fn)


def cross_entropy(inputs, params):
    out = {}
    for reduction in ("mean", "sum"):
        logits = inputs["logits"].clone().requires_grad_(True)
        loss = F.cross_entropy(logits, inputs["target"], reduction=reduction)
        loss.backward()
        out["loss_" + reduction] = loss.detach()
        out["dlogits_" + reduction] = logits.grad
    return out


def optimizer(make):
    """Step k sets p.grad = grads[k] and steps; p and the state after each step, stacked. `make(params, P)`
    builds the optimizer from the case's params P, so --check also follows a file's own settings."""
    def run(inputs, params):
        p = inputs["p0"].clone().requires_grad_(True)
        opt = make([p], params)
        series = {}
        for k in range(inputs["grads"].shape[0]):
            p.grad = inputs["grads"][k].clone()
            opt.step()
            series.setdefault("params", []).append(p.detach().clone())
            for name in ("exp_avg", "exp_avg_sq", "momentum_buffer"):
                if name in opt.state[p]:
                    series.setdefault(name, []).append(opt.state[p][name].clone())
        return {k: torch.stack(v) for k, v in series.items()}
    return run


class Classifier(nn.Module):
    """The tutorial's model; its state-dict names (layers.0.weight, ...) are the files' names."""

    def __init__(self, sizes):
        super().__init__()
        i, h1, h2, o = sizes
        self.layers = nn.Sequential(nn.Linear(i, h1), nn.ReLU(), nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, o))

    def forward(self, x):
        return self.layers(x)


def classifier_inputs(seed, sizes, batch):
    model = Classifier(sizes)   # drawn first, from the case's seed
    inputs = {}
    for name, p in model.state_dict().items():
        inputs["init/" + name] = torch.round(p / W_SCALE) * W_SCALE
    inputs["x"] = torch.randint(0, 257, (batch, sizes[0])).to(torch.float32) * X_SCALE
    inputs["target"] = torch.randint(0, sizes[3], (batch,))
    return inputs


def classifier(inputs, params):
    names = params["param_names"]
    init = {n: inputs["init/" + n] for n in names}
    dtype = init[names[0]].dtype
    sizes = (init["layers.0.weight"].shape[1], init["layers.0.weight"].shape[0],
             init["layers.2.weight"].shape[0], init["layers.4.weight"].shape[0])
    x, target = inputs["x"], inputs["target"]

    def fresh():
        m = Classifier(sizes).to(dtype)
        m.load_state_dict(init)
        return m

    out = {}
    model = fresh()
    h1 = torch.relu(model.layers[0](x))
    h2 = torch.relu(model.layers[2](h1))
    logits = model.layers[4](h2)
    loss = nn.CrossEntropyLoss()(logits, target)
    loss.backward()
    out.update(h1=h1.detach(), h2=h2.detach(), logits=logits.detach(), loss=loss.detach())
    for n, p in model.named_parameters():
        out["grad/" + n] = p.grad.clone()

    a, s = params["adam"], params["sgd"]
    runs = (("adam", lambda ps: torch.optim.Adam(ps, lr=a["lr"], betas=tuple(a["betas"]), eps=a["eps"]), (1, 2, 5)),
            ("sgd", lambda ps: torch.optim.SGD(ps, lr=s["lr"], momentum=s["momentum"]), (5,)))
    for name, make, snapshots in runs:
        model = fresh()
        opt = make(model.parameters())
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        for step in range(1, 6):   # the tutorial's order, the same batch every step
            output = model(x)
            model.zero_grad()
            error = loss_fn(output, target)
            error.backward()
            opt.step()
            losses.append(error.detach())
            if step in snapshots:
                for n, p in model.named_parameters():
                    out["%s_step%d/%s" % (name, step, n)] = p.detach().clone()
        out[name + "_losses"] = torch.stack(losses)
    return out


# ------------------------------------------------------------------ the cases

class Case:
    def __init__(self, name, description, expr, inputs, compute, params=None, int_scaled=()):
        self.name, self.description, self.expr = name, description, expr
        self.inputs, self.compute, self.params = inputs, compute, params or {}
        self.int_scaled = dict(int_scaled)   # input name -> scale (exact multiples, written as ints)


EXTREMES = "forward+backward on random inputs with rows at +-80 / +-100 and exact zeros"


def soft(name, fn_text, fn, dim):
    return Case(name, "%s %s" % (name, EXTREMES), "y = %s; y.backward(g)" % fn_text,
                lambda s: {"x": extreme_rows(5, 10, 3.0), "g": randn(5, 10)}, single(["x"], fn),
                {"dim": dim})


def reduction(name, expr, fn, gshape):
    return Case(name, "reduction %s forward+backward on a 3-D tensor" % name, "y = %s; y.backward(g)" % expr,
                lambda s: {"x": randn(2, 3, 4), "g": randn(*gshape)}, single(["x"], fn))


def broadcast(op, sym, fn):
    def inputs(seed):
        a, b = randn(4, 1, 3), randn(2, 3)
        if op == "div":
            b = b.abs() + 0.5   # away from 0
        return {"a": a, "b": b, "g": randn(4, 2, 3)}
    return Case("broadcast_" + op, "broadcasting %s: (4, 1, 3) %s (2, 3) -> (4, 2, 3); grads are reduced back to the "
                "input shapes" % (op, sym), "y = a %s b; y.backward(g)" % sym, inputs, single(["a", "b"], fn))


OPTIM_DESC = ("optimizer state math (%s): one parameter tensor p, 5 prescribed gradients grads[k]; "
              "for k: p.grad = grads[k]; opt.step(); record p and state")
ADAM = {"lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-08}


def adam(cls):
    return lambda ps, P: cls(ps, lr=P["lr"], betas=tuple(P["betas"]), eps=P["eps"], weight_decay=P["weight_decay"])


def optim(name, expr, make, params):
    return Case("optim_" + name, OPTIM_DESC % name, expr, optim_inputs, optimizer(make), params)


def classifier_case(sizes, batch):
    i, h1, h2, o = sizes
    return Case(
        "classifier",
        "tutorial Classifier (%d-%d-ReLU-%d-ReLU-%d) on a fixed batch of %d: logits, hidden activations, "
        "CrossEntropyLoss(mean), parameter grads; params after 1, 2, 5 Adam(lr=1e-3) steps and after 5 "
        "SGD(lr=0.1, momentum=0.9) steps on the same batch" % (i, h1, h2, o, batch),
        "model.load(init/*); output = model(x); model.zero_grad(); error = CrossEntropyLoss()(output, target); "
        "error.backward(); optimizer.step()  # repeated, same batch each step",
        lambda s: classifier_inputs(s, sizes, batch), classifier,
        {"batch": batch, "adam": dict(ADAM), "sgd": {"lr": 0.1, "momentum": 0.9},
         "param_names": ["layers.%d.%s" % (l, k) for l in (0, 2, 4) for k in ("weight", "bias")]},
        int_scaled=[("x", X_SCALE)] + [("init/layers.%d.%s" % (l, k), W_SCALE) for l in (0, 2, 4)
                                       for k in ("weight", "bias")])


def cases(classifier_sizes=(784, 100, 50, 10), classifier_batch=8):
    return [
        Case("linear", "Linear forward+backward: y = x @ W^T + b; upstream grad g",
             "y = torch.nn.functional.linear(x, W, b); y.backward(g)",
             lambda s: {"x": randn(4, 5), "W": randn(3, 5) * 0.5, "b": randn(3), "g": randn(4, 3)},
             single(["x", "W", "b"], F.linear)),
        soft("relu", "torch.relu(x)", torch.relu, None),
        soft("log_softmax", "torch.log_softmax(x, dim=1)", lambda x: torch.log_softmax(x, dim=1), 1),
        soft("softmax", "torch.softmax(x, dim=1)", lambda x: torch.softmax(x, dim=1), 1),
        soft("softmax_dim0", "torch.softmax(x, dim=0)", lambda x: torch.softmax(x, dim=0), 0),
        Case("cross_entropy", "CrossEntropyLoss with int64 class targets, reduction mean and sum; dlogits from "
             "loss.backward() (upstream grad 1)",
             "loss_mean = F.cross_entropy(logits, target); loss_mean.backward() -> dlogits_mean; "
             "loss_sum = F.cross_entropy(logits, target, reduction='sum'); loss_sum.backward() -> dlogits_sum",
             ce_inputs, cross_entropy),
        Case("matmul_3d_2d", "batched 3-D @ 2-D matmul (broadcast over batch) forward+backward",
             "y = torch.matmul(A, B); y.backward(g)",
             lambda s: {"A": randn(2, 3, 4), "B": randn(4, 5), "g": randn(2, 3, 5)}, single(["A", "B"], torch.matmul)),
        Case("matmul_3d_3d", "batched 3-D @ 3-D matmul (bmm) forward+backward",
             "y = torch.matmul(A, B); y.backward(g)",
             lambda s: {"A": randn(2, 3, 4), "B": randn(2, 4, 5), "g": randn(2, 3, 5)}, single(["A", "B"], torch.matmul)),
        reduction("sum_dim1_keepdim", "x.sum(dim=1, keepdim=True)", lambda x: x.sum(dim=1, keepdim=True), (2, 1, 4)),
        reduction("mean_dims02", "x.mean(dim=(0, 2))", lambda x: x.mean(dim=(0, 2)), (3,)),
        reduction("mean_lastdim_keepdim", "x.mean(dim=-1, keepdim=True)", lambda x: x.mean(dim=-1, keepdim=True),
                  (2, 3, 1)),
        reduction("sum_all", "x.sum()", lambda x: x.sum(), ()),
        reduction("mean_all", "x.mean()", lambda x: x.mean(), ()),
        Case("view_transpose", "view -> transpose -> reshape (copy of a non-contiguous tensor) then backward",
             "y = x.view(6, 4).transpose(0, 1).reshape(2, 12); y.backward(g)",
             lambda s: {"x": randn(2, 3, 4), "g": randn(2, 12)},
             single(["x"], lambda x: x.view(6, 4).transpose(0, 1).reshape(2, 12))),
        Case("permute", "permute(2, 0, 1) then backward", "y = x.permute(2, 0, 1); y.backward(g)",
             lambda s: {"x": randn(2, 3, 4), "g": randn(4, 2, 3)}, single(["x"], lambda x: x.permute(2, 0, 1))),
        broadcast("add", "+", lambda a, b: a + b),
        broadcast("mul", "*", lambda a, b: a * b),
        broadcast("sub", "-", lambda a, b: a - b),
        broadcast("div", "/", lambda a, b: a / b),
        optim("adam_default", "torch.optim.Adam([p], lr=1e-3)  # betas=(0.9, 0.999), eps=1e-8",
              adam(torch.optim.Adam), dict(ADAM, weight_decay=0.0)),
        optim("adam_wd", "torch.optim.Adam([p], lr=1e-3, weight_decay=0.01)  # L2 added to grad (not AdamW)",
              adam(torch.optim.Adam), dict(ADAM, weight_decay=0.01)),
        optim("adamw_wd", "torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01)  # decoupled: p *= 1 - lr*wd first",
              adam(torch.optim.AdamW), dict(ADAM, weight_decay=0.01)),
        optim("sgd_momentum", "torch.optim.SGD([p], lr=0.1, momentum=0.9)  # (extra) buf = g at step 1, then "
              "buf = 0.9*buf + g",
              lambda ps, P: torch.optim.SGD(ps, lr=P["lr"], momentum=P["momentum"], dampening=P["dampening"],
                                            nesterov=P["nesterov"], weight_decay=P["weight_decay"]),
              {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0}),
        classifier_case(classifier_sizes, classifier_batch),
    ]


def ce_inputs(seed):
    logits = extreme_rows(6, 10, 2.0, zeros=False, minus100=False)
    target = torch.randint(0, 10, (6,))
    target[1] = 1   # the class whose logit is -80: loss ~ 160
    return {"logits": logits, "target": target}


# ------------------------------------------------------------------ running a case

def widen(inputs):
    return {k: (v.to(torch.float64) if v.is_floating_point() else v) for k, v in inputs.items()}


def evaluate(case, inputs, params):
    """The float32 outputs and f32_err = max |float32 - float64| per float output."""
    out32 = case.compute(inputs, params)
    out64 = case.compute(widen(inputs), params)
    err = {}
    for k, v in out32.items():
        if v.is_floating_point():
            err[k] = float((v.to(torch.float64) - out64[k]).abs().max()) if v.numel() else 0.0
    return out32, err


def make(case, seed, max_samples):
    torch.manual_seed(seed)
    inputs = case.inputs(seed)
    outputs, err = evaluate(case, inputs, case.params)
    return {
        "format": FORMAT, "case": case.name, "id": "%s_s%d" % (case.name, seed), "set": SET, "seed": seed,
        "torch_version": torch.__version__, "description": case.description, "expr": case.expr,
        "params": case.params, "f32_err": err,
        "inputs": {k: tensor_json(v, case.int_scaled.get(k)) for k, v in inputs.items()},
        "outputs": {k: tensor_json(v, None, max_samples) for k, v in outputs.items()},
    }


# ------------------------------------------------------------------ writing

def tensor_json(t, scale=None, max_samples=None):
    t = t.detach().contiguous()
    shape = list(t.shape)
    if t.dtype == torch.int64:
        return {"shape": shape, "dtype": "int64", "layout": "full", "data": t.flatten().tolist()}
    if t.dtype != torch.float32:
        raise ValueError("only float32 and int64 tensors are written, got %s" % t.dtype)
    flat = t.flatten()
    if scale is not None:
        ints = flat.to(torch.float64) / scale
        if not torch.equal(ints, torch.round(ints)):
            raise ValueError("values are not exact multiples of %r" % scale)
        return {"shape": shape, "dtype": "float32", "layout": "int_scaled", "scale": scale,
                "int_data": [int(v) for v in ints.tolist()]}
    n = flat.numel()
    if max_samples is None or n <= FULL_MAX:
        return {"shape": shape, "dtype": "float32", "layout": "full", "data": flat.tolist()}
    stride = -(-n // max_samples)
    while math.gcd(stride, shape[-1]) != 1:   # so that the sample visits every column
        stride += 1
    return strided_json(t, stride)


def strided_json(t, stride):
    flat = t.flatten()
    d = flat.to(torch.float64)
    stats = {"sum": float(d.sum()), "abs_sum": float(d.abs().sum()), "sq_sum": float((d * d).sum()),
             "min": float(d.min()), "max": float(d.max())}
    return {"shape": list(t.shape), "dtype": "float32", "layout": "strided_sample", "sample_start": 0,
            "sample_stride": stride, "data": flat[0::stride].tolist(), "stats": stats}


def case_text(c):
    """The shared files' layout: one line per field, one line per tensor."""
    fields = ["  %s: %s" % (json.dumps(k), json.dumps(c[k], allow_nan=False))
              for k in ("format", "case", "id", "set", "seed", "torch_version", "description", "expr", "params",
                        "f32_err")]
    for group in ("inputs", "outputs"):
        lines = ["    %s: %s" % (json.dumps(k), json.dumps(v, separators=(",", ":"), allow_nan=False))
                 for k, v in c[group].items()]
        fields.append("  %s: {\n%s\n  }" % (json.dumps(group), ",\n".join(lines)))
    return "{\n" + ",\n".join(fields) + "\n}\n"


def init_stats(seeds=range(20), shapes=((784, 100), (100, 50), (50, 10))):
    """nn.Linear's default initialisation, observed over freshly initialised layers (no RNG parity)."""
    layers = []
    for fan_in, fan_out in shapes:
        ws, bs = [], []
        for s in seeds:
            torch.manual_seed(s)
            layer = nn.Linear(fan_in, fan_out)
            ws.append(layer.weight.detach().flatten())
            bs.append(layer.bias.detach().flatten())
        bound = 1 / math.sqrt(fan_in)
        layers.append({"in_features": fan_in, "out_features": fan_out, "bound": bound,
                       "expected_std": bound / math.sqrt(3),
                       "weight": summary(torch.cat(ws)), "bias": summary(torch.cat(bs))})
    return {
        "format": FORMAT, "case": "init_stats", "id": "init_stats", "torch_version": torch.__version__,
        "description": "nn.Linear default initialisation (no RNG parity intended): statistics observed over %d "
                       "freshly initialised layers per shape" % len(seeds),
        "formula": {"weight": "kaiming_uniform_(W, a=sqrt(5)): gain = sqrt(2 / (1 + a^2)) = sqrt(1/3); std = gain / "
                              "sqrt(fan_in); bound = sqrt(3) * std = 1 / sqrt(fan_in); W ~ U(-bound, bound)",
                    "bias": "b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
                    "fan_in": "in_features (weight shape is [out_features, in_features])"},
        "seeds": list(seeds), "layers": layers, "set": SET,
    }


def summary(v):
    d = v.to(torch.float64)
    return {"count": v.numel(), "min": float(d.min()), "max": float(d.max()), "mean": float(d.mean()),
            "std": float(d.std())}   # sample std (n - 1)


def write(path, text):
    """Under a temporary name, then moved into place: no half-written file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def generate(out_dir, seeds, classifier_seeds, sizes, batch, max_samples):
    os.makedirs(out_dir, exist_ok=True)
    files = []
    for case in cases(sizes, batch):
        for seed in (classifier_seeds if case.name == "classifier" else seeds):
            c = make(case, seed, max_samples)
            write(os.path.join(out_dir, c["id"] + ".json"), case_text(c))
            files.append({"file": c["id"] + ".json", "case": c["case"], "seed": seed, "description": c["description"]})
            print("wrote", c["id"])
    stats = init_stats()
    write(os.path.join(out_dir, "init_stats.json"),
          "{\n" + ",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in stats.items()) + "\n}\n")
    files.append({"file": "init_stats.json", "case": "init_stats", "seed": None, "description": stats["description"]})
    manifest = {"format": FORMAT, "set": SET, "torch_version": torch.__version__, "files": files}
    write(os.path.join(out_dir, "manifest.json"), json.dumps(manifest, indent=1) + "\n")


# ------------------------------------------------------------------ checking an existing set

def decode(t):
    if t["dtype"] == "int64":
        return torch.tensor(t["data"], dtype=torch.int64).reshape(t["shape"])
    if t["layout"] == "int_scaled":
        return (torch.tensor(t["int_data"], dtype=torch.float64) * t["scale"]).to(torch.float32).reshape(t["shape"])
    if t["layout"] == "full":
        return torch.tensor(t["data"], dtype=torch.float64).to(torch.float32).reshape(t["shape"])
    raise ValueError("an input cannot have layout " + t["layout"])


def check(dirs):
    """Recomputes each case of each DIR from that file's inputs with this script's definitions: the
    outputs (sampled elements and stats included) and f32_err must equal the file's exactly. Also says
    whether this script draws the same inputs from the file's seed (a hidden set's shapes differ)."""
    bad = checked = 0
    for d in dirs:
        for entry in json.load(open(os.path.join(d, "manifest.json")))["files"]:
            ref = json.load(open(os.path.join(d, entry["file"])))
            case = case_like(ref)
            if case is None:
                continue
            inputs = {k: decode(v) for k, v in ref["inputs"].items()}
            outputs, err = evaluate(case, inputs, ref["params"])
            problems = []
            if set(outputs) != set(ref["outputs"]):
                problems.append("outputs %s, file has %s" % (sorted(outputs), sorted(ref["outputs"])))
            for k, r in ref["outputs"].items():
                if k in outputs:
                    mine = (strided_json(outputs[k].contiguous(), r["sample_stride"])
                            if r["layout"] == "strided_sample" else tensor_json(outputs[k]))
                    if mine != r:
                        problems.append(k + " differs")
            if err != ref["f32_err"]:
                problems.append("f32_err differs: %s" % {k: (err.get(k), v) for k, v in ref["f32_err"].items()
                                                          if err.get(k) != v})
            torch.manual_seed(ref["seed"])
            drawn = case.inputs(ref["seed"])
            same_inputs = {k: tensor_json(v, case.int_scaled.get(k)) for k, v in drawn.items()} == ref["inputs"]
            checked += 1
            bad += bool(problems)
            print("%-8s %s%s" % ("DIFFERS" if problems else "same", ref["id"],
                                 ": " + "; ".join(problems) if problems else
                                 "" if same_inputs else " (outputs; inputs drawn otherwise)"))
    print("%d checked, %d differ" % (checked, bad))
    return 1 if bad or not checked else 0


def case_like(ref):
    """This script's definition of a file's case (a classifier with the file's sizes); None for other kinds."""
    if "inputs" not in ref:   # init_stats.json
        return None
    init = ref["inputs"].get("init/layers.0.weight")
    if ref["case"] == "classifier" and init:
        sizes = (init["shape"][1], init["shape"][0], ref["inputs"]["init/layers.2.weight"]["shape"][0],
                 ref["inputs"]["init/layers.4.weight"]["shape"][0])
        return cases(sizes, ref["inputs"]["x"]["shape"][0])[-1]
    return next((c for c in cases() if c.name == ref["case"]), None)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", nargs="?", help="folder to write (created if needed)")
    p.add_argument("--fixtures", action="store_true",
                   help="the committed subset: seed 0 of every case, and a narrower classifier (784-16-12-10 "
                        "on a batch of 4, at most 256 sampled elements per large output) as seed 3, an id that "
                        "names no file of the full set")
    p.add_argument("--check", nargs="+", metavar="DIR", help="recompute the cases of DIR and compare")
    a = p.parse_args(argv)
    if a.check:
        return check(a.check)
    if not a.out_dir:
        p.error("give OUT_DIR or --check DIR")
    if a.fixtures:
        generate(a.out_dir, [0], [3], (784, 16, 12, 10), 4, 256)
    else:
        generate(a.out_dir, [0, 1, 2], [0, 1], (784, 100, 50, 10), 8, 1000)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
