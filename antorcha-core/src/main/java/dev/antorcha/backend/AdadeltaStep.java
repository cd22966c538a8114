package dev.antorcha.backend;

/**
 * The coefficients of one Adadelta step (PyTorch 1.13's single-tensor update) in double: a
 * float64 kernel uses them as they are, a float32 kernel rounds each once to float, as torch's
 * float32 kernels do with the Python doubles they are given:
 * <pre>
 * g = g + wd·p                                          (when l2)
 * square_avg = ρ·square_avg + (1-ρ)·g·g
 * delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) · g       (eps inside both roots)
 * acc_delta = ρ·acc_delta + (1-ρ)·delta·delta
 * p = p + negLr·delta
 * </pre>
 */
public record AdadeltaStep(double rho, double oneMinusRho, double eps, double negLr, double weightDecay, boolean l2) {
}
