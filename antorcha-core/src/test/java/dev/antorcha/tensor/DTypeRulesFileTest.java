package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antorcha.tensor.DTypeRule.Kind;
import dev.antorcha.tensor.DTypeRule.Refusal;
import dev.antorcha.tensor.DTypeRulesWalk.Result;
import dev.antorcha.tensor.DTypeRulesWalk.RulesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every row of PyTorch's dtype rules (2,731 results of PyTorch 1.13 itself, made by
 * {@code make_dtype_table.py}) against {@link DTypeRules#PYTORCH}: the committed copy on every
 * clone, the team's shared file where {@code antorcha.shared} has it. Then the walk is shown to
 * catch a wrong rule, a missing refusal and a refusal message that names the wrong thing.
 */
class DTypeRulesFileTest {

    private static RulesFile committed() throws IOException {
        try (InputStream in = DTypeRulesFileTest.class.getResourceAsStream("/dtype-rules/dtype_rules.json.gz")) {
            assertThat(in).as("test resource dtype-rules/dtype_rules.json.gz").isNotNull();
            return DTypeRulesWalk.read(in, true);
        }
    }

    @Test
    void committedCopyIsTheWholeTable() throws IOException {
        RulesFile f = committed();
        assertThat(f.format()).isEqualTo("torch-dtype-rules-v1");
        assertThat(f.rows()).hasSize(2731);
        assertThat(DType.parse(f.defaultDtype())).isEqualTo(TypePromotion.DEFAULT_FLOAT);
    }

    @Test
    void everyCommittedRowGivesPyTorchsDtypeOrItsRefusal() throws IOException {
        Result r = DTypeRulesWalk.walk(committed(), DTypeRules.PYTORCH);
        assertTrue(r.mismatches().isEmpty(), r::report);
        assertThat(r.rows()).isEqualTo(2731);
    }

    @Test
    void everySharedRowGivesPyTorchsDtypeOrItsRefusal() throws IOException {
        String shared = System.getProperty("antorcha.shared");
        Path file = Path.of(shared != null && !shared.isBlank() ? shared : "../../shared", "parity-dtypes", "dtype_rules.json");
        String why = "skipped: " + file.toAbsolutePath().normalize() + " not found (set -Dantorcha.shared=DIR "
                + "to the folder holding parity-dtypes/); the committed copy is checked instead";
        if (!Files.isRegularFile(file)) System.out.println("SKIPPED DTypeRulesFileTest: " + why);
        Assumptions.assumeTrue(Files.isRegularFile(file), why);
        RulesFile f;
        try (InputStream in = Files.newInputStream(file)) {
            f = DTypeRulesWalk.read(in, false);
        }
        Result r = DTypeRulesWalk.walk(f, DTypeRules.PYTORCH);
        assertTrue(r.mismatches().isEmpty(), r::report);
        assertThat(f.rows()).as("the committed copy is the shared file").isEqualTo(committed().rows());
    }

    // ---- the walk can fail ---------------------------------------------------------------------------

    @Test
    void aWrongRuleIsCaughtRowByRow() throws IOException {
        // add as if it were true division: every integer/bool add row must now disagree
        DTypeRules wrong = DTypeRules.PYTORCH.with("add", new DTypeRule(Kind.PROMOTE_TO_FLOAT, 2, 2, List.of()));
        Result r = DTypeRulesWalk.walk(committed(), wrong);
        // add's integer/bool results: 6x6 tensor-tensor + 6x6 zero-dim + 6 int-scalar + 6 bool-scalar
        assertThat(r.mismatches()).hasSize(36 + 36 + 6 + 6);
        assertThat(r.mismatches()).allMatch(m -> m.contains(" add ") && m.contains("here float32"));
        assertThat(r.report()).startsWith("84 of 2731 rows disagree with PyTorch").contains("... and 64 more");
    }

    @Test
    void aMissingRefusalIsCaught() throws IOException {
        // sub without its bool refusals: PyTorch's 19 + 19 + 12 refused sub rows now get a dtype
        DTypeRules wrong = DTypeRules.PYTORCH.with("sub", new DTypeRule(Kind.PROMOTE, 2, 2, List.of()));
        Result r = DTypeRulesWalk.walk(committed(), wrong);
        assertThat(r.mismatches()).hasSize(50)
                .allMatch(m -> m.contains(" sub ") && m.contains("PyTorch gives error: Subtraction"));
    }

    @Test
    void aRefusalThatNamesTheWrongDtypeIsCaught() throws IOException {
        // exp refusing float16 with a message that does not name the dtype
        Refusal vague = Refusal.commonIn(Set.of(DType.FLOAT16), "{op}: not supported");
        DTypeRules wrong = DTypeRules.PYTORCH.with("exp", new DTypeRule(Kind.PROMOTE_TO_FLOAT, 1, 1, List.of(vague)));
        Result r = DTypeRulesWalk.walk(committed(), wrong);
        assertThat(r.mismatches()).singleElement().asString()
                .contains("unary exp float16").contains("lacks torch.float16").contains("exp_vml_cpu");
    }

    @Test
    void anUnknownOpInTheFileIsAMismatchNotASkip() throws IOException {
        RulesFile f = committed();
        RulesFile renamed = new RulesFile(f.format(), f.defaultDtype(), List.of(
                java.util.Map.of("op", "addcmul", "a", "int64", "b", "int64", "form", "tensor-tensor", "result", "int64")));
        Result r = DTypeRulesWalk.walk(renamed, DTypeRules.PYTORCH);
        assertThat(r.mismatches()).singleElement().asString().contains("no dtype rule for op 'addcmul'");
    }
}
