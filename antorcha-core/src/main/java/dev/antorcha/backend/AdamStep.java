package dev.antorcha.backend;

/**
 * The coefficients of one Adam/AdamW step (PyTorch 1.13's single-tensor update), as the
 * optimizer computes them in double: a float64 kernel uses them as they are, a float32 kernel
 * rounds each once to float (PyTorch's float32 kernels do the same with its Python doubles):
 * <pre>
 * p *= decay                        (AdamW: decay = 1 - lr·wd; when decoupled)
 * g += wd·p                         (Adam with weight decay: when l2)
 * m = β1·m + (1-β1)·g ;  v = β2·v + (1-β2)·g·g ;  vmax = max(vmax, v) (amsgrad)
 * p += (negStep · m) / (sqrt(v) / bc2Sqrt + eps)
 * </pre>
 */
public record AdamStep(double beta1, double oneMinusBeta1, double beta2, double oneMinusBeta2, double negStep,
                       double bc2Sqrt, double eps, double weightDecay, boolean l2, double decay, boolean decoupled) {
}
