package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Generator;
import java.util.Arrays;
import java.util.Set;

/**
 * What PyTorch's {@code _ConvNd} shares between {@link Conv1d}, {@link Conv2d} and
 * {@link ConvTranspose2d}: the argument checks, the {@code weight} / {@code bias} parameters
 * (weight {@code [out, in/groups, *kernel]}, transposed {@code [in, out/groups, *kernel]}), torch's
 * default initialisation and the printed form.
 */
public abstract class ConvNd extends Module {
    private static final Set<String> PADDING_MODES = Set.of("zeros", "reflect", "replicate", "circular");

    protected final int inChannels;
    protected final int outChannels;
    protected final int[] kernelSize;
    protected final int[] stride;
    protected final int[] padding;
    /** {@code "same"} or {@code "valid"}, else null (numeric {@link #padding}). */
    protected final String paddingString;
    protected final int[] dilation;
    protected final int[] outputPadding;
    protected final int groups;
    /** Replace it with {@code setParameter("weight", p)}, which keeps the state dict in step. */
    public Parameter weight;
    public Parameter bias;

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    protected ConvNd(String name, int inChannels, int outChannels, int[] kernelSize, ConvOptions o, boolean transposed) {
        int nd = kernelSize.length;
        java.util.Objects.requireNonNull(o, name + ": options must not be null (use ConvOptions.defaults())");
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(name + " needs positive channel counts, got in_channels=" + inChannels
                    + ", out_channels=" + outChannels);
        }
        for (int k : kernelSize) {
            if (k <= 0) throw new IllegalArgumentException(name + " needs a positive kernel_size, got " + Arrays.toString(kernelSize));
        }
        if (o.groups() <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (inChannels % o.groups() != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (outChannels % o.groups() != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        this.stride = expand(name, "stride", o.stride(), nd);
        this.dilation = expand(name, "dilation", o.dilation(), nd);
        this.outputPadding = expand(name, "output_padding", o.outputPadding(), nd);
        String ps = o.paddingString();
        if (ps != null) {
            if (!ps.equals("same") && !ps.equals("valid")) {
                throw new IllegalArgumentException("Invalid padding string '" + ps + "', should be one of {'valid', 'same'}");
            }
            if (transposed) {
                throw new IllegalArgumentException(name + " takes numeric padding only, got padding='" + ps + "'");
            }
            for (int s : stride) {
                if (ps.equals("same") && s != 1) {
                    throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
                }
            }
        }
        this.paddingString = ps;
        this.padding = ps != null ? new int[nd] : expand(name, "padding", o.padding(), nd);
        String mode = o.paddingMode();
        if (!PADDING_MODES.contains(mode)) {
            throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'],"
                    + " but got padding_mode='" + mode + "'");
        }
        if (!mode.equals("zeros")) {
            throw new IllegalArgumentException(transposed ? "Only \"zeros\" padding mode is supported for " + name
                    : name + ": padding_mode='" + mode + "' is not supported yet; only padding_mode='zeros' is");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.groups = o.groups();
        int[] shape = new int[nd + 2];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        System.arraycopy(kernelSize, 0, shape, 2, nd);
        this.weight = registerParameter("weight", new Parameter(Antorcha.zeros(shape)));
        this.bias = o.bias() ? registerParameter("bias", new Parameter(Antorcha.zeros(outChannels))) : null;
        resetParameters(Generator.defaultGenerator());
    }

    /** PyTorch's reset_parameters: kaiming_uniform(a=√5) for the weight, U(±1/√fan_in) for the bias. */
    public void resetParameters(Generator g) {
        Init.kaimingUniform_(weight, Math.sqrt(5), g);
        if (bias != null) {
            int fanIn = Init.fanInAndFanOut(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound, g);
        }
    }

    static int[] expand(String name, String what, int[] v, int nd) {
        if (v.length == nd) return v.clone();
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(name + ": " + what + " needs 1 or " + nd + " values, got " + Arrays.toString(v));
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    /** As Python prints a tuple: {@code (3, 3)}, {@code (3,)}. */
    private static String tuple(int[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    private static boolean all(int[] v, int x) {
        for (int e : v) if (e != x) return false;
        return true;
    }

    /** torch's _ConvNd.extra_repr: stride always, the rest only when not the default. */
    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(tuple(kernelSize)).append(", stride=").append(tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (!all(padding, 0)) s.append(", padding=").append(tuple(padding));
        if (!all(dilation, 1)) s.append(", dilation=").append(tuple(dilation));
        if (!all(outputPadding, 0)) s.append(", output_padding=").append(tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }

    /** Keeps the fields in step with {@link Module#setParameter} (tied or replaced weights). */
    @Override
    protected void parameterSet(String name, Parameter p) {
        if (name.equals("weight")) weight = p;
        else if (name.equals("bias")) bias = p;
    }
}
