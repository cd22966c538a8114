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

    /**
     * Row blocks of at most {@code mc} rows, more of them where that makes the number of tasks even
     * and the rows allow it: two threads then share the tasks evenly. (Three row tasks of a weight
     * gradient's 256 rows left one thread idle for a third of the product; a product of at most
     * {@code mc} rows and one column group, such as the CNN's first linear layer, [64, 9216] by
     * [9216, 128], was one task, on one thread.)
     */
    static GemmGrid of(int m, int panels, int mr, int mc, int taskPanels) {
        int colTasks = (panels + taskPanels - 1) / taskPanels;
        int blocks = (m + mc - 1) / mc, taskRows = taskRows(m, blocks, mr);
        while ((m + taskRows - 1) / taskRows * colTasks % 2 == 1 && taskRows > mr) taskRows = taskRows(m, ++blocks, mr);
        return new GemmGrid(taskRows, (m + taskRows - 1) / taskRows, colTasks);
    }

    /** Rows per task for {@code blocks} blocks of about equal size, rounded up to a multiple of {@code mr}. */
    private static int taskRows(int m, int blocks, int mr) {
        return ((m + blocks - 1) / blocks + mr - 1) / mr * mr;
    }

    int tasks() {
        return rowTasks * colTasks;
    }
}
