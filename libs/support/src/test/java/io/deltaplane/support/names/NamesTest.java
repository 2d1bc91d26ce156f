package io.deltaplane.support.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.problem.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class NamesTest {

    @Test
    void aPartHasNoDotsAJobNameMay() {
        assertThat(Names.part("table", "orders_2024-v1")).isEqualTo("orders_2024-v1");
        assertThat(Names.dotted("job", "sales.daily")).isEqualTo("sales.daily");
        assertInvalid(() -> Names.part("table", "sales.orders"), "A table name must match");
        assertInvalid(() -> Names.part("table", "-lead"), "-lead");
        assertInvalid(() -> Names.part("table", null), "A table name");
        assertInvalid(() -> Names.dotted("job", "x".repeat(256)), "…");
        assertInvalid(() -> Names.dotted("job", "a\u0000b"), "job");
    }

    @Test
    void aFullNameSplitsIntoCheckedParts() {
        assertThat(Names.split("main.sales.orders", 3, "table")).containsExactly("main", "sales", "orders");
        assertInvalid(() -> Names.split("main.sales", 3, "table"), "3 dot-separated parts");
        assertInvalid(() -> Names.split("main..orders", 3, "table"), "A table name");
    }

    @Test
    void catalogSchemaAndTableNamesFoldToLowerCaseJobNamesKeepTheirCase() {
        assertThat(Names.part("catalog", "UPPER")).isEqualTo("upper");
        assertThat(Names.split("Main.Sales.Orders_V2", 3, "table")).containsExactly("main", "sales", "orders_v2");
        // Folding is locale-independent: a Turkish default locale does not turn I into a dotless ı.
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(Names.part("table", "INVOICES")).isEqualTo("invoices");
        } finally {
            java.util.Locale.setDefault(before);
        }
        assertThat(Names.dotted("job", "Sales.Daily")).isEqualTo("Sales.Daily");
        assertThat(Names.lookup("Sales.Daily")).isEqualTo("Sales.Daily");
    }

    @Test
    void lookUpsAcceptOpenLineageNamesButNoControlCharacters() {
        assertThat(Names.lookup("s3://bucket/path with spaces")).isEqualTo("s3://bucket/path with spaces");
        assertInvalid(() -> Names.lookup("a\nb"), "is not a valid name");
        assertInvalid(() -> Names.lookup(""), "is not a valid name");
    }

    private static void assertInvalid(Runnable check, String inDetail) {
        assertThatThrownBy(check::run)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errorCode()).isEqualTo("INVALID_NAME");
                })
                .hasMessageContaining(inDetail);
    }
}
