"""Writes int_ops.txt: PyTorch's CPU results of element-wise ops, comparisons, where, reductions,
clamp, pow, gather and index_select on uint8, int8, int16 and int32 tensors, with the values that
wrap around (uint8 250 + 10 is 4, int8 127 + 1 is -128) and mixed signedness (uint8 + int8 is
int16). Run: python3 make_int_ops.py (torch 1.13). Each line: dtype_a dtype_b op result_dtype
<TAB> a <TAB> b <TAB> result; integer and bool values in decimal, floating results as the hex bits
of float32; b's dtype is "-" and b empty for unary ops and reductions; a refused op says "refused"."""
import torch

SMALL = (torch.uint8, torch.int8, torch.int16, torch.int32)


def name(dt):
    return str(dt)[len("torch."):]


def values(t):
    if t.dtype.is_floating_point:
        return " ".join("%08x" % (v & 0xFFFFFFFF) for v in t.reshape(-1).float().view(torch.int32).tolist())
    return " ".join(str(int(v)) for v in t.reshape(-1).tolist())


def line(op, f, a, b=None):
    try:
        y = f(a) if b is None else f(a, b)
        result = name(y.dtype)
        out = values(y)
    except RuntimeError:
        result, out = "refused", ""
    bd = "-" if b is None else name(b.dtype)
    return f"{name(a.dtype)} {bd} {op} {result}\t{values(a)}\t{'' if b is None else values(b)}\t{out}"


def sample(dt, g):
    info = torch.iinfo(dt)
    edges = [info.min, info.min + 1, -1, 0, 1, 2, 10, 100, 127, 250, info.max - 1, info.max]
    edges = [v for v in edges if info.min <= v <= info.max]
    lo, hi = max(info.min, -1000), min(info.max, 1000)
    rnd = torch.randint(lo, hi + 1, (16 - len(edges),), generator=g).tolist()
    return torch.tensor(edges + rnd, dtype=dt)


def main():
    g = torch.Generator().manual_seed(1111)
    lines = []
    samples = {dt: sample(dt, g) for dt in SMALL}
    binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
              "maximum": torch.maximum, "minimum": torch.minimum, "eq": torch.eq, "ne": torch.ne,
              "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}
    for da in SMALL:
        a = samples[da]
        for db in SMALL + (torch.int64,):
            b = samples[db].flip(0) if db in samples else torch.randint(-300, 300, (a.numel(),), generator=g)
            for op, f in binary.items():
                lines.append(line(op, f, a, b))
        exps = torch.randint(0, 6, (a.numel(),), generator=g).to(da)
        lines.append(line("pow", torch.pow, a, exps))
        lines.append(line("add_10", lambda x: x + 10, a))
        lines.append(line("mul_3", lambda x: x * 3, a))
        lines.append(line("pow_3", lambda x: x ** 3, a))
        lines.append(line("add_2.5", lambda x: x + 2.5, a))
        unary = {"neg": torch.neg, "abs": torch.abs, "relu": torch.relu, "sum": torch.sum,
                 "mean": torch.mean, "max": torch.max, "min": torch.min, "argmax": torch.argmax,
                 "argmin": torch.argmin, "clamp_0_100": lambda x: torch.clamp(x, 0, 100),
                 "sum_dim1": lambda x: x.reshape(4, 4).sum(1), "max_dim0": lambda x: x.reshape(4, 4).amax(0),
                 "where": lambda x: torch.where(x > 5, x, x.flip(0)),
                 "gather": lambda x: torch.gather(x, 0, torch.arange(15, -1, -1)),
                 "index_select": lambda x: torch.index_select(x, 0, torch.tensor([3, 0, 0, 15]))}
        for op, f in unary.items():
            lines.append(line(op, f, a))
    with open("int_ops.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
