package io.peersql.baton.core;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import java.io.Serializable;
import java.util.List;

/**
 * Every message of the BATON protocol. Timers are messages too ({@link Tick}). Messages
 * are plain serializable records so that any transport can carry them as bytes.
 *
 * <p>{@link #droppable()} marks messages the protocol tolerates losing (it retries them
 * end to end); the others are assumed to travel over a reliable channel (TCP), where a
 * lost message means a broken connection, reported to the sender as {@link Undeliverable}.
 */
public sealed interface Message extends Serializable {

  default boolean droppable() {
    return false;
  }

  /** A message the simulator may lose (lookups, probes, answers): its sender copes with loss. */
  sealed interface Droppable extends Message {
    @Override
    default boolean droppable() {
      return true;
    }
  }

  /** Short name used in statistics. */
  default String type() {
    return getClass().getSimpleName();
  }

  // ---- timers and transport signals ----

  /** Periodic timer: failure detection, retries, lock leases, load balancing. */
  record Tick() implements Message {}

  /** Sent back to a sender by its transport when {@code original} could not reach {@code to}. */
  record Undeliverable(NodeId to, Message original) implements Message {}

  // ---- join ----

  record Join(NodeId newcomer, int ttl) implements Message {}

  /**
   * The newcomer's place. {@code farReplica}, if the parent has it, is its replica of the
   * adjacent node on the newcomer's far side: the newcomer now sits next to that node, and
   * if it has just failed, this copy is the only way the newcomer can repair it.
   */
  record JoinAccepted(NodeInfo self, List<IndexEntry> entries, Link parent, Link leftAdjacent,
      Link rightAdjacent, ReplicaSnapshot farReplica) implements Message {}

  record JoinFailed(String reason) implements Message {}

  /**
   * From a newcomer that no longer waits for the place it was given at {@code position} (it
   * took another one, or gave up): its parent removes that place again.
   */
  record JoinDeclined(Position position) implements Message {}

  /** From a new child's parent to the parent of one of the child's routing-table positions. */
  record IntroduceChild(NodeInfo parent, NodeInfo newcomer, Position target, boolean resolving)
      implements Message {}

  /**
   * Answer to a resolving introduction: nobody holds {@code target} (the position was
   * removed), so an entry there naming an unreachable node can go.
   */
  record PositionVacant(Position target) implements Message {}

  /**
   * From a node to its parent: introduce me to whoever holds these routing positions of mine
   * (after I took over a position, or found a routing entry dead). The parent passes it on as
   * it does for a new child, through the parents of those positions.
   */
  record ResolvePositions(NodeInfo node, List<Position> targets) implements Message {}

  /** Tells a node about a new routing-table neighbour; the node answers with its own info. */
  record NeighbourIntro(NodeInfo newcomer) implements Message {}

  /** Refreshes the receiver's cached copy of the sender's state. */
  record NeighbourInfo(NodeInfo info) implements Message {}

  // ---- locks and commits for structural changes ----

  /** What a lock holder must find true of its state to grant the lock. */
  sealed interface Expectation extends Serializable {}

  /**
   * The holder has no children. {@code vacated} is the position the operation empties (a
   * leaving leaf's own, or a failed leaf's): the holder drops it from its routing table as it
   * grants, which by itself keeps it from taking a child until the operation ends (its table
   * is no longer full). So no lock is held and no commit follows; an {@link Unlock} puts the
   * entry back.
   */
  record ExpectNoChildren(Position vacated) implements Expectation {}

  record ExpectChild(Side side, NodeId child) implements Expectation {}

  record ExpectAdjacent(Side side, NodeId node) implements Expectation {}

  record ExpectAll(List<Expectation> all) implements Expectation {}

  record LockRequest(long opId, long parentOp, Expectation expectation) implements Message {}

  record LockReply(long opId, boolean granted, NodeInfo info) implements Message {}

  record Unlock(long opId) implements Message {}

  /** Applies {@code changes} and releases lock {@code opId} (0: no lock was taken). */
  record Commit(long opId, List<Change> changes) implements Message {}

  /** One change a commit makes to a node's state. */
  sealed interface Change extends Serializable {}

  record AbsorbRange(KeyRange range, List<IndexEntry> entries) implements Change {}

  record SetChild(Side side, Link child) implements Change {}

  record SetAdjacent(Side side, Link node) implements Change {}

  record SetNeighbour(Position position, NodeInfo info) implements Change {}

  /** Every link to {@code old} now goes to {@code now} (a replacement took its position). */
  record ReplaceNode(NodeId old, NodeInfo now) implements Change {}

  // ---- departure by replacement and failure repair ----

  /**
   * Walks toward the leaves looking for a leaf that can leave safely and replace a node.
   * {@code replacedHasChildren} comes from the requester's own state or snapshot of the
   * replaced node: the caches of a failed node's routing neighbours can be stale, and a
   * stale "has children" refused every leaf on its level for good.
   */
  record FindReplacement(long opId, NodeId requester, NodeId replaced, int ttl,
      boolean replacedHasChildren) implements Message {}

  /** {@code replaced}: the node the replacement is to replace (the requester, or a failed node). */
  record ReplacementFound(long opId, NodeId replacement, NodeId replaced) implements Message {}

  record ReplacementFailed(long opId) implements Message {}

  /**
   * BATON's second load-balancing mechanism. From an overloaded node that range shifting cannot
   * help (its adjacent nodes are no lighter) and that can take a child: it looks, down the
   * tree and along the leaves, for a lightly loaded leaf that may leave at once. That leaf
   * leaves (its range goes to its parent) and joins again through the requester, which takes
   * it as a child and gives it half its range. {@code load}: the requester's entry count.
   */
  record FindLightLeaf(NodeId requester, int load, int ttl) implements Message {}

  /**
   * To a replacement whose {@link ReplacementFound} came too late: the requester left with
   * another replacement, started a new search, or gave the repair up. {@code holder} holds the
   * position the replacement was to take, if the requester knows who (it or its successor
   * there): the changes the replacement's own leave kept for that position go there.
   */
  record ReplacementDeclined(long opId, Link holder) implements Message {}

  /**
   * Hands a position over to a replacement, with the replicas the old holder kept.
   * {@code fromReplica}: the state comes from a failed node's replica, whose routing table
   * may be stale, so the replacement has itself introduced at every routing position.
   */
  record TakeOver(long opId, NodeSnapshot state, List<IndexEntry> entries,
      List<ReplicaSnapshot> replicas, boolean fromReplica) implements Message {}

  /**
   * From the adjacent node of a failed node that is not its designated repairer to the
   * failed node's adjacent node on the far side, which is: "{@code dead}, your adjacent node
   * on {@code side}, is still silent; are you repairing it?". Only one repairer may work on
   * a failed node at a time: two would hand its position and range to two nodes.
   * {@code hops}: how often the question was passed on (see {@link HandOff#ASK}).
   */
  record RepairHandOff(NodeId dead, Side side, int hops) implements Message {}

  /**
   * Answer to {@link RepairHandOff}; {@code redirect} is set with {@link HandOff#ASK}.
   */
  record RepairHandOffReply(NodeId dead, Side side, int hops, HandOff answer, Link redirect)
      implements Message {}

  /** Answers to {@link RepairHandOff}. */
  enum HandOff {
    /** A repair of the failed node is under way here. */
    REPAIRING,
    /** It is not: the asker repairs it, and this node leaves it alone for a while. */
    YOURS,
    /** This node's adjacent link on that side names another node now: ask that one. */
    ASK,
    /**
     * This node's adjacent link on that side names the asker: the failed node between them
     * was repaired or removed already, the asker's link and replica are stale.
     */
    GONE
  }

  // ---- failure detection ----

  /**
   * Answer to a ping from a node that believes the receiver is its adjacent node on
   * {@code side}: not so, {@code actual} lies in between.
   */
  record NotAdjacent(Side side, Link actual) implements Message {}

  /**
   * The sender says it is the receiver's adjacent node on {@code side}; the receiver takes
   * it as such only if their ranges touch (ranges are the ground truth of in-order), and
   * answers with a claim of its own so that both ends agree.
   */
  record AdjacentClaim(Side side, NodeInfo claimant, boolean reply) implements Message {}

  /**
   * Routed toward the key {@code claimant.range().high()}: the claimant's right adjacent link
   * names a node that is down and that it holds no replica of, so it cannot repair it; most
   * often that node was already repaired or removed by others and the link is merely stale.
   * The node whose range starts where the claimant's ends is its true right adjacent node and
   * answers as to an {@link AdjacentClaim}.
   */
  record FindAdjacent(NodeInfo claimant, int hops) implements Droppable {}

  /**
   * Asks who holds {@code target}, the position of the asker's parent or child whose link
   * names a node that is down (a repair elsewhere may have given the position to another
   * node). Sent to a node one level off the target whose parent (or child on the target's
   * side) has {@code target} in its routing table; that node answers with {@link Located}.
   */
  record LocatePosition(Position target, NodeInfo asker, int ttl) implements Droppable {}

  /** Answer to {@link LocatePosition}: {@code holder} is cached as holding the position. */
  record Located(NodeInfo holder) implements Droppable {}

  /**
   * The sender holds the receiver's parent or child position: the receiver takes it as that
   * link if its own link there names nobody or a node it suspects is down.
   */
  record LinkClaim(NodeInfo claimant) implements Droppable {}

  /** From a node that left to one still linked to it: {@code successor} took over from it. */
  record Moved(NodeId old, Link successor) implements Message {}

  /**
   * Liveness probe; to adjacent nodes it also carries the sender's routing table when that
   * changed since the last ping, keeping their replica of the sender's state fresh.
   */
  record Ping(NodeInfo info, List<NodeInfo> routing, boolean wantSnapshot, Side youAreMy)
      implements Droppable {}

  record Pong(NodeInfo info) implements Droppable {}

  // ---- index operations ----

  /** A client operation on the index. */
  sealed interface Operation extends Serializable {
    OrderedKey routingKey();
  }

  record Get(OrderedKey key) implements Operation {
    @Override
    public OrderedKey routingKey() {
      return key;
    }
  }

  record Put(OrderedKey key, ByteString value) implements Operation {
    @Override
    public OrderedKey routingKey() {
      return key;
    }
  }

  record Remove(OrderedKey key, ByteString value) implements Operation {
    @Override
    public OrderedKey routingKey() {
      return key;
    }
  }

  /** All entries with low <= key <= high; a null high means no upper bound. */
  record Scan(OrderedKey low, OrderedKey high) implements Operation {
    @Override
    public OrderedKey routingKey() {
      return low;
    }
  }

  /** Outcome of an operation. */
  sealed interface Result extends Serializable {}

  record Values(List<ByteString> values) implements Result {}

  record Entries(List<IndexEntry> entries, int nodesVisited) implements Result {}

  record Ack() implements Result {}

  record Failed(String reason) implements Result {}

  /**
   * A routed client operation. {@code walk} is set once some node found the key's owner
   * down: from then on the request follows in-order links toward the owner's adjacent
   * nodes (which hold its replica) instead of greedy jumps. {@code hinted} is set once a
   * node sent it to the owner a cached hint named (a neighbour's child or adjacent node):
   * if that hint was stale, the rest of the way uses routing-table ranges only, which
   * cannot lead in circles.
   */
  record Request(long reqId, NodeId origin, Operation op, int hops, boolean walk,
      boolean hinted) implements Droppable {}

  /** The range-scan walk along right adjacent links, collecting entries. */
  record ScanWalk(long reqId, NodeId origin, Scan scan, OrderedKey cursor, int hops,
      List<IndexEntry> found, int nodesVisited) implements Droppable {}

  record Response(long reqId, int hops, Result result) implements Droppable {}

  /** Owner to an adjacent node: apply one put/remove to your replica of my entries. */
  record ReplicaOp(IndexEntry entry, boolean put, long reqId, NodeId origin, int hops)
      implements Message {}

  /**
   * Owner to an adjacent node: my whole state and entries, for repair after my failure.
   * {@code held}: the replicas the owner holds of its other adjacent node (empty in nested
   * copies). When the owner and that node fail together, the node that rebuilds the owner
   * from this replica gets them with it and can rebuild the other node too, which before was
   * lost whenever both its adjacent nodes failed with it. Such a copy is as old as the owner's
   * last snapshot (not resent with each change of the other node), so it is used as a last
   * resort only: from the failed node's designated repairer's side, when it still lines up
   * with the place taken over, and after the failed node's other adjacent node did not answer.
   */
  record ReplicaSnapshot(NodeSnapshot state, List<IndexEntry> entries, List<ReplicaSnapshot> held)
      implements Message {

    public ReplicaSnapshot(NodeSnapshot state, List<IndexEntry> entries) {
      this(state, entries, List.of());
    }
  }
}
