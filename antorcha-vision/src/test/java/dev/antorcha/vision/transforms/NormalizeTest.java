package dev.antorcha.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormalizeTest {
    @Test
    void normalizesEachChannel() {
        Tensor x = Antorcha.tensor(new float[] {0f, 1f, 0.5f, 0.25f}, 2, 1, 2);   // [C=2, H=1, W=2]
        Tensor y = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 2f}).apply(x);
        assertThat(y.shape().toArray()).containsExactly(2, 1, 2);
        assertThat(y.toFloatArray()).containsExactly((0f - 0.5f) / 0.5f, (1f - 0.5f) / 0.5f,
                (0.5f - 0.25f) / 2f, (0.25f - 0.25f) / 2f);
        assertThat(x.toFloatArray()).as("input untouched").containsExactly(0f, 1f, 0.5f, 0.25f);
    }

    @Test
    void oneValueBroadcastsAndBatchesWork() {
        Tensor batch = Antorcha.ones(2, 3, 2, 2);   // [B, C, H, W]
        Tensor y = new Normalize(0.5f, 0.25f).apply(batch);
        assertThat(y.toFloatArray()).containsOnly(2f).hasSize(24);
    }

    @Test
    void matchesTheTensorOpsOnAStridedInputAndKeepsGradients() {
        Antorcha.manualSeed(0);
        Tensor base = Antorcha.rand(4, 4, 3);   // H, W, C
        Tensor chw = base.permute(2, 0, 1);     // non-contiguous [3, 4, 4]
        float[] mean = {0.1f, 0.2f, 0.3f}, std = {0.5f, 0.6f, 0.7f};
        Normalize n = new Normalize(mean, std);
        // torchvision's F.normalize: (x - mean[c]) / std[c] in float32, element by element
        float[] hwc = base.toFloatArray(), expected = new float[48];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) expected[c * 16 + i] = (hwc[i * 3 + c] - mean[c]) / std[c];
        }
        Tensor fast = n.apply(chw);
        assertThat(fast.toFloatArray()).containsExactly(expected);
        Tensor leaf = chw.contiguous().requiresGrad(true);
        Tensor viaOps = n.apply(leaf);
        assertThat(viaOps.toFloatArray()).containsExactly(expected);
        viaOps.sum().backward();
        assertThat(leaf.grad().toFloatArray()[0]).isEqualTo(1f / 0.5f);
        assertThat(leaf.grad().toFloatArray()[47]).isEqualTo(1f / 0.7f);
    }

    @Test
    void validatesWithClearMessages() {
        assertThatThrownBy(() -> new Normalize(new float[] {0.5f, 0.5f}, new float[] {0.5f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean and std must have the same length, got mean [0.5, 0.5] (2) and std [0.5] (1)");
        assertThatThrownBy(() -> new Normalize(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0f}))
                .hasMessage("std evaluated to zero at channel 1 (std = [0.5, 0.0]), leading to division by zero.");
        assertThatThrownBy(() -> new Normalize(new float[0], new float[0])).hasMessageContaining("at least one value");
        Normalize n = new Normalize(new float[] {0f, 0f}, new float[] {1f, 1f});
        assertThatThrownBy(() -> n.apply(Antorcha.ones(3, 2, 2)))
                .hasMessage("Normalize has 2 mean/std values but the image has 3 channels (shape [3, 2, 2])");
        assertThatThrownBy(() -> n.apply(Antorcha.ones(2, 2)))
                .hasMessageStartingWith("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = ");
        assertThatThrownBy(() -> n.apply(Antorcha.zeros(DType.INT64, 2, 2, 2)))
                .hasMessage("Input tensor should be a float tensor. Got torch.int64.");
    }
}
