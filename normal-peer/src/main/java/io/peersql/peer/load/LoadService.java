package io.peersql.peer.load;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Runs loads of the stored schema mapping in the background, one at a time, keeping their
 * progress for the API and the console, and announcing committed changes.
 */
@Service
public class LoadService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoadService.class);
  private static final int KEPT_JOBS = 20;

  private final MappingLoader loader;
  private final MappingStore mappings;
  private final ApplicationEventPublisher events;
  private final Clock clock = Clock.systemUTC();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "peersql-load"));
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, LoadJob> jobs = new ConcurrentSkipListMap<>();
  private final Map<Long, AtomicBoolean> cancels = new ConcurrentSkipListMap<>();

  /** Creates a LoadService loading into the peer's store. */
  public LoadService(DataSource store, MappingStore mappings, ApplicationEventPublisher events) {
    this.loader = new MappingLoader(store);
    this.mappings = mappings;
    this.events = events;
  }

  /**
   * Starts a load of the stored mapping.
   *
   * @throws IllegalStateException if no mapping is stored or a load is already running
   */
  public synchronized LoadJob start(LoadMode mode) {
    var mapping = mappings.current().orElseThrow(() -> new IllegalStateException(
        "No schema mapping is stored on this peer: PUT one to /api/mapping first"));
    jobs.values().stream().filter(job -> job.state() == LoadJob.State.RUNNING).findAny().ifPresent(running -> {
      throw new IllegalStateException("Load " + running.id() + " is still running; wait for it or cancel it");
    });
    long id = ids.incrementAndGet();
    var cancelled = new AtomicBoolean();
    var job = new LoadJob(id, mode, LoadJob.State.RUNNING, null, Map.of(), null, clock.instant(), null);
    jobs.put(id, job);
    cancels.put(id, cancelled);
    forgetOldJobs();
    worker.execute(() -> run(id, mapping, mode, cancelled));
    return job;
  }

  private void run(long id, SchemaMapping mapping, LoadMode mode, AtomicBoolean cancelled) {
    try {
      var report = loader.load(mapping, mode, progress -> {
        jobs.computeIfPresent(id, (key, job) -> new LoadJob(id, mode, job.state(), progress, Map.of(), null,
            job.startedAt(), null));
        log.info("Load {}: {}", id, progress.describe());
      }, cancelled::get);
      update(id, LoadJob.State.SUCCEEDED, report.rows(), null);
      log.info("Load {} committed in {} s: {}", id, report.took().toSeconds(), report.rows());
      events.publishEvent(new SharedDataChanged(MappingLoader.targets(mapping)));
    } catch (LoadFailedException e) {
      update(id, cancelled.get() ? LoadJob.State.CANCELLED : LoadJob.State.FAILED, Map.of(), e.getMessage());
      log.warn("Load {} did not commit: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      update(id, LoadJob.State.FAILED, Map.of(), "Load failed: " + e);
      log.error("Load {} failed", id, e);
    } finally {
      cancels.remove(id);
    }
  }

  private void update(long id, LoadJob.State state, Map<String, Long> rows, String error) {
    jobs.computeIfPresent(id, (key, job) -> new LoadJob(id, job.mode(), state, job.progress(), rows, error,
        job.startedAt(), clock.instant()));
  }

  private void forgetOldJobs() {
    while (jobs.size() > KEPT_JOBS) {
      var oldest = jobs.keySet().iterator().next();
      if (jobs.get(oldest).state() == LoadJob.State.RUNNING) {
        break;
      }
      jobs.remove(oldest);
    }
  }

  /** A job by id. */
  public Optional<LoadJob> job(long id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Recent jobs, newest first. */
  public List<LoadJob> recent() {
    return jobs.values().stream().sorted((a, b) -> Long.compare(b.id(), a.id())).toList();
  }

  /** Asks a running job to stop; it rolls back at its next batch. Returns whether it was running. */
  public boolean cancel(long id) {
    var flag = cancels.get(id);
    if (flag == null) {
      return false;
    }
    flag.set(true);
    return true;
  }

  @Override
  public void close() {
    cancels.values().forEach(flag -> flag.set(true));
    worker.shutdown();
  }
}
