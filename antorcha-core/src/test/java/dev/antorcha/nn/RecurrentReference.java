package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recurrent layers written as a plain composition of existing ops (matmul, add, narrow,
 * sigmoid, tanh, stack, cat), step by step, with the equations of PARITY_FORMAT_SEQ.md: the
 * independent reference the fused modules are tested against. GRU here is {@code (1 - z)·n + z·h},
 * the paper's form of the update (the kernel computes {@code n + z·(h - n)}).
 */
final class RecurrentReference {
    private RecurrentReference() {
    }

    static Tensor affine(Tensor x, Tensor w, Tensor b) {
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    static Tensor rnnStep(boolean relu, Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        Tensor pre = affine(x, wIh, bIh).add(affine(h, wHh, bHh));
        return relu ? pre.relu() : pre.tanh();
    }

    /** {@code {h', c'}}. */
    static Tensor[] lstmStep(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        Tensor gates = affine(x, wIh, bIh).add(affine(h, wHh, bHh));
        int hs = h.size(1);
        Tensor i = gates.narrow(1, 0, hs).sigmoid(), f = gates.narrow(1, hs, hs).sigmoid();
        Tensor g = gates.narrow(1, 2 * hs, hs).tanh(), o = gates.narrow(1, 3 * hs, hs).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new Tensor[] {o.mul(c2.tanh()), c2};
    }

    static Tensor gruStep(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        Tensor gi = affine(x, wIh, bIh), gh = affine(h, wHh, bHh);
        int hs = h.size(1);
        Tensor r = gi.narrow(1, 0, hs).add(gh.narrow(1, 0, hs)).sigmoid();
        Tensor z = gi.narrow(1, hs, hs).add(gh.narrow(1, hs, hs)).sigmoid();
        Tensor n = gi.narrow(1, 2 * hs, hs).add(r.mul(gh.narrow(1, 2 * hs, hs))).tanh();
        return z.neg().add(1).mul(n).add(z.mul(h));
    }

    /** Output {@code [T, N, D·H]}, h_n, c_n (null unless LSTM) of a module over {@code x [T, N, in]} (not batch-first). */
    static Tensor[] run(String mode, RNNBase m, Tensor x, Tensor h0, Tensor c0) {
        Map<String, Parameter> p = m.namedParameters();
        int layers = m.options().numLayers(), dirs = m.options().bidirectional() ? 2 : 1, steps = x.size(0);
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor in = x;
        for (int l = 0; l < layers; l++) {
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                String s = "_l" + l + (d == 1 ? "_reverse" : "");
                Tensor wIh = p.get("weight_ih" + s), wHh = p.get("weight_hh" + s), bIh = p.get("bias_ih" + s), bHh = p.get("bias_hh" + s);
                int k = l * dirs + d;
                Tensor h = h0.select(0, k), c = c0 == null ? null : c0.select(0, k);
                Tensor[] ys = new Tensor[steps];
                for (int j = 0; j < steps; j++) {
                    int t = d == 1 ? steps - 1 - j : j;
                    Tensor xt = in.select(0, t);
                    switch (mode) {
                        case "LSTM" -> {
                            Tensor[] hc = lstmStep(xt, h, c, wIh, wHh, bIh, bHh);
                            h = hc[0];
                            c = hc[1];
                        }
                        case "GRU" -> h = gruStep(xt, h, wIh, wHh, bIh, bHh);
                        default -> h = rnnStep(mode.equals("RNN_RELU"), xt, h, wIh, wHh, bIh, bHh);
                    }
                    ys[t] = h;
                }
                outs[d] = Antorcha.stack(ys, 0);
                hn.add(h);
                if (c != null) cn.add(c);
            }
            in = dirs == 1 ? outs[0] : Antorcha.cat(outs, 2);
        }
        return new Tensor[] {in, Antorcha.stack(hn, 0), cn.isEmpty() ? null : Antorcha.stack(cn, 0)};
    }

    static void assertClose(Tensor actual, Tensor expected, double tol, String what) {
        org.assertj.core.api.Assertions.assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            org.assertj.core.api.Assertions.assertThat(a[i]).as("%s element %d", what, i)
                    .isCloseTo(e[i], org.assertj.core.api.Assertions.within(tol * Math.max(1, Math.abs(e[i]))));
        }
    }
}
