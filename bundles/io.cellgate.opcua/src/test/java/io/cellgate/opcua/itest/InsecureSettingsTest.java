package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.slf4j.LoggerFactory;

/** Insecure settings: refused without the override; with it, offered and warned about at start. */
class InsecureSettingsTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static final String COMPONENT = "io.cellgate.opcua.internal.OpcUaServerComponent";
    private static final WriteService NO_WRITES = r -> new WriteResult(WriteResult.Status.DENIED, "no", null);

    @Test
    void activate_deprecatedPolicyWithoutOverride_refusedNamingIt() throws Exception {
        Server server = new Server(new FakeBus(), NO_WRITES, Map.of("security.policies", new String[] {"Basic256"}),
                false);
        try {
            ComponentConfigurationDTO failed = awaitFailedActivation();

            assertThat(failed.failure).contains("security.policies: Basic256 (deprecated)")
                    .contains("allow.insecure=true");
        } finally {
            server.stop();
        }
    }

    @Test
    void activate_insecureWithOverride_offersThemAndWarnsAtStart() throws Exception {
        var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(COMPONENT);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        FakeBus bus = new FakeBus().with(
                new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                TagValue.good(21.5f, Instant.now()));
        Server server = new Server(bus, NO_WRITES, Map.of(
                "security.policies", new String[] {"Basic256Sha256", "Basic256", "None"},
                "anonymous", true,
                "allow.insecure", true));
        try {
            List<EndpointDescription> endpoints = server.endpoints();
            EndpointDescription none = endpoints.stream()
                    .filter(e -> e.getSecurityMode() == MessageSecurityMode.None
                            && !e.getEndpointUrl().endsWith("/discovery"))
                    .findFirst().orElseThrow();
            OpcUaClient client = server.connect(none, new AnonymousProvider());
            try {
                assertThat(client.readValue(0, TimestampsToReturn.Both, Server.node(client, TEMP.toString()))
                        .getValue().value()).isEqualTo(21.5f);
            } finally {
                client.disconnect();
            }

            assertThat(endpoints).extracting(EndpointDescription::getSecurityPolicyUri)
                    .contains(SecurityPolicy.Basic256.getUri());
            assertThat(none.getUserIdentityTokens()).extracting(p -> p.getTokenType()).contains(UserTokenType.Anonymous);
            assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("INSECURE").contains("Basic256 (deprecated)")
                            .contains("security.policies: None").contains("anonymous=true"));
        } finally {
            logger.detachAppender(log);
            server.stop();
        }
    }

    /** SCR records why the component did not activate. */
    private static ComponentConfigurationDTO awaitFailedActivation() throws Exception {
        var context = FrameworkUtil.getBundle(InsecureSettingsTest.class).getBundleContext();
        ServiceComponentRuntime scr = Server.service(context, ServiceComponentRuntime.class);
        for (int i = 0; i < 50; i++) {
            for (var description : scr.getComponentDescriptionDTOs()) {
                if (description.name.equals(COMPONENT)) {
                    for (var c : scr.getComponentConfigurationDTOs(description)) {
                        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                            return c;
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the component never failed activation");
    }
}
