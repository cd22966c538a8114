package dev.antorcha.parity;

import dev.antorcha.nn.Conv2d;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.functional.F;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mnist_cnn} network case of {@code PARITY_FORMAT_CNN.md}: PyTorch's MNIST example
 * {@code Net} without its dropout layers, on small images, its forward values, the gradients of
 * its NLL loss, and five Adadelta steps on one batch.
 */
final class CnnCases {
    private CnnCases() {
    }

    /** The example's {@code Net} without dropout; fc1's width comes from the case. */
    static final class Net extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 1));
        final Linear fc1;
        final Linear fc2;
        Tensor conv1Relu;
        Tensor pool;

        @SuppressWarnings("this-escape")
        Net(int fc1In) {
            fc1 = registerModule("fc1", new Linear(fc1In, 128));
            fc2 = registerModule("fc2", new Linear(128, 10));
        }

        @Override
        public Tensor forward(Tensor x) {
            conv1Relu = F.relu(conv1.forward(x));
            pool = F.maxPool2d(F.relu(conv2.forward(conv1Relu)), 2);
            Tensor h = F.relu(fc1.forward(pool.flatten(1)));
            return F.logSoftmax(fc2.forward(h), 1);
        }
    }

    static Map<String, Tensor> mnistCnn(ParityCase c, Map<String, Tensor> in) {
        Map<String, Tensor> init = NetworkCases.initialState(in);
        Tensor x = in.get("x"), target = in.get("target");
        Map<String, Tensor> out = new LinkedHashMap<>();

        Net model = fresh(c, init);
        Tensor logits = model.forward(x);
        Tensor loss = F.nllLoss(logits, target);
        loss.backward();
        out.put("conv1_relu", model.conv1Relu);
        out.put("pool", model.pool);
        out.put("logits", logits);
        out.put("loss", loss);
        model.namedParameters().forEach((k, p) -> out.put("grad/" + k, p.grad()));

        Net trained = fresh(c, init);
        Optimizer opt = new Adadelta(trained.parameters(), new Adadelta.Options(c.param("adadelta.lr"),
                c.param("adadelta.rho"), c.param("adadelta.eps"), c.param("adadelta.weight_decay")));
        out.putAll(NetworkCases.train(trained, opt, x, target, "adadelta", NetworkCases.snapshots(c, "adadelta"), F::nllLoss));
        return out;
    }

    private static Net fresh(ParityCase c, Map<String, Tensor> init) {
        Net m = new Net((int) c.param("fc1_in_features"));
        m.loadStateDict(init, true);
        return m;
    }
}
