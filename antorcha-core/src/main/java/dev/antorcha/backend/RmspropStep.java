package dev.antorcha.backend;

/**
 * The coefficients of one RMSprop step (PyTorch 1.13's single-tensor update) in double; a
 * float32 kernel rounds each once to float. {@code grad_avg} is given only when centered and
 * {@code momentum_buffer} only when momentum &gt; 0:
 * <pre>
 * g = g + wd·p                                          (when l2)
 * square_avg = α·square_avg + (1-α)·g·g
 * centered:  grad_avg = α·grad_avg + (1-α)·g ;  avg = sqrt(square_avg - grad_avg²) + eps
 * else:      avg = sqrt(square_avg) + eps                        (eps outside the root)
 * momentum:  buf = momentum·buf + g / avg ;  p = p + negLr·buf
 * else:      p = p + negLr·g / avg
 * </pre>
 */
public record RmspropStep(double alpha, double oneMinusAlpha, double eps, double negLr, double momentum,
                          double weightDecay, boolean l2) {
}
