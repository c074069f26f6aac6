package io.cellgate.audit.internal;

import io.cellgate.api.cli.AuditInbox;
import io.cellgate.api.audit.AuditSink;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * The audit inbox as a service, without configuration: registered in command mode too, where the runtime hands
 * its sink to the command ({@code CliContext.audit()}). The running gateway's trail imports what lands there.
 */
@Component(service = AuditInbox.class)
public final class AuditInboxComponent implements AuditInbox {

    @Override
    public AuditSink sink(Path stateDir) {
        return new InboxSink(stateDir.resolve(HashChainAuditSink.SUBDIR));
    }
}
