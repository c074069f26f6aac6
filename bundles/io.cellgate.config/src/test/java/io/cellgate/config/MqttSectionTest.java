package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code mqtt:} and {@code sparkplug:} sections of cell.yaml: what they yield, and every error at file:line:col. */
class MqttSectionTest {

    @TempDir
    Path dir;

    /** Ten lines; the section a test appends starts on line 11. */
    private static final String CELL = """
            cell:
              id: line-1
            devices:
              - id: meter-1
                profile: meter
                endpoint: { protocol: modbus-tcp, host: 192.168.1.10 }
            #
            #
            #
            #
            """;

    /** A valid mqtt section of three lines (11-13), for the sparkplug tests. */
    private static final String MQTT = """
            mqtt:
              brokers: ["ssl://broker.plant.local:8883"]
              caFile: ca.pem
            """;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: v, area: holding_register, address: 0, type: int16 }
                """);
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("mqtt.password"), "s3cret pass\n");
    }

    private LoadResult load(String sections) throws IOException {
        Files.writeString(dir.resolve("cell.yaml"), CELL + sections);
        return CellConfigLoader.load(dir);
    }

    private static String single(LoadResult r) {
        assertThat(r.isValid()).as("valid").isFalse();
        assertThat(r.errors()).as(r.errorReport()).hasSize(1);
        return r.errors().get(0).toString();
    }

    @Test
    void load_fullSections_yieldEverySetting() throws IOException {
        LoadResult r = load("""
                mqtt:
                  brokers: ["ssl://broker.plant.local:8883", "ssl://broker2.plant.local:8883"]
                  clientId: cellgate-press-line-3
                  caFile: ca.pem
                  usePkiTrust: true
                  username: gateway-press
                  passwordFile: mqtt.password
                  keepAlive: 30s
                  connectTimeout: 1m
                  allowInsecure: false
                sparkplug:
                  groupId: plant1
                  edgeNodeId: press-line-3
                  primaryHostId: mes
                  commandIdentity: mes
                  outbox: { maxBytes: 256MiB, maxAge: 7d, overflow: reject-new }
                  maxInFlight: 32
                  nodeMetricsInterval: 10s
                  json: { enabled: true, prefix: cellgate/plant1, retain: false }
                """);

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        MqttSettings m = r.mqtt().orElseThrow();
        assertThat(m.brokers()).containsExactly("ssl://broker.plant.local:8883", "ssl://broker2.plant.local:8883");
        assertThat(m.clientId()).isEqualTo("cellgate-press-line-3");
        assertThat(m.caFile()).isEqualTo(dir.resolve("ca.pem").toAbsolutePath().normalize());
        assertThat(m.usePkiTrust()).isTrue();
        assertThat(m.username()).isEqualTo("gateway-press");
        assertThat(m.passwordFile()).isEqualTo(dir.resolve("mqtt.password").toAbsolutePath().normalize());
        assertThat(m.keepAliveSeconds()).isEqualTo(30);
        assertThat(m.connectTimeoutSeconds()).isEqualTo(60);
        assertThat(m.allowInsecure()).isFalse();
        SparkplugSettings s = r.sparkplug().orElseThrow();
        assertThat(s).isEqualTo(new SparkplugSettings("plant1", "press-line-3", "mes", "mes", 256L << 20,
                7L * 86_400, "REJECT_NEW", 32, 10, true, "cellgate/plant1", false));
    }

    @Test
    void load_minimalSections_defaultClientIdAndUnwrittenSettingsNull() throws IOException {
        LoadResult r = load(MQTT + "sparkplug: { groupId: plant1 }\n");

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        assertThat(r.mqtt().orElseThrow().clientId()).isEqualTo("cellgate-line-1");
        assertThat(r.mqtt().orElseThrow().passwordFile()).isNull();
        assertThat(r.sparkplug().orElseThrow()).isEqualTo(new SparkplugSettings("plant1", null, null, null, null,
                null, null, null, null, null, null, null));
    }

    @Test
    void load_noSections_emptyAndValid() throws IOException {
        LoadResult r = load("");

        assertThat(r.isValid()).isTrue();
        assertThat(r.mqtt()).isEmpty();
        assertThat(r.sparkplug()).isEmpty();
    }

    @Test
    void load_mqttWithoutSparkplug_validAndSparkplugEmpty() throws IOException {
        LoadResult r = load(MQTT);

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.sparkplug()).isEmpty();
    }

    @Test
    void load_tcpWithAllowInsecure_valid() throws IOException {
        LoadResult r = load("mqtt: { brokers: [\"tcp://127.0.0.1:1883\"], allowInsecure: true }\n");

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        assertThat(r.mqtt().orElseThrow().allowInsecure()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key              | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, keepalive: 5s }                     | cell.yaml:11:52: mqtt.keepalive: unknown key 'keepalive' (did you mean 'keepAlive'?)
            no brokers key           | mqtt: { caFile: ca.pem }                                                             | cell.yaml:11:7: mqtt.brokers: required key 'brokers' is missing
            empty brokers            | mqtt: { brokers: [], caFile: ca.pem }                                                | cell.yaml:11:18: mqtt.brokers: 0 brokers: list 1..8 URLs in failover order
            nine brokers             | mqtt: { brokers: [ssl://a:1, ssl://b:1, ssl://c:1, ssl://d:1, ssl://e:1, ssl://f:1, ssl://g:1, ssl://h:1, ssl://i:1], caFile: ca.pem } | cell.yaml:11:18: mqtt.brokers: 9 brokers: list 1..8 URLs in failover order
            http scheme              | mqtt: { brokers: ['ssl://a:8883', 'http://b:80'], caFile: ca.pem }                   | cell.yaml:11:35: mqtt.brokers[1]: 'http://b:80': the scheme must be ssl:// (MQTT over TLS), not http://
            no port                  | mqtt: { brokers: ['ssl://broker'], caFile: ca.pem }                                  | cell.yaml:11:19: mqtt.brokers[0]: 'ssl://broker' needs a host and a port, e.g. ssl://broker.plant.local:8883
            credentials in url       | mqtt: { brokers: ['ssl://u:p@b:8883'], caFile: ca.pem }                              | cell.yaml:11:19: mqtt.brokers[0]: 'ssl://u:p@b:8883': only scheme, host and port are allowed (credentials go in username/passwordFile)
            twice                    | mqtt: { brokers: ['ssl://b:8883', 'ssl://b:8883'], caFile: ca.pem }                  | cell.yaml:11:35: mqtt.brokers[1]: 'ssl://b:8883' is listed twice
            tcp without insecure     | mqtt: { brokers: ['tcp://b:1883'] }                                                  | cell.yaml:11:19: mqtt.brokers[0]: 'tcp://b:1883' is MQTT without TLS: use ssl://, or set allowInsecure: true (warned at every start)
            ssl without trust        | mqtt: { brokers: ['ssl://b:8883'] }                                                  | cell.yaml:11:7: mqtt: ssl:// brokers need trust anchors for the broker's certificate: set caFile (PEM) or usePkiTrust: true
            missing caFile           | mqtt: { brokers: ['ssl://b:8883'], caFile: nope.pem }                                | cell.yaml:11:44: mqtt.caFile: 'nope.pem' is not a readable file
            caFile not pem           | mqtt: { brokers: ['ssl://b:8883'], caFile: mqtt.password }                           | cell.yaml:11:44: mqtt.caFile: 'mqtt.password' holds no PEM certificate (-----BEGIN CERTIFICATE-----)
            missing passwordFile     | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, passwordFile: pw }                | cell.yaml:11:66: mqtt.passwordFile: 'pw' is not a readable file
            inline password          | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, password: x }                     | cell.yaml:11:62: mqtt.password: the password is never written in cell.yaml: put it in a file readable only by the gateway and name it with passwordFile
            bad keepAlive            | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, keepAlive: 30 }                   | cell.yaml:11:63: mqtt.keepAlive: '30' is not a duration: write a whole number with a unit, e.g. 500ms, 5s, 2m, 1h
            keepAlive too long       | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, keepAlive: 19h }                  | cell.yaml:11:63: mqtt.keepAlive: 19h is outside 1s..65535s
            keepAlive fraction       | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, keepAlive: 1500ms }               | cell.yaml:11:63: mqtt.keepAlive: 1500ms is not a whole number of seconds
            connectTimeout zero      | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, connectTimeout: 0s }              | cell.yaml:11:68: mqtt.connectTimeout: 0s is outside 1s..10m
            allowInsecure yes        | mqtt: { brokers: ['ssl://b:8883'], caFile: ca.pem, allowInsecure: yes }              | cell.yaml:11:67: mqtt.allowInsecure: 'yes' is not a boolean: use true or false
            mqtt not a mapping       | 'mqtt: ssl://b:8883'                                                                 | cell.yaml:11:7: mqtt: expected a mapping (key: value lines), found 'ssl://b:8883'
            """)
    void load_badMqtt_oneErrorAtItsPosition(String what, String section, String expected) throws IOException {
        String error = single(load(section + "\n"));

        assertThat(error).startsWith(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no groupId            | sparkplug: { edgeNodeId: n1 }                                      | cell.yaml:14:12: sparkplug.groupId: required key 'groupId' is missing
            groupId with slash    | sparkplug: { groupId: plant/1 }                                    | cell.yaml:14:23: sparkplug.groupId: 'plant/1' is not a Sparkplug id: no '/', '+', '#' or spaces, at most 128 characters
            edgeNodeId wildcard   | sparkplug: { groupId: p, edgeNodeId: 'n+' }                        | cell.yaml:14:38: sparkplug.edgeNodeId: 'n+' is not a Sparkplug id
            unknown key           | sparkplug: { groupId: p, groupID: q }                              | cell.yaml:14:26: sparkplug.groupID: unknown key 'groupID' (did you mean 'groupId'?)
            bad size              | sparkplug: { groupId: p, outbox: { maxBytes: 256MB } }             | cell.yaml:14:46: sparkplug.outbox.maxBytes: '256MB' is not a size
            size too small        | sparkplug: { groupId: p, outbox: { maxBytes: 512B } }              | cell.yaml:14:46: sparkplug.outbox.maxBytes: 512B is outside 1KiB..1024GiB
            bad maxAge            | sparkplug: { groupId: p, outbox: { maxAge: 1w } }                  | cell.yaml:14:44: sparkplug.outbox.maxAge: '1w' is not a duration
            bad overflow          | sparkplug: { groupId: p, outbox: { overflow: drop-newest } }       | cell.yaml:14:46: sparkplug.outbox.overflow: 'drop-newest' is not one of drop-oldest, reject-new
            unknown outbox key    | sparkplug: { groupId: p, outbox: { max: 1 } }                      | cell.yaml:14:36: sparkplug.outbox.max: unknown key 'max'
            maxInFlight zero      | sparkplug: { groupId: p, maxInFlight: 0 }                          | cell.yaml:14:39: sparkplug.maxInFlight: 0 is outside 1..65535
            metrics interval      | sparkplug: { groupId: p, nodeMetricsInterval: 500ms }              | cell.yaml:14:47: sparkplug.nodeMetricsInterval: 500ms is outside 1s..24h
            metrics in days       | sparkplug: { groupId: p, nodeMetricsInterval: 1d }                 | cell.yaml:14:47: sparkplug.nodeMetricsInterval: '1d' is not a duration
            json prefix wildcard  | sparkplug: { groupId: p, json: { prefix: 'a/#' } }                 | cell.yaml:14:42: sparkplug.json.prefix: 'a/#' is not a usable topic prefix
            json enabled on       | sparkplug: { groupId: p, json: { enabled: on } }                   | cell.yaml:14:43: sparkplug.json.enabled: 'on' is not a boolean
            """)
    void load_badSparkplug_oneErrorAtItsPosition(String what, String section, String expected) throws IOException {
        String error = single(load(MQTT + section + "\n"));

        assertThat(error).startsWith(expected);
    }

    @Test
    void load_sparkplugWithoutMqtt_errorAtTheSparkplugSection() throws IOException {
        String error = single(load("sparkplug: { groupId: plant1 }\n"));

        assertThat(error).isEqualTo("cell.yaml:11:12: sparkplug: a sparkplug section needs an mqtt section: the "
                + "broker the edge node publishes to");
    }

    @Test
    void load_unreadablePasswordFile_error() throws IOException {
        Path pw = dir.resolve("mqtt.password");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(pw), "running as root: every file is readable");

        String error = single(load(MQTT.replace("caFile: ca.pem", "caFile: ca.pem\n  passwordFile: mqtt.password")));

        assertThat(error).startsWith("cell.yaml:14:17: mqtt.passwordFile: 'mqtt.password' cannot be read");
    }

    @Test
    void load_passwordFileIsADirectory_error() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));

        String error = single(load(MQTT.replace("caFile: ca.pem", "caFile: ca.pem\n  passwordFile: secrets")));

        assertThat(error).startsWith("cell.yaml:14:17: mqtt.passwordFile: 'secrets' is not a readable file");
    }

    @Test
    void load_emptyPasswordFile_error() throws IOException {
        Files.writeString(dir.resolve("mqtt.password"), "\n");

        String error = single(load(MQTT.replace("caFile: ca.pem", "caFile: ca.pem\n  passwordFile: mqtt.password")));

        assertThat(error).isEqualTo("cell.yaml:14:17: mqtt.passwordFile: 'mqtt.password' is empty");
    }

    @Test
    void load_errorsInBothSections_allReported() throws IOException {
        LoadResult r = load("""
                mqtt: { brokers: ['tcp://b:1883'] }
                sparkplug: { outbox: { overflow: never } }
                """);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).extracting(ConfigError::path)
                .containsExactly("mqtt.brokers[0]", "sparkplug.groupId", "sparkplug.outbox.overflow");
    }
}
