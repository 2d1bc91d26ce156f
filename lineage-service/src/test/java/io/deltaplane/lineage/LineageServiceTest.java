package io.deltaplane.lineage;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The one configuration every lineage-service test class uses, so they share one running app (one
 * Spring context, one throw-away Postgres database): the real service on a random port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = LineageServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.security.admin-api-key=" + LineageServiceTest.ADMIN_KEY,
            "deltaplane.artifacts.dir=target/test-artifacts"
        })
public @interface LineageServiceTest {
    String ADMIN_KEY = "test-admin-key-lineage-0001";
}
