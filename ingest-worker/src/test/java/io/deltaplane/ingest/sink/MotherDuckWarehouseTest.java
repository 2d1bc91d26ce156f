package io.deltaplane.ingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The {@code md:} (MotherDuck) path of {@link Warehouse}, as far as the build can take it: MotherDuck
 * itself is a service the build cannot reach (docs/ingest.md says so), so what is checked is that
 * the path fails closed — a worker that cannot reach MotherDuck does not start on a local database
 * instead — and that its error names the target and never the token.
 */
class MotherDuckWarehouseTest {

    private static final String TOKEN = "md-token-not-to-be-shown-0123456789";

    @Test
    void anUnreachableMotherDuckFailsClosedWithoutShowingTheToken() {
        assertThatThrownBy(() -> Warehouse.open("md:deltaplane_build_check", TOKEN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("md:deltaplane_build_check")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
                    }
                });
    }
}
