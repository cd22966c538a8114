package dev.antorcha.cli;

import dev.antorcha.parity.ParityMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code antorcha parity DIR}: checks Antorcha against a folder of PyTorch reference cases. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run every PyTorch reference case in DIR (torch-parity-v1 format; a torch-dtype-rules-v1 table of "
                + "result dtypes counts as one case): PASS/FAIL/SKIP per case, then a summary.")
final class ParityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "folder of cases, e.g. antorcha-parity/src/test/resources/parity (written by make_parity.py)")
    Path dir;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "where the cases' tensors are made and computed: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isDirectory(dir)) throw new IllegalArgumentException("parity folder not found: " + dir);
        dev.antorcha.tensor.Device on;
        try {
            on = dev.antorcha.tensor.Device.of(device);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--device takes cpu, cuda or cuda:N, got '" + device + "'");
        }
        if (on.type() == dev.antorcha.tensor.Device.Type.CUDA && !dev.antorcha.Cuda.isAvailable()) {
            throw new UsageException("--device " + device + ": " + dev.antorcha.Cuda.unavailableReason());
        }
        dev.antorcha.tensor.Device before = dev.antorcha.Antorcha.getDefaultDevice();
        dev.antorcha.Antorcha.setDefaultDevice(on);   // every tensor a case makes, inputs and parameters, is made there
        try {
            return ParityMain.run(dir, System.out).exitCode();
        } finally {
            dev.antorcha.Antorcha.setDefaultDevice(before);
        }
    }
}
