package io.cellgate.opcua.internal;

import io.cellgate.pki.GatewayPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.CertificateGroup;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The DefaultApplicationGroup over the PKI bundle: the gateway's key and chain (read once, at server
 * start, like the endpoints), its trust lists and its validator. The certificate is generated, renewed and
 * replaced by the PKI bundle and its tool, never by Milo, so the factory and updates are refused.
 */
final class PkiCertificateGroup implements CertificateGroup {

    private final TrustListManager trustList;
    private final CertificateValidator validator;
    private final KeyPair keyPair;
    private final X509Certificate[] chain;

    PkiCertificateGroup(GatewayPki pki, TrustListManager trustList, CertificateValidator validator) {
        this.trustList = trustList;
        this.validator = validator;
        this.chain = pki.chain();
        this.keyPair = new KeyPair(chain[0].getPublicKey(), pki.privateKey());
    }

    @Override
    public NodeId getCertificateGroupId() {
        return NodeIds.ServerConfiguration_CertificateGroups_DefaultApplicationGroup;
    }

    @Override
    public List<NodeId> getSupportedCertificateTypeIds() {
        return List.of(NodeIds.RsaSha256ApplicationCertificateType);
    }

    @Override
    public TrustListManager getTrustListManager() {
        return trustList;
    }

    @Override
    public List<Entry> getCertificateEntries() {
        return List.of(new Entry(getCertificateGroupId(), NodeIds.RsaSha256ApplicationCertificateType, chain.clone()));
    }

    @Override
    public Optional<KeyPair> getKeyPair(NodeId certificateTypeId) {
        return NodeIds.RsaSha256ApplicationCertificateType.equals(certificateTypeId) ? Optional.of(keyPair)
                : Optional.empty();
    }

    @Override
    public Optional<X509Certificate[]> getCertificateChain(NodeId certificateTypeId) {
        return NodeIds.RsaSha256ApplicationCertificateType.equals(certificateTypeId) ? Optional.of(chain.clone())
                : Optional.empty();
    }

    @Override
    public void updateCertificate(NodeId certificateTypeId, KeyPair keyPair, X509Certificate[] certificateChain)
            throws UaException {
        throw new UaException(StatusCodes.Bad_NotSupported, "the gateway certificate is managed by the PKI bundle");
    }

    @Override
    public CertificateFactory getCertificateFactory() {
        return null;
    }

    @Override
    public CertificateValidator getCertificateValidator() {
        return validator;
    }
}
