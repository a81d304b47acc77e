package io.peersql.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client of the bootstrap's API for tests: JSON in, status and JSON out. */
public final class Api {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final String baseUrl;
  private final String authorization;
  private final Map<String, String> headers;

  public Api(String baseUrl) {
    this(baseUrl, null, Map.of());
  }

  private Api(String baseUrl, String authorization, Map<String, String> headers) {
    this.baseUrl = baseUrl;
    this.authorization = authorization;
    this.headers = headers;
  }

  /** This client logged in with HTTP Basic. */
  public Api as(String username, String password) {
    return new Api(baseUrl, "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8)), headers);
  }

  /** This client sending one more header on every request. */
  public Api header(String name, String value) {
    var more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Api(baseUrl, authorization, more);
  }

  /** The response to a request. */
  public record Response(int status, String body, HttpResponse<String> raw) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
      }
    }

    public String etag() {
      return raw.headers().firstValue("ETag").orElse(null);
    }

    /** The problem's detail, for assertions on messages. */
    public String detail() {
      return json().path("detail").asText();
    }

    static Response of(HttpResponse<String> response) {
      return new Response(response.statusCode(), response.body(), response);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body);
  }

  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  /** Sends a request; a String body is sent as is, anything else as JSON. */
  public Response send(String method, String path, Object body) {
    try {
      var payload = body == null ? null : body instanceof String text ? text : JSON.writeValueAsString(body);
      var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
          .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(payload));
      if (payload != null) {
        request.header("Content-Type", "application/json");
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      headers.forEach(request::header);
      return Response.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a request built by the caller (for odd bodies), with this client's credentials. */
  public Response send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return Response.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }
}
