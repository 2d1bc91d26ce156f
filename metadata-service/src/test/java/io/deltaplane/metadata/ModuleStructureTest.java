package io.deltaplane.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doors stay leaves over one model, checked over the compiled classes: nothing in the core
 * depends on the Unity Catalog adapter, and the Delta REST door ({@code unity.delta}) maps requests
 * and responses only — no repository, SQL, transaction or storage of its own; what the catalog
 * decides is in {@code managed} and the packages below it.
 */
class ModuleStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.deltaplane.metadata");
    }

    @Test
    void noPackageDependsOnTheUnityCatalogAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.deltaplane.metadata.unity..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.deltaplane.metadata.unity..")
                .check(classes);
    }

    @Test
    void noPackageDependsOnTheIcebergDoor() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.deltaplane.metadata.iceberg..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.deltaplane.metadata.iceberg..")
                .check(classes);
    }

    /**
     * The Iceberg REST door maps requests and answers: the Iceberg metadata it serves is the core's
     * ({@code icebergmetadata}), who may read what is the application layer's.
     */
    @Test
    void theIcebergDoorHoldsNoRepositorySqlTransactionOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("io.deltaplane.metadata.iceberg..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.jdbc..", "io.deltaplane.storage..", "java.sql..", "javax.sql..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("TransactionTemplate")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("AccessControl")
                .check(classes);
    }

    /**
     * Unity Catalog's door maps requests and answers: no repository, SQL, transaction or storage of
     * its own (credential vending is the core's {@code credentials}).
     */
    @Test
    void theUnityCatalogDoorHoldsNoRepositorySqlTransactionOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("io.deltaplane.metadata.unity..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "io.deltaplane.storage..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("TransactionTemplate")
                .check(classes);
    }

    /** Every door's tables, catalogs and schemas go through the application layer, not a repository. */
    @Test
    void theTableCatalogAndSchemaControllersHoldNoRepository() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Controller")
                .and()
                .resideInAnyPackage(
                        "io.deltaplane.metadata.table..",
                        "io.deltaplane.metadata.catalog..",
                        "io.deltaplane.metadata.imports..",
                        "io.deltaplane.metadata.unity..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "io.deltaplane.storage..")
                .check(classes);
    }

    @Test
    void theDeltaRestDoorHoldsNoRepositorySqlTransactionOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("io.deltaplane.metadata.unity.delta..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "io.deltaplane.storage..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("TransactionTemplate")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleName("CatalogManagedTables")
                .check(classes);
    }
}
