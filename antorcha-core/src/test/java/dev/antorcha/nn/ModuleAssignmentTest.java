package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Parameters and submodules assigned after construction: tied weights, replaced layers. */
class ModuleAssignmentTest {

    /** Two layers of the same shape, the second's weight tied to the first's, as word_language_model ties its decoder. */
    static final class Tied extends Module {
        final Linear a = registerModule("a", new Linear(3, 3));
        final Linear b = registerModule("b", new Linear(3, 3));

        Tied() {
            b.setParameter("weight", a.weight);
        }

        @Override
        public Tensor forward(Tensor x) {
            return b.forward(a.forward(x));
        }
    }

    @Test
    void aTiedWeightIsOneParameterListedOnceAndSavedUnderBothNames() {
        Tied m = new Tied();
        assertThat(m.b.weight).isSameAs(m.a.weight);
        assertThat(m.parameters()).hasSize(3);   // a.weight, a.bias, b.bias
        assertThat(m.namedParameters().keySet()).containsExactly("a.weight", "a.bias", "b.bias");
        assertThat(m.stateDict().keySet()).containsExactly("a.weight", "a.bias", "b.weight", "b.bias");
        assertThat(m.getParameter("b.weight")).isSameAs(m.a.weight);
    }

    @Test
    void theGradientOfATiedWeightIsTheSumOfBothUses() {
        Tied m = new Tied();
        Tensor x = Antorcha.tensor(new float[] {1, -2, 0.5f, 3, 0, -1}, 2, 3);
        m.forward(x).sum().backward();
        Tensor tiedGrad = m.a.weight.grad();

        // the same computation with two independent copies of the weight: the sum of their gradients
        Tensor w1 = m.a.weight.detach().clone().requiresGrad(true);
        Tensor w2 = m.a.weight.detach().clone().requiresGrad(true);
        Tensor h = x.matmul(w1.t()).add(m.a.bias.detach());
        h.matmul(w2.t()).add(m.b.bias.detach()).sum().backward();
        float[] expected = w1.grad().add(w2.grad()).toFloatArray();
        assertThat(tiedGrad.toFloatArray()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void loadingAStateDictFillsTheSharedParameterOnce() {
        Tied source = new Tied(), target = new Tied();
        target.loadStateDict(source.stateDict(), true);
        assertThat(target.a.weight.toFloatArray()).containsExactly(source.a.weight.toFloatArray());
        assertThat(target.b.weight).isSameAs(target.a.weight);
    }

    @Test
    void aReplacedSubmoduleRunsInItsPlace() {
        Sequential s = new Sequential(new Linear(2, 2), new ReLU());
        Tensor x = Antorcha.tensor(new float[] {-1, 2}, 1, 2);
        Tensor before = s.forward(x);
        assertThat(before.toFloatArray()).containsExactly(((Linear) s.get(0)).forward(x).relu().toFloatArray());
        s.setModule("1", new Identity());
        Tensor linearOnly = ((Linear) s.get(0)).forward(x);
        assertThat(s.forward(x).toFloatArray()).containsExactly(linearOnly.toFloatArray());
        assertThat(s.get(1)).isInstanceOf(Identity.class);
        assertThat(s.namedChildren().keySet()).containsExactly("0", "1");

        s.setModule("2", new Sigmoid());   // a new name is appended, as in PyTorch
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.forward(x).toFloatArray()).containsExactly(linearOnly.sigmoid().toFloatArray());
    }

    @Test
    void getSubmoduleFollowsDottedPaths() {
        ModuleTest.Net net = new ModuleTest.Net();
        assertThat(net.getSubmodule("layers.2")).isSameAs(net.layers.get(2));
        assertThat(net.getSubmodule("")).isSameAs(net);
        assertThatThrownBy(() -> net.getSubmodule("layers.7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Sequential has no attribute `7`").hasMessageContaining("layers.7");
        assertThatThrownBy(() -> net.getParameter("head.bias")).hasMessageContaining("Linear has no parameter `bias`");
    }

    @Test
    void assigningOverADifferentKindOfAttributeIsRefused() {
        Sequential s = new Sequential(new Linear(2, 2));
        assertThatThrownBy(() -> s.setParameter("0", new Parameter(Antorcha.zeros(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0' of Sequential: it is a submodule");
        Linear l = new Linear(2, 2);
        assertThatThrownBy(() -> l.setModule("weight", new ReLU())).hasMessageContaining("it is a parameter");
        assertThatThrownBy(() -> l.setParameter("weight", null)).hasMessageContaining("null");
        assertThatThrownBy(() -> l.setParameter("a.b", new Parameter(Antorcha.zeros(2)))).hasMessageContaining("contain no '.'");
    }

    /**
     * Every layer that keeps parameters in fields runs with the ones assigned to it: a fresh layer
     * given all of another's parameters computes what that other computes.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Linear", "Conv2d", "BatchNorm1d", "LayerNorm", "Embedding",
            "LSTM", "GRU", "LSTMCell", "GRUCell", "RNNCell", "MultiheadAttention"})
    void aLayerComputesWithTheParametersAssignedToIt(String kind) {
        Antorcha.manualSeed(3);
        java.util.function.Supplier<Module> make = () -> switch (kind) {
            case "Linear" -> new Linear(4, 3);
            case "Conv2d" -> new Conv2d(4, 2, 1);
            case "BatchNorm1d" -> new BatchNorm1d(4);
            case "LayerNorm" -> new LayerNorm(4);
            case "Embedding" -> new Embedding(6, 4);
            case "LSTM" -> new LSTM(4, 3, RNNOptions.defaults().numLayers(2).bidirectional(true));
            case "GRU" -> new GRU(4, 3);
            case "LSTMCell" -> new LSTMCell(4, 3);
            case "GRUCell" -> new GRUCell(4, 3);
            case "RNNCell" -> new RNNCell(4, 3);
            case "MultiheadAttention" -> new MultiheadAttention(4, 2);
            default -> throw new IllegalArgumentException(kind);
        };
        Module source = make.get(), target = make.get();
        source.apply(m -> m.namedParameters().forEach((n, p) -> {
            if (!n.contains(".")) {
                try (var _ = Antorcha.noGrad()) {
                    p.copy_(Antorcha.randn(p.shape().toArray()));   // BatchNorm's and LayerNorm's ones and zeros differ too
                }
            }
        }));
        Tensor x = switch (kind) {
            case "Embedding" -> Antorcha.tensor(new long[] {0, 5, 2}, 3);
            case "Conv2d" -> Antorcha.randn(1, 4, 2, 2);
            case "LSTM", "GRU", "MultiheadAttention" -> Antorcha.randn(2, 1, 4);
            default -> Antorcha.randn(2, 4);
        };
        assertThat(target.forward(x).toFloatArray()).isNotEqualTo(source.forward(x).toFloatArray());
        source.namedParameters().forEach((name, p) -> {
            int dot = name.lastIndexOf('.');
            Module owner = dot < 0 ? target : target.getSubmodule(name.substring(0, dot));
            owner.setParameter(name.substring(dot + 1), p);
        });
        assertThat(target.forward(x).toFloatArray()).containsExactly(source.forward(x).toFloatArray());
    }
}
