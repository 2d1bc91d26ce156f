package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

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
 * Group commit: the plain commits that arrive while one Postgres transaction is being written go
 * together into the next one, so k concurrent commits cost one transaction, one COMMIT and one WAL
 * flush instead of k. No commit waits for company: the first arrival writes at once, alone or with
 * whoever is already queued; those arriving meanwhile queue, and the first of them writes the next
 * group. Each member's statement is its own compare-and-swap, so one member's conflict leaves the
 * others alone; a member that throws rolls the whole group back, and every member of it then commits
 * on its own (and gets its own answer).
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
        /** Completed when the member's group is done (false) or it is to write the next group (true). */
        final CompletableFuture<Boolean> turn = new CompletableFuture<>();

        Optional<T> result = Optional.empty();

        Member(UUID tableId, Supplier<Optional<T>> write) {
            this.tableId = tableId;
            this.write = write;
        }
    }

    private final TransactionTemplate tx;
    private final int maxSize;
    private final GroupSizes sizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Member<T>> queue = new ArrayDeque<>();
    private boolean writing;

    /** Records how many members each written group had. */
    interface GroupSizes {
        void record(int members);
    }

    GroupCommit(TransactionTemplate tx, int maxSize, GroupSizes sizes) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("a group has at least one member: " + maxSize);
        }
        this.tx = requireNonNull(tx, "tx");
        this.maxSize = maxSize;
        this.sizes = requireNonNull(sizes, "sizes");
    }

    /**
     * Runs {@code write} in a group's transaction. Its result once that transaction committed; empty
     * when nothing of it was kept: it returned empty itself, or the group rolled back. The caller
     * then commits on its own.
     */
    Optional<T> write(UUID tableId, Supplier<Optional<T>> write) {
        Member<T> me = new Member<>(requireNonNull(tableId, "tableId"), requireNonNull(write, "write"));
        boolean first;
        lock.lock();
        try {
            queue.add(me);
            first = !writing;
            writing = true;
        } finally {
            lock.unlock();
        }
        if (!first && !me.turn.join()) {
            return me.result;
        }
        // this member heads the queue: it writes the next group, itself included
        List<Member<T>> group = new ArrayList<>();
        Member<T> next = null;
        try {
            lock.lock();
            try {
                while (group.size() < maxSize && !queue.isEmpty()) {
                    group.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            writeGroup(group);
        } finally {
            lock.lock();
            try {
                next = queue.peek();
                writing = next != null;
            } finally {
                lock.unlock();
            }
            for (Member<T> member : group) {
                if (member != me) {
                    member.turn.complete(false);
                }
            }
            if (next != null) {
                next.turn.complete(true);
            }
        }
        return me.result;
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
                    written.add(member.write.get());
                }
                return written;
            });
            for (int i = 0; i < ordered.size(); i++) {
                ordered.get(i).result = results.get(i);
            }
            sizes.record(ordered.size());
        } catch (RuntimeException e) {
            // rolled back: each member commits on its own and gets its own answer
            log.debug("A group of {} commits rolled back; each commits on its own", ordered.size(), e);
        }
    }
}
