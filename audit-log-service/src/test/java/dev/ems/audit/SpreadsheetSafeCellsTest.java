package dev.ems.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadsheetSafeCellsTest {
    @Test
    void everyFormulaStartGetsALeadingQuoteAndNothingElseChanges() {
        for (String risky : new String[] {"=1+1", "+1", "-1", "@A1", "\tx", "\rx"}) {
            assertThat(SpreadsheetSafeCells.cell(risky)).as(risky).isEqualTo("'" + risky);
        }
        assertThat(SpreadsheetSafeCells.cell("alice")).isEqualTo("alice");
        assertThat(SpreadsheetSafeCells.cell("a=1"))
                .as("only the first character counts")
                .isEqualTo("a=1");
        assertThat(SpreadsheetSafeCells.cell("")).isEmpty();
        assertThat(SpreadsheetSafeCells.cell(null)).isNull();
        assertThat(SpreadsheetSafeCells.cell(42L)).isEqualTo("42");
    }
}
