package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.statements.StatementCount;
import io.deltaplane.support.problem.DatabaseOutage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: the plain commits that arrive while the Postgres transactions in flight are being
 * written go together into the next one, so k concurrent commits cost one transaction, one COMMIT
 * and one WAL flush instead of k. No commit waits for company: while fewer than {@code inFlight}
 * groups are being written, an arrival writes at once; otherwise it queues, and the writer of the
 * next group to finish takes everyone queued as the next group and hands it to its first member.
 * Each member's statement is its own compare-and-swap, so one member's conflict leaves the others
 * alone; a member that throws rolls the whole group back, and every member of it then commits on its
 * own (and gets its own answer) — unless Postgres itself failed, when the group may have committed
 * and every member answers the outage.
 *
 * <p>Members are written in the order of their table ids, the lock order of multi-table
 * transactions, so groups of two replicas and multi-table transactions cannot deadlock.
 *
 * @param <T> what a member's write returns
 */
final class GroupCommit<T> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** A member's write, and the table whose row its compare-and-swap locks. */
    private static final class Member<T> {
        final UUID tableId;
        final Supplier<Optional<T>> write;
        /** The member's request's statement tally: its write counts there, whichever thread runs it. */
        final StatementCount.Tally statements = StatementCount.current().orElse(null);
        /** Completed when the member's group is done (false) or it is to write {@link #group} (true). */
        final CompletableFuture<Boolean> turn = new CompletableFuture<>();

        Optional<T> result = Optional.empty();
        /** Postgres failed under the group: whether it committed is unknown, so no member retries alone. */
        RuntimeException outage;
        /** The group this member is to write, when {@link #turn} says so. */
        List<Member<T>> group;

        Member(UUID tableId, Supplier<Optional<T>> write) {
            this.tableId = tableId;
            this.write = write;
        }
    }

    private final TransactionTemplate tx;
    private final int maxSize;
    private final int inFlight;
    private final GroupSizes sizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Member<T>> queue = new ArrayDeque<>();
    /** Groups being written now, at most {@link #inFlight}. */
    private int writing;

    /** Records how many members each written group had. */
    interface GroupSizes {
        void record(int members);
    }

    /**
     * @param maxSize at most this many members in one transaction
     * @param inFlight at most this many groups written at once: while one waits for its COMMIT's WAL
     *     flush, the next can run its statements
     */
    GroupCommit(TransactionTemplate tx, int maxSize, int inFlight, GroupSizes sizes) {
        if (maxSize < 1 || inFlight < 1) {
            throw new IllegalArgumentException("a group has a member and one is written: " + maxSize + ", " + inFlight);
        }
        this.tx = requireNonNull(tx, "tx");
        this.maxSize = maxSize;
        this.inFlight = inFlight;
        this.sizes = requireNonNull(sizes, "sizes");
    }

    /**
     * Runs {@code write} in a group's transaction. Its result once that transaction committed; empty
     * when nothing of it was kept: it returned empty itself, or the group rolled back. The caller
     * then commits on its own.
     */
    Optional<T> write(UUID tableId, Supplier<Optional<T>> write) {
        Member<T> me = new Member<>(requireNonNull(tableId, "tableId"), requireNonNull(write, "write"));
        List<Member<T>> group = null;
        lock.lock();
        try {
            queue.add(me);
            if (writing < inFlight) {
                writing++;
                group = nextGroup(); // the queue held no one else: me, alone
            }
        } finally {
            lock.unlock();
        }
        if (group == null) {
            if (!me.turn.join()) {
                return resultOf(me);
            }
            group = me.group; // handed over by the writer of the group before
        }
        List<Member<T>> next = null;
        try {
            writeGroup(group);
        } finally {
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    writing--;
                } else {
                    next = nextGroup();
                }
            } finally {
                lock.unlock();
            }
            for (Member<T> member : group) {
                if (member != me) {
                    member.turn.complete(false);
                }
            }
            // the next group goes to its first member: each caller returns once its own group is written
            if (next != null) {
                Member<T> head = next.get(0);
                head.group = next;
                head.turn.complete(true);
            }
        }
        return resultOf(me);
    }

    private Optional<T> resultOf(Member<T> me) {
        if (me.outage != null) {
            throw me.outage;
        }
        return me.result;
    }

    /** Up to {@code maxSize} members from the head of the queue (the lock held). */
    private List<Member<T>> nextGroup() {
        List<Member<T>> group = new ArrayList<>();
        while (group.size() < maxSize && !queue.isEmpty()) {
            group.add(queue.poll());
        }
        return group;
    }

    /** Members waiting for the group being written (for tests that build a group on purpose). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void writeGroup(List<Member<T>> group) {
        List<Member<T>> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparing(m -> m.tableId.toString()));
        try {
            List<Optional<T>> results = tx.execute(status -> {
                List<Optional<T>> written = new ArrayList<>(ordered.size());
                for (Member<T> member : ordered) {
                    written.add(StatementCount.countedIn(member.statements, member.write));
                }
                return written;
            });
            for (int i = 0; i < ordered.size(); i++) {
                ordered.get(i).result = results.get(i);
            }
            sizes.record(ordered.size());
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                // The connection broke, perhaps during COMMIT: the group may have landed. A member
                // retried alone would then meet its own version and answer 409 for a commit that
                // happened; each answers the outage (503, outcome unknown) instead.
                for (Member<T> member : ordered) {
                    member.outage = e;
                }
                return;
            }
            // rolled back: each member commits on its own and gets its own answer
            log.debug("A group of {} commits rolled back; each commits on its own", ordered.size(), e);
        }
    }
}
