package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.pki.TrustList;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users from the identity bundle (passwords, lockout, X.509 user certificates) and the cell's role → tag
 * permissions, over the wire. Observer may browse/read/subscribe temp and setpoint (not secret); Operator may
 * write setpoint.
 */
class UsersAndAccessTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static final TagPath SETPOINT = new TagPath("press1", "setpoint");
    private static final TagPath SECRET = new TagPath("press1", "secret");
    private static final String[] RULES = {"Observer|browse,read,subscribe|press1/temp,press1/setpoint",
        "Operator|write|press1/setpoint", "Operator|browse,read|press1/secret"};

    private static final List<WriteRequest> WRITES = new CopyOnWriteArrayList<>();
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        FakeBus bus = new FakeBus()
                .with(new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                        TagValue.good(21.5f, Instant.now()))
                .with(new TagInfo(SETPOINT, DataType.INT16, false, null, null, true, 0.0, 100.0, 0, "fast", 500),
                        TagValue.good((short) 7, Instant.now()))
                .with(new TagInfo(SECRET, DataType.INT16, false, null, null, false, null, null, 0, "fast", 500),
                        TagValue.good((short) 1234, Instant.now()));
        WriteService writes = request -> {
            WRITES.add(request);
            if (((Number) request.value()).doubleValue() > 100) {
                return new WriteResult(WriteResult.Status.INVALID, "above max 100", null);
            }
            return new WriteResult(WriteResult.Status.OK, null,
                    TagValue.good((short) ((Number) request.value()).intValue(), Instant.now()));
        };
        server = new Server(bus, writes, Map.of(), RULES, true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @BeforeEach
    void clear() {
        WRITES.clear();
    }

    // --- users ---

    @Test
    void connect_userFromTheIdentityBundle_readsTag() throws Exception {
        OpcUaClient client = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        try {
            assertThat(read(client, TEMP).getValue().value()).isEqualTo(21.5f);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void connect_wrongPasswordAndUnknownUser_sameStatus() throws Exception {
        long wrong = refusal(new UsernameProvider(Server.OBSERVER, "not the password at all"));
        long unknown = refusal(new UsernameProvider("nobody-here", "not the password at all"));

        assertThat(wrong).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void connect_fiveWrongPasswords_lockedEvenWithTheRightPassword() throws Exception {
        String password = "a long password for locky";
        server.users.createUser(Identity.SYSTEM, "locky", Set.of(Roles.OBSERVER), password.toCharArray());
        connect("locky", password).disconnect();

        for (int i = 0; i < 5; i++) {
            assertThat(refusal(new UsernameProvider("locky", "wrong password " + i)))
                    .isEqualTo(StatusCodes.Bad_UserAccessDenied);
        }
        long locked = refusal(new UsernameProvider("locky", password));

        assertThat(locked).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(server.audit).anySatisfy(e -> {
            assertThat(e.identity()).isEqualTo("locky");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
            assertThat(e.reason()).startsWith("locked until");
        });
    }

    @Test
    void connect_x509UserCertificateMappedToAUser_connectsAsThatUser() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate user = TestCerts.selfSigned(keys, "Otto Observer", "urn:cellgate:user:otto");
        server.pki.trustStore().add(TrustList.TRUSTED, user);
        server.users.mapCertificate(Identity.SYSTEM, Server.OBSERVER, CertificateMapping.thumbprintOf(user));

        OpcUaClient client = server.connect(server.signAndEncrypt(), new X509IdentityProvider(user, keys.getPrivate()));
        try {
            assertThat(read(client, TEMP).getValue().value()).isEqualTo(21.5f);
            // The certificate's user is an Observer: it does not get Operator's write.
            StatusCode write = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 5)))).get(0);
            assertThat(write.getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_x509UserCertificateMappedToAnOperator_writesThroughTheWriteServiceAsThatUser() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate user = TestCerts.selfSigned(keys, "Olga Operator", "urn:cellgate:user:olga");
        server.pki.trustStore().add(TrustList.TRUSTED, user);
        server.users.createUser(Identity.SYSTEM, "olga", Set.of(Roles.OPERATOR, Roles.OBSERVER),
                "olga's long enough passphrase".toCharArray());
        server.users.mapCertificate(Identity.SYSTEM, "olga", CertificateMapping.thumbprintOf(user));
        server.audit.clear();

        OpcUaClient client = server.connect(server.signAndEncrypt(), new X509IdentityProvider(user, keys.getPrivate()));
        try {
            StatusCode write = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 9)))).get(0);

            assertThat(write.isGood()).as("write: %s", write).isTrue();
            assertThat(WRITES).singleElement().satisfies(w -> {
                assertThat(w.identity()).isEqualTo("olga");
                assertThat(w.path()).isEqualTo(SETPOINT);
                // What rules with endpoint and securityMode conditions need: the session's endpoint and mode.
                assertThat(w.endpoint()).isEqualTo("opc.tcp://127.0.0.1:" + server.port + "/cellgate");
                assertThat(w.securityMode()).isEqualTo("signandencrypt");
            });
            // The server asked the gateway's policy, with the session's identity and circumstances.
            assertThat(server.policy.requests).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo(io.cellgate.api.policy.Action.WRITE);
                assertThat(r.subject().name()).isEqualTo(Server.USER);
                assertThat(r.subject().roles()).contains("Operator");
                assertThat(r.resource().name()).isEqualTo("press1/setpoint");
                assertThat(r.context().channel()).isEqualTo("opcua");
                assertThat(r.context().source()).isEqualTo("127.0.0.1");
                assertThat(r.context().endpoint()).isEqualTo("opc.tcp://127.0.0.1:" + server.port + "/cellgate");
                assertThat(r.context().securityMode()).isEqualTo("signandencrypt");
            });
            assertThat(server.audit).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("opcua.write");
                assertThat(e.identity()).isEqualTo("olga");
                assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
                assertThat(e.rule()).isEqualTo("Operator|write|press1/setpoint");
            });
        } finally {
            client.disconnect();
        }
    }

    @Test
    void connect_x509UserCertificateNotMapped_refused() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate user = TestCerts.selfSigned(keys, "Nobody Mapped", "urn:cellgate:user:nobody");
        server.pki.trustStore().add(TrustList.TRUSTED, user);

        assertThat(refusal(new X509IdentityProvider(user, keys.getPrivate()))).isEqualTo(StatusCodes.Bad_UserAccessDenied);
    }

    @Test
    void connect_x509UserCertificateNotTrusted_refused() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate user = TestCerts.selfSigned(keys, "Mallory", "urn:cellgate:user:mallory");
        server.users.mapCertificate(Identity.SYSTEM, Server.USER, CertificateMapping.thumbprintOf(user));

        assertThat(refusal(new X509IdentityProvider(user, keys.getPrivate()))).isEqualTo(StatusCodes.Bad_UserAccessDenied);
    }

    // --- permissions ---

    @Test
    void write_observer_userAccessDeniedAndTheWriteServiceIsNeverCalled() throws Exception {
        OpcUaClient client = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        try {
            StatusCode result = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 42)))).get(0);

            assertThat(result.getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(WRITES).isEmpty();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_operatorWithMatchingRule_goesThroughTheWriteServiceAndTheRuleIsAudited() throws Exception {
        OpcUaClient client = connect(Server.USER, Server.PASSWORD);
        try {
            StatusCode ok = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 42)))).get(0);

            assertThat(ok.isGood()).as("write: %s", ok).isTrue();
            assertThat(WRITES).singleElement().satisfies(w -> {
                assertThat(w.identity()).isEqualTo(Server.USER);
                assertThat(w.channel()).isEqualTo("opcua");
                assertThat(w.source()).isEqualTo("127.0.0.1");
                assertThat(w.path()).isEqualTo(SETPOINT);
            });
            assertThat(server.audit).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("opcua.write");
                assertThat(e.identity()).isEqualTo(Server.USER);
                assertThat(e.resource()).isEqualTo("press1/setpoint");
                assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
                assertThat(e.rule()).isEqualTo("Operator|write|press1/setpoint");
            });
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_operatorOutOfRange_badOutOfRange() throws Exception {
        OpcUaClient client = connect(Server.USER, Server.PASSWORD);
        try {
            StatusCode result = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 420)))).get(0);

            assertThat(result.getValue()).isEqualTo(StatusCodes.Bad_OutOfRange);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void userAccessLevel_perSession_showsWhatTheIdentityMayDo() throws Exception {
        OpcUaClient observer = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        OpcUaClient operator = connect(Server.USER, Server.PASSWORD);
        try {
            assertThat(accessLevel(observer, SETPOINT)).containsExactly(AccessLevel.CurrentRead);
            assertThat(accessLevel(operator, SETPOINT)).containsExactlyInAnyOrder(AccessLevel.CurrentRead,
                    AccessLevel.CurrentWrite);
            assertThat(accessLevel(observer, SECRET)).isEmpty();
        } finally {
            observer.disconnect();
            operator.disconnect();
        }
    }

    @Test
    void read_tagWithoutReadPermission_badUserAccessDenied() throws Exception {
        OpcUaClient client = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        try {
            assertThat(read(client, SECRET).getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(read(client, TEMP).getStatusCode().isGood()).isTrue();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void browse_device_leavesOutTagsWithoutBrowsePermission() throws Exception {
        OpcUaClient client = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        try {
            var ns = client.readNamespaceTable().getIndex("urn:cellgate:cell");
            List<String> names = browse(client, new NodeId(ns, "cell1/press1"));

            assertThat(names).contains("temp", "setpoint", "_status").doesNotContain("secret");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void subscribe_tagWithoutPermission_monitoredItemRefused() throws Exception {
        OpcUaClient client = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        try {
            OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
            subscription.create();
            OpcUaMonitoredItem secret = OpcUaMonitoredItem.newDataItem(node(client, SECRET));
            OpcUaMonitoredItem temp = OpcUaMonitoredItem.newDataItem(node(client, TEMP));
            subscription.addMonitoredItem(secret);
            subscription.addMonitoredItem(temp);
            try {
                subscription.synchronizeMonitoredItems();
            } catch (Exception expected) {
                // Milo's client reports any refused item as a failure; the results are checked below.
            }
            try {
                assertThat(secret.getCreateResult().orElseThrow().getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
                assertThat(temp.getCreateResult().orElseThrow().isGood()).isTrue();
            } finally {
                subscription.delete();
            }
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_refusedByMiloForTheUserAccessLevel_auditedWithIdentitySourcePathAndReason() throws Exception {
        server.audit.clear();
        OpcUaClient observer = connect(Server.OBSERVER, Server.OBSERVER_PASSWORD);
        OpcUaClient operator = connect(Server.USER, Server.PASSWORD);
        try {
            StatusCode noRule = observer.writeValues(List.of(node(observer, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 42)))).get(0);
            StatusCode readOnly = operator.writeValues(List.of(node(operator, TEMP)),
                    List.of(DataValue.valueOnly(new Variant(99.0f)))).get(0);

            assertThat(noRule.getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(readOnly.getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(WRITES).isEmpty();
            assertThat(server.audit).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("opcua.write");
                assertThat(e.identity()).isEqualTo(Server.OBSERVER);
                assertThat(e.source()).isEqualTo("127.0.0.1");
                assertThat(e.resource()).isEqualTo("press1/setpoint");
                assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
                assertThat(e.reason()).contains("Bad_UserAccessDenied").contains("no rule allows write");
            });
            assertThat(server.audit).anySatisfy(e -> {
                assertThat(e.identity()).isEqualTo(Server.USER);
                assertThat(e.resource()).isEqualTo("press1/temp");
                assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
                assertThat(e.reason()).contains("read-only");
            });
        } finally {
            observer.disconnect();
            operator.disconnect();
        }
    }

    @Test
    void subscribe_tagReadableButNotSubscribable_monitoredItemRefusedAtCreation() throws Exception {
        // Operator may read press1/secret but not subscribe to it.
        OpcUaClient client = connect(Server.USER, Server.PASSWORD);
        try {
            assertThat(read(client, SECRET).getStatusCode().isGood()).as("read is allowed").isTrue();
            OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
            subscription.create();
            OpcUaMonitoredItem secret = OpcUaMonitoredItem.newDataItem(node(client, SECRET));
            OpcUaMonitoredItem temp = OpcUaMonitoredItem.newDataItem(node(client, TEMP));
            subscription.addMonitoredItem(secret);
            subscription.addMonitoredItem(temp);
            try {
                subscription.synchronizeMonitoredItems();
            } catch (Exception expected) {
                // Milo's client reports any refused item as a failure; the results are checked below.
            }
            try {
                assertThat(secret.getCreateResult().orElseThrow().getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
                assertThat(temp.getCreateResult().orElseThrow().isGood()).isTrue();
            } finally {
                subscription.delete();
            }
        } finally {
            client.disconnect();
        }
    }

    // --- revocation of open sessions ---

    @Test
    void session_userDisabledWhileConnected_losesAccess() throws Exception {
        assertLosesAccess("revoke-disabled", () -> server.users.setEnabled(Identity.SYSTEM, "revoke-disabled", false));
    }

    @Test
    void session_userRemovedWhileConnected_losesAccess() throws Exception {
        assertLosesAccess("revoke-removed", () -> server.users.remove(Identity.SYSTEM, "revoke-removed"));
    }

    @Test
    void session_roleTakenAwayWhileConnected_losesAccess() throws Exception {
        // Operator alone may not read press1/temp (Observer may).
        assertLosesAccess("revoke-roles", () -> server.users.setRoles(Identity.SYSTEM, "revoke-roles",
                Set.of(Roles.OPERATOR)));
    }

    private void assertLosesAccess(String user, Runnable change) throws Exception {
        String password = "a long enough passphrase for " + user;
        server.users.createUser(Identity.SYSTEM, user, Set.of(Roles.OBSERVER, Roles.OPERATOR), password.toCharArray());
        server.audit.clear();
        OpcUaClient client = connect(user, password);
        try {
            assertThat(read(client, TEMP).getStatusCode().isGood()).as("read before the change").isTrue();

            change.run();

            // The session is re-checked every 2 s (default); 10 s is a generous bound, not a timing assertion.
            boolean lost = false;
            for (int i = 0; i < 20 && !lost; i++) {
                Thread.sleep(500);
                try {
                    lost = !read(client, TEMP).getStatusCode().isGood();
                } catch (Exception refused) {
                    lost = true;
                }
            }
            assertThat(lost).as("read refused after the change").isTrue();
            assertThat(server.audit).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("opcua.session.revoke");
                assertThat(e.identity()).isEqualTo(user);
            });
        } finally {
            client.disconnect();
        }
    }

    // --- helpers ---

    private static OpcUaClient connect(String user, String password) throws Exception {
        return server.connect(server.signAndEncrypt(), new UsernameProvider(user, password));
    }

    private static long refusal(IdentityProvider identity) throws Exception {
        return Server.refusal(server.signAndEncrypt(), identity, server.clientKeys,
                new X509Certificate[] {server.clientCertificate}, Server.CLIENT_URI);
    }

    private static NodeId node(OpcUaClient client, TagPath path) throws Exception {
        return Server.node(client, path.toString());
    }

    private static DataValue read(OpcUaClient client, TagPath path) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, node(client, path));
    }

    private static Set<AccessLevel> accessLevel(OpcUaClient client, TagPath path) throws Exception {
        DataValue v = client.read(0, TimestampsToReturn.Neither, List.of(new ReadValueId(node(client, path),
                AttributeId.UserAccessLevel.uid(), null, null))).getResults()[0];
        return AccessLevel.fromValue((UByte) v.getValue().value());
    }

    private static List<String> browse(OpcUaClient client, NodeId node) throws Exception {
        var result = client.browse(new BrowseDescription(node, BrowseDirection.Forward, NodeIds.HierarchicalReferences,
                true, UInteger.valueOf(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                UInteger.valueOf(BrowseResultMask.All.getValue())));
        assertThat(result.getStatusCode().isGood()).as("browse %s: %s", node, result.getStatusCode()).isTrue();
        return java.util.Arrays.stream(result.getReferences()).map(ReferenceDescription::getBrowseName)
                .map(q -> q.name()).toList();
    }
}
