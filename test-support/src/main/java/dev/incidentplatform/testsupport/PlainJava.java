package dev.incidentplatform.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Checks that a package (a service's domain) is plain Java: no framework, persistence, messaging or JSON library,
 * so its rules can be read and tested without any of them.
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
}
