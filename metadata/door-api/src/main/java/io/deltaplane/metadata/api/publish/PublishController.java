package io.deltaplane.metadata.api.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.PublishService;
import io.deltaplane.metadata.publish.PublishStatusResponse;
import io.deltaplane.metadata.publish.Reconciler;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publish status and on-demand reconcile of a table's {@code _delta_log}. */
@RestController
@RequestMapping("/api/v1/tables/{fullName}/publish")
public class PublishController {

    private final AccessControl access;

    private final PublishService service;

    public PublishController(PublishService service, AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.service = requireNonNull(service, "service");
    }

    @GetMapping
    public PublishStatusResponse status(@PathVariable String fullName) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        return service.status(fullName);
    }

    /** Compares Postgres with _delta_log now (content included), repairs what is missing. */
    @PostMapping("/reconcile")
    public Reconciler.ReconcileReport reconcile(@PathVariable String fullName) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return service.reconcile(fullName);
    }
}
