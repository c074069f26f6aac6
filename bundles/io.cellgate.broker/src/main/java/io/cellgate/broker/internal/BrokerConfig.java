package io.cellgate.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The demo broker's configuration (PID {@value DemoBrokerComponent#PID}); only the demo bootstrap writes it. */
@ObjectClassDefinition(name = "CellGate demo MQTT broker",
        description = "An MQTT 5 broker on 127.0.0.1 for the demo; not for production use.")
@interface BrokerConfig {

    @AttributeDefinition(name = "Port", description = "TCP port on 127.0.0.1", min = "1", max = "65535")
    int port() default 1883;

    @AttributeDefinition(name = "Work directory",
            description = "Where the broker may create its directories (nothing is persisted); empty: a temporary directory")
    String work_dir() default "";
}
