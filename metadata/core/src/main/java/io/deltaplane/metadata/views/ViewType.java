package io.deltaplane.metadata.views;

/** Unity Catalog's view-like table types. */
public enum ViewType {
    /** A SQL view; its dependencies may be left out (an engine cannot always derive them). */
    VIEW,
    /** A metric view (UC 0.6): its dependencies are required, at least one. */
    METRIC_VIEW
}
