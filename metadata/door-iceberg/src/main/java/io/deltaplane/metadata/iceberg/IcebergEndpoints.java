package io.deltaplane.metadata.iceberg;

import java.util.List;
import org.apache.iceberg.rest.Endpoint;

/** What the Iceberg door serves, as its {@code /v1/config} advertises it: exactly these routes. */
final class IcebergEndpoints {

    /** The Delta version a loaded table's Iceberg metadata reflects, on {@code loadTable}'s answer. */
    static final String DELTA_VERSION_HEADER = "X-Deltaplane-Delta-Version";
    /** On a load answered with older metadata: milliseconds since the first Delta version it lacks was committed. */
    static final String LAG_HEADER = "X-Deltaplane-Iceberg-Lag-Ms";

    /** How an Iceberg client asks a catalog to delegate storage access ({@code vended-credentials}). */
    static final String ACCESS_DELEGATION = "X-Iceberg-Access-Delegation";

    static final List<Endpoint> SERVED = List.of(
            Endpoint.V1_LIST_NAMESPACES,
            Endpoint.V1_LOAD_NAMESPACE,
            Endpoint.V1_NAMESPACE_EXISTS,
            Endpoint.V1_LIST_TABLES,
            Endpoint.V1_LOAD_TABLE,
            Endpoint.V1_TABLE_EXISTS,
            Endpoint.V1_REPORT_METRICS,
            Endpoint.V1_TABLE_CREDENTIALS,
            Endpoint.V1_LIST_VIEWS,
            Endpoint.V1_LOAD_VIEW,
            Endpoint.V1_VIEW_EXISTS);

    private IcebergEndpoints() {}
}
