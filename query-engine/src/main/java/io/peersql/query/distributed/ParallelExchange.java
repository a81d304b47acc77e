package io.peersql.query.distributed;

import io.peersql.query.peer.PeerQueryException;
import io.peersql.query.peer.PeerRef;
import io.peersql.query.peer.SubQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

import static java.util.Objects.requireNonNull;

/**
 * The parallel exchange: sends one sub-query to every peer at once and yields their rows, in
 * arrival order, as one enumerable (Calcite's own union reads its inputs one after another).
 *
 * <p>One reader per peer moves batches of rows into a bounded queue, so a scan holds at most
 * {@link ExchangeSettings#queuedBatches()} batches however many rows flow; a full queue stops the
 * readers, which stops the peers through TCP flow control. The first failure of any peer fails
 * the whole scan with that peer's error (no partial answers); cancellation, the query timeout and
 * closing the enumerator all abort every peer's transfer.
 */
final class ParallelExchange extends AbstractEnumerable<Object[]> {

  private final List<PeerRef> peers;
  private final SubQuery subQuery;
  private final RowConverter converter;
  private final QueryRuntime runtime;
  private final AtomicBoolean cancelFlag;
  private final long deadlineNanos;
  private volatile List<Object[]> spool;

  ParallelExchange(List<PeerRef> peers, SubQuery subQuery, RowConverter converter, QueryRuntime runtime,
      AtomicBoolean cancelFlag, long deadlineNanos) {
    this.peers = List.copyOf(peers);
    this.subQuery = requireNonNull(subQuery, "subQuery is null");
    this.converter = requireNonNull(converter, "converter is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.cancelFlag = requireNonNull(cancelFlag, "cancelFlag is null");
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public Enumerator<Object[]> enumerator() {
    var replay = spool;
    return replay != null ? Linq4j.iterableEnumerator(replay) : new ExchangeEnumerator();
  }

  /** What readers hand to the consumer. */
  private sealed interface Message {
  }

  private record Rows(List<Object[]> rows) implements Message {
  }

  private record Finished(PeerRef peer) implements Message {
  }

  private record Failed(RuntimeException failure) implements Message {
  }

  /** Signals a reader that the consumer has gone. */
  private static final class Abandoned extends RuntimeException {
    Abandoned() {
      super(null, null, false, false);
    }
  }

  private final class ExchangeEnumerator implements Enumerator<Object[]> {
    private final BlockingQueue<Message> queue =
        new ArrayBlockingQueue<>(runtime.settings().queuedBatches());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Future<?>> readers = new ArrayList<>();
    private int running;
    private Iterator<Object[]> batch = List.<Object[]>of().iterator();
    private Object[] current;
    private List<Object[]> kept = new ArrayList<>();

    ExchangeEnumerator() {
      running = peers.size();
      for (var peer : peers) {
        readers.add(runtime.readers().submit(() -> read(peer)));
      }
    }

    private void read(PeerRef peer) {
      try (var source = runtime.client().open(peer, subQuery)) {
        if (source.columns().size() != converter.fieldCount()) {
          throw PeerQueryException.unanswered(peer, subQuery.tables(), "answered with "
              + source.columns().size() + " columns, expected " + converter.fieldCount(), null);
        }
        int batchRows = runtime.settings().batchRows();
        var rows = new ArrayList<Object[]>(batchRows);
        Object[] row;
        while ((row = source.next()) != null) {
          rows.add(converter.convert(row));
          if (rows.size() == batchRows) {
            hand(new Rows(rows));
            rows = new ArrayList<>(batchRows);
          }
        }
        if (!rows.isEmpty()) {
          hand(new Rows(rows));
        }
        hand(new Finished(peer));
      } catch (Abandoned e) {
        // The consumer closed the scan; closing the source aborted the transfer.
      } catch (PeerQueryException e) {
        handQuietly(new Failed(e));
      } catch (RuntimeException e) {
        handQuietly(new Failed(PeerQueryException.unanswered(peer, subQuery.tables(),
            e.getClass().getSimpleName() + ": " + e.getMessage(), e)));
      }
    }

    private void hand(Message message) {
      try {
        while (!closed.get()) {
          if (queue.offer(message, 50, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new Abandoned();
    }

    private void handQuietly(Message message) {
      try {
        hand(message);
      } catch (Abandoned ignored) {
        // Nobody is listening any more.
      }
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      while (true) {
        if (batch.hasNext()) {
          current = batch.next();
          if (kept != null) {
            if (kept.size() < runtime.settings().spoolRows()) {
              kept.add(current);
            } else {
              kept = null;
            }
          }
          return true;
        }
        if (running == 0) {
          if (kept != null) {
            spool = List.copyOf(kept);
            kept = null;
          }
          return false;
        }
        if (cancelFlag.get()) {
          close();
          throw new CancellationException("Query cancelled; sub-queries to " + running
              + " peer(s) for " + String.join(", ", subQuery.tables()) + " aborted");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
          close();
          throw new PeerQueryException("", subQuery.tables(), "Query timed out while "
              + running + " peer(s) were still answering for table " + String.join(", ", subQuery.tables()),
              null);
        }
        Message message;
        try {
          message = queue.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new CancellationException("Query interrupted");
        }
        switch (message) {
          case null -> { }
          case Rows rows -> batch = rows.rows().iterator();
          case Finished finished -> running--;
          case Failed failed -> {
            close();
            throw failed.failure();
          }
        }
      }
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("a distributed scan cannot be restarted");
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        for (var reader : readers) {
          reader.cancel(true);
        }
        queue.clear();
      }
    }
  }
}
