package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The task grid: row blocks of at most MC rows covering C exactly once, an even number of tasks where the rows allow it. */
class GemmGridTest {
    private static final int MR = 12, MC = 96, PANELS = 32;

    @Test
    void rowBlocksCoverTheRowsAndTheTasksAreEvenWhereTheRowsAllow() {
        for (int m = 1; m <= 2000; m++) {
            for (int panels : new int[] {1, 8, 32, 33, 64, 65, 2291}) {
                GemmGrid g = GemmGrid.of(m, panels, MR, MC, PANELS);
                String what = "m " + m + ", panels " + panels + ": " + g;
                assertThat(g.taskRows() % MR).as(what).isZero();
                assertThat(g.taskRows()).as(what).isBetween(MR, MC);
                assertThat(g.rowTasks() * g.taskRows()).as(what).isGreaterThanOrEqualTo(m);
                assertThat((g.rowTasks() - 1) * g.taskRows()).as(what).isLessThan(m);
                assertThat(g.colTasks()).as(what).isEqualTo((panels + PANELS - 1) / PANELS);
                if (g.taskRows() > MR) assertThat(g.tasks() % 2).as(what).isZero();
            }
        }
        assertThat(GemmGrid.of(256, 8, MR, MC, PANELS)).isEqualTo(new GemmGrid(72, 4, 1));    // a weight gradient's 4H rows: 4 tasks, not 3
        assertThat(GemmGrid.of(64, 16, MR, MC, PANELS)).isEqualTo(new GemmGrid(36, 2, 1));    // the CNN's fc1: 2 tasks, not 1
        assertThat(GemmGrid.of(12, 16, MR, MC, PANELS)).isEqualTo(new GemmGrid(12, 1, 1));    // one tile of rows: nothing to split
        assertThat(GemmGrid.of(700, 2291, MR, MC, PANELS)).isEqualTo(new GemmGrid(96, 8, 72)); // already even
    }
}
