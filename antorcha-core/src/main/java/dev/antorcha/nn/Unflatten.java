package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Splits dim {@code dim} into {@code unflattenedSize} (one entry may be -1), PyTorch's
 * {@code nn.Unflatten}: {@code [N, 12] → [N, 3, 4]}, the inverse of {@link Flatten}.
 */
public class Unflatten extends Module {
    private final int dim;
    private final int[] unflattenedSize;

    public Unflatten(int dim, int... unflattenedSize) {
        this.dim = dim;
        this.unflattenedSize = Args.ints(unflattenedSize, "Unflatten", "unflattened_size").clone();
        if (unflattenedSize.length == 0) {
            throw new IllegalArgumentException("unflatten: sizes must be non-empty");
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Args.tensor(input, "unflatten", "input");
        int d = Shape.normalizeDim(dim, input.dim());
        int n = input.size(d), known = 1, infer = -1;
        for (int i = 0; i < unflattenedSize.length; i++) {
            if (unflattenedSize[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else {
                known *= unflattenedSize[i];
            }
        }
        int[] sizes = unflattenedSize.clone();
        if (infer >= 0 && known != 0 && n % known == 0) sizes[infer] = n / known;
        long prod = 1;
        for (int s : sizes) prod *= s;
        if (prod != n || (infer >= 0 && known == 0)) {
            throw new IllegalArgumentException("unflatten: Provided sizes " + Arrays.toString(unflattenedSize)
                    + " don't multiply up to the size of dim " + dim + " (" + n + ") in the input tensor " + input.shape());
        }
        int[] in = input.layout().shape();
        int[] shape = new int[in.length - 1 + sizes.length];
        System.arraycopy(in, 0, shape, 0, d);
        System.arraycopy(sizes, 0, shape, d, sizes.length);
        System.arraycopy(in, d + 1, shape, d + sizes.length, in.length - d - 1);
        return input.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + Reprs.tuple(unflattenedSize);
    }
}
