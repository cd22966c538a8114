package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * Affine layer {@code y = x Wᵀ + b}: {@code [*, in] → [*, out]}, weight {@code [out, in]},
 * bias {@code [out]}, initialised as PyTorch does (weight and bias uniform in ±1/√in).
 *
 * <pre>{@code
 * Linear layer = new Linear(784, 100);
 * Tensor y = layer.forward(Antorcha.rand(128, 784));   // [128, 100]
 * }</pre>
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    /** Replace it with {@code setParameter("weight", p)}, which keeps the state dict in step. */
    public Parameter weight;
    public Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Antorcha.zeros(outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(Antorcha.zeros(outFeatures))) : null;
        resetParameters(Generator.defaultGenerator());
    }

    /** PyTorch's reset_parameters: kaiming_uniform(a=√5) for the weight, U(±1/√fan_in) for the bias. */
    public void resetParameters(Generator g) {
        Init.kaimingUniform_(weight, Math.sqrt(5), g);
        if (bias != null) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform_(bias, -bound, bound, g);
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }

    /** Keeps the fields in step with {@link Module#setParameter} (tied or replaced weights). */
    @Override
    protected void parameterSet(String name, Parameter p) {
        if (name.equals("weight")) weight = p;
        else if (name.equals("bias")) bias = p;
    }
}
