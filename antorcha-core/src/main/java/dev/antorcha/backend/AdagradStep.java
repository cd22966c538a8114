package dev.antorcha.backend;

/**
 * The coefficients of one Adagrad step (PyTorch 1.13's single-tensor dense update) in double; a
 * float32 kernel rounds each once to float. {@code negClr} is {@code -lr / (1 + (step-1)·lr_decay)},
 * computed by the optimizer in double as torch does in Python:
 * <pre>
 * g = g + wd·p                                          (when l2)
 * sum = sum + g·g
 * p = p + negClr·g / (sqrt(sum) + eps)
 * </pre>
 */
public record AdagradStep(double negClr, double eps, double weightDecay, boolean l2) {
}
