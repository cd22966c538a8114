package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * The tutorial's MNIST classifier, written in Java with the tutorial's names, so that its
 * state-dict keys and repr are PyTorch's:
 * <pre>
 * class Classifier(nn.Module):
 *     def __init__(self):
 *         super().__init__()
 *         self.input_layer = nn.Linear(28*28, 100)
 *         self.hidden_layer = nn.Linear(100, 50)
 *         self.output_layer = nn.Linear(50, 10)
 *         self.activation = nn.ReLU()
 *     def forward(self, input):
 *         input = input.view(-1, 28*28)
 *         input = self.activation(self.input_layer(input))
 *         input = self.activation(self.hidden_layer(input))
 *         return self.output_layer(input)
 * </pre>
 */
final class Classifier extends Module {
    final Linear inputLayer = registerModule("input_layer", new Linear(28 * 28, 100));
    final Linear hiddenLayer = registerModule("hidden_layer", new Linear(100, 50));
    final Linear outputLayer = registerModule("output_layer", new Linear(50, 10));
    final ReLU activation = registerModule("activation", new ReLU());

    @Override
    public Tensor forward(Tensor input) {
        input = input.view(-1, 28 * 28);
        input = activation.forward(inputLayer.forward(input));
        input = activation.forward(hiddenLayer.forward(input));
        return outputLayer.forward(input);
    }
}
