package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ModuleList}: torch's names, order, printed form, replacement, and no forward of its own. */
class ModuleListTest {

    @Test
    void elementsAreNumberedAsPyTorchs() {
        Linear a = new Linear(2, 3), b = new Linear(3, 1, false);
        ModuleList list = new ModuleList(a, new ReLU()).append(b);
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.get(0)).isSameAs(a);
        assertThat(list.get(2)).isSameAs(b);
        List<Module> iterated = new ArrayList<>();
        list.forEach(iterated::add);
        assertThat(iterated).containsExactly(a, list.get(1), b);
        assertThat(list.stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight");
        assertThat(list.toString()).isEqualTo("ModuleList(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n"
                + "  (1): ReLU()\n  (2): Linear(in_features=3, out_features=1, bias=False)\n)");
        Linear c = new Linear(2, 3);
        list.setModule("0", c);
        assertThat(list.get(0)).isSameAs(c);
        assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("length 3");
        assertThatThrownBy(() -> list.forward(Antorcha.ones(2))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("missing the required \"forward\" function");
        assertThatThrownBy(() -> new ModuleList(a, null)).hasMessageContaining("element 1 is null");
        assertThat(new ModuleList().size()).isZero();
    }
}
