package io.deltaplane.testing;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.TableImpl;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Every version of a published {@code _delta_log} as Delta Kernel reads it: the files each commit
 * file adds and removes ({@link #changes}), or every action of each version with every field Kernel
 * reads of it ({@link #versions}), version by version. One pass over the commit files checks every version
 * (a snapshot per version would read a checkpoint and its tail each time), and comparing what each
 * version changed, rather than what is live at each, costs as much as the log has actions; compare a
 * few versions through a snapshot too, to cover checkpoints.
 *
 * <p>Delta Kernel is an optional dependency of this library (see {@link DeltaScan}).
 */
public final class DeltaLogVersions {

    /**
     * The paths one version adds and removes, as its add and remove actions give them. A path in both
     * is a file rewritten in place (a new deletion vector).
     */
    public record Changes(Set<String> added, Set<String> removed) {

        public Changes {
            added = Set.copyOf(added);
            removed = Set.copyOf(removed);
        }
    }

    /** Collects, path by path, what versions 0..newest add and remove; one per reader of a log. */
    public static final class Collector {
        private final List<Set<String>> added = new ArrayList<>();
        private final List<Set<String>> removed = new ArrayList<>();

        public Collector(long newest) {
            for (long v = 0; v <= newest; v++) {
                added.add(new HashSet<>());
                removed.add(new HashSet<>());
            }
        }

        public void added(long version, String path) {
            added.get(Math.toIntExact(version)).add(path);
        }

        public void removed(long version, String path) {
            removed.get(Math.toIntExact(version)).add(path);
        }

        /** Index {@code v} holds version {@code v}. */
        public List<Changes> changes() {
            List<Changes> changes = new ArrayList<>();
            for (int v = 0; v < added.size(); v++) {
                changes.add(new Changes(added.get(v), removed.get(v)));
            }
            return changes;
        }
    }

    private DeltaLogVersions() {}

    /**
     * What each version from 0 to {@code newest} changed; index {@code v} holds version {@code v}.
     * Fails when a commit file is missing.
     */
    public static List<Changes> changes(Engine engine, String tablePath, long newest) {
        Collector collector = new Collector(newest);
        try (CloseableIterator<ColumnarBatch> batches = ((TableImpl) TableImpl.forPath(engine, tablePath))
                .getChanges(engine, 0, newest, EnumSet.of(DeltaAction.ADD, DeltaAction.REMOVE))) {
            while (batches.hasNext()) {
                ColumnarBatch batch = batches.next();
                ColumnVector versions = batch.getColumnVector(batch.getSchema().indexOf("version"));
                ColumnVector adds = batch.getColumnVector(batch.getSchema().indexOf("add"));
                ColumnVector removes = batch.getColumnVector(batch.getSchema().indexOf("remove"));
                for (int i = 0; i < batch.getSize(); i++) {
                    long version = versions.getLong(i);
                    if (!adds.isNullAt(i)) {
                        collector.added(version, path(adds, i));
                    }
                    if (!removes.isNullAt(i)) {
                        collector.removed(version, path(removes, i));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return collector.changes();
    }

    // --- every action, every field ---

    /**
     * The kinds of action a commit file holds, by their field names in the log, each compared with
     * the fields Delta Kernel's schema for it names: add (path, partitionValues, size,
     * modificationTime, dataChange, deletionVector, tags, baseRowId, defaultRowCommitVersion, stats),
     * remove, metaData, protocol, txn, domainMetadata, commitInfo and cdc.
     */
    public static final List<String> KINDS =
            List.of("add", "remove", "metaData", "protocol", "txn", "domainMetadata", "commitInfo", "cdc");

    /**
     * Every action of one version, by kind (see {@link #KINDS}); each action as the fields Delta
     * Kernel's schema for its kind names, read from the log or projected from JSON ({@link
     * #fromJson}): fields that are null or absent left out, integers as {@code Long}, maps and
     * structs as sorted maps, arrays as lists. Within a kind the actions are sorted (a commit file's
     * order carries no meaning), so two versions are equal when they hold the same actions with the
     * same fields.
     */
    public record Version(Map<String, List<Map<String, Object>>> actions) {

        public Version {
            Map<String, List<Map<String, Object>>> sorted = new TreeMap<>();
            actions.forEach((kind, list) -> {
                if (!list.isEmpty()) {
                    List<Map<String, Object>> copy = new ArrayList<>(list);
                    copy.sort(Comparator.comparing(Object::toString));
                    sorted.put(kind, List.copyOf(copy));
                }
            });
            actions = java.util.Collections.unmodifiableMap(sorted);
        }

        /** The actions of one kind, sorted; empty when the version has none. */
        public List<Map<String, Object>> of(String kind) {
            return actions.getOrDefault(kind, List.of());
        }

        /** The paths this version adds and removes. */
        public Changes changes() {
            return new Changes(paths(of("add")), paths(of("remove")));
        }

        private static Set<String> paths(List<Map<String, Object>> actions) {
            Set<String> paths = new HashSet<>();
            actions.forEach(a -> paths.add((String) a.get("path")));
            return paths;
        }

        /**
         * What differs from {@code other}, kind by kind: the actions only this version holds and
         * those only {@code other} holds (each cut to a few hundred characters); empty when equal.
         */
        public List<String> differences(Version other, String mine, String theirs) {
            List<String> differences = new ArrayList<>();
            Set<String> kinds = new LinkedHashSet<>(actions.keySet());
            kinds.addAll(other.actions.keySet());
            for (String kind : kinds) {
                List<Map<String, Object>> onlyMine = new ArrayList<>(of(kind));
                other.of(kind).forEach(onlyMine::remove);
                List<Map<String, Object>> onlyTheirs = new ArrayList<>(other.of(kind));
                of(kind).forEach(onlyTheirs::remove);
                if (!onlyMine.isEmpty() || !onlyTheirs.isEmpty()) {
                    differences.add(
                            kind + ": only " + mine + " " + cut(onlyMine) + ", only " + theirs + " " + cut(onlyTheirs));
                }
            }
            return differences;
        }

        private static String cut(List<Map<String, Object>> actions) {
            String text = actions.toString();
            return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + actions.size() + " actions)";
        }
    }

    /** Collects every action of versions 0..newest, kind by kind; one per reader of a log. */
    public static final class VersionCollector {
        private final List<Map<String, List<Map<String, Object>>>> versions = new ArrayList<>();

        public VersionCollector(long newest) {
            for (long v = 0; v <= newest; v++) {
                versions.add(new TreeMap<>());
            }
        }

        /** Adds one action of {@code kind} to {@code version}; ignored above newest. */
        public void action(long version, String kind, Map<String, Object> fields) {
            if (version < versions.size()) {
                versions.get(Math.toIntExact(version))
                        .computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(fields);
            }
        }

        /** Index {@code v} holds version {@code v}. */
        public List<Version> versions() {
            return versions.stream().map(Version::new).toList();
        }
    }

    /**
     * Every action of each version from 0 to {@code newest} as Delta Kernel reads the commit files
     * (one pass, {@code getChanges} over every kind of action); index {@code v} holds version {@code v}.
     * Fails when a commit file is missing.
     */
    public static List<Version> versions(Engine engine, String tablePath, long newest) {
        VersionCollector collector = new VersionCollector(newest);
        Set<DeltaAction> kinds = EnumSet.noneOf(DeltaAction.class);
        for (String kind : KINDS) {
            kinds.add(action(kind));
        }
        try (CloseableIterator<ColumnarBatch> batches =
                ((TableImpl) TableImpl.forPath(engine, tablePath)).getChanges(engine, 0, newest, kinds)) {
            while (batches.hasNext()) {
                ColumnarBatch batch = batches.next();
                ColumnVector versions = batch.getColumnVector(batch.getSchema().indexOf("version"));
                for (String kind : KINDS) {
                    ColumnVector actions =
                            batch.getColumnVector(batch.getSchema().indexOf(kind));
                    for (int i = 0; i < batch.getSize(); i++) {
                        if (!actions.isNullAt(i)) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> fields = (Map<String, Object>) value(actions, i);
                            collector.action(versions.getLong(i), kind, fields);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return collector.versions();
    }

    /**
     * One action of {@code kind} (the object under its kind's key in a commit file) as {@link
     * Version} holds it: projected onto the fields Delta Kernel's schema for the kind names, read
     * as Kernel reads JSON.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromJson(String kind, JsonNode action) {
        return (Map<String, Object>) value(action, action(kind).schema);
    }

    private static DeltaAction action(String kind) {
        for (DeltaAction action : DeltaAction.values()) {
            if (action.colName.equals(kind)) {
                return action;
            }
        }
        throw new IllegalArgumentException("not a kind of action Kernel reads: " + kind);
    }

    /** A value Kernel read, as {@link Version} holds it (null when null). */
    private static Object value(ColumnVector vector, int row) {
        if (vector.isNullAt(row)) {
            return null;
        }
        DataType type = vector.getDataType();
        if (type instanceof StructType struct) {
            Map<String, Object> fields = new TreeMap<>();
            for (int f = 0; f < struct.length(); f++) {
                Object field = value(vector.getChild(f), row);
                if (field != null) {
                    fields.put(struct.at(f).getName(), field);
                }
            }
            return fields;
        }
        if (type instanceof MapType) {
            MapValue map = vector.getMap(row);
            Map<String, Object> entries = new TreeMap<>();
            for (int e = 0; e < map.getSize(); e++) {
                entries.put(map.getKeys().getString(e), value(map.getValues(), e));
            }
            return entries;
        }
        if (type instanceof ArrayType) {
            ArrayValue array = vector.getArray(row);
            List<Object> elements = new ArrayList<>();
            for (int e = 0; e < array.getSize(); e++) {
                elements.add(value(array.getElements(), e));
            }
            return elements;
        }
        if (type instanceof StringType) {
            return vector.getString(row);
        }
        if (type instanceof LongType) {
            return vector.getLong(row);
        }
        if (type instanceof IntegerType) {
            return (long) vector.getInt(row);
        }
        if (type instanceof BooleanType) {
            return vector.getBoolean(row);
        }
        throw new IllegalArgumentException("a type no action has: " + type);
    }

    /** A JSON value projected onto {@code type}, as {@link Version} holds it (null when null or absent). */
    private static Object value(JsonNode node, DataType type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type instanceof StructType struct) {
            Map<String, Object> fields = new TreeMap<>();
            for (StructField field : struct.fields()) {
                Object value = value(node.get(field.getName()), field.getDataType());
                if (value != null) {
                    fields.put(field.getName(), value);
                }
            }
            return fields;
        }
        if (type instanceof MapType map) {
            Map<String, Object> entries = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                entries.put(entry.getKey(), value(entry.getValue(), map.getValueType()));
            }
            return entries;
        }
        if (type instanceof ArrayType array) {
            List<Object> elements = new ArrayList<>();
            for (JsonNode element : node) {
                elements.add(value(element, array.getElementType()));
            }
            return elements;
        }
        if (type instanceof StringType) {
            return node.isString() ? node.asString() : node.toString();
        }
        if (type instanceof LongType || type instanceof IntegerType) {
            return node.asLong();
        }
        if (type instanceof BooleanType) {
            return node.asBoolean();
        }
        throw new IllegalArgumentException("a type no action has: " + type);
    }

    private static String path(ColumnVector action, int row) {
        return action.getChild(((StructType) action.getDataType()).indexOf("path"))
                .getString(row);
    }
}
