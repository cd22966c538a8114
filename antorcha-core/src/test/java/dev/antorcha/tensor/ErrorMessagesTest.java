package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.antorcha.Antorcha;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** User errors are reported as PyTorch reports them: the right exception type, op and shapes named. */
class ErrorMessagesTest {

    static Tensor longs(long[] v, int... shape) {
        return Antorcha.tensor(v, shape);
    }

    @Test
    void matmulShapeMismatch() {
        assertThatThrownBy(() -> Antorcha.zeros(128, 784).mm(Antorcha.zeros(100, 784)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("mat1 and mat2 shapes cannot be multiplied (128x784 and 100x784)");
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).matmul(Antorcha.zeros(4)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x1)");
        assertThatThrownBy(() -> Antorcha.zeros(2, 3, 4).matmul(Antorcha.zeros(5, 6)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[5, 6]");
        assertThatThrownBy(() -> Antorcha.zeros(3).mm(Antorcha.zeros(3, 3)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3]");
    }

    @Test
    void broadcastMismatch() {
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).add(Antorcha.zeros(2, 4)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
        assertThatThrownBy(() -> Antorcha.zeros(5, 2, 3).mul(Antorcha.zeros(4, 1, 3)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0");
    }

    @Test
    void viewErrors() {
        Tensor x = Antorcha.zeros(12);
        assertThatThrownBy(() -> x.view(5, -1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape '[5,-1]' is invalid for input of size 12");
        assertThatThrownBy(() -> x.view(5, 2))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape '[5,2]' is invalid for input of size 12");
        assertThatThrownBy(() -> x.view(-1, -1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("only one dimension can be inferred");
        assertThatThrownBy(() -> x.view(-2, 6))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
        assertThatThrownBy(() -> Antorcha.zeros(3, 4).t().view(12))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("view size is not compatible with input tensor's size and stride")
                .hasMessageContaining(".reshape(");
    }

    @Test
    void dimensionOutOfRange() {
        Tensor x = Antorcha.zeros(2, 3);
        assertThatThrownBy(() -> x.sum(2))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        assertThatThrownBy(() -> x.softmax(-3))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got -3)");
        assertThatThrownBy(() -> x.unsqueeze(3))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    }

    @Test
    void indexingErrors() {
        Tensor x = Antorcha.zeros(2, 3);
        assertThatThrownBy(() -> x.gather(1, Antorcha.zeros(2, 1)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("gather(): Expected dtype int64 for index, got torch.float32");
        assertThatThrownBy(() -> x.gather(1, longs(new long[] {3, 0}, 2, 1)))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 3 is out of bounds for dimension 1 with size 3");
        assertThatThrownBy(() -> x.indexSelect(1, longs(new long[] {0, 3}, 2)))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index out of range in self").hasMessageContaining("3");
        assertThatThrownBy(() -> x.narrow(1, 2, 2))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("start (2) + length (2) exceeds dimension size (3)");
        assertThatThrownBy(() -> x.select(0, 2))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 2 is out of bounds for dimension 0 with size 2");
    }

    @Test
    void scalarAndDtypeErrors() {
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).item())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Tensor with 6 elements cannot be converted to Scalar");
        assertThatThrownBy(() -> Antorcha.where(Antorcha.ones(2), Antorcha.ones(2), Antorcha.zeros(2)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("where expected condition to be a boolean tensor")
                .hasMessageContaining("torch.float32");
        assertThatThrownBy(() -> Antorcha.arange(3).requiresGrad(true))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only Tensors of floating point dtype can require gradients")
                .hasMessageContaining("torch.int64");
        assertThatThrownBy(() -> Antorcha.arange(4).view(2, 2).mm(Antorcha.ones(2, 2)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("torch.int64");
        Tensor y = Antorcha.ones(2).requiresGrad(true).mul(2);
        assertThatThrownBy(() -> y.requiresGrad(false))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("you can only change requires_grad flags of leaf variables");
    }

    /** Bad calls: each must throw, and only with a type a user can act on. */
    static Map<String, Runnable> badCalls() {
        Tensor x = Antorcha.zeros(2, 3);
        Tensor idx = longs(new long[] {0, 1}, 2, 1);
        Map<String, Runnable> m = new LinkedHashMap<>();
        m.put("view wrong numel", () -> x.view(4, 2));
        m.put("reshape two -1", () -> x.reshape(-1, -1));
        m.put("view negative", () -> x.view(-3, -2));
        m.put("transpose dim", () -> x.transpose(0, 2));
        m.put("permute duplicate", () -> x.permute(0, 0));
        m.put("permute length", () -> x.permute(1));
        m.put("permute range", () -> x.permute(0, 5));
        m.put("unsqueeze", () -> x.unsqueeze(-4));
        m.put("squeeze", () -> x.squeeze(7));
        m.put("flatten order", () -> x.flatten(1, 0));
        m.put("flatten range", () -> x.flatten(0, 9));
        m.put("expand mismatch", () -> x.expand(4, 3));
        m.put("expand fewer dims", () -> x.expand(3));
        m.put("narrow negative length", () -> x.narrow(0, 0, -1));
        m.put("narrow start", () -> x.narrow(1, -9, 1));
        m.put("slice step", () -> x.slice(1, 0, 2, 0));
        m.put("slice dim", () -> x.slice(2, 0, 1));
        m.put("select index", () -> x.select(1, -4));
        m.put("t of 3-D", () -> Antorcha.zeros(2, 2, 2).t());
        m.put("size", () -> x.size(-3));
        m.put("shape get", () -> x.shape().get(2));
        m.put("sum dims repeated", () -> x.sum(new int[] {1, -1}, false));
        m.put("mean int64", () -> Antorcha.arange(3).mean());
        m.put("var dim", () -> x.var(5, false));
        m.put("max empty", () -> Antorcha.zeros(0).max());
        m.put("max dim empty", () -> Antorcha.zeros(0, 2).max(0, false));
        m.put("argmax empty", () -> Antorcha.zeros(0, 2).argmax(0));
        m.put("argmin dim", () -> x.argmin(3, false));
        m.put("logsumexp dim", () -> x.logsumexp(2, true));
        m.put("logSoftmax int64", () -> Antorcha.arange(3).logSoftmax(0));
        m.put("sumToSize", () -> x.sumToSize(Shape.of(3, 3)));
        m.put("add broadcast", () -> x.add(Antorcha.zeros(4)));
        m.put("pow broadcast", () -> x.pow(Antorcha.zeros(2)));
        m.put("maximum broadcast", () -> x.maximum(Antorcha.zeros(5, 1, 2)));
        m.put("compare broadcast", () -> x.lt(Antorcha.zeros(3, 2)));
        m.put("where broadcast", () -> Antorcha.where(x.gt(0), x, Antorcha.zeros(4)));
        m.put("where int64 condition", () -> Antorcha.where(Antorcha.arange(3), Antorcha.ones(3), Antorcha.ones(3)));
        m.put("clamp NaN", () -> x.clamp(0, Double.NaN));
        m.put("matmul 0-D", () -> Antorcha.scalar(1).matmul(x));
        m.put("matmul 1-D lengths", () -> Antorcha.zeros(3).matmul(Antorcha.zeros(4)));
        m.put("matmul 1-D left", () -> Antorcha.zeros(4).matmul(x));
        m.put("matmul batch", () -> Antorcha.zeros(2, 3, 4).matmul(Antorcha.zeros(3, 4, 5)));
        m.put("mm 3-D", () -> Antorcha.zeros(2, 2, 2).mm(Antorcha.zeros(2, 2)));
        m.put("gather rank", () -> x.gather(1, longs(new long[] {0}, 1)));
        m.put("gather size", () -> x.gather(1, longs(new long[6], 3, 2)));
        m.put("gather negative", () -> x.gather(1, longs(new long[] {-1, 0}, 2, 1)));
        m.put("gather dim", () -> x.gather(2, idx));
        m.put("indexSelect 2-D index", () -> x.indexSelect(0, longs(new long[] {0, 0}, 1, 2)));
        m.put("indexSelect float index", () -> x.indexSelect(0, Antorcha.zeros(1)));
        m.put("indexSelect negative", () -> x.indexSelect(0, longs(new long[] {-3}, 1)));
        m.put("indexSelect dim", () -> x.indexSelect(2, longs(new long[] {0}, 1)));
        m.put("oneHot float", () -> Antorcha.oneHot(Antorcha.zeros(2), 3));
        m.put("oneHot too big", () -> Antorcha.oneHot(longs(new long[] {3}, 1), 3));
        m.put("oneHot negative", () -> Antorcha.oneHot(longs(new long[] {-1}, 1), 3));
        m.put("in-place broadcast", () -> x.clone().add_(Antorcha.zeros(4, 2, 3)));
        m.put("copy_ shape", () -> x.clone().copy_(Antorcha.zeros(3, 2)));
        m.put("item", () -> x.item());
        m.put("longItem", () -> x.longItem());
        m.put("setGrad shape", () -> x.setGrad(Antorcha.zeros(3)));
        m.put("backward no grad", () -> x.sum().backward());
        m.put("backward non-scalar", () -> Antorcha.ones(2).requiresGrad(true).mul(2).backward());
        m.put("backward gradient shape", () -> Antorcha.ones(2).requiresGrad(true).mul(2).backward(Antorcha.ones(3)));
        m.put("requiresGrad int64", () -> Antorcha.arange(2).requiresGrad(true));
        m.put("to cuda", () -> x.to(Device.cuda()));
        m.put("device string", () -> Device.of("cuda:zero"));
        m.put("factory data length", () -> Antorcha.tensor(new float[3], 2, 2));
        m.put("factory ragged", () -> Antorcha.tensor(new float[][] {{1f}, {}}));
        m.put("factory negative", () -> Antorcha.ones(-1));
        m.put("factory too large", () -> Antorcha.zeros(1 << 16, 1 << 16));
        m.put("arange step", () -> Antorcha.arange(0, 5, -1));
        return m;
    }

    @Test
    void badCallsThrowOnlyUserFacingExceptions() {
        List<String> problems = new ArrayList<>();
        badCalls().forEach((name, call) -> {
            Throwable t = catchThrowable(call::run);
            if (t == null) {
                problems.add(name + ": no exception");
            } else if (!(t instanceof IllegalArgumentException || t instanceof IllegalStateException
                    || t instanceof IndexOutOfBoundsException) || t instanceof ArrayIndexOutOfBoundsException) {
                problems.add(name + ": " + t);
            } else if (t.getMessage() == null || t.getMessage().isBlank()) {
                problems.add(name + ": no message (" + t.getClass().getName() + ")");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void zeroDimTensorsAndNegativeSizesAreRejectedCleanly() {
        Tensor s = Antorcha.scalar(1);
        Map<String, Runnable> m = new LinkedHashMap<>();
        m.put("size(0) of 0-d", () -> s.size(0));
        m.put("Shape.get of 0-d", () -> s.shape().get(0));
        m.put("select of 0-d", () -> s.select(0, 0));
        m.put("narrow of 0-d", () -> s.narrow(0, 0, 1));
        m.put("slice of 0-d", () -> s.slice(0, 0, 1));
        m.put("expand -1 in new leading dim", () -> Antorcha.zeros(3).expand(-1, 3).toFloatArray());
        m.put("expand -2", () -> Antorcha.zeros(1).expand(-2).toFloatArray());
        m.put("arange beyond int range", () -> Antorcha.arange(3_000_000_000L));
        List<String> problems = new ArrayList<>();
        m.forEach((name, call) -> {
            Throwable t = catchThrowable(call::run);
            if (t == null || t instanceof ArrayIndexOutOfBoundsException || !(t instanceof IllegalArgumentException
                    || t instanceof IllegalStateException || t instanceof IndexOutOfBoundsException)) {
                problems.add(name + ": " + t);
            }
        });
        // torch also supports gather/index_select on 0-d tensors with a 0-d / one-element index
        assertThat(s.gather(0, Antorcha.arange(1).reshape()).item()).isEqualTo(1f);
        assertThat(s.indexSelect(0, longs(new long[] {0}, 1)).item()).isEqualTo(1f);
        assertThat(problems).isEmpty();
    }
}
