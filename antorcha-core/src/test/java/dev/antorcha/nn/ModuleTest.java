package dev.antorcha.nn;

import dev.antorcha.backend.cpu.CpuStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Module bookkeeping against PyTorch 1.13: names, repr, modes, zero_grad, apply, and
 * state-dict round trips with PyTorch's error reporting.
 */
class ModuleTest {

    /** {@code Net}: a Sequential under "layers" and a bias-free head, to check nesting. */
    static final class Net extends Module {
        final Sequential layers = registerModule("layers",
                new Sequential(new Linear(784, 100), new ReLU(), new Linear(100, 10)));
        final Linear head = registerModule("head", new Linear(10, 2, false));

        @Override
        public Tensor forward(Tensor input) {
            return head.forward(layers.forward(input));
        }
    }

    @Test
    void classifierParametersHaveTheTutorialsStateDictNames() {
        Classifier classifier = new Classifier();
        assertThat(classifier.namedParameters().keySet()).containsExactly(
                "input_layer.weight", "input_layer.bias", "hidden_layer.weight", "hidden_layer.bias",
                "output_layer.weight", "output_layer.bias");
        assertThat(classifier.parameters()).hasSize(6);
        assertThat(classifier.parameters().get(0)).isSameAs(classifier.inputLayer.weight);
        assertThat(classifier.parameters().get(5)).isSameAs(classifier.outputLayer.bias);
        assertThat(classifier.inputLayer.weight.shape().toArray()).containsExactly(100, 784);
        assertThat(classifier.outputLayer.bias.shape().toArray()).containsExactly(10);
        assertThat(classifier.parameters()).allMatch(Tensor::requiresGrad).allMatch(Tensor::isLeaf);
        assertThat(classifier.stateDict().keySet()).containsExactlyElementsOf(classifier.namedParameters().keySet());
        assertThat(classifier.namedChildren().keySet())
                .containsExactly("input_layer", "hidden_layer", "output_layer", "activation");
    }

    @Test
    void classifierForwardViewsImagesAsRows() {
        Antorcha.manualSeed(1);
        Classifier c = new Classifier();
        Tensor images = Antorcha.rand(3, 1, 28, 28);
        Tensor out = c.forward(images);
        assertThat(out.shape().toArray()).containsExactly(3, 10);
        // The same computation spelled out with the layers' parameters.
        Tensor x = images.view(3, 784);
        Tensor h1 = x.matmul(c.inputLayer.weight.t()).add(c.inputLayer.bias).relu();
        Tensor h2 = h1.matmul(c.hiddenLayer.weight.t()).add(c.hiddenLayer.bias).relu();
        Tensor expected = h2.matmul(c.outputLayer.weight.t()).add(c.outputLayer.bias);
        assertThat(out.toFloatArray()).containsExactly(expected.toFloatArray());
    }

    @Test
    void reprMatchesPyTorch() {
        // print(Classifier()) in PyTorch 1.13
        assertThat(new Classifier().toString()).isEqualTo("""
                Classifier(
                  (input_layer): Linear(in_features=784, out_features=100, bias=True)
                  (hidden_layer): Linear(in_features=100, out_features=50, bias=True)
                  (output_layer): Linear(in_features=50, out_features=10, bias=True)
                  (activation): ReLU()
                )""");
        // class Net(nn.Module): layers = nn.Sequential(nn.Linear(784,100), nn.ReLU(), nn.Linear(100,10));
        //                       head = nn.Linear(10, 2, bias=False);  print(Net())
        assertThat(new Net().toString()).isEqualTo("""
                Net(
                  (layers): Sequential(
                    (0): Linear(in_features=784, out_features=100, bias=True)
                    (1): ReLU()
                    (2): Linear(in_features=100, out_features=10, bias=True)
                  )
                  (head): Linear(in_features=10, out_features=2, bias=False)
                )""");
        // print(nn.Sequential(nn.LeakyReLU(0.2), nn.Dropout(0.25), nn.Flatten(), nn.Softmax(dim=1)))
        assertThat(new Sequential(new LeakyReLU(0.2), new Dropout(0.25), new Flatten(), new Softmax(1)).toString())
                .isEqualTo("""
                        Sequential(
                          (0): LeakyReLU(negative_slope=0.2)
                          (1): Dropout(p=0.25, inplace=False)
                          (2): Flatten(start_dim=1, end_dim=-1)
                          (3): Softmax(dim=1)
                        )""");
    }

    @Test
    void sequentialNamesItsChildrenByIndex() {
        Net net = new Net();
        assertThat(net.namedParameters().keySet()).containsExactly(
                "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "head.weight");
        assertThat(net.layers.namedChildren().keySet()).containsExactly("0", "1", "2");
        assertThat(net.layers.get(2)).isInstanceOf(Linear.class);
        assertThat(net.layers.size()).isEqualTo(3);
        assertThatThrownBy(() -> net.layers.get(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("3");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Net net = new Net();
        List<Module> all = new ArrayList<>();
        net.apply(all::add);
        assertThat(all).hasSize(6).allMatch(Module::isTraining);
        assertThat(net.eval()).isSameAs(net);
        assertThat(all).noneMatch(Module::isTraining);
        net.train();
        assertThat(all).allMatch(Module::isTraining);
        net.train(false);
        assertThat(all).noneMatch(Module::isTraining);
    }

    @Test
    void applyVisitsChildrenBeforeTheirParent() {
        Net net = new Net();
        List<String> order = new ArrayList<>();
        net.apply(m -> order.add(m.getClass().getSimpleName()));
        // PyTorch: for m in self.children(): m.apply(fn); then fn(self)
        assertThat(order).containsExactly("Linear", "ReLU", "Linear", "Sequential", "Linear", "Net");
        List<Module> visited = new ArrayList<>();
        net.apply(visited::add);
        assertThat(visited.get(0)).isSameAs(net.layers.get(0));
        assertThat(visited.get(5)).isSameAs(net);
    }

    @Test
    void zeroGradZeroesEveryGradientInPlace() {
        Classifier c = new Classifier();
        c.forward(Antorcha.rand(2, 784)).sum().backward();
        List<Tensor> grads = c.parameters().stream().map(Tensor::grad).toList();
        assertThat(grads).allMatch(g -> g != null);
        assertThat(c.hiddenLayer.weight.grad().abs().sum().item()).isGreaterThan(0f);
        c.zeroGrad();
        for (int i = 0; i < 6; i++) {
            Tensor g = c.parameters().get(i).grad();
            assertThat(g).as("zeroed in place, not replaced").isSameAs(grads.get(i));
            assertThat(g.toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void sharedParameterIsListedOnce() {
        Linear shared = new Linear(3, 3);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        // PyTorch: list(dict(nn.Sequential(l, nn.ReLU(), l).named_parameters())) == ['0.weight', '0.bias']
        assertThat(s.namedParameters().keySet()).containsExactly("0.weight", "0.bias");
        assertThat(s.parameters()).hasSize(2);
        // ... while list(s.state_dict()) == ['0.weight', '0.bias', '2.weight', '2.bias']
        assertThat(s.stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
    }

    @Test
    void stateDictRoundTripsIntoAnotherModel() {
        Antorcha.manualSeed(11);
        Classifier a = new Classifier();
        Classifier b = new Classifier();
        assertThat(b.inputLayer.weight.toFloatArray()).isNotEqualTo(a.inputLayer.weight.toFloatArray());
        Map<String, Tensor> saved = a.stateDict();
        assertThat(saved.get("hidden_layer.bias").requiresGrad()).isFalse();
        Module.IncompatibleKeys keys = b.loadStateDict(saved, true);
        assertThat(keys.missingKeys()).isEmpty();
        assertThat(keys.unexpectedKeys()).isEmpty();
        for (String k : saved.keySet()) {
            assertThat(b.namedParameters().get(k).toFloatArray()).as(k).containsExactly(a.namedParameters().get(k).toFloatArray());
        }
        assertThat(b.inputLayer.weight).as("loading copies into the existing parameter").isInstanceOf(Parameter.class);
        assertThat(b.inputLayer.weight.requiresGrad()).isTrue();
        Tensor x = Antorcha.rand(4, 784);
        assertThat(b.forward(x).toFloatArray()).containsExactly(a.forward(x).toFloatArray());
        // The loaded values are copies: changing a does not change b.
        CpuStorage.floats(a.outputLayer.bias)[0] += 1;
        assertThat(b.outputLayer.bias.toFloatArray()[0]).isNotEqualTo(a.outputLayer.bias.toFloatArray()[0]);
    }

    @Test
    void loadStateDictReportsEveryProblemAtOnce() {
        Net net = new Net();
        float[] before = net.layers.get(0).namedParameters().get("weight").toFloatArray();
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
        sd.remove("layers.0.bias");
        sd.put("extra.w", Antorcha.zeros(1));
        sd.put("layers.2.weight", Antorcha.zeros(5, 100));
        // PyTorch 1.13 (same dict into Net().load_state_dict):
        // Error(s) in loading state_dict for Net:
        //     Missing key(s) in state_dict: "layers.0.bias".
        //     Unexpected key(s) in state_dict: "extra.w".
        //     size mismatch for layers.2.weight: copying a param with shape torch.Size([5, 100]) from checkpoint,
        //     the shape in current model is torch.Size([10, 100]).
        assertThatThrownBy(() -> net.loadStateDict(sd, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Error(s) in loading state_dict for Net:")
                .hasMessageContaining("Missing key(s) in state_dict: \"layers.0.bias\"")
                .hasMessageContaining("Unexpected key(s) in state_dict: \"extra.w\"")
                .hasMessageContaining("size mismatch for layers.2.weight")
                .hasMessageContaining("[5, 100]")
                .hasMessageContaining("[10, 100]");
        assertThat(net.layers.get(0).namedParameters().get("weight").toFloatArray())
                .as("nothing is copied when loading fails").containsExactly(before);
    }

    @Test
    void nonStrictLoadReturnsTheKeysAndLoadsTheRest() {
        Net source = new Net();
        Net target = new Net();
        Map<String, Tensor> sd = new LinkedHashMap<>(source.stateDict());
        sd.remove("head.weight");
        sd.put("x", Antorcha.zeros(1));
        float[] headBefore = target.head.weight.toFloatArray();
        // PyTorch: _IncompatibleKeys(missing_keys=['head.weight'], unexpected_keys=['x'])
        Module.IncompatibleKeys keys = target.loadStateDict(sd, false);
        assertThat(keys.missingKeys()).containsExactly("head.weight");
        assertThat(keys.unexpectedKeys()).containsExactly("x");
        assertThat(target.layers.get(2).namedParameters().get("weight").toFloatArray())
                .containsExactly(source.layers.get(2).namedParameters().get("weight").toFloatArray());
        assertThat(target.head.weight.toFloatArray()).containsExactly(headBefore);
        // Strict loading of the same dict fails; a size mismatch fails even when not strict (as in PyTorch).
        assertThatThrownBy(() -> target.loadStateDict(sd, true)).hasMessageContaining("head.weight").hasMessageContaining("\"x\"");
        sd.put("layers.0.bias", Antorcha.zeros(3));
        assertThatThrownBy(() -> target.loadStateDict(sd, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size mismatch for layers.0.bias");
    }

    @Test
    void duplicateAndDottedNamesAreRejected() {
        class Twice extends Module {
            Twice() {
                registerModule("fc", new Linear(2, 2));
                registerModule("fc", new Linear(2, 2));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        assertThatThrownBy(Twice::new).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fc'");
        class ParamClash extends Module {
            ParamClash() {
                registerModule("w", new ReLU());
                registerParameter("w", new Parameter(Antorcha.zeros(2)));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        assertThatThrownBy(ParamClash::new).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
        class Dotted extends Module {
            Dotted() {
                registerModule("a.b", new ReLU());
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        assertThatThrownBy(Dotted::new).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.b");
    }
}
