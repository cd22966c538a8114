package dev.antorcha.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats a tensor the way PyTorch 1.13's {@code _tensor_str} does: 4 decimals, a shared
 * column width, integer mode ({@code 1.}) when every value is whole, scientific mode when
 * magnitudes span more than 1000x, summarised with {@code ...} above 1000 elements, and the
 * {@code grad_fn=} / {@code requires_grad=True} suffixes.
 */
final class TensorFormatter {
    private static final int PRECISION = 4, THRESHOLD = 1000, EDGE = 3, LINE_WIDTH = 80;

    private final DType dtype;
    private boolean intMode = true, sciMode;
    private int width = 1;
    /** The int64 values themselves: going through double would lose digits above 2^53. */
    private long[] longs;

    private TensorFormatter(DType dtype) {
        this.dtype = dtype;
    }

    static String format(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        int[] shape = t.layout().shape();
        if (t.numel() == 0) {
            if (shape.length != 1) suffixes.add("size=" + pyTuple(shape));
            // no element shows the type, so every non-default dtype is printed (torch does the same)
            body = "[]";
            if (t.dtype() != DType.FLOAT32) suffixes.add("dtype=" + t.dtype().torchName());
        } else {
            double[] v = values(t);
            boolean summarize = v.length > THRESHOLD;
            TensorFormatter f = new TensorFormatter(t.dtype());
            if (t.dtype().isIntegral()) f.longs = t.toLongArray();
            f.measure(v, shape, summarize);
            body = f.render(v, shape, Shape.contiguousStrides(shape), 0, 0, indent, summarize);
            // torch names every dtype but the default float, int64 and bool
            if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL) suffixes.add("dtype=" + t.dtype().torchName());
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(prefix + body, suffixes, indent);
    }

    private static double[] values(Tensor t) {
        int n = t.numel();
        double[] v = new double[n];
        if (t.dtype().isIntegral()) {
            long[] l = t.toLongArray();
            for (int i = 0; i < n; i++) v[i] = l[i];
        } else if (t.dtype() == DType.FLOAT64) {
            return t.toDoubleArray();
        } else {
            float[] f = t.toFloatArray();
            for (int i = 0; i < n; i++) v[i] = f[i];
        }
        return v;
    }

    /** Decides int/sci mode and the column width from the values that will be shown. */
    private void measure(double[] v, int[] shape, boolean summarize) {
        List<Integer> positions = new ArrayList<>();
        collect(shape, Shape.contiguousStrides(shape), 0, 0, summarize, positions);
        if (!dtype.isFloatingPoint()) {
            for (int p : positions) width = Math.max(width, text(v, p).length());
            return;
        }
        List<Double> shown = new ArrayList<>();
        for (int p : positions) shown.add(v[p]);
        double min = Double.POSITIVE_INFINITY, max = 0;
        boolean any = false;
        for (double x : shown) {
            if (!Double.isFinite(x) || x == 0) continue;
            any = true;
            min = Math.min(min, Math.abs(x));
            max = Math.max(max, Math.abs(x));
            if (x != Math.ceil(x)) intMode = false;
        }
        if (!any) return;   // torch keeps width 1 when there is no non-zero finite value
        sciMode = intMode ? (max / min > 1000 || max > 1e8) : (max / min > 1000 || max > 1e8 || min < 1e-4);
        for (double x : shown) {
            if (!Double.isFinite(x) || x == 0) continue;
            width = Math.max(width, formatRaw(x).length());
        }
    }

    private void collect(int[] shape, int[] strides, int dim, int off, boolean summarize, List<Integer> out) {
        if (shape.length == 0) {
            out.add(0);
            return;
        }
        int n = shape[dim];
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) i = n - EDGE;
            int o = off + i * strides[dim];
            if (dim == shape.length - 1) out.add(o);
            else collect(shape, strides, dim + 1, o, summarize, out);
        }
    }

    private String formatRaw(double x) {
        if (dtype == DType.BOOL) return x != 0 ? "True" : "False";
        if (dtype.isIntegral()) return Long.toString((long) x);
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (sciMode) return scientific(x);
        if (intMode) return String.format(Locale.ROOT, "%.0f", x) + ".";
        return fixed(x);
    }

    /** Python's {@code '{:.4f}'}: the exact binary value rounded half-even (String.format rounds half-up). */
    private static String fixed(double x) {
        String s = new BigDecimal(x).setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
        return (x < 0 || (x == 0 && 1 / x < 0)) && s.charAt(0) != '-' ? "-" + s : s;
    }

    /** Python's {@code '{:.4e}'}, rounded half-even on the exact binary value. */
    private static String scientific(double x) {
        if (x == 0) return String.format(Locale.ROOT, "%." + PRECISION + "e", x);
        BigDecimal r = new BigDecimal(x).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        String mantissa = r.movePointLeft(exp).setScale(PRECISION, RoundingMode.UNNECESSARY).toPlainString();
        return mantissa + (exp < 0 ? "e-" : "e+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** The text of element {@code pos}: int64 from the exact longs, the rest from the doubles. */
    private String text(double[] v, int pos) {
        return longs != null ? Long.toString(longs[pos]) : formatRaw(v[pos]);
    }

    private String cell(double[] v, int pos) {
        String s = text(v, pos);
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private String render(double[] v, int[] shape, int[] strides, int dim, int off, int indent, boolean summarize) {
        if (shape.length == 0) return cell(v, 0);
        int n = shape[dim];
        if (dim == shape.length - 1) {
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (width + 2));
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (summarize && n > 2 * EDGE && i == EDGE) {
                    items.add(" ...");
                    i = n - EDGE;
                }
                items.add(cell(v, off + i * strides[dim]));
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                sb.append(items.get(i));
            }
            return sb.append(']').toString();
        }
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                slices.add("...");
                i = n - EDGE;
            }
            slices.add(render(v, shape, strides, dim + 1, off + i * strides[dim], indent + 1, summarize));
        }
        String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    private static String addSuffixes(String s, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(s);
        int lastLine = s.length() - s.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLine = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String pyTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
