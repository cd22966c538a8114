package dev.antorcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.data.DataLoader;
import dev.antorcha.data.TensorDataset;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.ReLU;
import dev.antorcha.nn.Reduction;
import dev.antorcha.nn.Sequential;
import dev.antorcha.nn.functional.F;
import dev.antorcha.nn.functional.Losses;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.AdamW;
import dev.antorcha.optim.SGD;
import dev.antorcha.optim.StepLR;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every public entry point that takes a tensor (or a shape, an array, a dtype...) rejects
 * {@code null} with a message naming the call and the argument, as PyTorch's
 * {@code add(): argument 'other' must be Tensor, not NoneType}, instead of a bare
 * NullPointerException (no message, or the JDK's "Cannot invoke ... because ... is null").
 * The Tensor, Antorcha, F and Losses tables are built by reflection, so a new method is
 * covered as soon as it is added.
 */
class NullArgumentsTest {

    /**
     * Parameters where null has a meaning of its own (no gradient, no bias, no weight...), as
     * {@code Class.method/arity#index}: the arity tells overloads apart (a weight in one is a reduction in another).
     */
    private static final Set<String> NULL_ALLOWED = Set.of(
            "Tensor.setGrad/1#0", "Tensor.backward/1#0", "Tensor.backward/2#0",
            "F.linear/3#2", "Losses.bceWithLogits/4#3",
            "F.nllLoss/5#2", "Losses.nllLoss/5#2", "F.binaryCrossEntropy/4#2", "Losses.binaryCrossEntropy/4#2",
            "F.binaryCrossEntropyWithLogits/5#2", "F.binaryCrossEntropyWithLogits/5#4",
            "Losses.bceWithLogits/5#2", "Losses.bceWithLogits/5#4",
            "F.conv1d/3#2", "F.conv1d/7#2", "F.conv2d/3#2", "F.conv2d/5#2", "F.conv2d/7#2",
            "F.convTranspose2d/3#2", "F.convTranspose2d/8#2",
            // PyTorch's None: stride (the kernel size), divisor_override, running stats, weight and bias
            "F.maxPool2d/6#2", "F.maxPool2dWithIndices/6#2", "F.avgPool2d/4#2", "F.avgPool2d/7#2", "F.avgPool2d/7#6",
            "F.batchNorm/8#1", "F.batchNorm/8#2", "F.batchNorm/8#3", "F.batchNorm/8#4",
            // multi_head_attention_forward's None: in_proj_bias, out_proj_bias, key_padding_mask, attn_mask
            "F.multiHeadAttentionForward/15#5", "F.multiHeadAttentionForward/15#7", "F.multiHeadAttentionForward/15#8",
            "F.multiHeadAttentionForward/15#10",
            // layer norm: no weight, no bias
            "F.layerNorm/5#2", "F.layerNorm/5#3",
            // embedding: no padding_idx, no max_norm
            "F.embedding/6#2", "F.embedding/6#3");

    private static String key(String family, Method m, int i) {
        return family + "." + m.getName() + "/" + m.getParameterCount() + "#" + i;
    }

    private static final Pattern MESSAGE = Pattern.compile(
            "(\\w+)\\(\\): argument '(\\w+)' must be (a|an) [\\w.\\[\\] ]+, not null");

    @Test
    void everyTensorMethodWithATensorParameterNamesItselfAndTheArgument() {
        List<String> checked = new ArrayList<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) continue;
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (types[i] != Tensor.class || NULL_ALLOWED.contains(key("Tensor", m, i))) continue;
                Object receiver = Modifier.isStatic(m.getModifiers()) ? null : Antorcha.ones(2, 2);
                assertRejectsNull(m, receiver, i, m.getName());
                checked.add(m.getName() + "#" + i);
            }
        }
        // 8 arithmetic, 6 comparisons, where (2), matmul, mm, gather, indexSelect, expandAs,
        // 5 arithmetic in-place, copy_, onesLike, zerosLike: 29 when this test was written
        assertThat(checked).hasSizeGreaterThanOrEqualTo(29)
                .contains("add#0", "where#0", "where#1", "add_#0", "copy_#0", "matmul#0", "zerosLike#0");
    }

    @Test
    void staticFamiliesNameTheirArguments() {
        int checked = 0;
        for (Class<?> family : List.of(Antorcha.class, F.class, Losses.class)) {
            for (Method m : family.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers())) continue;
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    if (types[i].isPrimitive() || NULL_ALLOWED.contains(key(family.getSimpleName(), m, i))) continue;
                    assertRejectsNull(m, null, i, m.getName());
                    checked++;
                }
            }
        }
        assertThat(checked).as("zeros, ones, rand, tensor, where, relu, linear, crossEntropy, ...")
                .isGreaterThan(40);
    }

    @Test
    void messagesUsePyTorchsArgumentNames() {
        Tensor x = Antorcha.ones(2, 2);
        assertThatThrownBy(() -> x.add(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("add(): argument 'other' must be a Tensor, not null");
        assertThatThrownBy(() -> x.mm(null)).hasMessage("mm(): argument 'mat2' must be a Tensor, not null");
        assertThatThrownBy(() -> x.copy_(null)).hasMessage("copy_(): argument 'src' must be a Tensor, not null");
        assertThatThrownBy(() -> x.gather(0, null)).hasMessage("gather(): argument 'index' must be a Tensor, not null");
        assertThatThrownBy(() -> x.where(null, x))
                .hasMessage("where(): argument 'condition' must be a Tensor, not null");
        assertThatThrownBy(() -> x.lt((Tensor) null)).hasMessage("lt(): argument 'other' must be a Tensor, not null");
        assertThatThrownBy(() -> Antorcha.zeros((int[]) null))
                .hasMessage("zeros(): argument 'size' must be an int array, not null");
        assertThatThrownBy(() -> F.crossEntropy(x, null))
                .hasMessage("crossEntropy(): argument 'target' must be a Tensor, not null");
    }

    @Test
    void shapeArgumentsOfTensorMethods() {
        Tensor x = Antorcha.ones(2, 2);
        assertThatThrownBy(() -> x.view((int[]) null)).hasMessage("view(): argument 'shape' must be an int array, not null");
        assertThatThrownBy(() -> x.reshape((int[]) null)).hasMessage("reshape(): argument 'shape' must be an int array, not null");
        assertThatThrownBy(() -> x.permute((int[]) null)).hasMessage("permute(): argument 'dims' must be an int array, not null");
        assertThatThrownBy(() -> x.expand((int[]) null)).hasMessage("expand(): argument 'size' must be an int array, not null");
        assertThatThrownBy(() -> x.sumToSize((Shape) null)).hasMessage("sumToSize(): argument 'size' must be a Shape, not null");
        assertThatThrownBy(() -> x.to((DType) null)).hasMessage("to(): argument 'dtype' must be a DType, not null");
    }

    @Test
    void optimizersSchedulersAndContainers() {
        Tensor p = new Linear(2, 2).weight;
        assertThatThrownBy(() -> new SGD((Iterable<Tensor>) null, 0.1))
                .hasMessage("SGD(): argument 'params' must be an Iterable of Tensors, not null");
        assertThatThrownBy(() -> new Adam(Arrays.asList(p, null), 0.1))
                .hasMessage("Adam(): argument 'params' must hold a Tensor at every position, but element 1 is null");
        assertThatThrownBy(() -> new AdamW((Iterable<Tensor>) null, 0.1))
                .hasMessage("AdamW(): argument 'params' must be an Iterable of Tensors, not null");
        assertThatThrownBy(() -> new SGD(List.of(p), (SGD.Options) null))
                .hasMessage("SGD(): argument 'defaults' must be an SGD.Options, not null");
        assertThatThrownBy(() -> new StepLR(null, 1, 0.1))
                .hasMessage("StepLR(): argument 'optimizer' must be an Optimizer, not null");
        assertThatThrownBy(() -> new Sequential(new ReLU(), (Module) null))
                .hasMessage("Sequential(): argument 'layers' must hold a Module at every position, but element 1 is null");
        Linear layer = new Linear(2, 2);
        SGD sgd = new SGD(layer.parameters(), 0.1);
        assertThatThrownBy(() -> layer.loadStateDict(null, true))
                .hasMessage("loadStateDict(): argument 'state_dict' must be a Map of names to Tensors, not null");
        assertThatThrownBy(() -> sgd.loadStateDict(null))
                .hasMessage("loadStateDict(): argument 'state_dict' must be an OptimizerState, not null");
        assertThatThrownBy(() -> new StepLR(sgd, 1, 0.1).loadStateDict(null))
                .hasMessage("loadStateDict(): argument 'state_dict' must be an LRScheduler.State, not null");
        assertThatThrownBy(() -> new dev.antorcha.nn.Parameter(null))
                .hasMessage("Parameter(): argument 'data' must be a Tensor, not null");
        assertThatThrownBy(() -> Losses.mseLoss(p, p, (Reduction) null))
                .hasMessage("mseLoss(): argument 'reduction' must be a Reduction, not null");
    }

    @Test
    void layersAndLossesNameTheirNullInput() {
        List<Module> layers = List.of(new ReLU(), new dev.antorcha.nn.Sigmoid(), new dev.antorcha.nn.Tanh(),
                new dev.antorcha.nn.LeakyReLU(), new dev.antorcha.nn.Softmax(1), new dev.antorcha.nn.LogSoftmax(1),
                new dev.antorcha.nn.Flatten(), new Linear(2, 2), new dev.antorcha.nn.Dropout(0.5),
                new Sequential(new Linear(2, 2), new ReLU()), new dev.antorcha.nn.LayerNorm(2), new dev.antorcha.nn.GELU(),
                new dev.antorcha.nn.Embedding(3, 2));
        for (Module m : layers) {
            assertThatThrownBy(() -> m.forward(null)).as(m.toString()).isInstanceOf(NullPointerException.class)
                    .message().matches(MESSAGE.pattern()).contains("'input'");
        }
        List<dev.antorcha.nn.Loss> losses = List.of(new dev.antorcha.nn.CrossEntropyLoss(), new dev.antorcha.nn.NLLLoss(),
                new dev.antorcha.nn.MSELoss(), new dev.antorcha.nn.L1Loss(), new dev.antorcha.nn.BCEWithLogitsLoss());
        Tensor x = Antorcha.ones(2, 2);
        for (var loss : losses) {
            assertThatThrownBy(() -> loss.forward(x, null)).as(loss.toString())
                    .message().matches(MESSAGE.pattern()).contains("'target'");
            assertThatThrownBy(() -> loss.forward(null, x)).as(loss.toString())
                    .message().matches(MESSAGE.pattern()).contains("'input'");
        }
    }

    @Test
    void dataAndIoEntryPoints() {
        assertThatThrownBy(() -> new TensorDataset(Antorcha.ones(2, 2), null))
                .hasMessage("TensorDataset(): argument 'targets' must be a Tensor, not null");
        assertThatThrownBy(() -> DataLoader.builder(null))
                .hasMessage("DataLoader(): argument 'dataset' must be a Dataset, not null");
        assertThatThrownBy(() -> SafeTensors.load(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("load(): argument 'file' must be a Path, not null");
        assertThatThrownBy(() -> SafeTensors.save(null, Path.of("unused.safetensors")))
                .hasMessage("save(): argument 'tensors' must be a Map of names to Tensors, not null");
    }

    /** Calls {@code m} with valid values everywhere except a null at {@code nullAt}. */
    private static void assertRejectsNull(Method m, Object receiver, int nullAt, String op) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) args[i] = i == nullAt ? null : validValue(types[i]);
        Throwable thrown = null;
        try {
            m.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        String where = m.getDeclaringClass().getSimpleName() + "." + m.getName()
                + Arrays.toString(types) + " with null at " + nullAt;
        assertThat(thrown).as(where).isInstanceOf(NullPointerException.class);
        assertThat(thrown.getMessage()).as(where).isNotNull().doesNotContain("Cannot invoke", "because");
        var matcher = MESSAGE.matcher(thrown.getMessage());
        assertThat(matcher.matches()).as(where + ": " + thrown.getMessage()).isTrue();
        assertThat(matcher.group(1)).as(where).isEqualTo(op);
    }

    private static Object validValue(Class<?> type) {
        if (type == Tensor.class) return Antorcha.ones(2, 2);
        if (type == int.class) return 0;
        if (type == Integer.class) return 1;
        if (type == long.class) return 0L;
        if (type == double.class) return 1.0;
        if (type == Double.class) return 1.0;
        if (type == boolean.class) return false;
        if (type == int[].class) return new int[] {2, 2};
        if (type == float[].class) return new float[] {1, 2, 3, 4};
        if (type == long[].class) return new long[] {1, 2, 3, 4};
        if (type == double[].class) return new double[] {1, 2, 3, 4};
        if (type == float[][].class) return new float[][] {{1, 2}, {3, 4}};
        if (type == DType.class) return DType.FLOAT32;
        if (type == Generator.class) return new Generator(0);
        if (type == Reduction.class) return Reduction.MEAN;
        if (type == Shape.class) return Shape.of(2, 2);
        if (type == String.class) return "valid";
        throw new AssertionError("no valid value for " + type);
    }
}
