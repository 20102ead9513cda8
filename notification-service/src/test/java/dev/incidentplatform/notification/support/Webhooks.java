package dev.incidentplatform.notification.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Webhook endpoints made through the service's REST API, as a subscriber admin makes them. */
public final class Webhooks {

    private Webhooks() {
    }

    /** A new endpoint, its signing secret (shown once) and its ETag. */
    public record Created(UUID id, String secret, String etag) {
    }

    public static Map<String, Object> body(String url, String format, List<String> services, List<String> regions,
            String customerId, String contact) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", url);
        body.put("format", format);
        body.put("services", services);
        body.put("regions", regions);
        body.put("customerId", customerId);
        body.put("contact", contact);
        return body;
    }

    public static Created create(String url, String format, List<String> services, String contact) {
        return create(body(url, format, services, List.of(), null, contact));
    }

    public static Created create(Map<String, Object> body) {
        ExtractableResponse<Response> created = Api.admin().contentType("application/json").body(body)
                .when().post("/api/webhooks").then().statusCode(201).extract();
        return new Created(UUID.fromString(created.path("webhook.id")), created.path("secret"), created.header("ETag"));
    }

    /** Rotates the secret; the new one. */
    public static String rotate(UUID id) {
        return Api.admin().when().post("/api/webhooks/" + id + "/secret").then().statusCode(200).extract().path("secret");
    }
}
