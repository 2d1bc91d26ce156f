package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validated Delta actions of one commit.
 *
 * @param actions every action except commitInfo, in request order, each {@code {"<kind>":{…}}} serialised as Delta JSON
 * @param commitInfo the client's commitInfo object, or null (the service writes its own first)
 * @param adds the add actions
 * @param removes the remove actions
 * @param metadata the metaData object (normalised: id, format and configuration filled), or null
 * @param protocol the protocol action, or null
 * @param txns txn actions (at most one per appId)
 * @param domains domainMetadata actions (at most one per domain)
 * @param asWritten the actions are an engine's bytes, stored and published as written (a staged
 *     commit, an imported log): the catalog checks them and fills nothing in (no row ids)
 * @param changeData how many {@code cdc} actions (change-data files, {@link ChangeDataFeed}) it has
 */
public record CommitActions(
        List<String> actions,
        ObjectNode commitInfo,
        List<AddFile> adds,
        List<RemoveFile> removes,
        ObjectNode metadata,
        Protocol protocol,
        List<Txn> txns,
        List<DomainMetadata> domains,
        boolean asWritten,
        int changeData) {

    public CommitActions {
        actions = List.copyOf(actions);
        adds = List.copyOf(adds);
        removes = List.copyOf(removes);
        txns = List.copyOf(txns);
        domains = List.copyOf(domains);
    }

    /** These actions, as an engine wrote them: checked, never completed ({@link #asWritten}). */
    public CommitActions writtenByAnEngine() {
        return new CommitActions(
                actions, commitInfo, adds, removes, metadata, protocol, txns, domains, true, changeData);
    }

    /**
     * The commitInfo field naming the lineage run that wrote the version (a UUID string): the
     * version's lineage snapshot gets that run as its writer. The ingest worker sets it; any client
     * may.
     */
    public static final String RUN_ID_FIELD = "deltaplaneRunId";

    /** The lineage run {@code commitInfo} names ({@link #RUN_ID_FIELD}), or null. */
    public UUID lineageRunId() {
        return lineageRun(commitInfo);
    }

    /**
     * The run a commitInfo names, or null when it names none; 400 INVALID_ACTION when the field is
     * not a UUID in its canonical form (what lineage and every reader of the log compare).
     */
    public static UUID lineageRun(ObjectNode commitInfo) {
        JsonNode run = commitInfo == null ? null : commitInfo.get(RUN_ID_FIELD);
        if (run == null || run.isNull()) {
            return null;
        }
        if (run.isString()) {
            try {
                UUID id = UUID.fromString(run.stringValue());
                if (id.toString().equals(run.stringValue())) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // not a UUID: refused below
            }
        }
        throw invalidAction(
                "commitInfo." + RUN_ID_FIELD + " must be a lineage run id (a UUID string, lower case with dashes)");
    }

    /** Whether an add or remove carries a deletion vector (the table needs the deletionVectors feature). */
    public boolean deletionVectors() {
        return adds.stream().anyMatch(AddFile::deletionVector)
                || removes.stream().anyMatch(RemoveFile::deletionVector);
    }

    /** An add: its path, size and the add object's JSON as written to the log. */
    public record AddFile(String path, long size, String json, boolean deletionVector) {

        /** An add without a deletion vector. */
        public AddFile(String path, long size, String json) {
            this(path, size, json, false);
        }
    }

    /** A remove; {@code dataChange} false for rearrangements (compaction) that keep the data. */
    public record RemoveFile(String path, boolean dataChange, boolean deletionVector) {

        /** A remove without a deletion vector. */
        public RemoveFile(String path, boolean dataChange) {
            this(path, dataChange, false);
        }
    }

    public record Protocol(int minReaderVersion, int minWriterVersion, ObjectNode json) {}

    public record Txn(String appId, long version, Long lastUpdated) {}

    public record DomainMetadata(String domain, String configuration, boolean removed) {}

    /** Whether one of the adds names one of {@code paths} (a file removed and added again in one version). */
    public boolean addsAnyOf(List<String> paths) {
        if (paths.isEmpty()) {
            return false;
        }
        java.util.Set<String> named = java.util.Set.copyOf(paths);
        return adds().stream().anyMatch(add -> named.contains(add.path()));
    }
}
