package io.deltaplane.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doors stay leaves over one model, checked over the compiled classes: nothing depends on a door
 * (the platform's own {@code /api/v1} in {@code api}, Unity Catalog's in {@code unity}, Iceberg's
 * in {@code iceberg}), the core holds none, and the doors map requests and responses only — no
 * repository, SQL, transaction or storage of their own; what the catalog decides is in the core.
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
    void noPackageDependsOnThePlatformsOwnDoor() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.deltaplane.metadata.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.deltaplane.metadata.api..")
                .check(classes);
    }

    /**
     * The platform's own door ({@code /api/v1}, module {@code metadata/door-api}) maps requests and
     * answers onto the core's services: no repository, SQL, transaction or storage of its own.
     */
    @Test
    void thePlatformsOwnDoorHoldsNoRepositorySqlTransactionOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("io.deltaplane.metadata.api..")
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
                .check(classes);
    }

    /**
     * The module tree: the core ({@code metadata/core}) holds no door — no controller of any API —
     * and no module under {@code metadata/} depends on a door module ({@code metadata/door-*}); only
     * the application, metadata-service, assembles them. Each door module's every class maps only:
     * it touches no SQL, storage or transaction, neither itself nor through a class that does.
     */
    @Test
    void theCoreHoldsNoDoorAndNothingDependsOnADoorModule() throws java.io.IOException {
        JavaClasses core = new ClassFileImporter().importPath(java.nio.file.Path.of(CORE_CLASSES));
        org.assertj.core.api.Assertions.assertThat(core)
                .as("%s is compiled (build the metadata modules first: -am)", CORE_CLASSES)
                .isNotEmpty();
        java.util.List<String> controllers = new java.util.ArrayList<>();
        for (JavaClass type : core) {
            if (type.isAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                    || type.isAnnotatedWith(org.springframework.stereotype.Controller.class)) {
                controllers.add(type.getName());
            }
        }
        org.assertj.core.api.Assertions.assertThat(controllers)
                .as("controllers in the core (a door's: move it to metadata/door-*)")
                .isEmpty();

        java.util.List<java.nio.file.Path> modules;
        try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("../metadata"))) {
            modules = dirs.filter(d -> java.nio.file.Files.isRegularFile(d.resolve("pom.xml")))
                    .sorted()
                    .toList();
        }
        java.util.List<String> doors = new java.util.ArrayList<>();
        for (java.nio.file.Path module : modules) {
            String name = module.getFileName().toString();
            if (name.startsWith("door-")) {
                doors.add(name);
            }
            String pom = java.nio.file.Files.readString(module.resolve("pom.xml"));
            String dependencies = pom.substring(Math.max(0, pom.indexOf("<dependencies>")));
            org.assertj.core.api.Assertions.assertThat(dependencies)
                    .as("metadata/%s depends on a door module", name)
                    .doesNotContain("<artifactId>deltaplane-metadata-door-");
        }
        org.assertj.core.api.Assertions.assertThat(doors).contains("door-api", "door-unity", "door-iceberg");
        for (String door : doors) {
            java.nio.file.Path dir = java.nio.file.Path.of("../metadata", door, "target/classes");
            JavaClasses doorClasses = new ClassFileImporter().importPath(dir);
            org.assertj.core.api.Assertions.assertThat(doorClasses)
                    .as("%s is compiled", dir)
                    .isNotEmpty();
            java.util.Set<String> reaches = new java.util.TreeSet<>();
            for (JavaClass type : doorClasses) {
                if (type.isAnnotatedWith(org.springframework.stereotype.Repository.class)
                        || type.isAnnotatedWith(org.springframework.transaction.annotation.Transactional.class)) {
                    reaches.add(type.getName() + " is a repository or transactional");
                }
                for (com.tngtech.archunit.core.domain.Dependency dependency : type.getDirectDependenciesFromSelf()) {
                    if (lowLevel(dependency.getTargetClass())) {
                        reaches.add(type.getName() + " -> "
                                + dependency.getTargetClass().getName());
                    }
                }
            }
            org.assertj.core.api.Assertions.assertThat(reaches)
                    .as("metadata/%s touches SQL, storage or transactions", door)
                    .isEmpty();
        }
    }

    static final String CORE_CLASSES = "../metadata/core/target/classes";

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
                        "io.deltaplane.metadata.api..",
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

    /**
     * What touches SQL, storage or a transaction: a {@code @Repository}, or a class that depends on
     * JDBC, {@code java.sql}/{@code javax.sql}, the storage layer or a transaction manager or template
     * itself. The application layer's {@code @Service}s do, on a door's behalf.
     */
    static final DescribedPredicate<JavaClass> TOUCHES_SQL_STORAGE_OR_TRANSACTIONS =
            new DescribedPredicate<>("touch SQL, storage or transactions (other than an application @Service)") {
                @Override
                public boolean test(JavaClass target) {
                    if (target.isAnnotatedWith(org.springframework.stereotype.Service.class)) {
                        return false;
                    }
                    if (target.isAnnotatedWith(org.springframework.stereotype.Repository.class)) {
                        return true;
                    }
                    for (com.tngtech.archunit.core.domain.Dependency dependency :
                            target.getDirectDependenciesFromSelf()) {
                        if (lowLevel(dependency.getTargetClass())) {
                            return true;
                        }
                    }
                    return false;
                }
            };

    static boolean lowLevel(JavaClass type) {
        String name = type.getName();
        return name.startsWith("org.springframework.jdbc.")
                || name.startsWith("java.sql.")
                || name.startsWith("javax.sql.")
                || name.startsWith("io.deltaplane.storage.")
                || name.equals("org.springframework.transaction.support.TransactionTemplate")
                || name.equals("org.springframework.transaction.PlatformTransactionManager");
    }

    /**
     * Every door — the controllers of {@code /api/v1} ({@code api}, and the products' own), and the
     * Unity Catalog, Delta REST and Iceberg REST packages — maps requests and answers: it touches no SQL, storage or
     * transaction, neither itself nor through a class that does (checked by annotation and by
     * dependency, whatever the class is called); the application layer's {@code @Service}s do that.
     * The doors that still reach past it are listed in {@value #DOORS_TO_MEND}, each with what it
     * reaches: the list is checked both ways, so a new reach fails, and a mended one must leave it.
     */
    @Test
    void noDoorTouchesSqlStorageOrTransactionsBeyondTheListStillToMend() throws java.io.IOException {
        java.util.Set<String> found = doorReaches(classes);
        java.util.Set<String> listed = new java.util.TreeSet<>();
        try (java.io.InputStream in = ModuleStructureTest.class.getResourceAsStream(DOORS_TO_MEND)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    listed.add(line.trim());
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(found)
                .as("doors reaching SQL, storage or transactions past the application layer (%s)", DOORS_TO_MEND)
                .isEqualTo(listed);
    }

    /**
     * The positive control: a door (a test fixture in the {@code api} package, never compiled into
     * the application) that reaches JDBC is caught, so an empty list of doors to mend is proof,
     * not silence.
     */
    @Test
    void aDoorReachingJdbcIsCaught() {
        JavaClasses fixture =
                new ClassFileImporter().importClasses(io.deltaplane.metadata.api.fixture.DoorWithSql.class);
        org.assertj.core.api.Assertions.assertThat(doorReaches(fixture))
                .containsExactly(io.deltaplane.metadata.api.fixture.DoorWithSql.class.getName()
                        + " -> org.springframework.jdbc.core.simple.JdbcClient");
    }

    /** Each door class that touches SQL, storage or a transaction past the application layer, with what it reaches. */
    static java.util.Set<String> doorReaches(JavaClasses classes) {
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (JavaClass door : classes) {
            boolean isDoor = door.isAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                    || door.getPackageName().startsWith("io.deltaplane.metadata.api.")
                    || door.getPackageName().startsWith("io.deltaplane.metadata.unity")
                    || door.getPackageName().startsWith("io.deltaplane.metadata.iceberg")
                            && !door.getPackageName().startsWith("io.deltaplane.metadata.icebergmetadata");
            if (!isDoor) {
                continue;
            }
            String origin = door.getName().replaceAll("\\$.*", "");
            if (door.isAnnotatedWith(org.springframework.transaction.annotation.Transactional.class)) {
                found.add(origin + " -> @Transactional");
            }
            for (com.tngtech.archunit.core.domain.Dependency dependency : door.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                String name = target.getName().replaceAll("\\$.*", "");
                if (name.equals(origin)) {
                    continue;
                }
                if (lowLevel(target) || TOUCHES_SQL_STORAGE_OR_TRANSACTIONS.test(target)) {
                    found.add(origin + " -> " + name);
                }
            }
        }
        return found;
    }

    static final String DOORS_TO_MEND = "/doors-still-to-mend.txt";
}
