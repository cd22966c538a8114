package dev.antorcha.cli;

import dev.antorcha.parity.ParityMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code antorcha parity DIR}: checks Antorcha against a folder of PyTorch reference cases. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run every PyTorch reference case in DIR (torch-parity-v1 format; a torch-dtype-rules-v1 table of "
                + "result dtypes counts as one case): PASS/FAIL/SKIP per case, then a summary.")
final class ParityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "folder of cases, e.g. antorcha-parity/src/test/resources/parity (written by make_parity.py)")
    Path dir;

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isDirectory(dir)) throw new IllegalArgumentException("parity folder not found: " + dir);
        return ParityMain.run(dir, System.out).exitCode();
    }
}
