"""Cut the first N digits of the real MNIST files into small IDX fixtures.

Usage: python3 make_fixture.py MNIST_DIR [N_TRAIN] [N_TEST]
MNIST_DIR holds the four original *-ubyte.gz files (byte for byte as torchvision checks them).
Writes train-{images-idx3,labels-idx1}-ubyte.gz with train[0:N_TRAIN] and t10k-* with
t10k[0:N_TEST] into the current directory, gzip'ed with a fixed mtime so reruns are identical.
"""
import gzip, struct, sys, os

src = sys.argv[1]
n_train = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
n_test = int(sys.argv[3]) if len(sys.argv) > 3 else 200

def cut(name, n):
    with gzip.open(os.path.join(src, name + ".gz"), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    item = 1
    for d in dims[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(">I", n) + data[8:4 + 4 * ndim]
    body = data[4 + 4 * ndim: 4 + 4 * ndim + n * item]
    with open(name + ".gz", "wb") as raw:
        with gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=0) as out:
            out.write(header + body)

cut("train-images-idx3-ubyte", n_train)
cut("train-labels-idx1-ubyte", n_train)
cut("t10k-images-idx3-ubyte", n_test)
cut("t10k-labels-idx1-ubyte", n_test)
