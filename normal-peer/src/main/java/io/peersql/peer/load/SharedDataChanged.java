package io.peersql.peer.load;

import java.util.List;

/**
 * Published after a load committed: the peer's rows of these global tables changed, so what it
 * advertises about them (table and range indexes) must be published again.
 *
 * @param tables the global tables whose rows changed
 */
public record SharedDataChanged(List<String> tables) {
}
