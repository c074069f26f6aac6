package io.cellgate.bench.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.CellConfig;
import io.cellgate.bench.cell.SyntheticCell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner's request count equals the independent minimum on every shipped profile and the 10,000-tag cell. */
class PlanReportTest {

    @Test
    void shippedProfiles_everyGroup_plannerEqualsMinimum() throws IOException {
        Path profiles = PlanReport.findProfiles();
        List<PlanReport.Row> rows = PlanReport.shippedProfiles(profiles);

        long files;
        try (Stream<Path> s = Files.list(profiles)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertThat(rows.stream().map(PlanReport.Row::source).distinct()).hasSize((int) files);
        for (PlanReport.Row row : rows) {
            assertThat(row.problems()).as(row.toString()).isEmpty();
            assertThat(row.planner()).as(row.toString()).isEqualTo(row.minimum());
            assertThat(row.minimum()).as(row.toString()).isBetween(1, row.naive());
        }
    }

    @Test
    void syntheticCell_allDevices_plannerEqualsMinimum(@TempDir Path dir) throws IOException {
        SyntheticCell.standard().write(dir);
        CellConfig cell = PlanReport.load(dir);

        List<PlanReport.Row> rows = PlanReport.rows(cell, true);

        PlanReport.Row total = rows.get(rows.size() - 1);
        assertThat(total.tags()).isEqualTo(10_000);
        assertThat(total.devices()).isEqualTo(40);
        assertThat(total.problems()).isEmpty();
        assertThat(total.planner()).isEqualTo(total.minimum());
        // Coalescing must matter in this cell, else it tests nothing.
        assertThat(total.minimum()).isLessThan(total.naive() / 3);
        for (PlanReport.Row row : rows) {
            assertThat(row.plannerIsMinimal()).as(row.toString()).isTrue();
        }
    }

    @Test
    void row_invalidPlanWouldBeReported_planCheckFindsAHole() {
        var a = MinimumReadsTest.tag("a", io.cellgate.api.config.RegisterArea.HOLDING_REGISTER, 0, 1);
        var b = MinimumReadsTest.tag("b", io.cellgate.api.config.RegisterArea.HOLDING_REGISTER, 20, 1);
        var block = new io.cellgate.modbus.ReadBlock(a.area(), 0, 21, List.of(a, b));

        assertThat(PlanCheck.problems(List.of(block), List.of(a, b), 8, 125))
                .singleElement().asString().contains("hole of 19");
        assertThat(PlanCheck.problems(List.of(block), List.of(a, b), 19, 125)).isEmpty();
    }
}
