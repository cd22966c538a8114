package dev.antorcha.backend;

/**
 * The float32 coefficients of one Adam/AdamW step (PyTorch 1.13's single-tensor update), as
 * the optimizer computes them in double and rounds them once:
 * <pre>
 * p *= decay                        (AdamW: decay = 1 - lr·wd; when decoupled)
 * g += wd·p                         (Adam with weight decay: when l2)
 * m = β1·m + (1-β1)·g ;  v = β2·v + (1-β2)·g·g ;  vmax = max(vmax, v) (amsgrad)
 * p += (negStep · m) / (sqrt(v) / bc2Sqrt + eps)
 * </pre>
 */
public record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStep,
                       float bc2Sqrt, float eps, float weightDecay, boolean l2, float decay, boolean decoupled) {
}
