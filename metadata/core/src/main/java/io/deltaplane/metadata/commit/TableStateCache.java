package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.commit.TableStateReads.TableHead;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.RowTracking;
import io.deltaplane.metadata.table.TableDropped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The table state a commit is validated against (id, location, partition columns), remembered by
 * name from the last general-path commit so the fast path can validate without reading the table
 * first. Never trusted: the fast path's CAS re-checks it, so a stale entry only costs a fallback to
 * the general path.
 */
@Component
class TableStateCache {

    private final Map<String, TableState> byName = new ConcurrentHashMap<>();

    /** The remembered state of {@code catalog.schema.table}, or null. */
    TableState get(String fullName) {
        return byName.get(fullName);
    }

    void put(String fullName, TableState state) {
        byName.put(fullName, state);
    }

    void remove(String fullName) {
        byName.remove(fullName);
    }

    /**
     * After a version written against {@code head}, the stored state: what the version's metaData
     * changed, remembered for the fast path; forgotten for a table with row tracking, whose commits
     * always take the stored-state path (it assigns their row ids).
     */
    void rememberAfter(String fullName, TableHead head, CommitActions actions) {
        boolean rowTracking = head.rowTracking()
                || (actions.protocol() != null
                        && RowTracking.supported(actions.protocol().json()));
        if (rowTracking) {
            remove(fullName);
        } else if (actions.metadata() == null) {
            put(fullName, head.state());
        } else {
            TableState before = head.state();
            put(
                    fullName,
                    new TableState(
                            before.tableId(),
                            before.location(),
                            ActionParser.stringList(
                                    actions.metadata().get("partitionColumns"), "metaData.partitionColumns"),
                            ColumnMapping.partitionKeys(actions.metadata())));
        }
    }

    @EventListener
    public void onDropped(TableDropped event) {
        byName.remove(event.fullName());
    }
}
