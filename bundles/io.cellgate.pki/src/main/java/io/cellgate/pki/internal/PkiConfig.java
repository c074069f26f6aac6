package io.cellgate.pki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = PkiComponent.PID, name = "CellGate PKI",
        description = "The gateway's application instance certificate and trust lists. Generation settings apply when "
                + "the certificate is generated (first start, or after own/gateway.p12 was removed).")
@interface PkiConfig {

    @AttributeDefinition(name = "State directory", required = false,
            description = "Directory holding pki/. Default: state.dir of the cellgate.runtime configuration (--state).")
    String state_dir() default "";

    @AttributeDefinition(name = "Cell id", required = false,
            description = "Default: cell.id of the cellgate.cell configuration. Used in CN=CellGate <cell id> and the default URI.")
    String cell_id() default "";

    @AttributeDefinition(name = "Organization", required = false, description = "Subject O of a generated certificate.")
    String organization() default "CellGate";

    @AttributeDefinition(name = "Application URI", required = false, description = "Default: urn:cellgate:<cell id>.")
    String application_uri() default "";

    @AttributeDefinition(name = "DNS names", required = false, description = "DNS subject alternative names. Default: the host name.")
    String[] dns_names() default {};

    @AttributeDefinition(name = "IP addresses", required = false, description = "IP address subject alternative names.")
    String[] ip_addresses() default {};

    @AttributeDefinition(name = "Key size", description = "RSA key size in bits.",
            options = {
                @org.osgi.service.metatype.annotations.Option(label = "2048", value = "2048"),
                @org.osgi.service.metatype.annotations.Option(label = "3072", value = "3072"),
                @org.osgi.service.metatype.annotations.Option(label = "4096", value = "4096")})
    int key_size() default PkiSettings.DEFAULT_KEY_SIZE;

    @AttributeDefinition(name = "Validity (days)", min = "1", max = "3650", description = "Validity of a generated certificate.")
    int validity_days() default PkiSettings.DEFAULT_VALIDITY_DAYS;
}
