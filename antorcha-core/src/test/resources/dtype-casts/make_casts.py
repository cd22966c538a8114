"""Writes casts.txt: PyTorch's x.to(dst) for every pair of the ten dtypes (run on x86 with
python3 make_casts.py; torch 1.13). Each pair is one line:
    src dst <TAB> inputs <TAB> outputs
values separated by spaces: integers and bools in decimal (bool as 0/1), floating values as
Python's float.hex of their exact value (inf, -inf, nan as such)."""
import math
import torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -1.7, 3.99, 0.1, 1 / 3, 1e-8, 100.25, -128.5, 127.9, 255.5,
          256.7, -129.3, 300.2, -300.2, 32767.5, 40000.3, -40000.3, 65504.0, 65520.0, 70000.0, 1e10, -1e10,
          2.0 ** 31, -2.0 ** 31, 2.0 ** 63, 1e20, 3e38, 1e300, math.inf, -math.inf, math.nan]
INTS = [0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 300, -300, 32767, 32768, -32769, 65535,
        2 ** 24 + 1, 2 ** 31 - 1, -2 ** 31, 2 ** 53 + 1, 2 ** 62 + 12345, -2 ** 63, 2 ** 63 - 1]


def text(v, floating):
    if not floating:
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v.hex()


def main():
    lines = []
    for s in DTYPES:
        sd = getattr(torch, s)
        if sd == torch.bool:
            x = torch.tensor([True, False, True])
        elif sd.is_floating_point:
            x = torch.tensor(FLOATS, dtype=torch.float64).to(sd)
        else:
            x = torch.tensor(INTS, dtype=torch.int64).to(sd)
        ins = [text(v, sd.is_floating_point) for v in (x.double() if sd.is_floating_point else x.long()).tolist()]
        for d in DTYPES:
            dd = getattr(torch, d)
            y = x.to(dd)
            outs = [text(v, dd.is_floating_point)
                    for v in (y.double() if dd.is_floating_point else y.long()).tolist()]
            lines.append(f"{s} {d}\t{' '.join(ins)}\t{' '.join(outs)}")
    with open("casts.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
