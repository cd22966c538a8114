package dev.antorcha.optim;

import dev.antorcha.ops.Args;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of learning-rate schedulers, PyTorch's {@code LRScheduler}: remembers each group's initial
 * learning rate and, on {@link #step()} (once per epoch, after {@code optimizer.step()}), sets
 * the new one.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final List<Double> baseLrs = new ArrayList<>();
    protected int lastEpoch = -1;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Args.nonNull(optimizer, getClass().getSimpleName(), "optimizer", "an Optimizer");
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs.add(g.get("initial_lr"));
        }
    }

    /** Call at the end of the constructor of a subclass: PyTorch's initial step to epoch 0. */
    protected final void initialStep() {
        step();
    }

    /** The learning rates for {@link #lastEpoch}, from the groups' current ones. */
    protected abstract List<Double> computeLr();

    public void step() {
        lastEpoch++;
        List<Double> lrs = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(lrs.get(i));
    }

    public List<Double> lastLr() {
        return optimizer.paramGroups().stream().map(ParamGroup::lr).toList();
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** What a resumed run needs: the epoch reached and the initial learning rates. */
    public record State(int lastEpoch, List<Double> baseLrs) {
    }

    public State stateDict() {
        return new State(lastEpoch, List.copyOf(baseLrs));
    }

    /** Continues from a saved epoch (the optimizer's learning rates come from its own state). */
    public void loadStateDict(State state) {
        Args.nonNull(state, "loadStateDict", "state_dict", "an LRScheduler.State");
        if (state.baseLrs().size() != baseLrs.size()) {
            throw new IllegalArgumentException("scheduler state has " + state.baseLrs().size()
                    + " base learning rates, the optimizer has " + baseLrs.size() + " parameter groups");
        }
        lastEpoch = state.lastEpoch();
        baseLrs.clear();
        baseLrs.addAll(state.baseLrs());
    }
}
