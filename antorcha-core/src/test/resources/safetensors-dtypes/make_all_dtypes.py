"""Writes all_dtypes.safetensors: one small tensor of each of the ten dtypes, from torch tensors'
raw bytes, laid out as the official safetensors library lays a file out (no `safetensors`
package needed): tensors sorted by dtype (descending in the library's Dtype order) then by name,
the header compact JSON in that order, padded with spaces to a multiple of 8 bytes.
Run: python3 make_all_dtypes.py (torch 1.13)."""
import json
import struct
import torch

# the safetensors library's Dtype enum order (its layout sorts by it, descending)
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
         "I64", "U64"]
CODES = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.int32: "I32",
         torch.int64: "I64", torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32",
         torch.float64: "F64"}


def tensors():
    g = torch.Generator().manual_seed(11)
    return {
        "bool": torch.tensor([[True, False, True], [False, False, True]]),
        "uint8": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        "int8": torch.tensor([-128, -1, 0, 1, 127], dtype=torch.int8),
        "int16": torch.tensor([[-32768, -2], [3, 32767]], dtype=torch.int16),
        "int32": torch.tensor([-2 ** 31, -7, 0, 2 ** 31 - 1], dtype=torch.int32),
        "int64": torch.tensor([-2 ** 63, -1, 2 ** 53 + 1, 2 ** 63 - 1], dtype=torch.int64),
        "float16": torch.cat([torch.randn(5, generator=g), torch.tensor([65504.0, -0.0, 6e-8])]).half(),
        "bfloat16": torch.cat([torch.randn(5, generator=g), torch.tensor([3e38, -0.0, 1e-40])]).bfloat16(),
        "float32": torch.randn(2, 3, generator=g),
        "float64": torch.randn(3, generator=g, dtype=torch.float64),
        "scalar_f64": torch.tensor(0.1, dtype=torch.float64),
    }


def raw(t):
    # bfloat16 has no numpy type: its bits travel as int16, little-endian as the format wants
    return (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).contiguous().numpy().tobytes()


def main():
    items = sorted(tensors().items(), key=lambda kv: (-ORDER.index(CODES[kv[1].dtype]), kv[0].encode()))
    header, data, offset = {}, b"", 0
    for name, t in items:
        b = raw(t)
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        data += b
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open("all_dtypes.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


if __name__ == "__main__":
    main()
