package io.peersql.baton.sim;

/**
 * The delivery time of the last message scheduled on each channel (ordered pair of nodes),
 * which keeps every channel FIFO. An open-addressing table of primitive longs: the simulator
 * asks it once per message, and a boxed {@code HashMap<Long, Long>} of every pair that ever
 * talked cost more than the protocol step itself at 100,000 nodes.
 *
 * <p>A channel whose last delivery lies in the past ({@code <= now}) constrains nothing
 * (every delay is at least 1 ms), so such entries are dropped whenever the table grows:
 * the table holds only channels with a message in flight, and answers exactly as a map of
 * every channel would.
 */
final class ChannelClocks {
  /** Marks an empty slot; delivery times are always at least 1. */
  private static final long EMPTY = 0;

  private long[] keys = new long[1024];
  private long[] times = new long[1024];
  private int size;

  /** The last delivery time scheduled on {@code channel}, or 0 if none is known. */
  long get(long channel) {
    int mask = keys.length - 1;
    for (int i = slot(channel, mask); ; i = (i + 1) & mask) {
      long t = times[i];
      if (t == EMPTY) {
        return 0;
      }
      if (keys[i] == channel) {
        return t;
      }
    }
  }

  /** Records {@code time} (>= 1) as the last delivery on {@code channel}; {@code now} is the present. */
  void put(long channel, long time, long now) {
    int mask = keys.length - 1;
    int i = slot(channel, mask);
    for (; times[i] != EMPTY; i = (i + 1) & mask) {
      if (keys[i] == channel) {
        times[i] = time;
        return;
      }
    }
    keys[i] = channel;
    times[i] = time;
    if (++size * 2 > keys.length) {
      rebuild(now);
    }
  }

  /** Drops channels with nothing in flight, and grows the table if still half full. */
  private void rebuild(long now) {
    long[] oldKeys = keys;
    long[] oldTimes = times;
    int live = 0;
    for (long t : oldTimes) {
      if (t > now) {
        live++;
      }
    }
    int capacity = oldKeys.length;
    while (live * 4 > capacity) {
      capacity *= 2;
    }
    keys = new long[capacity];
    times = new long[capacity];
    size = 0;
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldTimes[j] > now) {
        int i = slot(oldKeys[j], mask);
        while (times[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        times[i] = oldTimes[j];
        size++;
      }
    }
  }

  private static int slot(long channel, int mask) {
    long h = channel * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
