package io.peersql.baton.core;

import static java.util.Objects.requireNonNull;

import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.Message.AbsorbRange;
import io.peersql.baton.core.Message.Ack;
import io.peersql.baton.core.Message.Change;
import io.peersql.baton.core.Message.Commit;
import io.peersql.baton.core.Message.Entries;
import io.peersql.baton.core.Message.Expectation;
import io.peersql.baton.core.Message.ExpectAdjacent;
import io.peersql.baton.core.Message.ExpectAll;
import io.peersql.baton.core.Message.ExpectChild;
import io.peersql.baton.core.Message.ExpectNoChildren;
import io.peersql.baton.core.Message.Failed;
import io.peersql.baton.core.Message.FindAdjacent;
import io.peersql.baton.core.Message.FindLightLeaf;
import io.peersql.baton.core.Message.FindReplacement;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.IntroduceChild;
import io.peersql.baton.core.Message.Join;
import io.peersql.baton.core.Message.JoinAccepted;
import io.peersql.baton.core.Message.JoinDeclined;
import io.peersql.baton.core.Message.JoinFailed;
import io.peersql.baton.core.Message.LinkClaim;
import io.peersql.baton.core.Message.LocatePosition;
import io.peersql.baton.core.Message.Located;
import io.peersql.baton.core.Message.LockReply;
import io.peersql.baton.core.Message.LockRequest;
import io.peersql.baton.core.Message.AdjacentClaim;
import io.peersql.baton.core.Message.Moved;
import io.peersql.baton.core.Message.NotAdjacent;
import io.peersql.baton.core.Message.NeighbourInfo;
import io.peersql.baton.core.Message.NeighbourIntro;
import io.peersql.baton.core.Message.Operation;
import io.peersql.baton.core.Message.Ping;
import io.peersql.baton.core.Message.PositionVacant;
import io.peersql.baton.core.Message.Pong;
import io.peersql.baton.core.Message.Put;
import io.peersql.baton.core.Message.Remove;
import io.peersql.baton.core.Message.HandOff;
import io.peersql.baton.core.Message.RepairHandOff;
import io.peersql.baton.core.Message.RepairHandOffReply;
import io.peersql.baton.core.Message.ReplaceNode;
import io.peersql.baton.core.Message.ReplacementDeclined;
import io.peersql.baton.core.Message.ReplacementFailed;
import io.peersql.baton.core.Message.ReplacementFound;
import io.peersql.baton.core.Message.ReplicaOp;
import io.peersql.baton.core.Message.ReplicaSnapshot;
import io.peersql.baton.core.Message.ResolvePositions;
import io.peersql.baton.core.Message.Request;
import io.peersql.baton.core.Message.Response;
import io.peersql.baton.core.Message.Result;
import io.peersql.baton.core.Message.Scan;
import io.peersql.baton.core.Message.ScanWalk;
import io.peersql.baton.core.Message.SetAdjacent;
import io.peersql.baton.core.Message.SetChild;
import io.peersql.baton.core.Message.SetNeighbour;
import io.peersql.baton.core.Message.TakeOver;
import io.peersql.baton.core.Message.Tick;
import io.peersql.baton.core.Message.Undeliverable;
import io.peersql.baton.core.Message.Unlock;
import io.peersql.baton.core.Message.Values;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The BATON protocol of one node as a deterministic state machine: {@code handle(now,
 * message)} returns the messages to send and the events for the owner. It has no threads
 * and no clock: the runtime (the simulator or the TCP transport) passes the time in, delivers
 * {@link Tick} timers, and supplies a seeded random source.
 *
 * <p>Structural changes that remove a position (a leaf leaving, a failed leaf being removed)
 * lock the nodes whose state they depend on with no-wait locks and commit in one round;
 * joins need no locks because they only add positions (a stale view of a routing table can
 * only make a node more cautious). See the module README for the full list of choices made
 * where the BATON paper is silent.
 */
public final class BatonProtocol {

  /** Life cycle of a node. */
  public enum Status { OUTSIDE, JOINING, ACTIVE, LEAVING, IN_TRANSIT, LEFT, FENCED }

  private enum OpKind { LEAF_LEAVE, REMOVE_DEAD, SHIFT }

  static final boolean GREEDY = !Boolean.getBoolean("baton.noGreedy");
  static final boolean HINTS = !Boolean.getBoolean("baton.noHints");
  static final boolean TREE_LINKS = !Boolean.getBoolean("baton.noTreeLinks");
  /** Lookups (Gets) starting high in the tree go down to a leaf first; see leafBelow. */
  static final boolean DOWN = !Boolean.getBoolean("baton.noDown");
  /**
   * How many levels below a node its adjacent leaf must lie for a lookup starting there to
   * go down first (1: 5.80 hops at 10,000 but 4.41 instead of 4.36 at 1,000 nodes, W1 seed
   * 1; 2: a 23-hop lookup at 10,000; 3: 5.93 and 4.32).
   */
  private static final int DOWN_MIN_LEVELS = 3;

  private static boolean tableHoles(NodeInfo[] table) {
    int holes = 0;
    for (var e : table) {
      if (e == null) {
        holes++;
      }
    }
    return holes * HOLE_DIV > table.length;
  }

  /** Above one hole in this many entries, a routing table counts as sparse for routing. */
  private static final int HOLE_DIV = 3;
  /** Hops a search for a light leaf takes before it is dropped (see FindLightLeaf). */
  private static final int LIGHT_SEARCH_TTL = 24;
  /** A leaf may move under an overloaded node if this many times its load fit in that node's. */
  private static final int LIGHT_FACTOR = 4;
  /** Lock leases between two searches for a light leaf by one overloaded node. */
  private static final int LIGHT_SEARCH_EVERY_LEASES = 5;
  /** Hops (and failed attempts, 4 each) a replacement search may take before giving up. */
  private static final int SEARCH_TTL = 48;
  /** Repair delays a failed node stays handed over to its non-designated repairer. */
  private static final int HANDED_OVER_DELAYS = 8;
  /** Ticks between two probes of a routing-table entry (see auditRoutingEntry). */
  private static final int AUDIT_EVERY_TICKS = 20;
  private final NodeId self;
  private final ProtocolConfig config;
  private final RandomGenerator random;
  private final NodeStats stats = new NodeStats();

  private Status status = Status.OUTSIDE;
  private Position position;
  private KeyRange range;
  private Link parent;
  private Link leftChild;
  private Link rightChild;
  private Link leftAdj;
  private Link rightAdj;
  private NodeInfo[] leftRt = new NodeInfo[0];
  private NodeInfo[] rightRt = new NodeInfo[0];
  private EntryStore store = new EntryStore();
  private final Map<NodeId, Replica> replicas = new HashMap<>();
  /**
   * Copies of last resort: the replicas a failed node held of its adjacent nodes, taken over
   * with its place (see {@link ReplicaSnapshot#held}). Kept apart from {@link #replicas}: they
   * serve no lookup and weigh in no decision but the repair of their node when it is silent,
   * and only from its designated repairer's side.
   */
  private final Map<NodeId, Replica> inherited = new HashMap<>();

  private long lockedBy;
  private long lockExpires;
  private Op op;
  private long opRetryAt;
  /** When this node may next look for a light leaf to take as a child (load balancing). */
  private long lightSearchAt;
  private boolean wantLeave;
  private long departureOp;
  private long departureStartedAt;
  private NodeId forwardTo;
  private Link successorLink;
  private Position formerPosition;
  private final Set<NodeId> formerIds = new LinkedHashSet<>();
  private long transitOp;
  private List<Change> stash = List.of();
  private Repair repair;
  private final Map<NodeId, Long> repairBackoff = new HashMap<>();
  /**
   * Failed adjacent nodes this node is not the designated repairer of: hand-offs sent to
   * that repairer without an answer. Three in a row and this node repairs it itself.
   */
  private final Map<NodeId, Integer> handOffsUnanswered = new HashMap<>();
  /**
   * Failed adjacent nodes whose designated repairer told this node to repair them, with the
   * time this permission ends (then it asks again).
   */
  private final Map<NodeId, Long> handedOver = new HashMap<>();
  /**
   * Failed adjacent nodes this node, their designated repairer, handed to their other
   * adjacent node, with the time until which it leaves them to that node.
   */
  private final Map<NodeId, Long> yielded = new HashMap<>();
  private NodeId accessPoint;
  /**
   * Until then this node's routing table may miss neighbours: it was installed from a failed
   * node's replica and the introductions asked for are still on their way. A leaf leave locks
   * only the neighbours its table names, so none may start before (see onTakeOver).
   */
  private long tableSettledAt;
  private long joinStartedAt;
  /** Children of this node that declined their place (see onJoinDeclined), by position. */
  private final Map<NodeId, Position> declined = new HashMap<>();

  private final ArrayDeque<Envelope> deferred = new ArrayDeque<>();
  private final ArrayDeque<Envelope> nextTick = new ArrayDeque<>();
  private final Map<Long, PendingRequest> requests = new LinkedHashMap<>();
  private final Map<NodeId, Long> lastHeard = new HashMap<>();
  /** Positions emptied by operations this node granted, by operation (see {@link #vacate}). */
  private final Map<Long, Vacated> vacated = new HashMap<>(4);
  /** After leaving: who sent the lookups this node passed on to its successor (bounded). */
  private final Map<Long, NodeId> returnTo = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, NodeId> eldest) {
      return size() > 256;
    }
  };
  private final Set<NodeId> suspected = new HashSet<>();
  /** Ranges of this node's tree links (parent, children, adjacent), as last heard. */
  private final Map<NodeId, KeyRange> linkRanges = new HashMap<>(8);
  /** Set by {@link #nextHopToward}: the hop it chose came from a cached hint. */
  private boolean lastHopHinted;
  private long lastContact;
  /** No stale-link lookup (FindAdjacent, LocatePosition) before this time. */
  private long nextLinkLookupAt;
  /** While choosing another hop than back to a lookup's sender: that sender. */
  private NodeId avoid;
  private long ticks;
  /** When the previous tick arrived (0: none yet); see {@link #onTick}. */
  private long lastTickAt;
  private long auditCursor;

  private long now;
  private boolean snapshotDirty;
  private boolean infoDirty;
  private boolean linksChanged;
  private boolean routingDirty;
  private List<Envelope> out = new ArrayList<>();
  private List<NodeEvent> events = new ArrayList<>();

  /** Creates the state machine of node {@code self}. */
  public BatonProtocol(NodeId self, ProtocolConfig config, RandomGenerator random) {
    this.self = requireNonNull(self, "self is null");
    this.config = requireNonNull(config, "config is null");
    this.random = requireNonNull(random, "random is null");
  }

  // =====================================================================================
  // Inputs
  // =====================================================================================

  /** Makes this node the root of a new overlay owning the whole key space. */
  public Effects startAsRoot(long now) {
    begin(now);
    install(Position.ROOT, KeyRange.ALL, null, null, null, null, null, List.of());
    status = Status.ACTIVE;
    lastContact = now;
    events.add(new NodeEvent.Joined(position, range));
    return finish();
  }

  /** Asks {@code accessPoint} (any node of the overlay) to place this node in the tree. */
  public Effects join(long now, NodeId accessPoint) {
    begin(now);
    if (status != Status.OUTSIDE && status != Status.JOINING) {
      throw new IllegalStateException("cannot join from status " + status);
    }
    if (status == Status.JOINING) {
      // One Join at a time: a second one may place this node a second time, and the place it
      // does not take would keep its range with nobody owning it. The Join under way is
      // answered, bounces, or times out (JoinAborted), and the owner may then try again.
      return finish();
    }
    startJoin(accessPoint);
    return finish();
  }

  private void startJoin(NodeId at) {
    accessPoint = at;
    status = Status.JOINING;
    joinStartedAt = now;
    send(at, new Join(self, config.maxHops()));
  }

  /** Out of the tree without a place: the owner may join again (NodeEvent.JoinAborted). */
  private void dropOut(String reason) {
    status = Status.OUTSIDE;
    events.add(new NodeEvent.JoinAborted(reason));
  }

  /** Leaves the overlay gracefully, handing range and entries over first. */
  public Effects leave(long now) {
    begin(now);
    if (status == Status.ACTIVE) {
      wantLeave = true;
      tryStartLeave();
    }
    return finish();
  }

  /** Starts a client operation; its outcome arrives as {@link NodeEvent.OperationCompleted}. */
  public Effects submit(long now, long reqId, Operation operation) {
    begin(now);
    requests.put(reqId, new PendingRequest(reqId, operation, now, 1));
    dispatchRequest(new Request(reqId, self, operation, 0, false, false));
    return finish();
  }

  /** Handles one message delivered to this node. */
  public Effects handle(long now, Envelope envelope) {
    begin(now);
    dispatch(envelope);
    return finish();
  }

  private void begin(long now) {
    this.now = now;
    // finish() leaves them empty; only an input that threw midway leaves anything behind
    out.clear();
    events.clear();
  }

  private Effects finish() {
    if (status == Status.ACTIVE || status == Status.LEAVING) {
      if (linksChanged) {
        dropStaleReplicas();
        linkRanges.keySet().removeIf(n -> !isTreeLink(n));
      }
      if (snapshotDirty) {
        var state = snapshot();
        var entries = store.all();
        for (var adj : distinctNodes(leftAdj, rightAdj)) {
          send(adj, new ReplicaSnapshot(state, entries, heldFor(adj)));
        }
      }
      if (infoDirty) {
        var info = new NeighbourInfo(myInfo());
        for (var n : routingNeighbours()) {
          send(n.node(), info);
        }
      }
    }
    snapshotDirty = false;
    infoDirty = false;
    linksChanged = false;
    if (out.isEmpty() && events.isEmpty()) {
      return Effects.NONE;
    }
    var effects = new Effects(out.isEmpty() ? List.of() : out,
        events.isEmpty() ? List.of() : events);
    if (!out.isEmpty()) {
      out = new ArrayList<>();
    }
    if (!events.isEmpty()) {
      events = new ArrayList<>();
    }
    return effects;
  }

  private void dispatch(Envelope env) {
    NodeId from = env.from();
    Message m = env.message();
    if (m instanceof JoinAccepted a && status != Status.JOINING && status != Status.FENCED) {
      // A place this node no longer waits for: it took another one, or its join timed out.
      // Ignoring it would leave the parent with a child that is nobody, holding a range that
      // nobody owns; and a node active elsewhere answers that parent's pings, so the place
      // never looks failed. Hand it back.
      send(from, new JoinDeclined(a.self().position()));
      return;
    }
    if (m instanceof Join j && !j.newcomer().equals(self)
        && (status == Status.OUTSIDE || status == Status.JOINING && from.equals(j.newcomer()))) {
      // Not in a tree: refuse at once. Deferring the request until this node has joined would
      // place the newcomer later, when it may have given up and formed or joined a tree itself.
      // A join forwarded by a tree member to a node that is still joining (it has been placed,
      // its answer is on the way) waits with the other deferred messages instead.
      send(j.newcomer(), new JoinFailed("the access point is not in an overlay (yet)"));
      return;
    }
    if (status == Status.FENCED || status == Status.OUTSIDE && !(m instanceof Tick)) {
      return;
    }
    if (!from.equals(self)) {
      lastHeard.put(from, now);
      if (isMonitored(from)) {
        lastContact = now;
      }
      if (!suspected.isEmpty() && suspected.remove(from) && isAdjacent(from)
          && status == Status.ACTIVE) {
        // writes while it was suspected were not replicated there: resend the whole replica,
        // else a failure of this node would be repaired from a copy missing acknowledged
        // entries
        snapshotDirty = true;
      }
    }
    if (status == Status.JOINING && !(m instanceof JoinAccepted || m instanceof JoinFailed
        || m instanceof Tick || m instanceof Undeliverable)) {
      deferred.add(env);
      return;
    }
    if (status == Status.IN_TRANSIT && !(m instanceof TakeOver || m instanceof Tick
        || m instanceof LockReply || m instanceof Undeliverable || m instanceof Commit
        || m instanceof ReplacementFound || m instanceof ReplacementFailed
        || m instanceof ReplacementDeclined)) {
      deferred.add(env);
      return;
    }
    if (status == Status.LEFT) {
      handleAfterLeaving(env);
      return;
    }
    switch (m) {
      case Tick t -> onTick();
      case Undeliverable u -> onUndeliverable(u);
      case Join j -> onJoin(env, j);
      case JoinAccepted a -> onJoinAccepted(from, a);
      case JoinFailed f -> onJoinFailed(f);
      case JoinDeclined d -> onJoinDeclined(from, d);
      case IntroduceChild i -> onIntroduceChild(i);
      case NeighbourIntro i -> {
        // about this very node: a place it was given twice (one of them declined) can be a
        // routing neighbour of the place it holds
        if (!i.newcomer().node().equals(self)) {
          setNeighbour(i.newcomer());
          send(i.newcomer().node(), new NeighbourInfo(myInfo()));
        }
      }
      case NeighbourInfo i -> setNeighbour(i.info());
      case ResolvePositions r -> onResolvePositions(from, r);
      case PositionVacant v -> onPositionVacant(v);
      case LockRequest r -> onLockRequest(from, r);
      case LockReply r -> onLockReply(from, r);
      case Unlock u -> {
        restoreVacated(u.opId());
        if (lockedBy == u.opId()) {
          releaseLock();
        }
      }
      case Commit c -> onCommit(c);
      case FindReplacement f -> onFindReplacement(env, f);
      case FindLightLeaf f -> onFindLightLeaf(f);
      case ReplacementFound f -> onReplacementFound(f);
      case ReplacementFailed f -> onReplacementFailed(f);
      case ReplacementDeclined d -> onReplacementDeclined(d);
      case TakeOver t -> onTakeOver(t);
      case Ping p -> {
        refreshCache(p.info());
        if (p.routing() != null) {
          var rep = replicas.get(from);
          if (rep != null && rep.snapshot != null) {
            var old = rep.snapshot;
            replicas.put(from, new Replica(new NodeSnapshot(p.info(), old.parent(),
                old.leftChild(), old.rightChild(), old.leftAdjacent(), old.rightAdjacent(),
                p.routing()), rep.entries, rep.held));
          }
        }
        // parent/child and adjacent links are symmetric: both ends ping, so a ping is its
        // own answer; only one-way monitors (outermost leaves watching a neighbour) need a pong
        if (!isMonitored(from)) {
          send(from, new Pong(myInfo()));
        }
        if (p.youAreMy() != null) {
          // the sender thinks this node is its adjacent on that side: check from this side
          Side mySide = p.youAreMy().opposite();
          Link mine = adjacent(mySide);
          if (mine != null && !mine.node().equals(from) && touches(mySide, p.info().range())) {
            // ranges are the ground truth of in-order: the sender is right, this link was
            // stale (typically a failed node that someone else already replaced)
            setAdjacent(mySide, p.info().link());
          } else if (mine != null && !mine.node().equals(from)
              && !suspected.contains(mine.node())) {
            send(from, new NotAdjacent(p.youAreMy(), mine));
          }
        }
        if (p.wantSnapshot() && isAdjacent(from) && status == Status.ACTIVE) {
          send(from, new ReplicaSnapshot(snapshot(), store.all(), heldFor(from)));
        }
      }
      case Pong p -> refreshCache(p.info());
      case Moved mv -> onMoved(mv);
      case NotAdjacent n -> {
        Link cur = adjacent(n.side());
        if (cur != null && cur.node().equals(from) && !n.actual().node().equals(self)) {
          send(n.actual().node(), new AdjacentClaim(n.side().opposite(), myInfo(), false));
        }
      }
      case AdjacentClaim c -> {
        Link cur = adjacent(c.side());
        if (touches(c.side(), c.claimant().range()) && (cur == null || !cur.node().equals(from))) {
          setAdjacent(c.side(), c.claimant().link());
          if (!c.reply()) {
            send(from, new AdjacentClaim(c.side().opposite(), myInfo(), true));
          }
        }
        // an adjacent node is often the parent or child too: when two linked nodes failed
        // together and were replaced apart, neither replacement's announcement reached the
        // other, and the claim is how they meet
        if (position != null) {
          relink(c.claimant());
        }
      }
      case FindAdjacent f -> onFindAdjacent(f);
      case RepairHandOff h -> onRepairHandOff(from, h);
      case RepairHandOffReply h -> onRepairHandOffReply(h);
      case LocatePosition l -> onLocatePosition(l);
      case Located l -> onLocated(l);
      case LinkClaim c -> onLinkClaim(c);
      case Request r -> {
        correctStaleSender(from, r);
        onRequest(r, from);
      }
      case ScanWalk w -> onScanWalk(w);
      case Response r -> onResponse(r);
      case ReplicaOp r -> onReplicaOp(from, r);
      case ReplicaSnapshot s -> onReplicaSnapshot(from, s);
    }
  }

  /** A node that left keeps forwarding what reaches it to the node that took its place. */
  private void handleAfterLeaving(Envelope env) {
    Message m = env.message();
    if (forwardTo == null) {
      return;
    }
    switch (m) {
      case Request r -> {
        // the sender's link or table entry is stale: correct it, and remember the sender so
        // that a lookup the successor cannot take (it failed since) goes back there
        if (!env.from().equals(self)) {
          if (successorLink != null && !successorLink.node().equals(env.from())) {
            send(env.from(), new Moved(self, successorLink));
          }
          returnTo.put(r.reqId(), env.from());
        }
        forward(forwardTo, r);
      }
      case Undeliverable u when u.original() instanceof Request r -> {
        NodeId back = returnTo.remove(r.reqId());
        if (back != null && !back.equals(u.to()) && r.hops() < config.maxHops()) {
          forward(back, new Request(r.reqId(), r.origin(), r.op(), r.hops() + 1, r.walk(),
              r.hinted()));
        }
      }
      case ScanWalk w -> forward(forwardTo, w);
      case Join j -> forward(forwardTo, j);
      case FindReplacement f -> forward(forwardTo, f);
      // news about routing neighbours concern the position, which a replacement now holds
      case IntroduceChild i -> forwardToSamePosition(i);
      case RepairHandOff h -> forwardToSamePosition(h);
      case NeighbourIntro i -> forwardToSamePosition(i);
      // a replacement found by a search of this node's that it no longer waits for: its
      // changes for this position go to the successor there, if any
      case ReplacementFound f -> send(f.replacement(), new ReplacementDeclined(f.opId(),
          self.equals(f.replaced()) && successorLink != null
              && successorLink.position().equals(formerPosition) ? successorLink : null));
      case LockRequest r -> {
        send(env.from(), new LockReply(r.opId(), false, null));
        if (successorLink != null && !successorLink.node().equals(env.from())) {
          send(env.from(), new Moved(self, successorLink));
        }
      }
      case Ping p -> {
        if (successorLink != null && !successorLink.node().equals(env.from())) {
          send(env.from(), new Moved(self, successorLink));
        }
      }
      default -> { }
    }
  }

  private void forwardToSamePosition(Message m) {
    if (successorLink != null && successorLink.position().equals(formerPosition)) {
      forward(successorLink.node(), m);
    }
  }

  // =====================================================================================
  // Join
  // =====================================================================================

  private void onJoin(Envelope env, Join j) {
    if (status != Status.ACTIVE) {
      if (status == Status.LEAVING) {
        deferred.add(env);
      }
      return;
    }
    if (lockedBy != 0 || op != null) {
      deferred.add(env);
      return;
    }
    if (j.newcomer().equals(self) || isTreeLink(j.newcomer())) {
      // a newcomer linked here already has its place (or this node gave it one that it is
      // handing back): placing it a second time here would mix up the two places
      return;
    }
    if (j.ttl() <= 0) {
      send(j.newcomer(), new JoinFailed("no place found within the hop limit"));
      return;
    }
    var next = new Join(j.newcomer(), j.ttl() - 1);
    // a replacement installed from a failed node's replica takes no child until its table is
    // resolved: a stale entry can make it look full where its own old place was just vacated
    // (it then took two children while its former sibling position was empty: unbalanced)
    if (!routingTablesFull() || now < tableSettledAt) {
      if (parent != null) {
        forward(parent.node(), next);
      } else {
        deferred.add(env);
      }
      return;
    }
    if (leftChild == null || rightChild == null) {
      acceptChild(j.newcomer(), leftChild == null ? Side.LEFT : Side.RIGHT);
      return;
    }
    var candidates = new ArrayList<NodeInfo>();
    for (var n : routingNeighbours()) {
      if (!n.departing() && !suspected.contains(n.node())
          && (!n.hasLeftChild() || !n.hasRightChild())) {
        candidates.add(n);
      }
    }
    if (!candidates.isEmpty()) {
      forward(candidates.get(random.nextInt(candidates.size())).node(), next);
      return;
    }
    var adj = random.nextBoolean() ? leftAdj : rightAdj;
    if (!usable(adj)) {
      adj = adj == leftAdj ? rightAdj : leftAdj;
    }
    if (usable(adj)) {
      forward(adj.node(), next);
    } else {
      deferred.add(env);
    }
  }

  private void acceptChild(NodeId newcomer, Side side) {
    Position childPos = position.child(side);
    OrderedKey mid = splitKey();
    if (mid == null) {
      // nothing lies strictly inside the range: the child starts with an empty range
      mid = side == Side.LEFT ? range.low() : range.high();
    }
    KeyRange childRange = side == Side.LEFT ? new KeyRange(range.low(), mid)
        : new KeyRange(mid, range.high());
    KeyRange keep = side == Side.LEFT ? new KeyRange(childRange.high(), range.high())
        : new KeyRange(range.low(), childRange.low());
    var moved = store.extract(childRange);
    range = keep;
    Link childLink = new Link(newcomer, childPos);
    Link oldAdj = adjacent(side);
    setChild(side, childLink);
    setAdjacent(side, childLink);
    linkRanges.put(newcomer, childRange);
    var childInfo = new NodeInfo(newcomer, childPos, childRange, false, false, false);
    Link me = new Link(self, position);
    Replica far = oldAdj == null ? null : replicas.get(oldAdj.node());
    send(newcomer, new JoinAccepted(childInfo, moved,
        me, side == Side.LEFT ? oldAdj : me, side == Side.LEFT ? me : oldAdj,
        far == null || far.snapshot == null ? null
            : new ReplicaSnapshot(far.snapshot, far.entries.all())));
    var childSnapshot = new NodeSnapshot(childInfo, me, null, null,
        side == Side.LEFT ? oldAdj : me, side == Side.LEFT ? me : oldAdj, List.of());
    replicas.put(newcomer, new Replica(childSnapshot, new EntryStore(moved)));
    if (oldAdj != null) {
      send(oldAdj.node(), new Commit(0, List.of(new SetAdjacent(side.opposite(), childLink))));
    }
    var targets = new ArrayList<Position>();
    for (Side s : Side.values()) {
      for (int i = 0; i < childPos.routingTableSize(s); i++) {
        targets.add(childPos.neighbour(s, i));
      }
    }
    introduceChild(childInfo, targets, false);
    // every routing neighbour of this node got an IntroduceChild carrying its new state
    infoDirty = false;
    snapshotDirty = true;
    events.add(new NodeEvent.RangeChanged(range));
  }

  /**
   * "My neighbour's child is my child's neighbour": for each routing position of a child of
   * this node, tells the parent of that position, which passes the news on to its own child
   * there, who answers the child directly.
   */
  private void introduceChild(NodeInfo childInfo, List<Position> targets, boolean resolving) {
    var myInfo = myInfo();
    for (Position target : targets) {
      Position targetParent = target.parent();
      if (targetParent.equals(position)) {
        Link sibling = child(target.sideInParent());
        if (sibling != null && !sibling.node().equals(childInfo.node())) {
          send(sibling.node(), new NeighbourIntro(childInfo));
        } else if (sibling == null && resolving && !childInfo.node().equals(self)) {
          send(childInfo.node(), new PositionVacant(target));
        }
        continue;
      }
      var slot = position.slotOf(targetParent);
      NodeInfo holder = slot == null ? null : table(slot.side())[slot.index()];
      if (holder != null && usable(holder.node())) {
        send(holder.node(), new IntroduceChild(myInfo, childInfo, target, resolving));
      }
    }
  }

  private void onResolvePositions(NodeId from, ResolvePositions r) {
    Link c = r.node().position().parent().equals(position)
        ? child(r.node().position().sideInParent()) : null;
    if (c != null && c.node().equals(from)) {
      introduceChild(r.node(), r.targets(), true);
    }
  }

  /**
   * Asks the parent to introduce this node to the holders of {@code targets}, its routing
   * positions whose entries are unknown or dead.
   */
  private void resolvePositions(List<Position> targets) {
    if (!targets.isEmpty() && usable(parent)) {
      send(parent.node(), new ResolvePositions(myInfo(), targets));
    }
  }

  /**
   * A routing neighbour is unreachable: look its position up again. The entry stays (marked
   * suspected, so routing avoids it) until the lookup names the new holder or reports the
   * position vacant: an unreachable node may be cut off rather than dead.
   */
  private void routingNeighbourLost(NodeId node) {
    var lost = new ArrayList<Position>();
    for (var t : List.of(leftRt, rightRt)) {
      for (var e : t) {
        if (e != null && e.node().equals(node)) {
          lost.add(e.position());
        }
      }
    }
    resolvePositions(lost);
  }

  private OrderedKey splitKey() {
    OrderedKey median = store.size() >= 2 ? store.medianKey() : null;
    if (median != null && median.compareTo(range.low()) > 0) {
      return median;
    }
    return OrderedKey.midpoint(range.low(), range.high());
  }

  private void onJoinAccepted(NodeId from, JoinAccepted a) {
    if (status != Status.JOINING) {
      return;
    }
    NodeInfo me = a.self();
    install(me.position(), me.range(), a.parent(), null, null, a.leftAdjacent(),
        a.rightAdjacent(), List.of());
    store = new EntryStore(a.entries());
    var far = a.farReplica();
    if (far != null && isAdjacent(far.state().info().node())) {
      replicas.put(far.state().info().node(), new Replica(far.state(), new EntryStore(far.entries())));
    }
    status = Status.ACTIVE;
    lastContact = now;
    snapshotDirty = true;
    events.add(new NodeEvent.Joined(position, range));
    replayDeferred();
  }

  private void onJoinFailed(JoinFailed f) {
    if (status == Status.JOINING) {
      dropOut(f.reason());
    }
  }

  /**
   * The newcomer placed as this node's child at {@code d.position()} does not take the place.
   * The place is removed as a failed leaf would be (this node holds its state, range and
   * entries as a replica since the split): removed if that keeps the balance, else taken over
   * by a replacement; retried on ticks until done.
   */
  private void onJoinDeclined(NodeId from, JoinDeclined d) {
    if (position != null && position.equals(d.position().parent())) {
      Link c = child(d.position().sideInParent());
      if (c != null && c.node().equals(from) && c.position().equals(d.position())) {
        declined.put(from, d.position());
        removeDeclinedChildren();
      }
    }
  }

  private void removeDeclinedChildren() {
    if (declined.isEmpty()) {
      return;
    }
    declined.entrySet().removeIf(e -> declinedReplica(e.getKey(), e.getValue()) == null);
    for (var e : declined.entrySet()) {
      if (now >= repairBackoff.getOrDefault(e.getKey(), 0L)) {
        startRepair(e.getKey());
        return;
      }
    }
  }

  /** This node's replica of a declined child, while that child still holds the place here. */
  private Replica declinedReplica(NodeId node, Position pos) {
    Link c = position == null ? null : child(pos.sideInParent());
    Replica rep = replicas.get(node);
    boolean here = c != null && c.node().equals(node) && c.position().equals(pos)
        && position.equals(pos.parent());
    return here && rep != null && rep.snapshot != null
        && rep.snapshot.info().position().equals(pos) ? rep : null;
  }

  private void onIntroduceChild(IntroduceChild i) {
    setNeighbour(i.parent());
    if (i.newcomer().node().equals(self)) {
      return; // a stale table sent this node's own lookup back to it (it has moved since)
    }
    Link c = child(i.target().sideInParent());
    if (c != null && i.target().parent().equals(position) && c.position().equals(i.target())) {
      send(c.node(), new NeighbourIntro(i.newcomer()));
    } else if (c == null && i.resolving() && i.target().parent().equals(position)) {
      send(i.newcomer().node(), new PositionVacant(i.target()));
    }
  }

  /** Clears a routing entry at a vacant position, if it names a node that seems gone. */
  private void onPositionVacant(PositionVacant v) {
    var slot = position == null ? null : position.slotOf(v.target());
    if (slot != null) {
      var e = table(slot.side())[slot.index()];
      if (e != null && suspected.contains(e.node())) {
        table(slot.side())[slot.index()] = null;
        routingDirty = true;
      }
    }
  }

  private boolean routingTablesFull() {
    if (!vacated.isEmpty()) {
      vacated.values().removeIf(v -> v.until() <= now);
      if (!vacated.isEmpty()) {
        return false;
      }
    }
    for (var t : List.of(leftRt, rightRt)) {
      for (var e : t) {
        if (e == null || e.departing()) {
          return false;
        }
      }
    }
    return true;
  }

  // =====================================================================================
  // Leave, replacement and repair
  // =====================================================================================

  private void tryStartLeave() {
    if (!wantLeave || status != Status.ACTIVE || op != null || lockedBy != 0
        || now < opRetryAt || now < tableSettledAt) {
      return;
    }
    if (parent == null && leftChild == null && rightChild == null) {
      becomeLeft(null);
      return;
    }
    if (canLeaveDirectly()) {
      startLeafLeave(0, null, null, 0, false);
    } else {
      // a leaf whose routing neighbour has children would unbalance the tree by leaving (its
      // lock would be refused): like an inner node, it has a leaf further down take its place
      startReplacementSearch();
    }
  }

  /** A leaf whose leave keeps the balance by its cache: no routing neighbour has children. */
  private boolean canLeaveDirectly() {
    return leftChild == null && rightChild == null && parent != null
        && routingNeighbours().stream().noneMatch(NodeInfo::hasChildren);
  }

  private void startReplacementSearch() {
    status = Status.LEAVING;
    departureStartedAt = now;
    departureOp = newOpId();
    NodeId start = firstHopDown(leftChild, rightChild, snapshot().routing(), null);
    if (start == null) {
      status = Status.ACTIVE;
      opRetryAt = now + backoff();
      return;
    }
    send(start, new FindReplacement(departureOp, self, self, SEARCH_TTL,
        leftChild != null || rightChild != null));
  }

  private NodeId firstHopDown(Link lc, Link rc, List<NodeInfo> routing, NodeId exclude) {
    return firstHopDown(lc, rc, routing, exclude, null);
  }

  /**
   * {@code cameFrom}: a search is not sent back along a routing link it came by. Two leaves
   * whose caches each said the other had children passed a search back and forth until its
   * TTL ran out (49 messages; at 1,000 nodes 4 of 36 searches of the W1 leaves, 4 messages a
   * leave on average).
   */
  private NodeId firstHopDown(Link lc, Link rc, List<NodeInfo> routing, NodeId exclude,
      NodeId cameFrom) {
    var kids = new ArrayList<Link>();
    for (var c : new Link[] {lc, rc}) {
      if (usable(c) && !c.node().equals(exclude)) {
        kids.add(c);
      }
    }
    if (!kids.isEmpty()) {
      return kids.get(random.nextInt(kids.size())).node();
    }
    var withKids = new ArrayList<NodeInfo>();
    for (var n : routing) {
      if (n.hasChildren() && !suspected.contains(n.node()) && !n.node().equals(exclude)
          && !n.node().equals(self) && !n.node().equals(cameFrom)) {
        withKids.add(n);
      }
    }
    return withKids.isEmpty() ? null : withKids.get(random.nextInt(withKids.size())).node();
  }

  private void startLeafLeave(long replacementOp, NodeId requester, NodeId replaced,
      int searchTtl, boolean replacedHasChildren) {
    startLeafLeave(replacementOp, requester, replaced, searchTtl, replacedHasChildren, null);
  }

  /** {@code rejoinAt}: a load-balancing leave, after which this node joins again there. */
  private void startLeafLeave(long replacementOp, NodeId requester, NodeId replaced,
      int searchTtl, boolean replacedHasChildren, NodeId rejoinAt) {
    Side mySide = position.sideInParent();
    Link o = adjacent(mySide);
    var o2 = new Op(newOpId(), OpKind.LEAF_LEAVE, now);
    o2.rejoinAt = rejoinAt;
    o2.replacementOp = replacementOp;
    o2.requester = requester;
    o2.replaced = replaced;
    if (!parent.node().equals(replaced)) {
      o2.targets.put(parent.node(), new ExpectChild(mySide, self));
    }
    if (o != null && !o.node().equals(replaced)) {
      o2.targets.put(o.node(), new ExpectAdjacent(mySide.opposite(), self));
    }
    for (var n : routingNeighbours()) {
      if (!n.node().equals(replaced)) {
        o2.targets.putIfAbsent(n.node(), new ExpectNoChildren(position));
      }
    }
    o2.searchTtl = searchTtl;
    o2.replacedHasChildren = replacedHasChildren;
    startOp(o2);
  }

  private void startOp(Op o) {
    op = o;
    o.targets.remove(self);
    for (var t : o.targets.entrySet()) {
      send(t.getKey(), new LockRequest(o.id, o.replacementOp, t.getValue()));
    }
    if (o.targets.isEmpty()) {
      commitOp();
    }
  }

  private void onLockRequest(NodeId from, LockRequest r) {
    boolean open = status == Status.ACTIVE
        || (status == Status.LEAVING && r.parentOp() != 0 && r.parentOp() == departureOp);
    boolean granted = open && (lockedBy == 0 || lockedBy == r.opId()) && op == null
        && holds(r.expectation(), from);
    if (granted && r.expectation() instanceof ExpectNoChildren v) {
      vacate(r.opId(), v.vacated());
    } else if (granted) {
      lockedBy = r.opId();
      lockExpires = now + config.lockLeaseMs();
    }
    send(from, new LockReply(r.opId(), granted, status == Status.ACTIVE
        || status == Status.LEAVING ? myInfo() : null));
  }

  /**
   * Grants a routing neighbour's (or a failed leaf's repairer's) request to empty a position
   * next to this node: drops it from the routing table now instead of on a commit. Until the
   * operation's lease ends, the table does not count as full (see {@link #routingTablesFull}),
   * even if the entry comes back meanwhile (an audit that finds the leaving node still there),
   * so this node takes no child that the departure would unbalance. At 1,000 nodes this saves
   * a leaving leaf about 11 of its 62 messages (W1 seed 1).
   */
  private void vacate(long opId, Position pos) {
    var slot = position.slotOf(pos);
    NodeInfo before = null;
    if (slot != null) {
      before = table(slot.side())[slot.index()];
      table(slot.side())[slot.index()] = null;
      routingDirty = true;
    }
    vacated.put(opId, new Vacated(pos, before, now + config.lockLeaseMs()));
  }

  /** The operation that emptied a position was called off: put the entry back. */
  private void restoreVacated(long opId) {
    var v = vacated.remove(opId);
    if (v == null || v.before() == null || position == null) {
      return;
    }
    var slot = position.slotOf(v.position());
    if (slot != null && table(slot.side())[slot.index()] == null) {
      setNeighbour(v.before());
    }
  }

  private boolean holds(Expectation e, NodeId from) {
    return switch (e) {
      case ExpectNoChildren n -> leftChild == null && rightChild == null;
      case ExpectChild c -> {
        Link l = child(c.side());
        yield l != null && l.node().equals(c.child());
      }
      case ExpectAdjacent a -> {
        Link l = adjacent(a.side());
        yield l != null && l.node().equals(a.node());
      }
      case ExpectAll all -> all.all().stream().allMatch(x -> holds(x, from));
    };
  }

  private void releaseLock() {
    lockedBy = 0;
    replayDeferred();
  }

  private void onLockReply(NodeId from, LockReply r) {
    if (op == null || op.id != r.opId()) {
      if (r.granted()) {
        send(from, new Unlock(r.opId()));
      }
      return;
    }
    if (r.info() != null) {
      refreshCache(r.info());
    }
    if (!r.granted()) {
      abortOp(r.info());
      return;
    }
    op.granted.add(from);
    maybeCommit();
  }

  private void maybeCommit() {
    if (op.granted.size() + op.dead.size() == op.targets.size()) {
      commitOp();
    }
  }

  private void lockUndeliverable(NodeId to, LockRequest r) {
    if (op == null || op.id != r.opId()) {
      return;
    }
    suspected.add(to);
    // A dead routing neighbour cannot gain children while dead; trust what we knew of it.
    NodeInfo known = cachedInfo(to);
    if (r.expectation() instanceof ExpectNoChildren && known != null && !known.hasChildren()) {
      op.dead.add(to);
      maybeCommit();
    } else {
      abortOp(null);
    }
  }

  private void clearRoutingEntry(NodeId node) {
    for (var t : List.of(leftRt, rightRt)) {
      for (int i = 0; i < t.length; i++) {
        if (t[i] != null && t[i].node().equals(node)) {
          t[i] = null;
          routingDirty = true;
        }
      }
    }
  }

  private NodeInfo cachedInfo(NodeId node) {
    for (var n : routingNeighbours()) {
      if (n.node().equals(node)) {
        return n;
      }
    }
    if (op != null && op.deadSnapshot != null) {
      for (var n : op.deadSnapshot.routing()) {
        if (n.node().equals(node)) {
          return n;
        }
      }
    }
    return null;
  }

  private void abortOp(NodeInfo refusal) {
    Op o = op;
    op = null;
    for (var t : o.granted) {
      send(t, new Unlock(o.id));
    }
    boolean unsafe = refusal != null && refusal.hasChildren()
        && position.slotOf(refusal.position()) != null;
    switch (o.kind) {
      case LEAF_LEAVE -> {
        if (o.replacementOp != 0) {
          // not a safe leaf after all: keep searching from here
          var again = new FindReplacement(o.replacementOp, o.requester, o.replaced,
              o.searchTtl - 4, o.replacedHasChildren);
          if (unsafe && !suspected.contains(refusal.node())) {
            send(refusal.node(), again);
          } else if (again.ttl() <= 0) {
            sendOrLocal(o.requester, new ReplacementFailed(o.replacementOp));
          } else {
            // this leaf cannot leave now (a link is busy or gone): let a neighbour try
            var others = new ArrayList<NodeInfo>();
            for (var n : routingNeighbours()) {
              if (!suspected.contains(n.node()) && !n.node().equals(o.replaced)) {
                others.add(n);
              }
            }
            if (others.isEmpty() || random.nextBoolean()) {
              deferLocal(again, o.requester);
            } else {
              send(others.get(random.nextInt(others.size())).node(), again);
            }
          }
        } else if (unsafe) {
          opRetryAt = now;
          startReplacementSearch();
        } else {
          opRetryAt = now + backoff();
        }
      }
      case REMOVE_DEAD -> {
        // a target with children (the failed leaf's sibling or a routing neighbour) means
        // removing the position would unbalance the tree: a replacement must take it
        if (refusal != null && refusal.hasChildren() && repair == null) {
          startReplacementRepair(o.deadSnapshot, o.deadEntries, refusal.node());
        } else {
          repairBackoff.put(o.deadSnapshot.info().node(), now + 2 * backoff());
        }
      }
      case SHIFT -> opRetryAt = now + backoff() * 4;
    }
    replayDeferred();
  }

  private void commitOp() {
    Op o = op;
    op = null;
    switch (o.kind) {
      case LEAF_LEAVE -> commitLeafLeave(o);
      case REMOVE_DEAD -> commitRemoveDead(o);
      case SHIFT -> commitShift(o);
    }
    replayDeferred();
  }

  private void commitLeafLeave(Op o) {
    Side mySide = position.sideInParent();
    Link p = parent;
    Link other = adjacent(mySide);
    var perTarget = new LinkedHashMap<NodeId, List<Change>>();
    var toParent = new ArrayList<Change>();
    toParent.add(new SetChild(mySide, null));
    toParent.add(new AbsorbRange(range, store.all()));
    toParent.add(new SetAdjacent(mySide, other));
    perTarget.put(p.node(), toParent);
    if (other != null) {
      perTarget.computeIfAbsent(other.node(), k -> new ArrayList<>())
          .add(new SetAdjacent(mySide.opposite(),
              p.node().equals(o.replaced) && o.replacementOp != 0
                  ? new Link(self, p.position()) : p));
    }
    for (var n : routingNeighbours()) {
      // those that granted the lock have dropped this position already (ExpectNoChildren)
      if (!o.dead.contains(n.node()) && !(o.granted.contains(n.node())
          && o.targets.get(n.node()) instanceof ExpectNoChildren)) {
        perTarget.computeIfAbsent(n.node(), k -> new ArrayList<>())
            .add(new SetNeighbour(position, null));
      }
    }
    var stashed = new ArrayList<Change>();
    for (var e : perTarget.entrySet()) {
      if (e.getKey().equals(o.replaced)) {
        stashed.addAll(e.getValue());
      } else {
        send(e.getKey(), new Commit(o.id, e.getValue()));
      }
    }
    if (o.replacementOp == 0 && o.rejoinAt != null) {
      rejoinAfterLeave(o.rejoinAt);
    } else if (o.replacementOp == 0) {
      becomeLeft(p);
    } else {
      stash = stashed;
      transitOp = o.replacementOp;
      clearPosition();
      status = Status.IN_TRANSIT;
      sendOrLocal(o.requester, new ReplacementFound(o.replacementOp, self, o.replaced));
    }
  }

  /**
   * The second half of a load-balancing move: this leaf has handed its range to its parent
   * and now joins again through the overloaded node that asked for it, which takes it as a
   * child if it still can (else the join goes on as any join does). Client operations under
   * way are kept and retried from the new place.
   */
  private void rejoinAfterLeave(NodeId at) {
    clearPosition();
    formerIds.clear();
    startJoin(at);
  }

  private void becomeLeft(Link successor) {
    successorLink = successor;
    formerPosition = position;
    clearPosition();
    status = Status.LEFT;
    forwardTo = successor == null ? null : successor.node();
    wantLeave = false;
    events.add(new NodeEvent.Left());
    for (var p : requests.values()) {
      events.add(new NodeEvent.OperationCompleted(p.reqId, new Failed("node left"), -1));
    }
    requests.clear();
    var pendingMsgs = new ArrayList<>(deferred);
    deferred.clear();
    for (var env : pendingMsgs) {
      handleAfterLeaving(env);
    }
  }

  private void clearPosition() {
    store = new EntryStore();
    replicas.clear();
    inherited.clear();
    vacated.clear();
    position = null;
    range = null;
    parent = leftChild = rightChild = leftAdj = rightAdj = null;
    leftRt = new NodeInfo[0];
    rightRt = new NodeInfo[0];
  }

  private void onFindReplacement(Envelope env, FindReplacement f) {
    if (status != Status.ACTIVE && status != Status.LEAVING) {
      return;
    }
    if (f.ttl() <= 0) {
      sendOrLocal(f.requester(), new ReplacementFailed(f.opId()));
      return;
    }
    NodeId down = firstHopDown(leftChild, rightChild, routingNeighbours(), f.replaced(),
        env.from());
    if (down != null) {
      forward(down, new FindReplacement(f.opId(), f.requester(), f.replaced(), f.ttl() - 1,
          f.replacedHasChildren()));
      return;
    }
    // by its cache this node is a leaf that may leave safely
    boolean leaf = leftChild == null && rightChild == null;
    // the node to replace counts like any routing neighbour: if it sits at this level with
    // children, this position may not empty while that one (taken over) keeps its children
    boolean replacedHere = f.replacedHasChildren() && cachedInfo(f.replaced()) != null;
    // a node about to leave is no replacement, except for its own failed parent or routing
    // neighbour: it cannot leave before that is repaired (a neighbour's cached children keep
    // it from leaving directly, the neighbour's silence from finding a replacement of its own
    // there), and it may be the only leaf in sight to repair it with
    boolean leavingSoon = wantLeave && !(parent != null && parent.node().equals(f.replaced()))
        && !isRoutingNeighbour(f.replaced());
    if (!leaf || status == Status.LEAVING || parent == null || leavingSoon
        || self.equals(f.replaced()) || replacedHere || now < tableSettledAt) {
      sendOrLocal(f.requester(), new ReplacementFailed(f.opId()));
      return;
    }
    if (op != null || lockedBy != 0) {
      deferLocal(new FindReplacement(f.opId(), f.requester(), f.replaced(), f.ttl() - 1,
          f.replacedHasChildren()), f.requester());
      return;
    }
    startLeafLeave(f.opId(), f.requester(), f.replaced(), f.ttl(), f.replacedHasChildren());
  }

  private void onReplacementFound(ReplacementFound f) {
    if (status == Status.LEAVING && f.opId() == departureOp) {
      var held = new ArrayList<ReplicaSnapshot>();
      replicas.forEach((owner, r) -> {
        if (r.snapshot != null) {
          held.add(new ReplicaSnapshot(r.snapshot, r.entries.all()));
        }
      });
      var takeOver = new TakeOver(f.opId(), snapshot(), store.all(), held, false);
      NodeId r = f.replacement();
      becomeLeft(new Link(r, position));
      send(r, takeOver);
      return;
    }
    if (repair != null && repair.opId == f.opId()) {
      Replica rep = replicas.get(repair.snapshot.info().node());
      var takeOver = new TakeOver(f.opId(), repair.snapshot, repair.entries,
          rep == null ? List.of() : rep.held, true);
      repairBackoff.put(repair.snapshot.info().node(), now + config.repairAfterMs());
      repair = null;
      sendOrLocal(f.replacement(), takeOver);
      return;
    }
    if (status == Status.ACTIVE || status == Status.LEAVING) {
      // found by a search this node no longer waits for (it timed out and a new one began,
      // or the repair was given up): the replacement has already left its own place and
      // would wait in transit for ever. Its changes for this node's position come here.
      send(f.replacement(), new ReplacementDeclined(f.opId(),
          self.equals(f.replaced()) ? new Link(self, position) : null));
    }
  }

  /**
   * The node this one left its place to replace does not want it any more: hand what its
   * own leave kept back for that position to the position's holder, and rejoin (the owner
   * does, on {@link NodeEvent.JoinAborted}).
   */
  private void onReplacementDeclined(ReplacementDeclined d) {
    if (status != Status.IN_TRANSIT || d.opId() != transitOp) {
      return;
    }
    if (!stash.isEmpty() && d.holder() != null) {
      send(d.holder().node(), new Commit(0, stash));
    }
    stash = List.of();
    transitOp = 0;
    dropOut("replacement declined");
  }

  private void onReplacementFailed(ReplacementFailed f) {
    if (status == Status.LEAVING && f.opId() == departureOp) {
      status = Status.ACTIVE;
      departureOp = 0;
      opRetryAt = now + backoff();
      replayDeferred();
    } else if (repair != null && repair.opId == f.opId()) {
      repairBackoff.put(repair.snapshot.info().node(), now + backoff());
      repair = null;
    }
  }

  private void onTakeOver(TakeOver t) {
    if (status != Status.IN_TRANSIT || t.opId() != transitOp) {
      return;
    }
    NodeSnapshot s = t.state();
    NodeId old = s.info().node();
    formerIds.clear();
    formerIds.add(old);
    var routing = new ArrayList<NodeInfo>();
    for (var n : s.routing()) {
      if (!n.node().equals(self)) {
        routing.add(n);
      }
    }
    install(s.info().position(), s.info().range(), s.parent(), s.leftChild(), s.rightChild(),
        s.leftAdjacent(), s.rightAdjacent(), routing);
    store = new EntryStore(t.entries());
    replicas.clear();
    inherited.clear();
    for (var r : t.replicas()) {
      NodeSnapshot held = r.state();
      if (held.info().node().equals(self)) {
        continue;
      }
      if (t.fromReplica()) {
        // the failed node's copy of its other adjacent node (see ReplicaSnapshot#held), as old
        // as the failed node's last snapshot: kept only if it still lines up with the place
        // taken over, and relinked to this node
        if (!heldLinesUp(s, held)) {
          continue;
        }
        inherited.put(held.info().node(), new Replica(held.relinked(old, new Link(self, position)),
            new EntryStore(r.entries())));
        continue;
      }
      replicas.put(held.info().node(), new Replica(held, new EntryStore(r.entries())));
    }
    status = Status.ACTIVE;
    transitOp = 0;
    for (var c : stash) {
      apply(c);
    }
    stash = List.of();
    // links the replaced node had to this node's former place are gone now
    if (parent != null && parent.node().equals(self)) {
      parent = null;
    }
    for (Side side : Side.values()) {
      if (child(side) != null && child(side).node().equals(self)) {
        setChild(side, null);
      }
      if (adjacent(side) != null && adjacent(side).node().equals(self)) {
        setAdjacent(side, null);
      }
    }
    lastContact = now;
    lastHeard.clear();
    suspected.remove(self);
    var announce = new Commit(0, List.of(new ReplaceNode(old, myInfo())));
    var targets = new LinkedHashSet<NodeId>();
    for (var l : new Link[] {parent, leftChild, rightChild, leftAdj, rightAdj}) {
      if (l != null) {
        targets.add(l.node());
      }
    }
    for (var n : routingNeighbours()) {
      targets.add(n.node());
    }
    targets.remove(self);
    targets.remove(old);
    for (var n : targets) {
      send(n, announce);
    }
    // the announcement carried this node's info to every routing neighbour already
    infoDirty = false;
    // the replaced node's table may miss news (or, rebuilt from a failed node's replica, be
    // stale): have the parent introduce this node where its table names nobody, or everywhere
    var unknown = new ArrayList<Position>();
    for (Side side : Side.values()) {
      var rt = table(side);
      for (int i = 0; i < rt.length; i++) {
        if (rt[i] == null || t.fromReplica()) {
          unknown.add(position.neighbour(side, i));
        }
      }
    }
    resolvePositions(unknown);
    if (t.fromReplica()) {
      // A failed node's replica can miss routing neighbours (its sibling, say, took a child
      // after the replica was made). Removing this position on such a table could unbalance
      // the tree: seen with ten percent failing at once, a replacement that became a leaf
      // replaced yet another failed node, leaving its sibling's child one level too deep.
      tableSettledAt = now + config.repairAfterMs();
    }
    snapshotDirty = true;
    linksChanged = true;
    events.add(new NodeEvent.Joined(position, range));
    replayDeferred();
  }

  /**
   * Whether {@code held}, a replica the failed node {@code taken} kept of an adjacent node,
   * still describes that adjacent node: named as {@code taken}'s adjacent on one side, naming
   * {@code taken} back, and its range meeting {@code taken}'s there.
   */
  private static boolean heldLinesUp(NodeSnapshot taken, NodeSnapshot held) {
    NodeId other = held.info().node();
    NodeId old = taken.info().node();
    KeyRange mine = taken.info().range();
    KeyRange theirs = held.info().range();
    Link l = taken.leftAdjacent();
    Link r = taken.rightAdjacent();
    if (l != null && l.node().equals(other)) {
      return held.rightAdjacent() != null && held.rightAdjacent().node().equals(old)
          && theirs.high() != null && theirs.high().equals(mine.low());
    }
    if (r != null && r.node().equals(other)) {
      return held.leftAdjacent() != null && held.leftAdjacent().node().equals(old)
          && mine.high() != null && mine.high().equals(theirs.low());
    }
    return false;
  }

  // ---- failure repair ----

  private void checkFailures() {
    var monitored = monitoredLinks();
    boolean anyHeard = false;
    for (var l : monitored) {
      long last = lastHeard.computeIfAbsent(l, k -> now);
      long silent = now - last;
      if (silent <= config.suspectAfterMs()) {
        anyHeard = true;
      } else if (suspected.add(l)) {
        events.add(new NodeEvent.NeighbourFailed(l));
      }
    }
    // with a single link, silence cannot tell "I am cut off" from "my link died": never fence
    if (config.fenceAfterMs() > 0 && monitored.size() >= 2 && !anyHeard
        && now - lastContact > config.fenceAfterMs()) {
      fence();
      return;
    }
    for (Side side : Side.values()) {
      Link adj = adjacent(side);
      if (adj == null || !suspected.contains(adj.node())) {
        continue;
      }
      long silent = now - lastHeard.getOrDefault(adj.node(), now);
      Replica rep = replicas.get(adj.node());
      boolean lastResort = false;
      if ((rep == null || rep.snapshot == null) && inherited.containsKey(adj.node())) {
        // an inherited copy is used from the designated side only: the node rebuilt on the
        // other side may hold one too, and neither would hear of the other's repair
        Replica last = inherited.get(adj.node());
        lastResort = designatedRepairer(side, last.snapshot);
        rep = lastResort ? last : null;
      }
      if (rep == null || rep.snapshot == null) {
        // nothing to repair it from: most often someone else already repaired or removed it
        // and this link is stale; look for the node that now owns the neighbouring keys
        if (side == Side.RIGHT && silent > 2 * config.repairAfterMs() && now >= nextLinkLookupAt
            && range.high() != null) {
          nextLinkLookupAt = now + config.repairAfterMs();
          onFindAdjacent(new FindAdjacent(myInfo(), 0));
        }
        continue;
      }
      if (silent > repairThreshold(side, rep.snapshot)
          && now >= repairBackoff.getOrDefault(adj.node(), 0L)) {
        Link farSide = rep.snapshot.adjacent(side);
        if (designatedRepairer(side, rep.snapshot) && !lastResort || farSide == null) {
          if (now >= yielded.getOrDefault(adj.node(), 0L)) {
            startRepair(adj.node());
          }
        } else if (now < handedOver.getOrDefault(adj.node(), 0L)
            || handOffsUnanswered.getOrDefault(adj.node(), 0) >= 3) {
          startRepair(adj.node());
        } else {
          // not this node's to repair while its designated repairer, the failed node's
          // adjacent node on the far side, lives: ask that one. A designated repairer whose
          // copy is inherited asks too: the far side may hold a fresher one, or be repairing
          handOffsUnanswered.merge(adj.node(), 1, Integer::sum);
          repairBackoff.put(adj.node(), now + config.repairAfterMs());
          send(farSide.node(), new RepairHandOff(adj.node(), side.opposite(), 0));
        }
      }
    }
  }

  /**
   * A parent or child link that stays silent long after its repair was due (two repair
   * delays; not this node's to repair, or not repairable from here) is looked up again by
   * position: a concurrent repair may have given that position to another node whose
   * announcement never reached this one (it went to the node this one replaced).
   */
  private void locateSilentTreeLinks() {
    if (now < nextLinkLookupAt) {
      return;
    }
    for (var l : new Link[] {parent, leftChild, rightChild}) {
      if (l == null || !suspected.contains(l.node())
          || now - lastHeard.getOrDefault(l.node(), now) <= 2 * config.repairAfterMs()) {
        continue;
      }
      Replica rep = replicas.get(l.node());
      if (isAdjacent(l.node()) && rep != null && rep.snapshot != null) {
        continue; // this node can repair it itself
      }
      Position target = l.position();
      boolean up = target.level() < position.level();
      // the other child lists its sibling at distance one (the only way at the root, which
      // has no routing neighbours)
      Link otherChild = up ? null : child(target.sideInParent().opposite());
      NodeId ask = usable(otherChild) ? otherChild.node() : null;
      NodeId sibling = null;
      for (var n : ask != null ? List.<NodeInfo>of() : routingNeighbours()) {
        // a neighbour one level off whose parent (or child) has the target in its table
        var slot = position.slotOf(n.position());
        boolean fits = up ? slot != null && slot.index() >= 1
            : n.hasChild(target.sideInParent());
        if (fits && usable(n.node())) {
          ask = n.node();
          break;
        }
        if (up && slot != null && slot.index() == 0 && usable(n.node())) {
          sibling = n.node(); // may share the parent: its own parent link answers
        }
      }
      if (ask == null) {
        ask = sibling;
      }
      if (ask != null) {
        nextLinkLookupAt = now + config.repairAfterMs();
        send(ask, new LocatePosition(target, myInfo(), 2));
        return;
      }
    }
  }

  private void onLocatePosition(LocatePosition l) {
    if (position == null || l.asker().node().equals(self)) {
      return;
    }
    Position target = l.target();
    if (position.equals(target)) {
      send(l.asker().node(), new Located(myInfo()));
      return;
    }
    if (position.level() == target.level()) {
      var slot = position.slotOf(target);
      NodeInfo holder = slot == null ? null : table(slot.side())[slot.index()];
      if (holder != null && usable(holder.node()) && !holder.node().equals(l.asker().node())) {
        send(l.asker().node(), new Located(holder));
      }
      return;
    }
    if (l.ttl() <= 0) {
      return;
    }
    Link next = position.level() > target.level() ? parent : child(target.sideInParent());
    if (usable(next)) {
      send(next.node(), new LocatePosition(target, l.asker(), l.ttl() - 1));
    }
  }

  /** The holder of a parent or child position whose link here is silent: link to it instead. */
  private void onLocated(Located l) {
    NodeInfo h = l.holder();
    if (position == null || h.node().equals(self) || suspected.contains(h.node())) {
      return;
    }
    if (relink(h)) {
      send(h.node(), new LinkClaim(myInfo()));
    }
  }

  private void onLinkClaim(LinkClaim c) {
    if (position != null && !c.claimant().node().equals(self)) {
      relink(c.claimant());
    }
  }

  /**
   * Takes {@code h} as the parent or child whose position it holds, if this node's link
   * there names a node suspected to be down (positions are unique: whoever holds the
   * position is that link). Returns true if a link changed.
   */
  private boolean relink(NodeInfo h) {
    Position hp = h.position();
    if (parent != null && hp.equals(position.parent()) && suspected.contains(parent.node())
        && !parent.node().equals(h.node())) {
      parent = h.link();
      linked(parent);
      linksChanged = true;
      snapshotDirty = true;
      refreshCache(h);
      return true;
    }
    for (Side side : Side.values()) {
      Link c = child(side);
      if (c != null && hp.equals(position.child(side)) && suspected.contains(c.node())
          && !c.node().equals(h.node())) {
        setChild(side, h.link());
        refreshCache(h);
        return true;
      }
    }
    return false;
  }

  /**
   * A routed search for the node whose range starts where the claimant's ends: it is the
   * claimant's right adjacent node, whatever stale link the claimant holds.
   */
  /**
   * Routing tables are symmetric, so a lookup passing through from a node that is neither a
   * tree link nor in this node's table came by a stale entry: most often this node replaced
   * a failed node elsewhere and the sender still lists it at its old place, with its old
   * range. Lookups passed around such entries in circles until their hop limit. One Pong
   * with this node's place and range lets the sender drop the entry (the owner itself is
   * exempt: hinted last hops come from anywhere).
   */
  private void correctStaleSender(NodeId from, Request r) {
    if (from.equals(self) || range == null || !(r.op() instanceof Get g)
        || range.contains(g.key()) || isTreeLink(from) || isRoutingNeighbour(from)) {
      return;
    }
    send(from, new Pong(myInfo()));
  }

  private void onFindAdjacent(FindAdjacent f) {
    NodeInfo claimant = f.claimant();
    OrderedKey k = claimant.range().high();
    if (range == null || k == null) {
      return;
    }
    if (!claimant.node().equals(self) && k.equals(range.low())) {
      Link cur = leftAdj;
      if (cur == null || !cur.node().equals(claimant.node())) {
        setAdjacent(Side.LEFT, claimant.link());
      }
      relink(claimant);
      send(claimant.node(), new AdjacentClaim(Side.RIGHT, myInfo(), true));
      return;
    }
    if (f.hops() >= config.maxHops() || range.contains(k) && !claimant.node().equals(self)) {
      return;
    }
    // a link known to own k first: with a failure in sight routing walks the in-order links,
    // and its step toward k (a child, say) can be the claimant itself
    NodeId next = linkOwning(k);
    if (next == null) {
      next = nextHopToward(k, !suspected.isEmpty(), false, false, false);
    }
    if ((next == null || next.equals(claimant.node())) && !suspected.isEmpty()) {
      // the walk's step is the claimant (this node's child below k, say): greedy over the
      // routing tables instead, or up
      next = nextHopToward(k, false, false, false, false);
      if ((next == null || next.equals(claimant.node())) && usable(parent)) {
        next = parent.node();
      }
    }
    if (next != null && !next.equals(claimant.node())) {
      forward(next, new FindAdjacent(claimant, f.hops() + 1));
    }
  }

  /**
   * One adjacent node is the designated repairer of a silent node, the other steps in later
   * if the first seems gone too: a failed leaf is repaired by its parent (always one of its
   * adjacent nodes), an inner node by its left adjacent node.
   */
  private long repairThreshold(Side sideOfDead, NodeSnapshot dead) {
    return designatedRepairer(sideOfDead, dead) ? config.repairAfterMs()
        : 3 * config.repairAfterMs();
  }

  /**
   * Whether this node, whose adjacent node on {@code sideOfDead} failed, is its designated
   * repairer. Decided by positions, not by the node ids in the failed node's snapshot: those
   * can be stale (a node that joined next to it after its last snapshot).
   */
  private boolean designatedRepairer(Side sideOfDead, NodeSnapshot dead) {
    if (dead.isLeaf() && dead.parent() != null) {
      return position.equals(dead.info().position().parent());
    }
    return sideOfDead == Side.RIGHT || dead.adjacent(sideOfDead) == null;
  }

  /**
   * The other adjacent node of a failed node asks this one about it (see {@link
   * RepairHandOff}). Before the hand-off existed, both adjacent nodes repaired the same node
   * when the designated one was slow (its removal refused, its search retried), and two
   * replacements took the same position and range. Now at most one of them works on it: this
   * node answers REPAIRING only while a repair of it is under way here; otherwise it hands
   * the node over and leaves it alone for a while (the designated repairer is not always able
   * to: a leaf child of the failed node, say, finds no replacement below it). A node that no
   * longer links to the failed node on that side passes the question to the node it links
   * to there (one joined in between), or answers GONE if that is the asker itself (the failed
   * node was repaired or removed, and the asker missed the news).
   */
  private void onRepairHandOff(NodeId from, RepairHandOff h) {
    if (position == null) {
      return;
    }
    NodeId dead = h.dead();
    Link there = adjacent(h.side());
    HandOff answer;
    Link redirect = null;
    if (there == null) {
      answer = HandOff.YOURS;
    } else if (there.node().equals(from)) {
      answer = HandOff.GONE;
    } else if (!there.node().equals(dead)) {
      answer = HandOff.ASK;
      redirect = there;
    } else if (repair != null && repair.snapshot.info().node().equals(dead)
        || op != null && op.kind == OpKind.REMOVE_DEAD
            && op.deadSnapshot.info().node().equals(dead)) {
      answer = HandOff.REPAIRING;
    } else {
      answer = HandOff.YOURS;
      // a little longer than the asker's permission, which it receives a little later
      yielded.put(dead, now + HANDED_OVER_DELAYS * config.repairAfterMs()
          + config.repairAfterMs());
    }
    send(from, new RepairHandOffReply(dead, h.side(), h.hops(), answer, redirect));
  }

  private void onRepairHandOffReply(RepairHandOffReply r) {
    NodeId dead = r.dead();
    if (!isAdjacent(dead)) {
      return;
    }
    switch (r.answer()) {
      case REPAIRING -> handOffsUnanswered.remove(dead);
      case YOURS -> {
        handOffsUnanswered.remove(dead);
        handedOver.put(dead, now + HANDED_OVER_DELAYS * config.repairAfterMs());
        repairBackoff.remove(dead);
      }
      case ASK -> {
        Replica rep = inherited.get(dead);
        if (rep != null && r.redirect().position().equals(rep.snapshot.info().position())) {
          // the far side links to another node at the failed node's place: it was repaired
          // already, and this copy (as old as the failed node's last snapshot) is stale
          inherited.remove(dead);
          handOffsUnanswered.remove(dead);
        } else if (r.hops() < 3 && !r.redirect().node().equals(self)) {
          send(r.redirect().node(), new RepairHandOff(dead, r.side(), r.hops() + 1));
        }
      }
      case GONE -> {
        // the node on the far side links to this one: the failed node between them was
        // repaired or removed, and the news went elsewhere. Its range is owned again; this
        // replica is stale, and without it the link heals like any stale link (FindAdjacent,
        // the other end's pings)
        handOffsUnanswered.remove(dead);
        replicas.remove(dead);
        inherited.remove(dead);
      }
    }
  }

  private void fence() {
    // keep the last state for inspection; a fenced node handles nothing any more
    status = Status.FENCED;
    events.add(new NodeEvent.Fenced());
    for (var p : requests.values()) {
      events.add(new NodeEvent.OperationCompleted(p.reqId, new Failed("node fenced"), -1));
    }
    requests.clear();
  }

  private void startRepair(NodeId dead) {
    if (op != null || lockedBy != 0 || repair != null || status != Status.ACTIVE) {
      return;
    }
    Replica rep = replicas.get(dead);
    if (rep == null || rep.snapshot == null) {
      rep = inherited.get(dead);
    }
    NodeSnapshot s = rep.snapshot;
    repairBackoff.put(dead, now + config.lockLeaseMs() + backoff());
    Side childSide = s.parent() == null ? null : s.info().position().sideInParent();
    boolean myLeafChild = s.isLeaf() && s.parent() != null && s.parent().node().equals(self)
        && child(childSide) != null && child(childSide).node().equals(dead);
    if (!myLeafChild) {
      startReplacementRepair(s, rep.entries.all(), null);
      return;
    }
    // A failed leaf child may simply be removed if that keeps the balance: its routing
    // neighbours are its sibling and the children of this node's routing neighbours, and
    // none of them may have children. This node's own routing table is live, so lock it.
    Side deadSide = leftAdj != null && leftAdj.node().equals(dead) ? Side.LEFT : Side.RIGHT;
    Link other = s.adjacent(deadSide);
    var o = new Op(newOpId(), OpKind.REMOVE_DEAD, now);
    o.deadSnapshot = s;
    o.deadEntries = rep.entries.all();
    o.deadSide = deadSide;
    if (other != null) {
      o.targets.put(other.node(), new ExpectAdjacent(deadSide.opposite(), dead));
    }
    Link sibling = child(childSide.opposite());
    if (sibling != null && !sibling.node().equals(dead)) {
      o.targets.putIfAbsent(sibling.node(), new ExpectNoChildren(s.info().position()));
    }
    for (var n : routingNeighbours()) {
      if (n.hasChildren()) {
        startReplacementRepair(s, o.deadEntries, n.node());
        return;
      }
      o.targets.putIfAbsent(n.node(), new ExpectNoChildren(s.info().position()));
    }
    startOp(o);
  }

  private void startReplacementRepair(NodeSnapshot s, List<IndexEntry> entries, NodeId via) {
    NodeId dead = s.info().node();
    NodeId start = via != null ? via : firstHopDown(s.leftChild(), s.rightChild(), s.routing(),
        dead);
    if (start == null) {
      start = firstHopDown(leftChild, rightChild, routingNeighbours(), dead);
    }
    if (start == null && leftChild == null && rightChild == null && parent != null) {
      // no leaf further down anywhere in sight: this leaf itself replaces the failed node
      // (typically its only child, whose other links all went through it)
      start = self;
    }
    if (start == null) {
      repairBackoff.put(dead, now + backoff());
      return;
    }
    repair = new Repair(newOpId(), s, entries, now);
    sendOrLocal(start, new FindReplacement(repair.opId, self, dead, SEARCH_TTL, !s.isLeaf()));
  }

  private void commitRemoveDead(Op o) {
    NodeSnapshot s = o.deadSnapshot;
    NodeId dead = s.info().node();
    Side deadSide = o.deadSide;
    Link other = s.adjacent(deadSide);
    if (other != null) {
      send(other.node(), new Commit(o.id, List.of(
          new SetAdjacent(deadSide.opposite(), new Link(self, position)))));
    }
    // the other targets (ExpectNoChildren) dropped the failed leaf as they granted the lock
    apply(new AbsorbRange(s.info().range(), o.deadEntries));
    setAdjacent(deadSide, other);
    setChild(s.info().position().sideInParent(), null);
    replicas.remove(dead);
  }

  // =====================================================================================
  // Load balancing: adjacent range shifting
  // =====================================================================================

  private void maybeShiftLoad() {
    if (status != Status.ACTIVE || op != null || lockedBy != 0 || wantLeave
        || now < opRetryAt || store.size() <= config.loadBalanceThreshold()) {
      return;
    }
    Side best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (Side side : Side.values()) {
      Link adj = adjacent(side);
      Replica r = adj == null ? null : replicas.get(adj.node());
      if (r != null && !suspected.contains(adj.node()) && r.entries.size() < bestLoad) {
        best = side;
        bestLoad = r.entries.size();
      }
    }
    if (best == null || store.size() <= 2 * bestLoad + 2) {
      lookForLightLeaf();
      return;
    }
    var o = new Op(newOpId(), OpKind.SHIFT, now);
    o.deadSide = best;
    o.shiftCount = (store.size() - bestLoad) / 2;
    o.targets.put(adjacent(best).node(), new ExpectAdjacent(best.opposite(), self));
    startOp(o);
  }

  /**
   * Range shifting cannot help (no adjacent node is much lighter): if this node can take a
   * child now, look for a light leaf to take as one (see {@link FindLightLeaf}). The search
   * starts at this node's farthest routing neighbour, away from the crowded key range, or
   * below. One search at a time (a lost one is simply repeated later).
   */
  private void lookForLightLeaf() {
    if (now < lightSearchAt || leftChild != null && rightChild != null
        || !routingTablesFull() || now < tableSettledAt) {
      return;
    }
    lightSearchAt = now + LIGHT_SEARCH_EVERY_LEASES * config.lockLeaseMs();
    NodeId start = null;
    var sides = random.nextBoolean() ? List.of(Side.LEFT, Side.RIGHT)
        : List.of(Side.RIGHT, Side.LEFT);
    for (Side side : sides) {
      var t = table(side);
      for (int i = t.length - 1; i >= 0 && start == null; i--) {
        if (t[i] != null && usable(t[i].node())) {
          start = t[i].node();
        }
      }
    }
    if (start == null) {
      start = usable(leftChild) ? leftChild.node() : usable(rightChild) ? rightChild.node() : null;
    }
    if (start != null) {
      send(start, new FindLightLeaf(self, store.size(), LIGHT_SEARCH_TTL));
    }
  }

  private void onFindLightLeaf(FindLightLeaf f) {
    if (status != Status.ACTIVE || f.ttl() <= 0 || f.requester().equals(self)) {
      return;
    }
    if (canLeaveDirectly() && !parent.node().equals(f.requester())
        && store.size() * LIGHT_FACTOR <= f.load() && op == null && lockedBy == 0 && !wantLeave
        && now >= opRetryAt && now >= tableSettledAt) {
      startLeafLeave(0, null, null, 0, false, f.requester());
      return;
    }
    // down to the leaves, then along them
    var next = new ArrayList<NodeId>();
    for (var c : new Link[] {leftChild, rightChild}) {
      if (usable(c)) {
        next.add(c.node());
      }
    }
    if (next.isEmpty()) {
      for (var n : routingNeighbours()) {
        if (!n.hasChildren() && usable(n.node()) && !n.node().equals(f.requester())) {
          next.add(n.node());
        }
      }
    }
    if (!next.isEmpty()) {
      forward(next.get(random.nextInt(next.size())),
          new FindLightLeaf(f.requester(), f.load(), f.ttl() - 1));
    }
  }

  private void commitShift(Op o) {
    Side side = o.deadSide;
    Link adj = adjacent(side);
    var keys = store.view();
    // walk keys from the edge facing the neighbour; move whole keys only
    var iter = side == Side.LEFT ? keys.keySet().iterator()
        : keys.descendingKeySet().iterator();
    int moved = 0;
    OrderedKey boundary = null;
    while (iter.hasNext() && moved < o.shiftCount) {
      OrderedKey k = iter.next();
      int count = keys.get(k).size();
      if (moved + count > o.shiftCount && moved > 0) {
        break;
      }
      moved += count;
      boundary = k;
    }
    if (boundary == null || moved >= store.size()) {
      send(adj.node(), new Unlock(o.id));
      return;
    }
    KeyRange give;
    if (side == Side.LEFT) {
      OrderedKey cut = keys.higherKey(boundary);
      give = new KeyRange(range.low(), cut);
      range = new KeyRange(cut, range.high());
    } else {
      give = new KeyRange(boundary, range.high());
      range = new KeyRange(range.low(), boundary);
    }
    var entries = store.extract(give);
    send(adj.node(), new Commit(o.id, List.of(new AbsorbRange(give, entries))));
    snapshotDirty = true;
    infoDirty = true;
    events.add(new NodeEvent.RangeChanged(range));
  }

  // =====================================================================================
  // Commits and cached state
  // =====================================================================================

  private void onCommit(Commit c) {
    if (status != Status.ACTIVE && status != Status.LEAVING) {
      return;
    }
    for (var change : c.changes()) {
      apply(change);
    }
    if (c.opId() != 0) {
      // a departure's commit only removes a child or widens a range: neighbours' cached view
      // of this node becomes conservative (a child that is gone) or slightly stale (a range),
      // both safe, so spare the O(log N) refresh messages
      infoDirty = false;
    }
    if (c.opId() != 0 && lockedBy == c.opId()) {
      releaseLock();
    }
  }

  private void apply(Change change) {
    switch (change) {
      case AbsorbRange a -> {
        if (!contiguous(range, a.range())) {
          // a duplicate hand-over (two repairs of one failed node): keep the entries only
          // for keys this node owns, never take a range that is not next to its own
          for (var e : a.entries()) {
            if (range.contains(e.key())) {
              store.put(e.key(), e.value());
            }
          }
          return;
        }
        range = range.join(a.range());
        store.addAll(a.entries());
        snapshotDirty = true;
        infoDirty = true;
        events.add(new NodeEvent.RangeChanged(range));
      }
      case SetChild c -> setChild(c.side(), c.child());
      case SetAdjacent a -> setAdjacent(a.side(), a.node());
      case SetNeighbour n -> {
        var slot = position.slotOf(n.position());
        if (slot != null) {
          table(slot.side())[slot.index()] = n.info();
          routingDirty = true;
          if (n.info() != null) {
            dropOtherSlots(n.info());
          }
        }
      }
      case ReplaceNode r -> {
        NodeInfo now2 = r.now();
        Link nl = now2.link();
        // another node in the same place changes nothing this node's routing neighbours
        // cache about it (which children it has, its range): no refresh for them
        boolean infoWasDirty = infoDirty;
        if (parent != null && parent.node().equals(r.old())) {
          parent = nl;
          linked(nl);
          linksChanged = true;
        }
        for (Side side : Side.values()) {
          if (child(side) != null && child(side).node().equals(r.old())) {
            setChild(side, nl);
          }
          if (adjacent(side) != null && adjacent(side).node().equals(r.old())) {
            setAdjacent(side, nl);
          }
        }
        setNeighbour(now2);
        // the range the new node was last heard to own elsewhere is not its range any more
        linkRanges.remove(r.old());
        if (isTreeLink(nl.node())) {
          linkRanges.put(nl.node(), now2.range());
        } else {
          linkRanges.remove(nl.node());
        }
        replicas.remove(r.old());
        inherited.remove(r.old());
        suspected.remove(now2.node());
        lastHeard.put(now2.node(), now);
        infoDirty = infoWasDirty;
      }
    }
  }

  /**
   * A node this one still links to has left; its successor took over. Fix the links, and if
   * this node itself replaced a failed node, tell the successor, whose links to that failed
   * node are likely as stale as this node's were.
   */
  private void onMoved(Moved mv) {
    Link succ = mv.successor();
    if (succ.node().equals(self) || position == null) {
      return;
    }
    // the replicas held here name it too: a repair from one of them would lock and link a
    // node that is gone (a failed leaf's parent could never remove it: the stale adjacent
    // node it named refused every lock)
    replicas.replaceAll((owner, r) -> r.snapshot == null ? r
        : new Replica(r.snapshot.relinked(mv.old(), succ), r.entries, r.held));
    inherited.replaceAll((owner, r) -> new Replica(r.snapshot.relinked(mv.old(), succ), r.entries));
    boolean changed = false;
    if (parent != null && parent.node().equals(mv.old())) {
      parent = succ;
      linked(succ);
      changed = true;
    }
    for (Side side : Side.values()) {
      if (child(side) != null && child(side).node().equals(mv.old())) {
        setChild(side, succ);
        changed = true;
      }
      if (adjacent(side) != null && adjacent(side).node().equals(mv.old())) {
        setAdjacent(side, succ);
        changed = true;
      }
    }
    for (Side side : Side.values()) {
      var t = table(side);
      for (int i = 0; i < t.length; i++) {
        if (t[i] != null && t[i].node().equals(mv.old())) {
          // the successor may hold that very position; assume the worst about its children
          // until it answers for itself
          t[i] = succ.position().equals(t[i].position())
              ? new NodeInfo(succ.node(), succ.position(), t[i].range(), true, true, false)
              : null;
          routingDirty = true;
        }
      }
    }
    if (changed) {
      for (var former : formerIds) {
        send(succ.node(), new Commit(0, List.of(new ReplaceNode(former, myInfo()))));
      }
    }
  }

  private void setNeighbour(NodeInfo info) {
    if (position == null || info == null) {
      return;
    }
    var slot = position.slotOf(info.position());
    if (slot != null) {
      var cur = table(slot.side())[slot.index()];
      if (cur == null || !cur.node().equals(info.node()) || cur.hasLeftChild() != info.hasLeftChild()
          || cur.hasRightChild() != info.hasRightChild() || cur.departing() != info.departing()) {
        routingDirty = true;
      }
      table(slot.side())[slot.index()] = info;
      dropOtherSlots(info);
    }
  }

  /**
   * A node holds one position: a table that lists it at another one too keeps a stale entry
   * from before it moved (it replaced a failed node), with its old range. Lookups walked
   * between two such tables until their hop limit. The other place is resolved anew.
   */
  private void dropOtherSlots(NodeInfo info) {
    for (Side side : Side.values()) {
      var t = table(side);
      for (int i = 0; i < t.length; i++) {
        if (t[i] != null && t[i].node().equals(info.node())
            && !t[i].position().equals(info.position())) {
          t[i] = null;
          routingDirty = true;
          resolvePositions(List.of(position.neighbour(side, i)));
        }
      }
    }
  }

  /** Refreshes whatever this node caches about the sender (routing entry, link position). */
  private void refreshCache(NodeInfo info) {
    if (info == null || position == null) {
      return;
    }
    if (info.range() != null && isTreeLink(info.node())) {
      linkRanges.put(info.node(), info.range());
    }
    var slot = position.slotOf(info.position());
    if (slot != null) {
      var cur = table(slot.side())[slot.index()];
      if (cur != null && cur.node().equals(info.node())) {
        setNeighbour(info); // drops other slots naming it too
        return;
      }
    }
    // a node this one lists at another position has moved (it replaced someone)
    dropOtherSlots(info);
  }

  /** True if {@code theirs} ends where this node's range starts (LEFT) or the mirror (RIGHT). */
  private boolean touches(Side side, KeyRange theirs) {
    if (range == null || theirs == null) {
      return false;
    }
    return side == Side.LEFT
        ? theirs.high() != null && theirs.high().equals(range.low())
        : range.high() != null && range.high().equals(theirs.low());
  }

  private static boolean contiguous(KeyRange mine, KeyRange other) {
    return (mine.high() != null && mine.high().equals(other.low()))
        || (other.high() != null && other.high().equals(mine.low()));
  }

  /** A new link gets a fresh grace period before it can be suspected. */
  private void linked(Link l) {
    if (l != null && !l.node().equals(self)) {
      lastHeard.put(l.node(), now);
      suspected.remove(l.node());
    }
  }

  private void setChild(Side side, Link l) {
    if (l != null && l.node().equals(self)) {
      l = null; // a node is never its own child; only stale hand-overs produce this
    }
    linked(l);
    if (side == Side.LEFT) {
      leftChild = l;
    } else {
      rightChild = l;
    }
    infoDirty = true;
    snapshotDirty = true;
    linksChanged = true;
    events.add(new NodeEvent.NeighbourChanged(side == Side.LEFT ? "leftChild" : "rightChild",
        l == null ? null : l.node()));
  }

  private void setAdjacent(Side side, Link l) {
    if (l != null && l.node().equals(self)) {
      l = null;
    }
    linked(l);
    if (side == Side.LEFT) {
      leftAdj = l;
    } else {
      rightAdj = l;
    }
    snapshotDirty = true;
    linksChanged = true;
    events.add(new NodeEvent.NeighbourChanged(side == Side.LEFT ? "leftAdjacent"
        : "rightAdjacent", l == null ? null : l.node()));
  }

  private void install(Position pos, KeyRange r, Link p, Link lc, Link rc, Link la, Link ra,
      List<NodeInfo> routing) {
    position = pos;
    range = r;
    vacated.clear();
    parent = p;
    leftChild = lc;
    rightChild = rc;
    leftAdj = la;
    rightAdj = ra;
    for (var l : new Link[] {p, lc, rc, la, ra}) {
      linked(l);
    }
    leftRt = new NodeInfo[pos.routingTableSize(Side.LEFT)];
    rightRt = new NodeInfo[pos.routingTableSize(Side.RIGHT)];
    for (var n : routing) {
      setNeighbour(n);
    }
    linksChanged = true;
  }

  // =====================================================================================
  // Search and index operations
  // =====================================================================================

  private void dispatchRequest(Request r) {
    if (status != Status.ACTIVE && status != Status.LEAVING) {
      if (status == Status.JOINING || status == Status.IN_TRANSIT) {
        deferred.add(new Envelope(self, self, r));
      } else {
        respond(r.origin(), new Response(r.reqId(), r.hops(), new Failed("node not active")));
      }
      return;
    }
    onRequest(r);
  }

  private void onRequest(Request r) {
    onRequest(r, null);
  }

  /** {@code from}: the node that passed the request here, if another one. */
  private void onRequest(Request r, NodeId from) {
    OrderedKey k = r.op().routingKey();
    if (range.contains(k)) {
      execute(r);
      return;
    }
    boolean read = r.op() instanceof Get || r.op() instanceof Scan;
    Replica rep = read ? replicaServing(k) : null;
    if (rep != null) {
      if (r.op() instanceof Get g) {
        respond(r.origin(), new Response(r.reqId(), r.hops(), new Values(rep.entries.get(g.key()))));
      } else {
        Scan s = (Scan) r.op();
        scanStep(new ScanWalk(r.reqId(), r.origin(), s, s.low(), r.hops(), List.of(), 0),
            rep.snapshot.info().range(), rep.entries, rep.snapshot.rightAdjacent());
      }
      return;
    }
    // greedy jumps over cached ranges are only trusted while no failure is in sight
    boolean walk = r.walk() || !suspected.isEmpty();
    if (r.hops() >= config.maxHops()) {
      respond(r.origin(), new Response(r.reqId(), r.hops(), new Failed("no route to key")));
      return;
    }
    // hints serve reads only: writes keep the routing the churn sweeps were settled with (see
    // the README: hinted writes pass fresh seeds as often, but move the fixed seeds' runs)
    boolean get = r.op() instanceof Get;
    // "first": where the request starts, or for a Get one hop later unless it came from the
    // parent (so that a leaf that leafBelow sent it to may still hop up to its parent)
    boolean first = r.hops() == 0
        || (get && DOWN && r.hops() == 1 && parent != null && !parent.node().equals(r.origin()));
    NodeId next = nextHopToward(k, walk, first, get, get && !r.hinted());
    if (get && walk && next != null && next.equals(from)) {
      // a walk that would hand the lookup straight back goes round a failure with no replica
      // in sight on this path (a child sends up to its parent, which sends it down again):
      // any other way first
      avoid = from;
      NodeId other = nextHopToward(k, true, false, true, false);
      avoid = null;
      if (other != null) {
        next = other;
      }
    }
    if (next == null) {
      // every link toward the key is down right now (a failure not yet repaired): no answer,
      // so the origin tries again after its timeout, by which time the repair may be done
      return;
    }
    forward(next, new Request(r.reqId(), r.origin(), r.op(), r.hops() + 1, walk,
        r.hinted() || lastHopHinted));
  }

  private void execute(Request r) {
    switch (r.op()) {
      case Get g -> respond(r.origin(), new Response(r.reqId(), r.hops(),
          new Values(store.get(g.key()))));
      case Put p -> {
        store.put(p.key(), p.value());
        replicate(new IndexEntry(p.key(), p.value()), true, r);
      }
      case Remove p -> {
        store.remove(p.key(), p.value());
        replicate(new IndexEntry(p.key(), p.value()), false, r);
      }
      case Scan s -> scanStep(new ScanWalk(r.reqId(), r.origin(), s, s.low(), r.hops(),
          List.of(), 0), range, store, rightAdj);
    }
  }

  private void replicate(IndexEntry e, boolean put, Request r) {
    var targets = distinctNodes(leftAdj, rightAdj);
    targets.removeIf(suspected::contains);
    if (targets.isEmpty()) {
      respond(r.origin(), new Response(r.reqId(), r.hops(), new Ack()));
      return;
    }
    for (var t : targets) {
      send(t, new ReplicaOp(e, put, r.reqId(), r.origin(), r.hops()));
    }
  }

  private void onReplicaOp(NodeId from, ReplicaOp r) {
    if (!isAdjacent(from)) {
      return;
    }
    Replica rep = replicas.computeIfAbsent(from, k -> new Replica(null, new EntryStore()));
    if (r.put()) {
      rep.entries.put(r.entry().key(), r.entry().value());
    } else {
      rep.entries.remove(r.entry().key(), r.entry().value());
    }
    respond(r.origin(), new Response(r.reqId(), r.hops(), new Ack()));
  }

  private void onReplicaSnapshot(NodeId from, ReplicaSnapshot s) {
    inherited.remove(from);
    if (isAdjacent(from) || claimsAdjacent(s.state())) {
      replicas.put(from, new Replica(s.state(), new EntryStore(s.entries()), s.held()));
    } else {
      replicas.remove(from);
    }
  }

  /**
   * The replica this node holds of its adjacent node on the far side from {@code to}, for
   * {@code to} to keep with this node's own replica (see {@link ReplicaSnapshot#held}).
   */
  private List<ReplicaSnapshot> heldFor(NodeId to) {
    for (var adj : new Link[] {leftAdj, rightAdj}) {
      if (adj == null || adj.node().equals(to)) {
        continue;
      }
      Replica r = replicas.get(adj.node());
      if (r != null && r.snapshot != null) {
        return List.of(new ReplicaSnapshot(r.snapshot, r.entries.all()));
      }
    }
    return List.of();
  }

  private void dropStaleReplicas() {
    replicas.entrySet().removeIf(e -> !isAdjacent(e.getKey())
        && (e.getValue().snapshot == null || !claimsAdjacent(e.getValue().snapshot)));
    inherited.keySet().removeIf(n -> !isAdjacent(n));
  }

  private boolean claimsAdjacent(NodeSnapshot s) {
    return (s.leftAdjacent() != null && s.leftAdjacent().node().equals(self))
        || (s.rightAdjacent() != null && s.rightAdjacent().node().equals(self));
  }

  private Replica replicaServing(OrderedKey k) {
    for (var e : replicas.entrySet()) {
      Replica r = e.getValue();
      if (suspected.contains(e.getKey()) && r.snapshot != null
          && r.snapshot.info().range().contains(k)) {
        return r;
      }
    }
    return null;
  }

  private void onScanWalk(ScanWalk w) {
    OrderedKey c = w.cursor();
    if (range.contains(c) || range.low().equals(c)) {
      scanStep(w, range, store, rightAdj);
      return;
    }
    Replica rep = replicaServing(c);
    if (rep != null) {
      scanStep(w, rep.snapshot.info().range(), rep.entries, rep.snapshot.rightAdjacent());
      return;
    }
    if (w.hops() >= config.maxHops()) {
      respond(w.origin(), new Response(w.reqId(), w.hops(), new Failed("no route to key")));
      return;
    }
    NodeId next = nextHopToward(c, true, false, false, false);
    if (next == null) {
      return; // as in onRequest: the origin retries
    }
    forward(next, new ScanWalk(w.reqId(), w.origin(), w.scan(), c, w.hops() + 1, w.found(),
        w.nodesVisited()));
  }

  /** Collects this range's part of a scan, then walks right or answers. */
  private void scanStep(ScanWalk w, KeyRange rng, EntryStore src, Link nextRight) {
    var found = new ArrayList<>(w.found());
    OrderedKey from = w.cursor().compareTo(w.scan().low()) > 0 ? w.cursor() : w.scan().low();
    for (var e : src.scan(from, w.scan().high())) {
      if (rng.contains(e.key())) {
        found.add(e);
      }
    }
    int visited = w.nodesVisited() + 1;
    boolean done = rng.high() == null
        || (w.scan().high() != null && w.scan().high().compareTo(rng.high()) < 0);
    if (done) {
      respond(w.origin(), new Response(w.reqId(), w.hops(), new Entries(found, visited)));
      return;
    }
    var next = new ScanWalk(w.reqId(), w.origin(), w.scan(), rng.high(), w.hops() + 1, found,
        visited);
    if (nextRight != null && suspected.contains(nextRight.node())) {
      Replica rep = replicas.get(nextRight.node());
      if (rep != null && rep.snapshot != null) {
        scanStep(new ScanWalk(w.reqId(), w.origin(), w.scan(), rng.high(), w.hops(), found,
            visited), rep.snapshot.info().range(), rep.entries, rep.snapshot.rightAdjacent());
        return;
      }
    }
    if (w.hops() >= config.maxHops()) {
      respond(w.origin(), new Response(w.reqId(), w.hops(), new Failed("scan walk broken")));
      return;
    }
    if (nextRight != null && nextRight.node().equals(self)) {
      onScanWalk(next); // this node served a failed neighbour's replica; it holds what follows
      return;
    }
    NodeId hop = nextRight != null && usable(nextRight) ? nextRight.node()
        : nextHopToward(rng.high(), true, false, false, false);
    if (hop == null) {
      return; // as in onRequest: the origin retries
    }
    forward(hop, next);
  }

  /**
   * The next hop toward key k (which this node does not own): the farthest routing
   * neighbour on that side that does not overshoot, else the child, else the adjacent node,
   * else any live neighbour on that side, else the parent. Suspected nodes are skipped.
   */
  private boolean ownerSuspected(OrderedKey k) {
    for (var t : List.of(leftRt, rightRt)) {
      for (var e : t) {
        if (e != null && e.range() != null && suspected.contains(e.node())
            && e.range().contains(k)) {
          return true;
        }
      }
    }
    return false;
  }

  private NodeId nextHopToward(OrderedKey k, boolean walk, boolean first, boolean reads,
      boolean hints) {
    // greedy in key space over the routing tables of both sides: the neighbour whose cached
    // range is nearest to k, if nearer than this node's own range (this guarantees progress)
    lastHopHinted = false;
    double best = distance(range, k);
    NodeId bestNode = null;
    // with the owner down, walk the in-order links instead: its adjacent nodes hold
    // its replica, and only the walk below is sure to reach them
    if (GREEDY && !walk) {
      double fk = fraction(k);
      for (var t : new NodeInfo[][] {leftRt, rightRt}) {
        for (var e : t) {
          if (e != null && e.range() != null && usable(e.node())) {
            double d = distance(e.range(), k, fk);
            if (d < best) {
              best = d;
              bestNode = e.node();
            }
          }
        }
      }
      if (HINTS && reads && best > 0) {
        // this node's own tree links, whose ranges their pings and replicas keep fresh
        NodeId link = linkOwning(k);
        if (link != null) {
          return link;
        }
        if (TREE_LINKS) {
          // or one of them nearer to k than any routing neighbour (a child one level down
          // often is: its range lies inside the gap between two routing neighbours)
          for (var l : new Link[] {leftAdj, rightAdj, leftChild, rightChild, parent}) {
            if (l != null && usable(l.node())) {
              KeyRange r = rangeOf(l.node());
              if (r != null) {
                double d = distance(r, k, fk);
                if (d < best) {
                  best = d;
                  bestNode = l.node();
                }
              }
            }
          }
        }
      }
      if (HINTS && hints && best > 0) {
        // BATON's cached child ranges: a routing neighbour's children and adjacent nodes (as
        // it last reported them) and this node's own tree links; one that owns k is the
        // last hop. Hints may be stale, so they are only used to jump straight to the owner.
        NodeId owner = hintedOwner(k);
        if (owner != null) {
          lastHopHinted = true;
          return owner;
        }
      }
    }
    if (DOWN && first && reads && best > 0 && bestNode != null) {
      Link leaf = leafBelow(k);
      if (leaf != null) {
        return leaf.node();
      }
    }
    if (bestNode != null) {
      // a node with holes in its routing table (on a sparse last level) sees little of its
      // level: its parent's tables are full (a node takes children only then), so unless a
      // neighbour owns the key, one hop up saves several along the level
      // (first hop only, or for a Get the second one unless it came from this node's parent,
      // as after a leafBelow jump: later on, a parent may send the request down to this node)
      if (first && best > 0 && usable(parent)
          && tableHoles(range.isBelow(k) ? rightRt : leftRt)) {
        return parent.node();
      }
      return bestNode;
    }
    Side dir = range.isBelow(k) ? Side.RIGHT : Side.LEFT;
    NodeInfo[] rt = table(dir);
    for (int i = rt.length - 1; i >= 0; i--) {
      var e = rt[i];
      if (e != null && usable(e.node()) && e.range() != null) {
        boolean fits = dir == Side.RIGHT ? e.range().low().compareTo(k) <= 0
            : e.range().high() == null || e.range().high().compareTo(k) > 0;
        if (fits) {
          return e.node();
        }
      }
    }
    if (usable(child(dir))) {
      return child(dir).node();
    }
    if (usable(adjacent(dir))) {
      return adjacent(dir).node();
    }
    // the adjacent node is down and k is not in its range (else its replica here would have
    // answered): step over it to the node after it, named by that replica. Any routing
    // neighbour on this side lies beyond k, and its own walk back would come here again.
    Link beyond = beyondAdjacent(dir);
    if (beyond != null) {
      return beyond.node();
    }
    for (var e : rt) {
      if (e != null && usable(e.node())) {
        return e.node();
      }
    }
    if (usable(parent)) {
      return parent.node();
    }
    // nothing live on k's side and no parent: a replacement whose failed predecessor's
    // table and parent died with it. A link on the other side knows more of the tree (the
    // hop limit bounds a walk that comes back)
    for (var l : new Link[] {adjacent(dir.opposite()), child(dir.opposite())}) {
      if (usable(l)) {
        return l.node();
      }
    }
    return null;
  }

  /**
   * Where a lookup starts at a node well above the tree's deepest full level (it and all its
   * routing neighbours have both children, so the level below is full too): its adjacent
   * node, a leaf, on the shallower side (the key's side on a tie), if that lies at least
   * {@link #DOWN_MIN_LEVELS} levels below; else null. Routing along the leaf level and a
   * last hinted hop is shorter than routing along a high level and then descending link by
   * link; the leaf, if on a sparse level, goes on to its parent (the "first" hop rule).
   */
  private Link leafBelow(OrderedKey k) {
    if (leftChild == null || rightChild == null || tableHoles(leftRt) || tableHoles(rightRt)) {
      return null;
    }
    for (var t : new NodeInfo[][] {leftRt, rightRt}) {
      for (var e : t) {
        if (e != null && !(e.hasLeftChild() && e.hasRightChild())) {
          return null;
        }
      }
    }
    Side toward = range.isBelow(k) ? Side.RIGHT : Side.LEFT;
    Link a = adjacent(toward);
    Link b = adjacent(toward.opposite());
    if (!usable(a) || (usable(b) && b.position().level() < a.position().level())) {
      a = b;
    }
    return usable(a) && a.position().level() - position.level() >= DOWN_MIN_LEVELS ? a : null;
  }

  /** The node after this node's (failed) adjacent node on {@code side}, by its replica here. */
  private Link beyondAdjacent(Side side) {
    Link adj = adjacent(side);
    Replica rep = adj == null ? null : replicas.get(adj.node());
    if (rep == null || rep.snapshot == null) {
      return null;
    }
    Link beyond = rep.snapshot.adjacent(side);
    return beyond != null && !beyond.node().equals(self) && usable(beyond.node()) ? beyond : null;
  }

  /** The live routing neighbour whose cached state lists {@code hinted} as a near node. */
  private NodeId hintSource(NodeId hinted) {
    for (var t : new NodeInfo[][] {leftRt, rightRt}) {
      for (var e : t) {
        if (e != null && usable(e.node())) {
          for (var h : e.near()) {
            if (h.node().equals(hinted)) {
              return e.node();
            }
          }
        }
      }
    }
    return null;
  }

  /** This node's parent, child or adjacent node that was last heard to own k, if any. */
  private NodeId linkOwning(OrderedKey k) {
    for (var l : new Link[] {leftAdj, rightAdj, leftChild, rightChild, parent}) {
      if (l != null && usable(l.node())) {
        KeyRange r = rangeOf(l.node());
        if (r != null && r.contains(k)) {
          return l.node();
        }
      }
    }
    return null;
  }

  /**
   * A node that, by a routing neighbour's hint, owns k; null if none is known. Only nodes
   * this node has no link to are taken: a hop to a link that bounces would count as a
   * failure sighting of that link and start its repair, which must stay driven by the
   * failure detector and the links' own traffic.
   */
  private NodeId hintedOwner(OrderedKey k) {
    for (var t : new NodeInfo[][] {leftRt, rightRt}) {
      for (var e : t) {
        if (e == null) {
          continue;
        }
        for (var h : e.near()) {
          if (h.range().contains(k) && usable(h.node()) && !isTreeLink(h.node())
              && !isRoutingNeighbour(h.node())) {
            return h.node();
          }
        }
      }
    }
    return null;
  }

  /** Distance in key space (keys read as fractions in [0, 1)) from k to a range. */
  private static double distance(KeyRange r, OrderedKey k) {
    return distance(r, k, fraction(k));
  }

  private static double distance(KeyRange r, OrderedKey k, double fk) {
    if (r.contains(k)) {
      return 0;
    }
    // fractions see only 8 bytes: index keys of one table share longer prefixes, and a key
    // equal to a range's exclusive high end is at fraction distance 0 too. A range that does
    // not hold k is never at distance 0: else its owner takes itself for k's owner's equal
    // (LoadBalanceTest: a Get bounced between a node whose range ends at k and its child)
    double d = k.compareTo(r.low()) < 0 ? fraction(r.low()) - fk : fk - fraction(r.high());
    return Math.max(d, Double.MIN_VALUE);
  }

  private static double fraction(OrderedKey k) {
    byte[] b = k.rawBytes();
    double f = 0;
    double scale = 1.0 / 256;
    for (int i = 0; i < Math.min(b.length, 8); i++) {
      f += (b[i] & 0xFF) * scale;
      scale /= 256;
    }
    return f;
  }

  private void onResponse(Response r) {
    PendingRequest p = requests.remove(r.reqId());
    if (p != null) {
      events.add(new NodeEvent.OperationCompleted(r.reqId(), r.result(), r.hops()));
    }
  }

  private void respond(NodeId origin, Response r) {
    if (origin.equals(self)) {
      onResponse(r);
    } else {
      send(origin, r);
    }
  }

  private void retryRequests() {
    if (requests.isEmpty()) {
      return;
    }
    for (var p : new ArrayList<>(requests.values())) {
      if (now - p.sentAt < config.requestTimeoutMs()) {
        continue;
      }
      if (p.attempts >= config.requestAttempts()) {
        requests.remove(p.reqId);
        events.add(new NodeEvent.OperationCompleted(p.reqId,
            new Failed("no answer after " + p.attempts + " attempts"), -1));
      } else {
        requests.put(p.reqId, new PendingRequest(p.reqId, p.op, now, p.attempts + 1));
        dispatchRequest(new Request(p.reqId, self, p.op, 0, false, false));
      }
    }
  }

  // =====================================================================================
  // Timers and transport signals
  // =====================================================================================

  private void onTick() {
    ticks++;
    if (lastTickAt == 0 || now - lastTickAt > config.suspectAfterMs()) {
      // This node's own timer has not run yet or stood still (a paused process, or a
      // simulator that ran without timers): it has neither pinged nor listened meanwhile, so
      // its links' silence says nothing about them yet. Without this, the first tick after the pause finds every
      // link silent for longer than the repair delay and "repairs" live neighbours, handing
      // their positions to replacements while they still hold them.
      lastHeard.replaceAll((n, t) -> now);
      lastContact = now;
    }
    lastTickAt = now;
    if (status == Status.JOINING && now - joinStartedAt > 10 * config.requestTimeoutMs()) {
      // the join request was lost with a node that stopped: let the owner try again
      dropOut("no answer from the overlay");
      return;
    }
    deferred.addAll(nextTick);
    nextTick.clear();
    if (lockedBy != 0 && now > lockExpires) {
      releaseLock();
    }
    if (op != null && now - op.startedAt > config.lockLeaseMs() / 2) {
      abortOp(null);
    }
    retryRequests();
    if (status == Status.ACTIVE || status == Status.LEAVING) {
      if (ticks % config.pingEveryTicks() == 0) {
        var info = myInfo();
        var routing = routingDirty ? routingNeighbours() : null;
        routingDirty = false;
        for (var l : monitoredLinks()) {
          boolean adj = isAdjacent(l);
          boolean want = adj && (replicas.get(l) == null || replicas.get(l).snapshot == null);
          Side side = rightAdj != null && rightAdj.node().equals(l) ? Side.RIGHT
              : leftAdj != null && leftAdj.node().equals(l) ? Side.LEFT : null;
          send(l, new Ping(info, adj ? routing : null, want, side));
        }
      }
      if (ticks % AUDIT_EVERY_TICKS == 0) {
        auditRoutingEntry();
      }
      checkFailures();
      if (status == Status.FENCED) {
        return;
      }
      locateSilentTreeLinks();
      removeDeclinedChildren();
      repairBackoff.keySet().removeIf(n -> !isAdjacent(n));
      if (!handOffsUnanswered.isEmpty()) {
        handOffsUnanswered.keySet().removeIf(n -> !isAdjacent(n));
      }
      if (!handedOver.isEmpty()) {
        handedOver.keySet().removeIf(n -> !isAdjacent(n));
      }
      if (!yielded.isEmpty()) {
        yielded.keySet().removeIf(n -> !isAdjacent(n));
      }
      if (repair != null && now - repair.startedAt > 4 * config.lockLeaseMs()) {
        repair = null;
      }
      if (status == Status.LEAVING && now - departureStartedAt > 4 * config.lockLeaseMs()) {
        // the replacement search got lost (a node on its way failed): start over
        status = Status.ACTIVE;
        departureOp = 0;
        opRetryAt = now + backoff();
      }
      tryStartLeave();
      maybeShiftLoad();
    }
    replayDeferred();
  }

  /**
   * Nobody pings routing neighbours on every tick; instead each node probes one entry in
   * turn every few seconds, so that an entry naming a node that crashed or moved is noticed
   * (an answer refreshes it, a bounce drops it) even if no lookup ever goes that way.
   */
  private void auditRoutingEntry() {
    int size = leftRt.length + rightRt.length;
    for (int tries = 0; tries < size; tries++) {
      int i = (int) (auditCursor++ % size);
      Side side = i < leftRt.length ? Side.LEFT : Side.RIGHT;
      int index = side == Side.LEFT ? i : i - leftRt.length;
      NodeInfo e = table(side)[index];
      if (e == null) {
        // empty or forgotten: if someone holds that position now, its parent introduces it
        resolvePositions(List.of(position.neighbour(side, index)));
        return;
      }
      if (!isMonitored(e.node())) {
        send(e.node(), new Ping(myInfo(), null, false, null));
        return;
      }
    }
  }

  private void onUndeliverable(Undeliverable u) {
    NodeId to = u.to();
    if (u.original() instanceof Request r && r.hinted() && !isTreeLink(to)
        && !isRoutingNeighbour(to)) {
      // a hint named a node this one does not link to, and it is down: not this node's
      // failure to report or repair. The neighbour that gave the hint links to it (as parent
      // or adjacent node, often holding its replica), so it is the best next hop.
      if (status == Status.ACTIVE || status == Status.LEAVING) {
        NodeId source = hintSource(to);
        if (source != null && r.hops() < config.maxHops()) {
          forward(source, new Request(r.reqId(), r.origin(), r.op(), r.hops() + 1, r.walk(),
              true));
        } else {
          onRequest(new Request(r.reqId(), r.origin(), r.op(), r.hops(), r.walk(), true));
        }
      }
      return;
    }
    if (!to.equals(self) && suspected.add(to)) {
      events.add(new NodeEvent.NeighbourFailed(to));
    }
    if (!to.equals(self) && (status == Status.ACTIVE || status == Status.LEAVING)
        && !(u.original() instanceof LockRequest)) {
      routingNeighbourLost(to);
    }
    switch (u.original()) {
      case Request r -> {
        if (status == Status.ACTIVE || status == Status.LEAVING) {
          onRequest(new Request(r.reqId(), r.origin(), r.op(), r.hops(), true, r.hinted()));
        }
      }
      case ScanWalk w -> {
        if (status == Status.ACTIVE || status == Status.LEAVING) {
          onScanWalk(w);
        }
      }
      case Join j -> {
        if (j.newcomer().equals(self) && status == Status.JOINING) {
          dropOut("access point " + to + " unreachable");
        } else if (status == Status.ACTIVE) {
          onJoin(new Envelope(self, self, j), j);
        }
      }
      case FindReplacement f -> {
        if (status == Status.ACTIVE || status == Status.LEAVING) {
          sendOrLocal(f.requester(), new ReplacementFailed(f.opId()));
        }
      }
      case LockRequest r -> lockUndeliverable(to, r);
      case RepairHandOff h -> { // the designated repairer is down too
        if (isAdjacent(h.dead())) {
          handedOver.put(h.dead(), now + HANDED_OVER_DELAYS * config.repairAfterMs());
        }
      }
      case ReplacementFound f -> {
        // the requester is gone: give up the transit and rejoin later through the owner
        if (status == Status.IN_TRANSIT && f.opId() == transitOp) {
          dropOut("node to replace vanished");
        }
      }
      default -> { }
    }
  }

  private void replayDeferred() {
    if (deferred.isEmpty()) {
      return;
    }
    var batch = new ArrayList<>(deferred);
    deferred.clear();
    for (var env : batch) {
      if (env.from().equals(self) && env.message() instanceof Request r) {
        dispatchRequest(r);
      } else if (env.from().equals(self) && env.message() instanceof FindReplacement f) {
        onFindReplacement(env, f);
      } else {
        dispatch(env);
      }
    }
  }

  private void deferLocal(Message m, NodeId requester) {
    if (status == Status.ACTIVE) {
      nextTick.add(new Envelope(self, self, m));
    } else if (m instanceof FindReplacement f) {
      sendOrLocal(requester, new ReplacementFailed(f.opId()));
    }
  }

  // =====================================================================================
  // Helpers
  // =====================================================================================

  private void send(NodeId to, Message m) {
    if (to.equals(self)) {
      throw new IllegalStateException("node " + self + " sending " + m.type() + " to itself");
    }
    stats.countSent(m);
    out.add(new Envelope(self, to, m));
  }

  private void sendOrLocal(NodeId to, Message m) {
    if (to.equals(self)) {
      dispatch(new Envelope(self, self, m));
    } else {
      send(to, m);
    }
  }

  private void forward(NodeId to, Message m) {
    stats.countForwarded(m);
    send(to, m);
  }

  private boolean usable(Link l) {
    return l != null && usable(l.node());
  }

  private boolean usable(NodeId n) {
    return n != null && !n.equals(self) && !suspected.contains(n) && !n.equals(avoid);
  }

  private boolean isAdjacent(NodeId n) {
    return (leftAdj != null && leftAdj.node().equals(n))
        || (rightAdj != null && rightAdj.node().equals(n));
  }

  private boolean isMonitored(NodeId n) {
    // called for every message received: no allocation unless this node has a single tree
    // link (an outermost leaf), the only case where a routing neighbour is monitored too
    NodeId first = null;
    boolean several = false;
    for (var l : new Link[] {parent, leftChild, rightChild, leftAdj, rightAdj}) {
      if (l != null) {
        if (l.node().equals(n)) {
          return true;
        }
        if (first == null) {
          first = l.node();
        } else if (!first.equals(l.node())) {
          several = true;
        }
      }
    }
    return !several && monitoredLinks().contains(n);
  }

  /**
   * Links this node pings: parent, children and adjacent nodes; a node with only one such
   * link (an outermost leaf) also pings its nearest routing neighbours, so that the failure
   * of that one link does not look like being cut off.
   */
  private List<NodeId> monitoredLinks() {
    if (position == null) {
      return List.of();
    }
    var links = distinctNodes(parent, leftChild, rightChild, leftAdj, rightAdj);
    if (links.size() < 2) {
      for (var t : List.of(leftRt, rightRt)) {
        for (var e : t) {
          if (e != null) {
            if (!links.contains(e.node())) {
              links.add(e.node());
            }
            break;
          }
        }
      }
    }
    return links;
  }

  private List<NodeId> distinctNodes(Link... links) {
    // at most five links: a linear check beats a hash set
    var list = new ArrayList<NodeId>(links.length);
    for (var l : links) {
      if (l != null && !l.node().equals(self) && !list.contains(l.node())) {
        list.add(l.node());
      }
    }
    return list;
  }

  private List<NodeInfo> routingNeighbours() {
    var list = new ArrayList<NodeInfo>(leftRt.length + rightRt.length);
    for (var e : leftRt) {
      if (e != null && !e.node().equals(self)) {
        list.add(e);
      }
    }
    for (var e : rightRt) {
      if (e != null && !e.node().equals(self)) {
        list.add(e);
      }
    }
    return list;
  }

  private NodeInfo[] table(Side side) {
    return side == Side.LEFT ? leftRt : rightRt;
  }

  private Link child(Side side) {
    return side == Side.LEFT ? leftChild : rightChild;
  }

  private Link adjacent(Side side) {
    return side == Side.LEFT ? leftAdj : rightAdj;
  }

  private long newOpId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  private long backoff() {
    return config.requestTimeoutMs() / 2 + random.nextLong(config.requestTimeoutMs());
  }

  private NodeInfo myInfo() {
    boolean departing = status == Status.LEAVING
        || (op != null && op.kind == OpKind.LEAF_LEAVE);
    return new NodeInfo(self, position, range, leftChild != null, rightChild != null,
        departing, nearHints());
  }

  /** The last heard ranges of this node's children and adjacent nodes. */
  private List<NodeInfo.RangeHint> nearHints() {
    List<NodeInfo.RangeHint> hints = null;
    for (var l : new Link[] {leftChild, rightChild, leftAdj, rightAdj}) {
      if (l == null || l.node().equals(self)) {
        continue;
      }
      KeyRange r = rangeOf(l.node());
      if (r == null) {
        continue;
      }
      if (hints == null) {
        hints = new ArrayList<>(4);
      }
      // one link may fill several roles (a leaf's parent is also its adjacent node); the
      // same node always gives the same range here, so comparing nodes is enough
      boolean known = false;
      for (var h : hints) {
        known |= h.node().equals(l.node());
      }
      if (!known) {
        hints.add(new NodeInfo.RangeHint(l.node(), r));
      }
    }
    return hints == null ? List.of() : List.copyOf(hints);
  }

  /** The range a tree link was last heard to own (adjacent nodes: from their replica). */
  private KeyRange rangeOf(NodeId n) {
    KeyRange r = linkRanges.get(n);
    if (r != null) {
      return r;
    }
    Replica rep = replicas.get(n);
    return rep == null || rep.snapshot == null ? null : rep.snapshot.info().range();
  }

  private boolean isRoutingNeighbour(NodeId n) {
    for (var t : new NodeInfo[][] {leftRt, rightRt}) {
      for (var e : t) {
        if (e != null && e.node().equals(n)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isTreeLink(NodeId n) {
    for (var l : new Link[] {parent, leftChild, rightChild, leftAdj, rightAdj}) {
      if (l != null && l.node().equals(n)) {
        return true;
      }
    }
    return false;
  }

  private NodeSnapshot snapshot() {
    return new NodeSnapshot(myInfo(), parent, leftChild, rightChild, leftAdj, rightAdj,
        routingNeighbours());
  }

  // =====================================================================================
  // Read-only views for owners, tests and the simulator's invariant checks
  // =====================================================================================

  public NodeId self() {
    return self;
  }

  public Status status() {
    return status;
  }

  public Position position() {
    return position;
  }

  public KeyRange range() {
    return range;
  }

  public Link parent() {
    return parent;
  }

  public Link leftChild() {
    return leftChild;
  }

  public Link rightChild() {
    return rightChild;
  }

  public Link leftAdjacent() {
    return leftAdj;
  }

  public Link rightAdjacent() {
    return rightAdj;
  }

  /** Routing-table entry i on {@code side}, or null if empty or unknown. */
  public NodeInfo routingEntry(Side side, int i) {
    return table(side)[i];
  }

  public int routingTableSize(Side side) {
    return table(side).length;
  }

  public NodeStats stats() {
    return stats;
  }

  /** The entries this node owns (a live view; do not modify). */
  public EntryStore entries() {
    return store;
  }

  /** Replicas held for adjacent nodes: owner to (range, entries). */
  public Map<NodeId, ReplicaView> replicas() {
    var m = new HashMap<NodeId, ReplicaView>();
    replicas.forEach((k, v) -> m.put(k, new ReplicaView(
        v.snapshot == null ? null : v.snapshot.info().range(), v.entries)));
    return Collections.unmodifiableMap(m);
  }

  /** True when this node runs or takes part in a structural change right now. */
  public boolean busy() {
    if (status == Status.LEFT || status == Status.OUTSIDE || status == Status.FENCED) {
      return false;
    }
    return op != null || lockedBy != 0 || repair != null || status == Status.LEAVING
        || status == Status.IN_TRANSIT || status == Status.JOINING || !deferred.isEmpty()
        || !nextTick.isEmpty() || wantLeave || !declined.isEmpty() && !declinedRanges().isEmpty()
        || (leftAdj != null && suspected.contains(leftAdj.node()))
        || (rightAdj != null && suspected.contains(rightAdj.node()));
  }

  /**
   * Ranges of children of this node that declined their place and await its removal, by
   * position (for invariant checks: nobody owns them meanwhile, as with a failed node's).
   */
  public Map<Position, KeyRange> declinedRanges() {
    var m = new HashMap<Position, KeyRange>();
    declined.forEach((node, pos) -> {
      Replica rep = declinedReplica(node, pos);
      if (rep != null) {
        m.put(pos, rep.snapshot.info().range());
      }
    });
    return m;
  }

  /** Ranges this node holds while it moves to a new position (for invariant checks). */
  public List<KeyRange> rangesInTransit() {
    var list = new ArrayList<KeyRange>();
    for (var c : stash) {
      if (c instanceof AbsorbRange a) {
        list.add(a.range());
      }
    }
    return list;
  }

  /** Entries this node carries while it moves to a new position (for invariant checks). */
  public List<IndexEntry> entriesInTransit() {
    var list = new ArrayList<IndexEntry>();
    for (var c : stash) {
      if (c instanceof AbsorbRange a) {
        list.addAll(a.entries());
      }
    }
    return list;
  }

  public int pendingRequests() {
    return requests.size();
  }

  /** Internal state summary for debugging. */
  public String debugState() {
    return self + " " + status + " " + position + " " + range + " p=" + parent + " lc="
        + leftChild + " rc=" + rightChild + " op=" + (op == null ? null : op.kind + "/" + op.targets.keySet()
        + " granted=" + op.granted) + " lockedBy=" + lockedBy + " repair="
        + (repair == null ? null : repair.snapshot.info().node()) + " suspected=" + suspected
        + " deferred=" + deferred.size() + "/" + nextTick.size() + " la=" + leftAdj + " ra="
        + rightAdj + " replicas=" + replicas.keySet() + " inherited=" + inherited.keySet()
        + " backoff=" + repairBackoff + " handedOver=" + handedOver.keySet() + " yielded="
        + yielded.keySet() + " wantLeave=" + wantLeave + " pending=" + requests.keySet();
  }

  /** A replica as seen from outside: the owner's range (if known) and entries. */
  public record ReplicaView(KeyRange range, EntryStore entries) {}

  @Override
  public String toString() {
    return self + " " + status + " " + position + " " + range;
  }

  // =====================================================================================
  // Internal records
  // =====================================================================================

  private static final class Replica {
    final NodeSnapshot snapshot;
    final EntryStore entries;
    /** The replicas the owner held of its other adjacent node (see ReplicaSnapshot#held). */
    final List<ReplicaSnapshot> held;

    Replica(NodeSnapshot snapshot, EntryStore entries) {
      this(snapshot, entries, List.of());
    }

    Replica(NodeSnapshot snapshot, EntryStore entries, List<ReplicaSnapshot> held) {
      this.snapshot = snapshot;
      this.entries = entries;
      this.held = held;
    }
  }

  private record PendingRequest(long reqId, Operation op, long sentAt, int attempts) {}

  private static final class Repair {
    final long opId;
    final NodeSnapshot snapshot;
    final List<IndexEntry> entries;
    final long startedAt;

    Repair(long opId, NodeSnapshot snapshot, List<IndexEntry> entries, long startedAt) {
      this.opId = opId;
      this.snapshot = snapshot;
      this.entries = entries;
      this.startedAt = startedAt;
    }
  }

  private record Vacated(Position position, NodeInfo before, long until) {}

  private static final class Op {
    final long id;
    final OpKind kind;
    final long startedAt;
    final Map<NodeId, Expectation> targets = new LinkedHashMap<>();
    final Set<NodeId> granted = new HashSet<>();
    final Set<NodeId> dead = new HashSet<>();
    int searchTtl;
    boolean replacedHasChildren;
    long replacementOp;
    NodeId requester;
    NodeId replaced;
    NodeId rejoinAt;
    NodeSnapshot deadSnapshot;
    List<IndexEntry> deadEntries;
    Side deadSide;
    int shiftCount;

    Op(long id, OpKind kind, long startedAt) {
      this.id = id;
      this.kind = kind;
      this.startedAt = startedAt;
    }
  }

}
