package io.peersql.bootstrap.peers;

import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The peer registry over REST: register, heartbeat, list. */
@RestController
@RequestMapping("/api/peers")
class PeerController {

  private final PeerRegistry registry;

  PeerController(PeerRegistry registry) {
    this.registry = registry;
  }

  @PostMapping
  Peer register(@Valid @RequestBody PeerRegistration registration) {
    return registry.register(registration);
  }

  @PutMapping("/{name}/heartbeat")
  Peer heartbeat(@PathVariable String name) {
    return registry.heartbeat(name);
  }

  @GetMapping
  List<Peer> list() {
    return registry.list();
  }

  @ExceptionHandler(UnknownPeerException.class)
  ProblemDetail unknownPeer(UnknownPeerException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler(PeerNameTakenException.class)
  ProblemDetail nameTaken(PeerNameTakenException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
  }
}
