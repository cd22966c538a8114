package dev.antorcha.backend;

/**
 * The coefficients of one SGD step (PyTorch 1.13's rule) in double: a float32 kernel rounds each
 * once to float, a float64 kernel uses them as they are:
 * <pre>
 * d = g + wd·p                                   (when decay)
 * buf = d (first) | momentum·buf + keep·d         (keep = 1 - dampening; when a buffer is given)
 * d = nesterov ? d + momentum·buf : buf
 * p = p + negLr·d
 * </pre>
 */
public record SgdStep(double negLr, double momentum, double keep, double weightDecay, boolean decay, boolean nesterov,
                      boolean first) {
}
