package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.commit.CommitWriter.PreparedCommit;
import io.deltaplane.metadata.commit.CommitWriter.Written;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Group commit against the real database: commits that arrive while a group is being written share
 * the next transaction; a member that fails rolls its whole group back, so nothing of any member is
 * kept and each can commit on its own. Groups are formed on purpose: the first member's write waits
 * on a latch until the others are queued behind it.
 */
class GroupCommitTest extends MetadataTestBase {

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CommitWriter writer;

    private final List<Integer> groupSizes = new CopyOnWriteArrayList<>();

    @Test
    void commitsArrivingWhileAGroupIsWrittenShareTheNextTransaction() throws Exception {
        GroupCommit<Long> group = new GroupCommit<>(tx, 32, 1, groupSizes::add);
        HeldWrites held = new HeldWrites(1);
        CompletableFuture<Optional<Long>> first = submit(group, held.then(() -> Optional.of(transactionId())));
        held.awaitWriting();
        List<CompletableFuture<Optional<Long>>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(submit(group, () -> Optional.of(transactionId())));
        }
        awaitQueued(group, 3);
        held.release();

        long firstTx = first.get(10, TimeUnit.SECONDS).orElseThrow();
        List<Long> next = new ArrayList<>();
        for (CompletableFuture<Optional<Long>> member : queued) {
            next.add(member.get(10, TimeUnit.SECONDS).orElseThrow());
        }
        assertThat(next).containsOnly(next.get(0));
        assertThat(next.get(0)).isNotEqualTo(firstTx);
        assertThat(groupSizes).containsExactly(1, 3);
    }

    @Test
    void withTwoGroupsInFlightASecondArrivalWritesAtOnceAndTheThirdWaitsForEither() throws Exception {
        GroupCommit<Long> group = new GroupCommit<>(tx, 32, 2, groupSizes::add);
        HeldWrites held = new HeldWrites(2);
        CompletableFuture<Optional<Long>> first = submit(group, held.then(() -> Optional.of(transactionId())));
        CompletableFuture<Optional<Long>> second = submit(group, held.then(() -> Optional.of(transactionId())));
        held.awaitWriting(); // both written at once
        List<CompletableFuture<Optional<Long>>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(submit(group, () -> Optional.of(transactionId())));
        }
        awaitQueued(group, 3);
        held.release();

        assertThat(first.get(10, TimeUnit.SECONDS)).isNotEqualTo(second.get(10, TimeUnit.SECONDS));
        List<Long> next = new ArrayList<>();
        for (CompletableFuture<Optional<Long>> member : queued) {
            next.add(member.get(10, TimeUnit.SECONDS).orElseThrow());
        }
        assertThat(next).containsOnly(next.get(0));
        assertThat(groupSizes).containsExactlyInAnyOrder(1, 1, 3);
    }

    @Test
    void aFailingMemberRollsItsGroupBackAndNoMemberKeepsAVersion() throws Exception {
        String ok1 = tableWithCachedState();
        String ok2 = tableWithCachedState();
        String duplicate = tableWithCachedState();
        GroupCommit<Written> group = new GroupCommit<>(tx, 32, 1, groupSizes::add);
        HeldWrites held = new HeldWrites(1);
        CompletableFuture<Optional<Written>> gate = submit(group, held.then(Optional::empty));
        held.awaitWriting();
        PreparedCommit first = prepare(ok1, add("b.parquet", 5));
        PreparedCommit second = prepare(ok2, add("b.parquet", 5));
        // a.parquet is live already: its insert trips files_live_path, a 400 INVALID_ACTION alone
        PreparedCommit failing = prepare(duplicate, add("a.parquet", 5));
        List<CompletableFuture<Optional<Written>>> members = List.of(
                submit(group, first.tableId(), () -> writer.write(first)),
                submit(group, failing.tableId(), () -> writer.write(failing)),
                submit(group, second.tableId(), () -> writer.write(second)));
        awaitQueued(group, 3);
        held.release();

        assertThat(gate.get(10, TimeUnit.SECONDS)).isEmpty();
        for (CompletableFuture<Optional<Written>> member : members) {
            assertThat(member.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        for (String table : List.of(ok1, ok2, duplicate)) {
            assertThat(version(table)).isEqualTo(1);
            assertThat(livePaths(table, null, 100)).containsExactly("a.parquet");
        }
        assertThat(groupSizes).containsExactly(1); // the rolled-back group is not counted

        // each then commits on its own, as CommitPipeline does: the good ones land, the other is refused
        ok(commit(ok1, 1, add("b.parquet", 5)), 201);
        assertProblem(commit(duplicate, 1, add("a.parquet", 5)), 400, "INVALID_ACTION");
        assertThat(version(ok1)).isEqualTo(2);
        assertThat(version(duplicate)).isEqualTo(1);
    }

    @Test
    void aStaleMemberFindsNoRowWhileTheOthersOfItsGroupCommit() throws Exception {
        String table = tableWithCachedState();
        String other = tableWithCachedState();
        GroupCommit<Written> group = new GroupCommit<>(tx, 32, 1, groupSizes::add);
        HeldWrites held = new HeldWrites(1);
        CompletableFuture<Optional<Written>> gate = submit(group, held.then(Optional::empty));
        held.awaitWriting();
        // two writers racing for version 2 of one table, in one group: the first CAS takes it
        PreparedCommit winner = prepare(table, add("b.parquet", 5));
        PreparedCommit loser = prepare(table, add("c.parquet", 5));
        PreparedCommit elsewhere = prepare(other, add("b.parquet", 5));
        CompletableFuture<Optional<Written>> a = submit(group, winner.tableId(), () -> writer.write(winner));
        awaitQueued(group, 1);
        CompletableFuture<Optional<Written>> b = submit(group, loser.tableId(), () -> writer.write(loser));
        CompletableFuture<Optional<Written>> c = submit(group, elsewhere.tableId(), () -> writer.write(elsewhere));
        awaitQueued(group, 3);
        held.release();

        assertThat(gate.get(10, TimeUnit.SECONDS)).isEmpty();
        List<Optional<Written>> racing = List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));
        assertThat(racing).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(c.get(10, TimeUnit.SECONDS))
                .hasValueSatisfying(w -> assertThat(w.version()).isEqualTo(2));
        assertThat(version(table)).isEqualTo(2);
        assertThat(livePaths(table, null, 100)).hasSize(2);
        assertThat(version(other)).isEqualTo(2);
    }

    /** A table at version 1 with a.parquet live, whose state the writer has cached. */
    private String tableWithCachedState() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 10)), 201);
        return table;
    }

    private PreparedCommit prepare(String table, String addAction) {
        List<JsonNode> actions = List.of(JSON.readTree(addAction));
        return writer.prepareOnCachedState(table, 1, actions, null, Instant.now())
                .orElseThrow();
    }

    private long transactionId() {
        return jdbc.sql("SELECT txid_current()").query(Long.class).single();
    }

    private static <T> CompletableFuture<Optional<T>> submit(GroupCommit<T> group, Supplier<Optional<T>> write) {
        return submit(group, UUID.randomUUID(), write);
    }

    /** A member from a thread of its own, as each request is. */
    private static <T> CompletableFuture<Optional<T>> submit(
            GroupCommit<T> group, UUID tableId, Supplier<Optional<T>> write) {
        return CompletableFuture.supplyAsync(() -> group.write(tableId, write), runnable -> {
            Thread thread = new Thread(runnable, "group-member");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static void awaitQueued(GroupCommit<?> group, int members) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.queued() < members) {
            assertThat(System.nanoTime()).as("members queued").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Writes that hold their group's transaction open until released; whoever arrives meanwhile queues. */
    private static final class HeldWrites {
        private final CountDownLatch writing;
        private final CountDownLatch release = new CountDownLatch(1);

        HeldWrites(int writes) {
            writing = new CountDownLatch(writes);
        }

        /** A write that waits for {@link #release()} inside its group's transaction, then does {@code write}. */
        <T> Supplier<Optional<T>> then(Supplier<Optional<T>> write) {
            return () -> {
                writing.countDown();
                try {
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return write.get();
            };
        }

        void awaitWriting() throws InterruptedException {
            assertThat(writing.await(10, TimeUnit.SECONDS))
                    .as("held writes started")
                    .isTrue();
        }

        void release() {
            release.countDown();
        }
    }
}
