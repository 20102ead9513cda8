package dev.incidentplatform.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Architecture rules every module keeps: its domain is plain Java (no framework, persistence, messaging or JSON
 * library, so its rules can be read and tested without any of them), and its packages form no cycle (each can be
 * understood, and replaced, from the ones below it).
 */
public final class PlainJava {

    private static final String[] FRAMEWORKS = {
            "jakarta..", "javax.persistence..", "javax.inject..", "io.quarkus..", "io.smallrye..", "io.vertx..",
            "org.hibernate..", "org.eclipse.microprofile..", "com.fasterxml..", "org.apache.kafka..", "org.jboss..",
            "org.flywaydb..", "io.micrometer..", "java.sql..", "javax.sql.." };

    private PlainJava() {
    }

    public static void assertFrameworkFree(String packageName) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName);
        noClasses().that().resideInAPackage(packageName + "..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("the domain is plain Java, tested without frameworks")
                .check(classes);
    }

    /** Fails when two packages under {@code rootPackage} depend on each other, directly or through others. */
    public static void assertNoPackageCycles(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        slices().matching(rootPackage + ".(*)..")
                .should().beFreeOfCycles()
                .because("a package depends only on packages below it")
                .check(classes);
    }
}
