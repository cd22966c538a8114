package dev.antorcha.backend;

/**
 * The float32 coefficients of one SGD step (PyTorch 1.13's rule), as the optimizer rounds them:
 * <pre>
 * d = g + wd·p                                   (when decay)
 * buf = d (first) | momentum·buf + keep·d         (keep = 1 - dampening; when a buffer is given)
 * d = nesterov ? d + momentum·buf : buf
 * p = p + negLr·d
 * </pre>
 */
public record SgdStep(float negLr, float momentum, float keep, float weightDecay, boolean decay, boolean nesterov,
                      boolean first) {
}
