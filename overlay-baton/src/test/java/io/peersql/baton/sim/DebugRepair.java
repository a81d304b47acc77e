package io.peersql.baton.sim;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * Builds a network, fails a share of its nodes at once and prints how many failed positions
 * are still unrepaired as virtual time passes, and why (debugging aid). Arguments: nodes,
 * seed, share failed (default 0.1), seconds to watch (default 30).
 */
public final class DebugRepair {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    double share = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    var rnd = new SplittableRandom(seed);
    var sim = new Simulator(rnd.nextLong(), new SimConfig(1, 20, 0, 0, -1),
        new ProtocolConfig(2, 450, 0, 900, 1000, 400, 3, 200, Integer.MAX_VALUE));
    if (Boolean.getBoolean("check")) {
      sim.onStep(s -> {
        try {
          TreeInvariants.checkStep(s, null);
        } catch (TreeInvariants.Violation v) {
          String grep = System.getProperty("grep");
          if (grep != null) {
            for (var line : s.trace()) {
              for (var g : grep.split(",")) {
                if (line.contains(g)) {
                  System.out.println(line);
                  break;
                }
              }
            }
          }
          String dump = System.getProperty("dump");
          if (dump != null) {
            for (var x : s.nodes()) {
              if (String.valueOf(x.range()).contains(dump) || x.debugState().contains(dump)) {
                System.out.println((s.isCrashed(x.self()) ? "CRASHED " : "") + x.debugState());
              }
            }
          }
          throw v;
        }
      });
    }
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < n; i++) {
      ids.add(sim.addJoining(ids.get(rnd.nextInt(ids.size()))));
      sim.runUntilNoMessages();
    }
    var live = new ArrayList<NodeId>();
    for (var x : sim.activeNodes()) {
      live.add(x.self());
    }
    var failed = new HashSet<NodeId>();
    while (failed.size() < live.size() * share) {
      failed.add(live.get(rnd.nextInt(live.size())));
    }
    failed.forEach(sim::crash);
    long start = sim.messagesSent();
    var types = sim.sentByType();
    sim.setTicks(100);
    if (Boolean.getBoolean("check") && System.getProperty("grep") != null) {
      sim.keepTrace(Integer.getInteger("traceSize", 2_000_000));
    }
    for (int s = 1; s <= seconds; s++) {
      sim.runFor(1000);
      int unrepaired = TreeInvariants.unrepairedFailures(sim);
      System.out.printf("t=%2d s unrepaired %d/%d msgs %d%n", s, unrepaired, failed.size(),
          sim.messagesSent() - start);
      if (unrepaired == 0) {
        break;
      }
    }
    var delta = new java.util.TreeMap<String, Long>();
    sim.sentByType().forEach((k, v) -> delta.put(k, v - types.getOrDefault(k, 0L)));
    System.out.println("messages: " + delta);
    // why: who still holds a replica of each unrepaired node
    int noReplica = 0;
    int shown = 0;
    var holders = new java.util.HashMap<NodeId, Integer>();
    for (var x : sim.activeNodes()) {
      for (var owner : x.replicas().keySet()) {
        if (x.replicas().get(owner).range() != null) {
          holders.merge(owner, 1, Integer::sum);
        }
      }
    }
    for (var f : failed) {
      var node = sim.node(f);
      boolean linked = false;
      for (var x : sim.activeNodes()) {
        for (var l : new io.peersql.baton.core.Link[] {x.parent(), x.leftChild(), x.rightChild(),
            x.leftAdjacent(), x.rightAdjacent()}) {
          linked |= l != null && l.node().equals(f);
        }
      }
      if (!linked) {
        continue;
      }
      if (!holders.containsKey(f)) {
        noReplica++;
      }
      if (shown++ < 8) {
        System.out.println("unrepaired " + node + " replicas held by live nodes: "
            + holders.getOrDefault(f, 0) + " la=" + node.leftAdjacent() + (node.leftAdjacent() != null
            && sim.isCrashed(node.leftAdjacent().node()) ? "(crashed)" : "") + " ra="
            + node.rightAdjacent() + (node.rightAdjacent() != null
            && sim.isCrashed(node.rightAdjacent().node()) ? "(crashed)" : "") + " p=" + node.parent()
            + (node.parent() != null && sim.isCrashed(node.parent().node()) ? "(crashed)" : ""));
        for (var x : sim.activeNodes()) {
          var links = new io.peersql.baton.core.Link[] {x.parent(), x.leftChild(), x.rightChild(),
              x.leftAdjacent(), x.rightAdjacent()};
          var names = new String[] {"parent", "leftChild", "rightChild", "leftAdj", "rightAdj"};
          for (int i = 0; i < links.length; i++) {
            if (links[i] != null && links[i].node().equals(f)) {
              System.out.println("    " + names[i] + " of " + x.position() + " " + x.debugState());
            }
          }
        }
      }
    }
    System.out.println("unrepaired with no live replica holder: " + noReplica);
    sim.setTicks(0);
    sim.runUntilNoMessages();
    for (var x : sim.nodes()) {
      if (x.status() == BatonProtocol.Status.IN_TRANSIT) {
        System.out.println("in transit: " + x.debugState());
      }
    }
  }
}
