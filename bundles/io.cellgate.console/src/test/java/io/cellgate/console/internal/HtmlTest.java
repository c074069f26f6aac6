package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
