package dev.antorcha.nn.functional;

import dev.antorcha.nn.MultiheadAttention;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * Multi-head attention as PyTorch 1.13's {@code F.multi_head_attention_forward}, composed from
 * differentiable ops (linear, batched matmul, softmax, views), so its backward is autograd's.
 * Sequences are {@code [L, N, E]} (queries) and {@code [S, N, E]} (keys, values), or unbatched
 * {@code [L, E]} / {@code [S, E]}. Per head j (features {@code j*hd .. (j+1)*hd-1}, hd = E / heads):
 * {@code softmax((q / sqrt(hd)) kᵀ + mask) v}; the heads are concatenated and projected.
 *
 * <p>Masks follow torch: a bool {@code attn_mask} ({@code [L, S]} or {@code [N*heads, L, S]}) or
 * {@code key_padding_mask} ({@code [N, S]}) is True where attending is NOT allowed (that score
 * becomes -inf); an integer 0/1 mask is read as {@code mask != 0}; a floating mask is added to the
 * scores as it is. Both masks together: torch's logical or (bool), or -inf filled into the float
 * {@code attn_mask} where the padding mask is True.
 *
 * <pre>{@code
 * MultiheadAttention.Output r = Attention.multiHeadAttentionForward(x, x, x, 2, w, b, ow, ob,
 *         null, true, null, true, 0.0, false, Generator.defaultGenerator());
 * }</pre>
 */
public final class Attention {
    private static final String OP = "multiHeadAttentionForward";

    private Attention() {
    }

    /**
     * With the packed in-projection {@code inProjWeight [3E, E]} (rows q, k, v), {@code inProjBias [3E]}
     * and {@code outProjWeight [E, E]}, {@code outProjBias [E]} (both biases nullable), masks nullable.
     * Returns the output {@code [L, N, E]} and, when {@code needWeights}, the weights
     * {@code [N, L, S]} (averaged over heads) or {@code [N, heads, L, S]}; dropout with probability
     * {@code dropoutP} on the weights only when {@code training}.
     */
    public static MultiheadAttention.Output multiHeadAttentionForward(Tensor query, Tensor key, Tensor value, int numHeads,
            Tensor inProjWeight, Tensor inProjBias, Tensor outProjWeight, Tensor outProjBias,
            Tensor keyPaddingMask, boolean needWeights, Tensor attnMask, boolean averageAttnWeights,
            double dropoutP, boolean training, Generator generator) {
        Args.tensor(inProjWeight, OP, "in_proj_weight");
        return forward(query, key, value, numHeads, inProjWeight, null, null, null, inProjBias, outProjWeight, outProjBias,
                keyPaddingMask, needWeights, attnMask, averageAttnWeights, dropoutP, training, generator);
    }

    /**
     * With separate projections ({@code use_separate_proj_weight=True}): {@code qProjWeight [E, E]},
     * {@code kProjWeight [E, kdim]}, {@code vProjWeight [E, vdim]}, {@code inProjBias [3E]} nullable.
     */
    public static MultiheadAttention.Output multiHeadAttentionForward(Tensor query, Tensor key, Tensor value, int numHeads,
            Tensor qProjWeight, Tensor kProjWeight, Tensor vProjWeight, Tensor inProjBias, Tensor outProjWeight,
            Tensor outProjBias, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask, boolean averageAttnWeights,
            double dropoutP, boolean training, Generator generator) {
        Args.tensor(qProjWeight, OP, "q_proj_weight");
        Args.tensor(kProjWeight, OP, "k_proj_weight");
        Args.tensor(vProjWeight, OP, "v_proj_weight");
        return forward(query, key, value, numHeads, null, qProjWeight, kProjWeight, vProjWeight, inProjBias, outProjWeight,
                outProjBias, keyPaddingMask, needWeights, attnMask, averageAttnWeights, dropoutP, training, generator);
    }

    private static MultiheadAttention.Output forward(Tensor query, Tensor key, Tensor value, int numHeads, Tensor packed,
            Tensor wq, Tensor wk, Tensor wv, Tensor inBias, Tensor outW, Tensor outB, Tensor keyPaddingMask,
            boolean needWeights, Tensor attnMask, boolean average, double dropoutP, boolean training, Generator generator) {
        Args.tensor(query, OP, "query");
        Args.tensor(key, OP, "key");
        Args.tensor(value, OP, "value");
        Args.tensor(outW, OP, "out_proj_weight");
        Args.nonNull(generator, OP, "generator", "a Generator");
        if (!(dropoutP >= 0 && dropoutP <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropoutP);
        }
        boolean batched = batched(query, key, value, keyPaddingMask, attnMask, numHeads);
        if (!batched) {
            query = query.unsqueeze(1);
            key = key.unsqueeze(1);
            value = value.unsqueeze(1);
            if (keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        }
        int embedDim = packed != null ? packedEmbedDim(packed) : wq.size(0);
        int tgtLen = query.size(0), bsz = query.size(1), srcLen = key.size(0);
        if (query.size(2) != embedDim) {
            throw new IllegalArgumentException("was expecting embedding dimension of " + embedDim + ", but got " + query.size(2)
                    + " (query of shape " + query.shape() + ")");
        }
        if (numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim " + embedDim + " not divisible by num_heads " + numHeads);
        }
        int headDim = embedDim / numHeads;
        checkKeyValue(query, key, value, packed != null, packed != null ? embedDim : wk.size(1), packed != null ? embedDim : wv.size(1));
        if (outW.dim() != 2 || outW.size(0) != embedDim || outW.size(1) != embedDim) {
            throw new IllegalArgumentException("out_proj_weight must be [" + embedDim + ", " + embedDim + "], got " + outW.shape());
        }
        if (inBias != null && (inBias.dim() != 1 || inBias.size(0) != 3 * embedDim)) {
            throw new IllegalArgumentException("in_proj_bias must be [" + 3 * embedDim + "] (3 * embed_dim), got " + inBias.shape());
        }

        Tensor[] qkv = inProjection(query, key, value, packed, wq, wk, wv, inBias, embedDim);
        // [T, N, E] -> [N*heads, T, head_dim]: batch-head index n*heads + j, as torch lays them out
        Tensor q = qkv[0].reshape(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
        Tensor k = qkv[1].reshape(srcLen, bsz * numHeads, headDim).transpose(0, 1);
        Tensor v = qkv[2].reshape(srcLen, bsz * numHeads, headDim).transpose(0, 1);

        Tensor mask = mergedMask(attnMask, keyPaddingMask, bsz, numHeads, tgtLen, srcLen, q.dtype());
        // torch divides q (not the scores) by sqrt(head_dim), then baddbmm(mask, q, kᵀ)
        Tensor scores = q.div(Math.sqrt(headDim)).matmul(k.transpose(-2, -1));
        if (mask != null) scores = scores.add(mask);
        Tensor attn = scores.softmax(-1);
        if (training && dropoutP > 0) attn = F.dropout(attn, dropoutP, true, generator);
        Tensor o = attn.matmul(v).transpose(0, 1).reshape(tgtLen * bsz, embedDim);
        Tensor out = F.linear(o, outW, outB).view(tgtLen, bsz, embedDim);

        Tensor weights = null;
        if (needWeights) {
            weights = attn.reshape(bsz, numHeads, tgtLen, srcLen);
            if (average) weights = weights.sum(1).div(numHeads);
        }
        if (!batched) {
            out = out.squeeze(1);
            if (weights != null) weights = weights.squeeze(0);
        }
        return new MultiheadAttention.Output(out, weights);
    }

    /** torch's {@code _mha_shape_check}: whether the input is batched, or why the dims do not fit. */
    private static boolean batched(Tensor query, Tensor key, Tensor value, Tensor kpm, Tensor attnMask, int numHeads) {
        if (query.dim() == 3) {
            if (key.dim() != 3 || value.dim() != 3) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                        + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            }
            if (kpm != null && kpm.dim() != 2) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found "
                        + kpm.dim() + "-D tensor instead");
            }
            if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                        + attnMask.dim() + "-D tensor instead");
            }
            return true;
        }
        if (query.dim() == 2) {
            if (key.dim() != 2 || value.dim() != 2) {
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                        + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            }
            if (kpm != null && kpm.dim() != 1) {
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found "
                        + kpm.dim() + "-D tensor instead");
            }
            if (attnMask != null) {
                if (attnMask.dim() != 2 && attnMask.dim() != 3) {
                    throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                            + attnMask.dim() + "-D tensor instead");
                }
                if (attnMask.dim() == 3 && (attnMask.size(0) != numHeads || attnMask.size(1) != query.size(0)
                        || attnMask.size(2) != key.size(0))) {
                    throw new IllegalArgumentException("Expected `attn_mask` shape to be [" + numHeads + ", " + query.size(0) + ", "
                            + key.size(0) + "] but got " + attnMask.shape());
                }
            }
            return false;
        }
        throw new IllegalArgumentException("query should be unbatched 2D or batched 3D tensor but received " + query.dim()
                + "-D query tensor (shape " + query.shape() + ")");
    }

    private static int packedEmbedDim(Tensor packed) {
        if (packed.dim() != 2 || packed.size(0) != 3 * packed.size(1)) {
            throw new IllegalArgumentException("in_proj_weight must be [3 * embed_dim, embed_dim], got " + packed.shape());
        }
        return packed.size(1);
    }

    private static void checkKeyValue(Tensor query, Tensor key, Tensor value, boolean packed, int kdim, int vdim) {
        if (packed && !key.shape().equals(value.shape())) {
            throw new IllegalArgumentException("key shape " + key.shape() + " does not match value shape " + value.shape());
        }
        if (key.size(0) != value.size(0) || key.size(1) != value.size(1)) {
            throw new IllegalArgumentException("key's sequence and batch dims [" + key.size(0) + ", " + key.size(1)
                    + "] do not match value's [" + value.size(0) + ", " + value.size(1) + "]");
        }
        if (key.size(1) != query.size(1)) {
            throw new IllegalArgumentException("key and value have batch size " + key.size(1) + " but query has " + query.size(1)
                    + " (query " + query.shape() + ", key " + key.shape() + "; sequences are [L, N, E] unless batch_first)");
        }
        if (key.size(2) != kdim) {
            throw new IllegalArgumentException("key has " + key.size(2) + " features but the key projection expects " + kdim
                    + " (embed_dim, or kdim when key and value have their own sizes); key shape " + key.shape());
        }
        if (value.size(2) != vdim) {
            throw new IllegalArgumentException("value has " + value.size(2) + " features but the value projection expects " + vdim
                    + " (embed_dim, or vdim when key and value have their own sizes); value shape " + value.shape());
        }
    }

    /**
     * q, k, v {@code [T, N, E]}. Self-attention (one tensor as query, key and value) projects once with
     * the whole packed weight and splits the result, as torch's {@code _in_projection_packed}.
     */
    private static Tensor[] inProjection(Tensor query, Tensor key, Tensor value, Tensor packed, Tensor wq, Tensor wk,
            Tensor wv, Tensor bias, int e) {
        Tensor bq = bias == null ? null : bias.narrow(0, 0, e);
        Tensor bk = bias == null ? null : bias.narrow(0, e, e);
        Tensor bv = bias == null ? null : bias.narrow(0, 2 * e, e);
        if (packed == null) {
            return new Tensor[] {F.linear(query, wq, bq), F.linear(key, wk, bk), F.linear(value, wv, bv)};
        }
        if (query == key && key == value) {
            List<Tensor> p = F.linear(query, packed, bias).chunk(3, -1);
            return new Tensor[] {p.get(0), p.get(1), p.get(2)};
        }
        Tensor q = F.linear(query, packed.narrow(0, 0, e), bq);
        if (key == value) {
            List<Tensor> kv = F.linear(key, packed.narrow(0, e, 2 * e), bias == null ? null : bias.narrow(0, e, 2 * e)).chunk(2, -1);
            return new Tensor[] {q, kv.get(0), kv.get(1)};
        }
        return new Tensor[] {q, F.linear(key, packed.narrow(0, e, e), bk), F.linear(value, packed.narrow(0, 2 * e, e), bv)};
    }

    /**
     * The additive mask {@code [N*heads or 1, L or 1, S]} in {@code dtype}, or null: torch's merge of
     * {@code attn_mask} and {@code key_padding_mask} followed by its bool-to-float conversion.
     */
    private static Tensor mergedMask(Tensor attnMask, Tensor kpm, int bsz, int heads, int tgtLen, int srcLen, DType dtype) {
        Tensor attn = null;
        if (attnMask != null) {
            if (attnMask.dim() == 2) {
                if (attnMask.size(0) != tgtLen || attnMask.size(1) != srcLen) {
                    throw new IllegalArgumentException("The shape of the 2D attn_mask is " + attnMask.shape() + ", but should be ["
                            + tgtLen + ", " + srcLen + "] (target length L, source length S).");
                }
                attnMask = attnMask.unsqueeze(0);
            } else if (attnMask.dim() == 3) {
                if (attnMask.size(0) != bsz * heads || attnMask.size(1) != tgtLen || attnMask.size(2) != srcLen) {
                    throw new IllegalArgumentException("The shape of the 3D attn_mask is " + attnMask.shape() + ", but should be ["
                            + bsz * heads + ", " + tgtLen + ", " + srcLen + "] (batch * num_heads, L, S).");
                }
            } else {
                throw new IllegalArgumentException("attn_mask's dimension " + attnMask.dim() + " is not supported");
            }
            attn = asMask(attnMask, "attn_mask");
        }
        Tensor pad = null;
        if (kpm != null) {
            if (kpm.dim() != 2 || kpm.size(0) != bsz || kpm.size(1) != srcLen) {
                throw new IllegalArgumentException("expecting key_padding_mask shape of [" + bsz + ", " + srcLen + "] (batch, S), but got "
                        + kpm.shape());
            }
            pad = asMask(kpm.view(bsz, 1, 1, srcLen).expand(bsz, heads, 1, srcLen).reshape(bsz * heads, 1, srcLen),
                    "key_padding_mask");
        }
        if (attn == null && pad == null) return null;
        Tensor negInf = Factory.scalarOn(attn != null ? attn : pad, Double.NEGATIVE_INFINITY, dtype);
        if (pad == null) return additive(attn, negInf, dtype);
        if (attn == null) return additive(pad, negInf, dtype);
        if (pad.dtype() == DType.BOOL) {
            // bool | bool is torch's logical_or; a float attn_mask gets -inf filled in where padded
            return attn.dtype() == DType.BOOL ? additive(attn, negInf, dtype).add(additive(pad, negInf, dtype))
                    : negInf.where(pad, additive(attn, negInf, dtype));
        }
        return additive(attn, negInf, dtype).add(additive(pad, negInf, dtype));
    }

    /** The mask as bool (from bool or integer 0/1: {@code != 0}) or as it is (floating). */
    private static Tensor asMask(Tensor m, String name) {
        if (m.dtype() == DType.BOOL || m.dtype().isFloatingPoint()) return m;
        if (m.dtype().category() == DType.Category.INTEGER) return m.ne(0);
        throw new IllegalArgumentException("only bool, integer 0/1 and floating " + name + " are supported, got "
                + m.dtype().torchName());
    }

    private static Tensor additive(Tensor m, Tensor negInf, DType dtype) {
        return m.dtype() == DType.BOOL ? negInf.where(m, Factory.scalarOn(m, 0, dtype)) : m.to(dtype);
    }
}
