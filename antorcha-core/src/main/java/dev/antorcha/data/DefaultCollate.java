package dev.antorcha.data;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The implementation behind {@link Collate#defaultCollate()}: one allocation per batch tensor,
 * one {@code System.arraycopy} per sample, no boxing per element.
 */
final class DefaultCollate implements Collate<Object, Batch> {
    static final DefaultCollate INSTANCE = new DefaultCollate();

    private DefaultCollate() {
    }

    @Override
    public Batch collate(List<Object> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("default collate: the batch is empty");
        List<Tensor> inputs = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Object s = samples.get(i);
            if (!(s instanceof Example<?, ?> e) || !(e.input() instanceof Tensor x)) {
                throw new IllegalArgumentException("default collate needs Example<Tensor, ?> samples, but sample " + i
                        + " of the batch is " + describe(s) + "; pass a custom collate to the DataLoader builder");
            }
            inputs.add(x);
        }
        return new Batch(stack(inputs, "input"), targets(samples));
    }

    /** {@code [*]} tensors of one shape and dtype → {@code [B, *]}, contiguous. */
    static Tensor stack(List<Tensor> tensors, String what) {
        Tensor first = tensors.get(0);
        int[] shape = first.shape().toArray();
        DType dtype = first.dtype();
        int n = first.numel(), b = tensors.size();
        int[] outShape = new int[shape.length + 1];
        outShape[0] = b;
        System.arraycopy(shape, 0, outShape, 1, shape.length);
        long total = (long) n * b;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("default collate: a batch of " + b + " " + what + "s of shape "
                    + first.shape() + " has " + total + " elements, too many for one tensor");
        }
        Tensor out = first.backend().empty(dtype, outShape);    // a batch too large for the heap says so
        Tensor[] parts = new Tensor[b];
        for (int i = 0; i < b; i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException("default collate: " + what + " of sample " + i + " is null");
            if (t.dtype() != dtype || !Arrays.equals(t.layout().shape(), shape)) {
                throw new IllegalArgumentException("default collate: stack expects each tensor to be equal size, but "
                        + what + " of sample " + i + " in the batch is " + t.shape() + " " + t.dtype().torchName()
                        + " while sample 0 is " + first.shape() + " " + dtype.torchName());
            }
            parts[i] = t;
        }
        out.backend().stack(parts, out);
        return out;
    }

    private static Tensor targets(List<Object> samples) {
        Object t0 = ((Example<?, ?>) samples.get(0)).target();
        int b = samples.size();
        if (t0 == null) {
            for (int i = 1; i < b; i++) {
                if (target(samples, i) != null) throw mixed(samples, i, t0);
            }
            return null;
        }
        if (t0 instanceof Tensor) {
            List<Tensor> ts = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                if (!(target(samples, i) instanceof Tensor t)) throw mixed(samples, i, t0);
                ts.add(t);
            }
            return stack(ts, "target");
        }
        if (t0 instanceof Long || t0 instanceof Integer) {
            long[] out = new long[b];
            for (int i = 0; i < b; i++) {
                Object t = target(samples, i);
                if (t instanceof Long l) out[i] = l;
                else if (t instanceof Integer k) out[i] = k;
                else throw mixed(samples, i, t0);
            }
            return Factory.adopt(out, b);
        }
        if (t0 instanceof Float || t0 instanceof Double) {
            float[] out = new float[b];
            for (int i = 0; i < b; i++) {
                Object t = target(samples, i);
                if (t instanceof Float f) out[i] = f;
                else if (t instanceof Double d) out[i] = (float) (double) d;
                else throw mixed(samples, i, t0);
            }
            return Factory.adopt(out, b);
        }
        throw new IllegalArgumentException("default collate cannot batch targets of type " + t0.getClass().getName()
                + " (sample 0 of the batch); it handles Long, Integer, Float, Double and Tensor targets; "
                + "pass a custom collate to the DataLoader builder");
    }

    private static Object target(List<Object> samples, int i) {
        return ((Example<?, ?>) samples.get(i)).target();
    }

    private static IllegalArgumentException mixed(List<Object> samples, int i, Object t0) {
        return new IllegalArgumentException("default collate: target of sample " + i + " in the batch is "
                + describe(target(samples, i)) + " but sample 0's is " + describe(t0)
                + "; every target in a batch must be of the same kind");
    }

    private static String describe(Object o) {
        if (o == null) return "null";
        if (o instanceof Tensor t) return "a Tensor " + t.shape();
        return "a " + o.getClass().getSimpleName();
    }
}
