package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The methods each REST resource accepts, read from the published OpenAPI document: the one list the API is
 * documented by decides which PUT and DELETE requests reach a resource, and what a 405's Allow header says.
 */
final class ApiMethods {

    static final String PREFIX = "/api/v1";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    private static final ApiMethods DOCUMENTED = load();

    /** Path template (as in the document, e.g. {@code /devices/{id}}) to its methods, upper case, in document order. */
    private final Map<String, List<String>> paths;

    ApiMethods(Map<String, List<String>> paths) {
        this.paths = Map.copyOf(paths);
    }

    /** The methods of the documented API. */
    static ApiMethods documented() {
        return DOCUMENTED;
    }

    /**
     * The methods of the resource {@code path} (a request path under {@link #PREFIX}); a literal segment beats a
     * parameter, so {@code /devices/{id}/delete} is not {@code /devices/{id}/{x}}. Empty for an undocumented path.
     */
    Optional<List<String>> allowed(String path) {
        if (!path.startsWith(PREFIX + "/")) {
            return Optional.empty();
        }
        String[] segments = path.substring(PREFIX.length() + 1).split("/", -1);
        List<String> best = null;
        int bestParams = Integer.MAX_VALUE;
        for (Map.Entry<String, List<String>> e : paths.entrySet()) {
            String[] template = e.getKey().substring(1).split("/", -1);
            int params = matches(template, segments);
            if (params >= 0 && params < bestParams) {
                best = e.getValue();
                bestParams = params;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The Allow header of {@code path}: its methods, or every method the API uses when the path is unknown. */
    String allowHeader(String path) {
        return String.join(", ", allowed(path).orElse(List.of("GET", "POST", "PUT", "DELETE")));
    }

    /** Whether a request with {@code method} may change something: it must be same-origin and carry the CSRF token. */
    static boolean changes(String method) {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    /** Whether {@code method} is documented for {@code path}. */
    boolean allows(String path, String method) {
        return allowed(path).map(m -> m.contains(method)).orElse(false);
    }

    /** The number of parameters the template used, or -1 when it does not match. */
    private static int matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return -1;
        }
        int params = 0;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return -1;
                }
                params++;
            } else if (!t.equals(segments[i])) {
                return -1;
            }
        }
        return params;
    }

    private static ApiMethods load() {
        try (InputStream in = ApiMethods.class.getResourceAsStream("/static/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("/static/openapi.json is missing from the console bundle");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading /static/openapi.json: " + e.getMessage(), e);
        }
    }

    /** The {@code paths} of an OpenAPI document: each path's HTTP method members. */
    static ApiMethods parse(InputStream openapi) throws IOException {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        // Not Json.FACTORY: its limits are for request bodies; this is the bundle's own, deeply nested document.
        try (JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(openapi)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the OpenAPI document is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String top = p.currentName();
                p.nextToken();
                if (!top.equals("paths")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String path = p.currentName();
                    p.nextToken();
                    List<String> methods = new ArrayList<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        p.nextToken();
                        if (METHODS.contains(member)) {
                            methods.add(member.toUpperCase(Locale.ROOT));
                        }
                        p.skipChildren();
                    }
                    paths.put(path, List.copyOf(methods));
                }
            }
        }
        return new ApiMethods(paths);
    }
}
