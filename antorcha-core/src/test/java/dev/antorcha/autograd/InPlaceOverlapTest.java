package dev.antorcha.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Writing through an expanded view (elements sharing memory) is refused, as in PyTorch. */
class InPlaceOverlapTest {
    @Test
    void inPlaceOpsOnAnExpandedTensorAreRefusedAndLeaveTheBaseUnchanged() {
        Tensor base = Antorcha.zeros(3);
        Tensor view = base.expand(2, 3);
        for (Runnable op : new Runnable[] {() -> view.add_(1), () -> view.mul_(2), () -> view.fill_(7),
                () -> view.zero_(), () -> view.copy_(Antorcha.ones(2, 3))}) {
            assertThatThrownBy(op::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than one element of the written-to tensor refers to a single memory location");
        }
        assertThat(base.toFloatArray()).containsExactly(0f, 0f, 0f);
        Tensor ok = base.expand(1, 3);   // size-1 dims with stride 0 share nothing
        ok.add_(1);
        assertThat(base.toFloatArray()).containsExactly(1f, 1f, 1f);
    }
}
