package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.Test;

class SecuritySettingsTest {

    private static final String[] SECURE = {"Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"};
    private static final String[] MODES = {"Sign", "SignAndEncrypt"};

    @Test
    void of_defaults_secureAndNothingToWarnAbout() {
        SecuritySettings s = SecuritySettings.of(SECURE, MODES, false, false);

        assertThat(s.policies()).containsExactly(SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep,
                SecurityPolicy.Aes256_Sha256_RsaPss);
        assertThat(s.modes()).containsExactly(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt);
        assertThat(s.noneEndpoint()).isFalse();
        assertThat(s.insecure()).isEmpty();
    }

    @Test
    void of_insecureWithoutOverride_refusedNamingEachItem() {
        assertThatThrownBy(() -> SecuritySettings.of(new String[] {"Basic256"}, MODES, false, false))
                .hasMessageContaining("security.policies: Basic256 (deprecated)").hasMessageContaining("allow.insecure=true");
        assertThatThrownBy(() -> SecuritySettings.of(new String[] {"Basic128Rsa15"}, MODES, false, false))
                .hasMessageContaining("Basic128Rsa15 (deprecated)");
        assertThatThrownBy(() -> SecuritySettings.of(new String[] {"None"}, MODES, false, false))
                .hasMessageContaining("security.policies: None");
        assertThatThrownBy(() -> SecuritySettings.of(SECURE, new String[] {"None"}, false, false))
                .hasMessageContaining("security.modes: None");
        assertThatThrownBy(() -> SecuritySettings.of(SECURE, MODES, true, false))
                .hasMessageContaining("anonymous=true");
    }

    @Test
    void of_insecureWithOverride_acceptedAndListed() {
        SecuritySettings s = SecuritySettings.of(new String[] {"Basic256Sha256", "Basic256", "None"}, MODES, true, true);

        assertThat(s.policies()).containsExactly(SecurityPolicy.Basic256Sha256, SecurityPolicy.Basic256);
        assertThat(s.noneEndpoint()).isTrue();
        assertThat(s.anonymous()).isTrue();
        assertThat(s.insecure()).hasSize(3);
    }

    @Test
    void of_unknownNames_refusedWithName() {
        assertThatThrownBy(() -> SecuritySettings.of(new String[] {"Basic512"}, MODES, false, false))
                .hasMessageContaining("unknown policy 'Basic512'");
        assertThatThrownBy(() -> SecuritySettings.of(SECURE, new String[] {"Encrypt"}, false, false))
                .hasMessageContaining("unknown mode 'Encrypt'");
        assertThatThrownBy(() -> SecuritySettings.of(new String[0], MODES, false, false))
                .hasMessageContaining("security.policies is empty");
    }
}
