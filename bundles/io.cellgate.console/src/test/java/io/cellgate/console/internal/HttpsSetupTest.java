package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpsSetupTest {

    @Test
    void felixProperties_httpsOnlyWithModernTls() {
        var p = HttpsSetup.felixProperties(8443, "0.0.0.0", Path.of("/s/console/https.p12"), "pw".toCharArray());
        assertThat(p.get("org.apache.felix.http.enable")).isEqualTo(false);
        assertThat(p.get("org.apache.felix.https.enable")).isEqualTo(true);
        assertThat(p.get("org.osgi.service.http.port.secure")).isEqualTo(8443);
        assertThat(p.get("org.apache.felix.https.jetty.protocols.included")).isEqualTo("TLSv1.3,TLSv1.2");
        assertThat((String) p.get("org.apache.felix.https.jetty.ciphersuites.included")).doesNotContain("CBC", "TLS_RSA_WITH",
                "SHA,", "3DES", "RC4");
        assertThat(Collections.list(p.keys())).contains("org.apache.felix.https.keystore");
    }

    @Test
    void endpoint_prefersHttps() {
        assertThat(HttpsSetup.endpoint(new String[] {"http://a/", "https://a:8443/"})).isEqualTo("https://a:8443/");
        assertThat(HttpsSetup.endpoint("https://b/")).isEqualTo("https://b/");
        assertThat(HttpsSetup.endpoint(null)).isNull();
    }

    @Test
    void url_wildcardBind_printsLoopbackWithTheRealPort() {
        assertThat(HttpsSetup.url("0.0.0.0", "https://[fd00:0:0:0:0:0:0:2%eth0]:8443/")).isEqualTo("https://127.0.0.1:8443/");
        assertThat(HttpsSetup.url("127.0.0.1", "https://127.0.0.1:41234/")).isEqualTo("https://127.0.0.1:41234/");
        assertThat(HttpsSetup.url("10.1.20.5", "https://10.1.20.5:8443/")).isEqualTo("https://10.1.20.5:8443/");
        assertThat(HttpsSetup.url("0.0.0.0", "http://127.0.0.1:8080/")).isNull();
    }

    @Test
    void isDemo_onlyWithTheLaunchersDemoConfiguration() {
        assertThat(HttpsSetup.isDemo(Map.of("service.pid", new String[] {"cellgate.runtime", "cellgate.demo"}))).isTrue();
        assertThat(HttpsSetup.isDemo(Map.of("service.pid", List.of("cellgate.runtime")))).isFalse();
        assertThat(HttpsSetup.isDemo(Map.of())).isFalse();
    }

    @Test
    void fromCellYaml_keysTheLoaderWrote_onlyThoseWinOverTheFrameworkProperties() {
        assertThat(HttpsSetup.fromCellYaml(Map.of("port", 9443, "cellgate.config.keys", new String[] {"port"})))
                .containsExactly("port");
        assertThat(HttpsSetup.fromCellYaml(Map.of("port", 9443))).as("set by someone else: the -D option wins").isEmpty();
    }
}
