package io.cellgate.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HashChainAuditSink.PID, name = "CellGate audit trail",
        description = "The hash-chained audit trail in <state dir>/audit: rotation and storage warnings.")
@interface AuditConfig {

    @AttributeDefinition(name = "State directory", required = false,
            description = "Directory holding audit/. Default: state.dir of the cellgate.runtime configuration (--state).")
    String state_dir() default "";

    @AttributeDefinition(name = "File size (MB)", min = "1", description = "A new file is started above this size.")
    int max_file_mb() default 10;

    @AttributeDefinition(name = "Free disk warning (%)", min = "0", max = "100",
            description = "WARN and the health flag when less of the disk is free.")
    int warn_free_percent() default 10;

    @AttributeDefinition(name = "Trail size warning (MB)", min = "0",
            description = "WARN and the health flag when all trail files together are larger (0: never).")
    int warn_trail_mb() default 1024;

    @AttributeDefinition(name = "SIEM host", required = false,
            description = "Forward every record to this syslog receiver (RFC 5424 over TLS, RFC 5425). Empty: off.")
    String syslog_host() default "";

    @AttributeDefinition(name = "SIEM port", min = "1", max = "65535", description = "TCP port of the TLS syslog receiver.")
    int syslog_port() default 6514;

    @AttributeDefinition(name = "SIEM CA file", required = false,
            description = "PEM file with the CA certificate(s) the SIEM's certificate must chain to. Empty: the JDK's CAs.")
    String syslog_ca_file() default "";

    @AttributeDefinition(name = "Client key store", required = false,
            description = "PKCS#12 file with this gateway's client certificate and key, if the SIEM asks for one.")
    String syslog_keystore_file() default "";

    @AttributeDefinition(name = "Client key store password", type = AttributeType.PASSWORD, required = false)
    String _syslog_keystore_password() default "";

    @AttributeDefinition(name = "Client key store password file", required = false,
            description = "A file holding the key store password (first line); used when the password is empty. "
                    + "This is what the audit: section of cell.yaml sets, so no secret is in cell.yaml.")
    String syslog_keystore_password_file() default "";

    @AttributeDefinition(name = "Host name sent", required = false,
            description = "HOSTNAME field of the messages. Empty: this machine's host name.")
    String syslog_hostname() default "";

    @AttributeDefinition(name = "Structured data id", required = false,
            description = "SD-ID of the audit fields (name@private-enterprise-number; the default uses 32473, the "
                    + "example number of RFC 5612: set your organisation's).")
    String syslog_sd_id() default "cellgate@32473";

    @AttributeDefinition(name = "Forwarding queue", min = "1",
            description = "Records held in memory for the forwarder; beyond that it reads them from the trail.")
    int syslog_queue() default 10000;
}
