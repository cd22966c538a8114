package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;

/**
 * Layer normalisation over the trailing dims {@code normalizedShape}, PyTorch's {@code nn.LayerNorm}:
 * {@code y = (x − mean) / sqrt(var + eps) · weight + bias} per group, with the biased variance.
 * {@code [*, normalizedShape] → [*, normalizedShape]}. With {@code elementwiseAffine} (the default) it
 * learns {@code weight} (ones) and {@code bias} (zeros), both shaped {@code normalizedShape}, under
 * those state-dict keys; without it the layer has no parameters.
 *
 * <pre>{@code
 * LayerNorm norm = new LayerNorm(512);
 * Tensor y = norm.forward(x);   // x [seq, batch, 512]
 * }</pre>
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;
    /** Replace it with {@code setParameter("weight", p)}, which keeps the state dict in step. */
    public Parameter weight;
    public Parameter bias;

    /** {@code nn.LayerNorm(normalized_shape)}: eps 1e-5, elementwise affine. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        Args.ints(normalizedShape, "LayerNorm", "normalized_shape");
        for (int s : normalizedShape) {
            if (s < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": "
                        + java.util.Arrays.toString(normalizedShape) + " (LayerNorm normalized_shape)");
            }
        }
        if (!(eps >= 0)) throw new IllegalArgumentException("LayerNorm: eps must be >= 0, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = elementwiseAffine ? registerParameter("weight", new Parameter(Antorcha.ones(this.normalizedShape))) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", new Parameter(Antorcha.zeros(this.normalizedShape))) : null;
    }

    /** PyTorch's reset_parameters: weight to ones, bias to zeros. */
    public void resetParameters() {
        if (!elementwiseAffine) return;
        try (NoGrad _ = NoGrad.enter()) {
            weight.fill_(1);
            bias.zero_();
        }
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public double eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor input) {
        Args.tensor(input, "LayerNorm", "input");
        return F.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return Reprs.tuple(normalizedShape) + ", eps=" + Reprs.pyFloat(eps) + ", elementwise_affine="
                + Reprs.bool(elementwiseAffine);
    }

    /** Keeps the fields in step with {@link Module#setParameter}. */
    @Override
    protected void parameterSet(String name, Parameter p) {
        if (name.equals("weight")) weight = p;
        else if (name.equals("bias")) bias = p;
    }
}
