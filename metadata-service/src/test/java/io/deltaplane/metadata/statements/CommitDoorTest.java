package io.deltaplane.metadata.statements;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests are commits, and through which door: what {@code deltaplane.commit.sql.statements} is tagged by. */
class CommitDoorTest {

    @Test
    void commitRequestsAreTaggedByTheirDoor() {
        assertThat(CommitDoor.of("POST", "/api/v1/tables/c.s.t/commits")).isEqualTo(CommitDoor.API);
        assertThat(CommitDoor.of("POST", "/api/v1/transactions")).isEqualTo(CommitDoor.TRANSACTIONS);
        assertThat(CommitDoor.of("POST", "/api/2.1/unity-catalog/delta/v1/catalogs/c/schemas/s/tables/t"))
                .isEqualTo(CommitDoor.UNITY);
        assertThat(CommitDoor.of("POST", "/api/2.1/unity-catalog/delta/preview/commits"))
                .isEqualTo(CommitDoor.LEGACY);
    }

    @Test
    void otherRequestsAreNoCommits() {
        assertThat(CommitDoor.of("GET", "/api/v1/tables/c.s.t/commits")).isNull();
        assertThat(CommitDoor.of("GET", "/api/2.1/unity-catalog/delta/preview/commits"))
                .isNull();
        assertThat(CommitDoor.of("POST", "/api/v1/tables")).isNull();
        assertThat(CommitDoor.of("POST", "/api/v1/tables/c.s.t/commits/x")).isNull();
        assertThat(CommitDoor.of("POST", "/api/v1/tables/c.s.t/catalog-managed"))
                .isNull();
        assertThat(CommitDoor.of("POST", "/api/2.1/unity-catalog/delta/v1/catalogs/c/schemas/s/tables"))
                .isNull();
        assertThat(CommitDoor.of("POST", "/api/2.1/unity-catalog/delta/v1/catalogs/c/schemas/s/tables/t/metrics"))
                .isNull();
        assertThat(CommitDoor.of("POST", "/api/2.1/unity-catalog/delta/v1/catalogs/c/schemas/s/staging-tables"))
                .isNull();
    }
}
