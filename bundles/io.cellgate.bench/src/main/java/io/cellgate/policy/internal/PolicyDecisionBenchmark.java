package io.cellgate.policy.internal;

import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one access decision of the policy engine (every OPC UA read/browse/write, Sparkplug command and
 * console action asks one). The engine's constructor is package-private, so this benchmark lives in the
 * engine's package; the bench module runs on the plain class path, where that is allowed.
 *
 * <p>The policy: 40 devices, per device one Observer read rule, one Operator write rule with value limits, a
 * rate (100000/1ms: the token is taken, the limit never bites) and a time window, and one deny rule (120 rules plus the built-in ones). Cases: an Observer read that the
 * 1st rule allows, an Operator write allowed by a rule near the end (after walking the deny rules and most
 * allow rules), and a default deny that walks every rule.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx160m", "-XX:+UseSerialGC"})
public class PolicyDecisionBenchmark {

    static final int DEVICES = 40;

    @State(Scope.Benchmark)
    public static class Engine {
        PolicyEngine engine;
        AccessRequest observerRead;
        AccessRequest operatorWrite;
        AccessRequest deniedWrite;

        @Setup(Level.Trial)
        public void setUp() {
            StringBuilder yaml = new StringBuilder("zone: Europe/Berlin\nrules:\n");
            yaml.append("  - role: Observer\n    tags: [\"*/*\"]\n    allow: [browse, read, subscribe]\n");
            for (int d = 0; d < DEVICES; d++) {
                yaml.append("""
                          - id: no-safety-%1$d
                            role: Operator
                            tags: ["press-%1$d/safety_*"]
                            deny: [write]
                          - id: read-%1$d
                            identity: historian-%1$d
                            tags: ["press-%1$d/*"]
                            allow: [read, subscribe]
                          - id: speed-%1$d
                            role: Operator
                            tags: ["press-%1$d/speed_setpoint", "press-%1$d/temp_*"]
                            allow: [write]
                            when:
                              min: 0
                              max: 1500
                              rate: 100000/1ms
                              window: { from: "00:00", to: "24:00" }
                              channel: [opcua, sparkplug]
                        """.formatted(d));
            }
            PolicyParser.Result r = PolicyParser.parse(yaml.toString(), "bench-policy.yaml");
            if (!r.problems().isEmpty()) {
                throw new IllegalStateException("benchmark policy invalid: " + r.problems());
            }
            engine = new PolicyEngine(r.policy(), Clock.systemUTC());
            Subject observer = new Subject("otto", Subject.Kind.HUMAN, Set.of("Observer"));
            Subject operator = new Subject("olga", Subject.Kind.HUMAN, Set.of("Operator", "Observer"));
            observerRead = new AccessRequest(observer, Action.READ, Resource.tag("press-3/speed"),
                    Context.of("opcua"));
            operatorWrite = new AccessRequest(operator, Action.WRITE,
                    Resource.tag("press-" + (DEVICES - 1) + "/speed_setpoint"), Context.of("opcua").withValue(750));
            deniedWrite = new AccessRequest(observer, Action.WRITE, Resource.tag("press-7/speed_setpoint"),
                    Context.of("opcua").withValue(750));
            check(engine.decide(observerRead), true, "observer read");
            check(engine.decide(operatorWrite), true, "operator write");
            check(engine.decide(deniedWrite), false, "observer write");
        }

        private static void check(Decision d, boolean allowed, String what) {
            if (d.allowed() != allowed) {
                throw new IllegalStateException(what + ": expected allowed=" + allowed + " but " + d.explain());
            }
        }
    }

    @Benchmark
    public Decision observerRead_firstRule(Engine e) {
        return e.engine.decide(e.observerRead);
    }

    @Benchmark
    public Decision operatorWrite_lastDevicesRule(Engine e) {
        return e.engine.decide(e.operatorWrite);
    }

    @Benchmark
    public Decision observerWrite_defaultDeny(Engine e) {
        return e.engine.decide(e.deniedWrite);
    }
}
