package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.junit.jupiter.api.Test;

/** Spacing and ordering of pushed values, with a fake item and a scheduler run by hand. */
class PushedItemsTest {

    private static final NodeId NODE = new NodeId(2, "cell1/press1/temp");

    private final List<Object> delivered = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private boolean samplingEnabled = true;

    private final ScheduledExecutorService scheduler = (ScheduledExecutorService) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class}, (p, m, args) -> {
                if (m.getName().equals("schedule")) {
                    scheduled.add((Runnable) args[0]);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ScheduledFuture.class},
                            (f, fm, fa) -> fm.getReturnType() == boolean.class ? false : null);
                }
                throw new UnsupportedOperationException(m.getName());
            });

    private DataItem item(double samplingInterval) {
        ReadValueId readValueId = new ReadValueId(NODE, UInteger.valueOf(13), null, null);
        return (DataItem) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataItem.class},
                (p, m, args) -> switch (m.getName()) {
                    case "setValue" -> {
                        delivered.add(((DataValue) args[0]).value().value());
                        yield null;
                    }
                    case "getSamplingInterval" -> samplingInterval;
                    case "isSamplingEnabled" -> samplingEnabled;
                    case "getReadValueId" -> readValueId;
                    case "getTimestampsToReturn" -> TimestampsToReturn.Both;
                    case "getId" -> UInteger.valueOf(1);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static DataValue value(Object v) {
        return new DataValue(new Variant(v));
    }

    private static final DataValue DENIED = new DataValue(new StatusCode(StatusCodes.Bad_UserAccessDenied));
    private Object permissions = "table 1";
    private boolean permitted = true;
    private int decisions;

    private PushedItems pushed() {
        return new PushedItems(scheduler, item -> {
            decisions++;
            return permitted;
        }, () -> permissions, DENIED);
    }

    @Test
    void publish_permissionsChange_decidedAgainOnlyThenAndDeniedFromThen() {
        PushedItems items = pushed();
        items.add(item(0), () -> value(1));
        items.publish(NODE, value(2));
        assertThat(decisions).as("one decision for unchanged permissions").isEqualTo(1);

        permitted = false;
        permissions = "table 2";
        items.publish(NODE, value(3));

        assertThat(delivered).containsExactly(1, 2, null);
        assertThat(decisions).isEqualTo(2);
    }

    @Test
    void publish_changesWithinOneInterval_onlyTheLatestIsHandedOverWhenItEnds() {
        PushedItems items = pushed();
        items.add(item(60_000), () -> value(1));

        items.publish(NODE, value(2));
        items.publish(NODE, value(3));
        items.publish(NODE, value(4));

        assertThat(delivered).containsExactly(1);
        assertThat(scheduled).hasSize(1);
        scheduled.remove(0).run();
        assertThat(delivered).containsExactly(1, 4);
    }

    @Test
    void publish_noSpacing_everyChangeHandedOverAtOnce() {
        PushedItems items = pushed();
        items.add(item(0), () -> value(1));

        items.publish(NODE, value(2));
        items.publish(NODE, value(3));

        assertThat(delivered).containsExactly(1, 2, 3);
        assertThat(scheduled).isEmpty();
    }

    @Test
    void add_changeArrivesBeforeTheInitialValueIsRead_initialValueDropped() {
        PushedItems items = pushed();
        // The bus hands the item a newer value while its initial value is being read.
        items.add(item(0), () -> {
            items.publish(NODE, value(2));
            return value(1);
        });

        assertThat(delivered).containsExactly(2);
    }

    @Test
    void remove_pendingValue_neverHandedOver() {
        PushedItems items = pushed();
        DataItem item = item(60_000);
        items.add(item, () -> value(1));
        items.publish(NODE, value(2));

        items.remove(item);
        scheduled.forEach(Runnable::run);

        assertThat(delivered).containsExactly(1);
        assertThat(items.size()).isZero();
    }

    @Test
    void publish_samplingDisabled_nothingHandedOver() {
        PushedItems items = pushed();
        samplingEnabled = false;
        items.add(item(0), () -> value(1));

        items.publish(NODE, value(2));

        assertThat(delivered).isEmpty();
    }
}
