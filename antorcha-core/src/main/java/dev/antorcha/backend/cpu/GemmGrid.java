package dev.antorcha.backend.cpu;

/**
 * The fixed task grid of a packed matrix multiply ({@link Gemm}, {@link DoubleGemm}): row blocks
 * of equal size (a multiple of {@code mr}, at most {@code mc} rows), so that two threads get equal
 * shares of a product of few rows, times groups of {@code taskPanels} column panels. The grid
 * depends on the shape only, never on the thread count, so every element of C is summed in the
 * same order however many threads run the tasks.
 *
 * @param taskRows rows of C per task (the last row task may have fewer)
 * @param rowTasks row blocks
 * @param colTasks column groups; task {@code t} is row block {@code t / colTasks}, group {@code t % colTasks}
 */
record GemmGrid(int taskRows, int rowTasks, int colTasks) {

    static GemmGrid of(int m, int panels, int mr, int mc, int taskPanels) {
        int blocks = (m + mc - 1) / mc;
        int taskRows = ((m + blocks - 1) / blocks + mr - 1) / mr * mr;
        return new GemmGrid(taskRows, (m + taskRows - 1) / taskRows, (panels + taskPanels - 1) / taskPanels);
    }

    int tasks() {
        return rowTasks * colTasks;
    }
}
