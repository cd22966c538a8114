"""Writes half_ops.txt: PyTorch's CPU results of element-wise ops and reductions on float16 and
bfloat16 tensors (computed in float32 and rounded, as ATen does on the CPU). Run: python3
make_half_ops.py (torch 1.13). Each line: dtype op result_dtype <TAB> a <TAB> b <TAB> result, the
values as the hex bits of each element (16-bit, or 8 hex digits for float32 results), b empty
for unary ops and reductions."""
import torch

N = 24


def bits(t):
    if t.dtype in (torch.float16, torch.bfloat16):
        return " ".join("%04x" % (v & 0xFFFF) for v in t.reshape(-1).view(torch.int16).tolist())
    if t.dtype == torch.bool:
        return " ".join(str(int(v)) for v in t.reshape(-1).tolist())
    return " ".join("%08x" % (v & 0xFFFFFFFF) for v in t.reshape(-1).float().view(torch.int32).tolist())


def line(name, op, f, *args):
    """One fixture line; torch 1.13 has no CPU half kernel for some ops (exp, tanh, log, ...):
    those lines say "refused" (newer PyTorch computes them in float32 and rounds)."""
    try:
        y = f(*args)
    except RuntimeError:
        return f"{name} {op} refused\t{bits(args[0])}\t{bits(args[1]) if len(args) > 1 else ''}\t"
    return f"{name} {op} {str(y.dtype)[6:]}\t{bits(args[0])}\t{bits(args[1]) if len(args) > 1 else ''}\t{bits(y)}"


def main():
    g = torch.Generator().manual_seed(1113)
    lines = []
    for dt in (torch.float16, torch.bfloat16):
        name = str(dt)[len("torch."):]
        a = (torch.randn(N, generator=g) * 3).to(dt)
        b = (torch.randn(N, generator=g) * 3).to(dt)
        pos = (torch.rand(N, generator=g) * 10 + 0.01).to(dt)
        binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
                  "maximum": torch.maximum, "minimum": torch.minimum, "lt": torch.lt, "eq": torch.eq}
        for op, f in binary.items():
            lines.append(line(name, op, f, a, b))
        lines.append(line(name, "pow", torch.pow, pos, b))
        unary = {"neg": torch.neg, "abs": torch.abs, "exp": torch.exp, "tanh": torch.tanh,
                 "sigmoid": torch.sigmoid, "relu": torch.relu, "sum": torch.sum, "mean": torch.mean,
                 "max": torch.max, "min": torch.min}
        for op, f in unary.items():
            lines.append(line(name, op, f, a))
        for op, f in {"log": torch.log, "sqrt": torch.sqrt}.items():
            lines.append(line(name, op, f, pos))
        # mixed with float32: promotes to float32
        lines.append(line(name, "add_float32", torch.add, a, b.float()))
    with open("half_ops.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
