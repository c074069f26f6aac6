package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void esc_markupAndQuotes_areEscaped() {
        assertThat(Html.esc("<script>alert('x')</script> & \"q\"")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.esc(null)).isEmpty();
    }

    @Test
    void cookieHeader_isSecureHttpOnlyStrict() {
        assertThat(ConsoleServlet.cookieHeader(ConsoleKeys.SESSION_COOKIE, "abc", "/", -1))
                .isEqualTo("__Host-cellgate-session=abc; Path=/; Secure; HttpOnly; SameSite=Strict");
        assertThat(ConsoleServlet.cookieHeader(ConsoleKeys.SESSION_COOKIE, "", "/", 0)).endsWith("; Max-Age=0");
    }

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
}
