package io.deltaplane.gateway.console;

import java.net.URI;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's page: {@code /} and {@code /console} lead to {@code /console/}, which answers the
 * single page (the console routes by URL fragment, so no other path needs the page).
 */
@RestController
public class ConsolePageController {

    static final String PATH = "/console/";

    private final Resource index = new ClassPathResource("deltaplane-console/index.html");

    @GetMapping({"/", "/console"})
    public ResponseEntity<Void> redirect() {
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(PATH))
                .cacheControl(CacheControl.noStore())
                .build();
    }

    @GetMapping({PATH, PATH + "index.html"})
    public ResponseEntity<Resource> page() {
        if (!index.exists()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                // Always revalidated: it names the current hashed assets.
                .cacheControl(CacheControl.noCache())
                .body(index);
    }
}
