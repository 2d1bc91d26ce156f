package io.deltaplane.support.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.problem.ApiException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unity Catalog's rules as {@link AccessControl} applies them to what a caller holds. */
class AccessRulesTest {

    private static final Securable TABLE = Securable.table("sales", "eu", "orders");

    @Test
    void aPrivilegeHoldsBelowWhereItWasGrantedWithTheUseChain() {
        Holdings held = holdings(Map.of(
                SecurableType.CATALOG, Set.of(Privilege.USE_CATALOG, Privilege.SELECT),
                SecurableType.SCHEMA, Set.of(Privilege.USE_SCHEMA)));
        assertThat(AccessControl.missing(held, TABLE, Privilege.SELECT)).isEmpty();
        assertThat(AccessControl.missing(held, TABLE, Privilege.MODIFY)).hasValue("MODIFY on table sales.eu.orders");
    }

    @Test
    void withoutUseCatalogOrUseSchemaNothingInsideIsReachable() {
        Holdings noUseSchema = holdings(Map.of(
                SecurableType.CATALOG, Set.of(Privilege.USE_CATALOG), SecurableType.TABLE, Set.of(Privilege.SELECT)));
        assertThat(AccessControl.missing(noUseSchema, TABLE, Privilege.SELECT))
                .hasValue("USE_SCHEMA on schema sales.eu");
        Holdings noUseCatalog = holdings(Map.of(SecurableType.SCHEMA, Set.of(Privilege.USE_SCHEMA, Privilege.SELECT)));
        assertThat(AccessControl.missing(noUseCatalog, TABLE, Privilege.SELECT))
                .hasValue("USE_CATALOG on catalog sales");
        // using the catalog itself needs no more than USE_CATALOG
        assertThat(AccessControl.missing(
                        holdings(Map.of(SecurableType.CATALOG, Set.of(Privilege.USE_CATALOG))),
                        Securable.catalog("sales"),
                        Privilege.USE_CATALOG))
                .isEmpty();
    }

    @Test
    void aSecurableIsNamedFoldedHoweverItsNameWasSpelled() {
        assertThat(Securable.table("Main", "Sales", "Orders")).isEqualTo(Securable.table("main.sales.orders"));
        assertThat(Securable.parse("schema", "MAIN.Sales")).isEqualTo(Securable.schema("main", "sales"));
        assertThat(Securable.table("MAIN.SALES.ORDERS").parent()).isEqualTo(Securable.schema("main", "sales"));
    }

    @Test
    void allPrivilegesIsEverythingButManage() {
        Holdings held = holdings(Map.of(SecurableType.METASTORE, Set.of(Privilege.ALL_PRIVILEGES)));
        assertThat(AccessControl.missing(held, TABLE, Privilege.MODIFY)).isEmpty();
        assertThat(AccessControl.missing(held, Securable.metastore(), Privilege.CREATE_CATALOG))
                .isEmpty();
        assertThat(AccessControl.missing(held, TABLE, Privilege.MANAGE)).hasValue("MANAGE on table sales.eu.orders");
    }

    @Test
    void anOwnerHoldsEveryPrivilegeOnWhatItOwnsAndBelow() {
        Holdings owner = new Holdings(
                TABLE, Map.of(SecurableType.CATALOG, Set.of(Privilege.USE_CATALOG)), EnumSet.of(SecurableType.SCHEMA));
        assertThat(AccessControl.missing(owner, TABLE, Privilege.MANAGE))
                .as("the schema's owner, below it")
                .isEmpty();
        // ... but owning a schema is no USE_CATALOG on the catalog above it
        assertThat(AccessControl.missing(
                        new Holdings(TABLE, Map.of(), EnumSet.of(SecurableType.TABLE)), TABLE, Privilege.SELECT))
                .hasValue("USE_CATALOG on catalog sales");
        assertThat(new Holdings(TABLE, Map.of(), EnumSet.of(SecurableType.METASTORE)).metastoreAdmin())
                .isTrue();
        assertThat(owner.metastoreAdmin()).isFalse();
    }

    @Test
    void securablesKnowWhatTheyAreInside() {
        assertThat(TABLE.withAncestors())
                .containsExactly(
                        TABLE, Securable.schema("sales", "eu"), Securable.catalog("sales"), Securable.metastore());
        assertThat(Securable.parse("TABLE", "sales.eu.orders")).isEqualTo(TABLE);
        assertThatThrownBy(() -> Securable.parse("table", "sales.eu")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Securable.parse("volume", "x")).isInstanceOf(ApiException.class);
    }

    private static Holdings holdings(Map<SecurableType, Set<Privilege>> granted) {
        return new Holdings(TABLE, granted, Set.of());
    }
}
