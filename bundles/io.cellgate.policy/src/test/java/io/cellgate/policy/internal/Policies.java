package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import java.util.Set;

/** Test helpers: policies from YAML, requests in one line. */
final class Policies {

    private Policies() {
    }

    static Policy parse(String yaml) {
        PolicyParser.Result r = PolicyParser.parse(yaml, "policy.yaml");
        assertThat(r.problems()).as("problems of the test policy").isEmpty();
        return r.policy();
    }

    static Subject user(String name, String... roles) {
        return new Subject(name, Subject.Kind.HUMAN, Set.of(roles));
    }

    static AccessRequest tag(Subject s, Action a, String path) {
        return new AccessRequest(s, a, Resource.tag(path), Context.of("opcua"));
    }

    static AccessRequest write(Subject s, String path, Object value) {
        return new AccessRequest(s, Action.WRITE, Resource.tag(path), Context.of("opcua").withValue(value));
    }

    static AccessRequest section(Subject s, Action a, String name) {
        return new AccessRequest(s, a, Resource.section(name), Context.of("console"));
    }
}
