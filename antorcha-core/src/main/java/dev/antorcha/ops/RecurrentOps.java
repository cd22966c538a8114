package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.PackedMatrix;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

/**
 * The recurrent primitives, forward and backward side by side (DESIGN principle 1: fused
 * because the composition is measurably slower). Their inputs are the gate pre-activations
 * {@code gi = x W_ihᵀ + b_ih}, one matrix product over every time step, done by the caller or
 * (a whole layer, as {@code nn.LSTM} runs it) by the op itself; the recurrent product
 * {@code h W_hhᵀ + b_hh} is done per step.
 * <ul>
 * <li>{@link #lstmCell} and {@link #gruCell}: one time step, the gate arithmetic in one kernel
 * pass; the LSTM's two results are the halves of one {@code [N, 2H]} tensor, so the op stays
 * single-output. {@code LSTMCell} and {@code GRUCell} use them.</li>
 * <li>{@link #layer}: a whole sequence of one layer and direction, the same kernels step after
 * step, as one node. A node per step would make each step's slice of {@code gi} a view whose
 * backward writes a zero-filled gradient of the whole sequence (quadratic in the length), and
 * the recurrent weight's gradient would be {@code T} small products; here it is one product
 * {@code dGatesᵀ [G·H, T·N] × h_prev [T·N, H]} after the backward sweep, or, when the layer owns
 * its input projection, {@code dGatesᵀ × [x | h_prev]} for both weights at once.</li>
 * </ul>
 * Gate blocks are PyTorch's: LSTM i, f, g, o; GRU r, z, n with {@code b_hn} inside the reset
 * product.
 */
public final class RecurrentOps {
    private RecurrentOps() {
    }

    /** PyTorch's recurrent modes, with their number of gate blocks. */
    public enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        private final int gates;

        Mode(int gates) {
            this.gates = gates;
        }

        /** Gate blocks per step: 1, 1, 4, 3. */
        public int gates() {
            return gates;
        }
    }

    /** A layer's results: the output sequence {@code [T, N, H]}, the final hidden state and (LSTM) cell state {@code [N, H]}. */
    public record Sequence(Tensor output, Tensor hN, Tensor cN) {
    }

    /**
     * One fused LSTM step from {@code gi}, {@code gh [N, 4H]} and the cell state {@code c [N, H]}:
     * returns {@code {h', c'}}, views of one {@code [N, 2H]} result.
     */
    public static Tensor[] lstmCell(Tensor gi, Tensor gh, Tensor c) {
        int n = gi.size(0), hs = c.size(1);
        checkStep("lstm_cell", gi, gh, c, 4);
        Backend be = gi.backend();
        DType dt = gi.dtype();
        Tensor hc = be.empty(dt, n, 2 * hs), work = be.empty(dt, n, 5 * hs);
        Tensor cPrev = rows(c);
        be.lstmCell(rows(gi), rows(gh), cPrev, half(hc, 0, hs), half(hc, hs, hs), work);
        // h' and c' are views of hc; their backwards write their halves of hc's gradient into one
        // buffer instead of each filling a zeroed [N, 2H] tensor for the engine to add (two
        // allocations and an addition a step). The first half to arrive hands the buffer to the
        // engine, the other writes into it before the cell's backward, which runs after both, reads it.
        Tensor[] shared = new Tensor[1];
        Graph.record(hc, "LstmCellBackward0", inputs(gi, gh, c), saved(c), (g, need) -> {
            shared[0] = null;   // the next backward pass (retain_graph) starts a buffer of its own
            Tensor gd = rows(g);
            Tensor dGates = be.empty(dt, n, 4 * hs), dcPrev = be.empty(dt, n, hs);
            be.lstmCellBackward(half(gd, 0, hs), half(gd, hs, hs), cPrev, work, dGates, dcPrev);
            // The same tensor for both: the engine never writes into a gradient it is handed.
            return grads(dGates, dGates, dcPrev);
        });
        if (hc.gradFn() == null) return new Tensor[] {hc.narrow(1, 0, hs), hc.narrow(1, hs, hs)};
        return new Tensor[] {halfOf(hc, 0, hs, shared), halfOf(hc, hs, hs, shared)};
    }

    /** {@code hc[:, from:from+len]} as a view whose gradient goes into {@code shared[0]}, see {@link #lstmCell}. */
    private static Tensor halfOf(Tensor hc, int from, int len, Tensor[] shared) {
        return Graph.record(hc.viewWithBase(hc.layout().narrow(1, from, len)), "SliceBackward0", inputs(hc),
                Graph.nothingSaved(), (g, need) -> {
                    boolean first = shared[0] == null;
                    if (first) shared[0] = Factory.fullOn(g, 0, g.dtype(), hc.size(0), hc.size(1));
                    half(shared[0], from, len).copy_(g);
                    return first ? grads(shared[0]) : grads((Tensor) null);
                });
    }

    /** One fused GRU step from {@code gi}, {@code gh [N, 3H]} and the hidden state {@code h [N, H]}: {@code h'}. */
    public static Tensor gruCell(Tensor gi, Tensor gh, Tensor h) {
        int n = gi.size(0), hs = h.size(1);
        checkStep("gru_cell", gi, gh, h, 3);
        Backend be = gi.backend();
        DType dt = gi.dtype();
        Tensor out = be.empty(dt, n, hs), work = be.empty(dt, n, 4 * hs);
        Tensor hPrev = rows(h);
        be.gruCell(rows(gi), rows(gh), hPrev, out, work);
        return Graph.record(out, "GruCellBackward0", inputs(gi, gh, h), saved(h), (g, need) -> {
            Tensor dGi = be.empty(dt, n, 3 * hs), dGh = be.empty(dt, n, 3 * hs), dh = be.empty(dt, n, hs);
            be.gruCellBackward(rows(g), hPrev, work, dGi, dGh, dh);
            return grads(dGi, dGh, dh);
        });
    }

    /**
     * One layer and direction over a whole sequence: {@code gi [T, N, G·H]} (the input
     * projection of every step, bias included), initial states {@code h0}, {@code c0 [N, H]}
     * ({@code c0} LSTM only), {@code wHh [G·H, H]}, {@code bHh [G·H]} or null. {@code reverse}
     * runs t = T-1 … 0; the output stays in time order and the final state is the one after t = 0.
     */
    public static Sequence layer(Mode mode, Tensor gi, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh, boolean reverse) {
        return layer(mode, gi, null, h0, c0, wHh, bHh, reverse);
    }

    /**
     * {@link #layer} with its input projection inside: {@code x [T·N, in]} (the layer's input,
     * time major), {@code wIh [G·H, in]}, {@code bIh [G·H]} or null. {@code gi = x W_ihᵀ + b_ih}
     * is computed as {@code F.linear} computes it, and the backward gives what the projection's
     * own node would (the same bits), except that an LSTM's or a plain RNN's two weight gradients
     * come from one product {@code dGatesᵀ [x | h_prev]}, packing {@code dGatesᵀ} once, and its two
     * bias gradients from one sum: the gate gradients are the same tensor for both.
     */
    public static Sequence layer(Mode mode, Tensor x, Tensor wIh, Tensor bIh, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh,
                                 boolean reverse) {
        int t = h0.dim() == 2 && h0.size(0) > 0 ? x.size(0) / h0.size(0) : 0;
        if (x.dim() != 2 || h0.dim() != 2 || t * h0.size(0) != x.size(0)) {
            throw new IllegalArgumentException(mode.name().toLowerCase(java.util.Locale.ROOT) + " layer: expected the input [T*N, in] "
                    + "for h0 [N, H], got " + x.shape() + " and " + h0.shape());
        }
        Tensor gi = FusedOps.linear(x.detach(), wIh.detach(), bIh == null ? null : bIh.detach());
        return layer(mode, gi.viewOf(gi.layout().view(new int[] {t, h0.size(0), gi.size(1)})), new Projection(x, wIh, bIh), h0, c0, wHh, bHh,
                reverse);
    }

    /** A layer's input projection, when the layer owns it: its input and weights, as the caller passed them. */
    private record Projection(Tensor x, Tensor wIh, Tensor bIh) {
    }

    private static Sequence layer(Mode mode, Tensor gi, Projection proj, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh,
                                  boolean reverse) {
        int steps = gi.size(0), n = gi.size(1), g = gi.size(2), hs = wHh.size(1);
        boolean lstm = mode == Mode.LSTM;
        checkLayer(mode, gi, h0, c0, wHh, bHh);
        Backend be = gi.backend();
        DType dt = gi.dtype();
        Tensor x = gi.isContiguous() ? gi.detach() : gi.contiguousCopy();
        Tensor h0d = rows(h0), c0d = lstm ? rows(c0) : null, w = wHh.detach(), b = bHh == null ? null : bHh.detach();
        Tensor out = be.empty(dt, lstm ? steps + 1 : steps, n, hs);
        Tensor cells = lstm ? be.empty(dt, steps, n, hs) : null;
        int wcols = lstm ? 5 * hs : mode == Mode.GRU ? 4 * hs : 0;
        Tensor work = wcols > 0 ? be.empty(dt, steps, n, wcols) : null;
        Tensor gh = be.empty(dt, n, g);
        PackedMatrix wT = be.packRight(w.viewOf(w.layout().transpose(0, 1)));   // W_hhᵀ, arranged once for every step
        int shards = shards(be, n);
        be.forEachShard(shards, sh -> {
            int r0 = sh * n / shards, r1 = (sh + 1) * n / shards;
            Tensor ghR = part(gh, r0, r1);
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s, tp = reverse ? t + 1 : t - 1;
                Tensor hp = part(s == 0 ? h0d : step(out, tp), r0, r1), y = part(step(out, t), r0, r1);
                be.matmulPacked(hp, wT, ghR);
                if (b != null) be.binary(BinaryOp.ADD, ghR, b, ghR);
                Tensor xt = part(step(x, t), r0, r1);
                switch (mode) {
                    case LSTM -> be.lstmCell(xt, ghR, part(s == 0 ? c0d : step(cells, tp), r0, r1), y,
                            part(step(cells, t), r0, r1), part(step(work, t), r0, r1));
                    case GRU -> be.gruCell(xt, ghR, hp, y, part(step(work, t), r0, r1));
                    default -> {
                        be.binary(BinaryOp.ADD, ghR, xt, y);
                        be.unary(mode == Mode.RNN_TANH ? UnaryOp.TANH : UnaryOp.RELU, y, y, 0, 0);
                    }
                }
            }
        });
        int last = reverse ? 0 : steps - 1;
        if (lstm) be.copy(step(cells, last), step(out, steps));
        // inputs: gi, or the projection's x, wIh and bIh; then h0, c0, wHh, bHh (the nulls left out)
        java.util.List<Tensor> list = new java.util.ArrayList<>();
        if (proj == null) list.add(gi);
        else {
            list.add(proj.x());
            list.add(proj.wIh());
            if (proj.bIh() != null) list.add(proj.bIh());
        }
        list.add(h0);
        if (lstm) list.add(c0);
        list.add(wHh);
        if (b != null) list.add(bHh);
        Tensor[] ins = inputs(list.toArray(Tensor[]::new));
        int in = proj == null ? 0 : proj.x().size(1), first = proj == null ? 1 : proj.bIh() == null ? 2 : 3;
        String name = switch (mode) {
            case LSTM -> "LstmLayerBackward0";
            case GRU -> "GruLayerBackward0";
            default -> "RnnLayerBackward0";
        };
        Tensor[] keep = proj == null ? new Tensor[] {h0, c0, wHh} : new Tensor[] {proj.x(), proj.wIh(), h0, c0, wHh};
        Graph.record(out, name, ins, saved(keep), (grad, need) -> {
            Tensor gd = grad.isContiguous() ? grad : grad.contiguousCopy();
            Tensor dGi = be.empty(dt, steps, n, g), dGh = mode == Mode.GRU ? be.empty(dt, steps, n, g) : dGi;
            // [x | h_prev] of every step when the layer owns its projection (one product for both weights), else h_prev
            Tensor prev = be.empty(dt, steps, n, in + hs), hPrev = in == 0 ? prev : prev.viewOf(prev.layout().narrow(2, in, hs));
            if (in > 0) be.copy(proj.x().detach().viewOf(proj.x().layout().view(new int[] {steps, n, in})), prev.viewOf(prev.layout().narrow(2, 0, in)));
            Tensor dh = be.empty(dt, n, hs);
            be.fill(dh, 0);
            Tensor dcA = lstm ? be.empty(dt, n, hs) : null, dcB = lstm ? be.empty(dt, n, hs) : null;
            if (lstm) be.copy(step(gd, steps), dcA);
            Tensor direct = mode == Mode.GRU ? be.empty(dt, n, hs) : null;
            PackedMatrix wP = be.packRight(w);
            be.forEachShard(shards, sh -> {
                int r0 = sh * n / shards, r1 = (sh + 1) * n / shards;
                Tensor dhR = part(dh, r0, r1), directR = direct == null ? null : part(direct, r0, r1);
                Tensor dc = lstm ? part(dcA, r0, r1) : null, dcNext = lstm ? part(dcB, r0, r1) : null;
                for (int s = steps - 1; s >= 0; s--) {
                    int t = reverse ? steps - 1 - s : s, tp = reverse ? t + 1 : t - 1;
                    Tensor hp = part(s == 0 ? h0d : step(out, tp), r0, r1), y = part(step(out, t), r0, r1);
                    Tensor dGiT = part(step(dGi, t), r0, r1);
                    be.copy(hp, part(step(hPrev, t), r0, r1));
                    be.binary(BinaryOp.ADD, dhR, part(step(gd, t), r0, r1), dhR);
                    switch (mode) {
                        case LSTM -> {
                            be.lstmCellBackward(dhR, dc, part(s == 0 ? c0d : step(cells, tp), r0, r1), part(step(work, t), r0, r1),
                                    dGiT, dcNext);
                            Tensor swap = dc;
                            dc = dcNext;
                            dcNext = swap;
                        }
                        case GRU -> be.gruCellBackward(dhR, hp, part(step(work, t), r0, r1), dGiT, part(step(dGh, t), r0, r1), directR);
                        case RNN_TANH -> {   // dh · (1 - y²) = dh - dh·y·y
                            be.binary(BinaryOp.MUL, y, y, dGiT);
                            be.binary(BinaryOp.MUL, dhR, dGiT, dGiT);
                            be.binary(BinaryOp.SUB, dhR, dGiT, dGiT);
                        }
                        default -> be.binary(BinaryOp.MASK_POSITIVE, dhR, y, dGiT);
                    }
                    be.matmulPacked(part(step(dGh, t), r0, r1), wP, dhR);
                    if (directR != null) be.binary(BinaryOp.ADD, dhR, directR, dhR);
                }
            });
            Tensor dc = steps % 2 == 0 ? dcA : dcB;   // the state after the last of the shards' swaps
            int wAt = first + (lstm ? 2 : 1), bAt = wAt + 1;
            Tensor dGh2 = dGh.reshape(steps * n, g), dGi2 = dGi.reshape(steps * n, g);
            Tensor[] r = new Tensor[ins.length];
            int k = 0;
            if (proj == null) r[k++] = dGi;
            else {
                Tensor prev2 = prev.reshape(steps * n, in + hs);
                boolean both = dGh == dGi && need[1] && need[wAt];
                Tensor dWcat = both ? dGi2.t().matmul(prev2) : null;   // [dW_ih | dW_hh]
                r[k++] = need[0] ? dGi2.matmul(proj.wIh()) : null;
                r[k++] = both ? dWcat.narrow(1, 0, in).contiguous()
                        : need[1] ? dGi2.t().matmul(prev2.narrow(1, 0, in)) : null;
                if (proj.bIh() != null) r[k++] = need[2] ? dGi2.sum(0) : null;
                if (both) r[wAt] = dWcat.narrow(1, in, hs).contiguous();
            }
            r[k++] = dh;
            if (lstm) r[k++] = dc;
            if (r[wAt] == null && need[wAt]) r[wAt] = dGh2.t().matmul(hPrev.reshape(steps * n, hs));
            if (b != null && need[bAt]) {
                // an LSTM's or RNN's bias gradients are one sum, the same tensor for both biases
                r[bAt] = proj != null && proj.bIh() != null && dGh == dGi && r[2] != null ? r[2] : dGh.sum(new int[] {0, 1}, false);
            }
            return r;
        });
        Tensor hN = out.select(0, last);
        return new Sequence(out.narrow(0, 0, steps), hN, lstm ? out.select(0, steps) : null);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Shards of a layer's batch: its rows are independent through the whole sweep (each element of
     * a product is one chain whatever rows share its tile), so the threads each take a block of
     * rows for every step, instead of meeting at every step's small product. Two rows at least per
     * shard; the results do not depend on the count.
     */
    private static int shards(Backend be, int n) {
        return Math.max(1, Math.min(be.numThreads(), n / 2));
    }

    /** Rows {@code [r0, r1)} of a 2-D tensor, a view outside autograd. */
    private static Tensor part(Tensor t, int r0, int r1) {
        return t.viewOf(t.layout().narrow(0, r0, r1 - r0));
    }

    /** Row {@code i} of dim 0, a view outside autograd. */
    private static Tensor step(Tensor t, int i) {
        return t.viewOf(t.layout().select(0, i));
    }

    /** Columns {@code [from, from + len)} of a 2-D tensor, a view outside autograd. */
    private static Tensor half(Tensor t, int from, int len) {
        return t.viewOf(t.layout().narrow(1, from, len));
    }

    /** {@code t} as the kernels take it (2-D, unit stride within a row), outside autograd; copied only when needed. */
    private static Tensor rows(Tensor t) {
        if (t.dim() == 2 && (t.size(1) <= 1 || t.layout().strides()[1] == 1)) return t.detach();
        return t.contiguousCopy();
    }

    private static void checkStep(String op, Tensor gi, Tensor gh, Tensor state, int gates) {
        Checks.floating(op, gi);
        Checks.sameDtype(op, gi, gh);
        Checks.sameDtype(op, gi, state);
        Checks.sameDevice(op, gi, gh);
        Checks.sameDevice(op, gi, state);
        int n = state.dim() == 2 ? state.size(0) : -1, hs = state.dim() == 2 ? state.size(1) : -1;
        for (Tensor t : new Tensor[] {gi, gh}) {
            if (n < 0 || t.dim() != 2 || t.size(0) != n || t.size(1) != gates * hs) {
                throw new IllegalArgumentException(op + ": expected gate pre-activations [N, " + gates + "*H] and a state [N, H], got "
                        + gi.shape() + ", " + gh.shape() + " and " + state.shape());
            }
        }
    }

    private static void checkLayer(Mode mode, Tensor gi, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh) {
        String op = mode.name().toLowerCase(java.util.Locale.ROOT);
        Checks.floating(op, gi);
        for (Tensor t : new Tensor[] {h0, c0, wHh, bHh}) {
            if (t == null) continue;
            Checks.sameDtype(op, gi, t);
            Checks.sameDevice(op, gi, t);
        }
        int hs = wHh.dim() == 2 ? wHh.size(1) : -1, gh = mode.gates() * hs;
        boolean ok = gi.dim() == 3 && wHh.dim() == 2 && wHh.size(0) == gh && gi.size(2) == gh
                && h0.dim() == 2 && h0.size(0) == gi.size(1) && h0.size(1) == hs
                && (bHh == null || bHh.dim() == 1 && bHh.size(0) == gh)
                && (mode != Mode.LSTM || c0 != null && c0.shape().equals(h0.shape()));
        if (!ok) {
            throw new IllegalArgumentException(op + " layer: expected gi [T, N, " + mode.gates() + "*H], h0" + (mode == Mode.LSTM ? ", c0" : "")
                    + " [N, H], weight_hh [" + mode.gates() + "*H, H], bias_hh [" + mode.gates() + "*H]; got gi " + gi.shape()
                    + ", h0 " + h0.shape() + (c0 == null ? "" : ", c0 " + c0.shape()) + ", weight_hh " + wHh.shape()
                    + (bHh == null ? "" : ", bias_hh " + bHh.shape()));
        }
    }
}
