package io.cellgate.console.internal;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * Writes from the console and the API: only through the gateway's {@link WriteService}, which checks the profile, the
 * access policy (channel {@code console} or {@code rest}) and audits every attempt with the user's name.
 */
final class TagWrites {

    /** What happened, as an HTTP status and a message for the person or script. */
    record Outcome(int status, String message, WriteResult result) {
        boolean ok() {
            return status == HttpServletResponse.SC_OK;
        }
    }

    private final Status status;
    private final WriteService writes;

    TagWrites(Status status, WriteService writes) {
        this.status = status;
        this.writes = writes;
    }

    Outcome write(Identity who, String channel, String source, String pathText, String valueText, String valueField) {
        TagPath path;
        try {
            path = TagPath.parse(pathText == null ? "" : pathText);
        } catch (IllegalArgumentException e) {
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, "tag: " + Values.clip(e.getMessage()), null);
        }
        Optional<TagInfo> info = status.tag(path);
        if (info.isEmpty()) {
            return new Outcome(HttpServletResponse.SC_NOT_FOUND, "tag: " + path + " is not configured", null);
        }
        Object value;
        try {
            value = Values.parse(info.get(), valueText, valueField);
        } catch (IllegalArgumentException e) {
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), null);
        }
        WriteResult r = writes.write(new WriteRequest(who.name(), channel, source, path, value));
        int code = switch (r.status()) {
            case OK -> HttpServletResponse.SC_OK;
            case UNKNOWN_TAG -> HttpServletResponse.SC_NOT_FOUND;
            case INVALID -> HttpServletResponse.SC_BAD_REQUEST;
            case DENIED -> HttpServletResponse.SC_FORBIDDEN;
            case FAILED -> HttpServletResponse.SC_BAD_GATEWAY;
        };
        String message = r.ok() ? "written: " + path + " = " + value
                : r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + r.message();
        return new Outcome(code, message, r);
    }
}
