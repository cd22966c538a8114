package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;

/**
 * A stack of encoder layers, PyTorch's {@code nn.TransformerEncoder(encoder_layer, num_layers, norm)}:
 * {@code layers.0}, {@code layers.1}, ... are deep copies of {@code encoderLayer} (torch's
 * {@code _get_clones}: equal initial values, separate parameters; the layer passed in is not one of
 * them), applied in order with the same masks, then the optional final {@code norm}.
 *
 * <pre>{@code
 * TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(8, 2), 6);
 * Tensor y = enc.forward(src, Transformer.generateSquareSubsequentMask(src.size(0)), paddingMask);
 * }</pre>
 */
public class TransformerEncoder extends Module {
    private final int numLayers;
    // Not final: setModule replaces them (moduleSet keeps them in step).
    public ModuleList layers;
    /** The final normalisation, or null (torch's {@code norm=None}). */
    public Module norm;

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) {
        this(encoderLayer, numLayers, null);
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        Args.nonNull(encoderLayer, "TransformerEncoder", "encoder_layer", "a TransformerEncoderLayer");
        if (numLayers < 0) throw new IllegalArgumentException("TransformerEncoder: num_layers must be non-negative, got " + numLayers);
        this.numLayers = numLayers;
        ModuleList clones = new ModuleList();
        for (int i = 0; i < numLayers; i++) clones.append(encoderLayer.deepCopy());
        this.layers = registerModule("layers", clones);
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    public int numLayers() {
        return numLayers;
    }

    /** Without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * {@code encoder(src, mask, src_key_padding_mask)}: each layer gets both masks (nullable; see
     * {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}).
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Args.tensor(src, "forward", "src");
        Tensor x = src;
        for (Module layer : layers) {
            if (layer instanceof TransformerEncoderLayer l) {
                x = l.forward(x, mask, srcKeyPaddingMask);
            } else if (mask == null && srcKeyPaddingMask == null) {
                x = layer.forward(x);
            } else {
                throw new IllegalStateException("a " + layer.getClass().getSimpleName() + " in TransformerEncoder.layers cannot take "
                        + "the masks: only TransformerEncoderLayer does");
            }
        }
        return norm == null ? x : norm.forward(x);
    }

    @Override
    protected void moduleSet(String name, Module m) {
        if (name.equals("norm")) norm = m;
        else if (name.equals("layers")) {
            if (!(m instanceof ModuleList l)) {
                throw new IllegalArgumentException("layers of TransformerEncoder must be a ModuleList, got " + m.getClass().getSimpleName());
            }
            layers = l;
        }
    }
}
