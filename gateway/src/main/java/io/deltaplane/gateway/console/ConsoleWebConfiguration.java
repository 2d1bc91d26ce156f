package io.deltaplane.gateway.console;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the console's bundle (the {@code deltaplane-console} jar, {@code classpath:/deltaplane-console/})
 * at {@code /console}. Vite names every asset by its content hash, so assets are cached for a year
 * as immutable; {@code index.html} (which names the current hashes) is served by
 * {@link ConsolePageController} and always revalidated.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleWebConfiguration implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/deltaplane-console/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
