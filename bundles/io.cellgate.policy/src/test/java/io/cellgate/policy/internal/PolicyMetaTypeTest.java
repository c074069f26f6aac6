package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The bundle designates cellgate.policy (what bnd generated from {@link PolicyMetaType}): without a Designate the MetaType
 * service lists no PID for it and the console's Components page does not show it.
 */
class PolicyMetaTypeTest {

    @Test
    void metatype_designatesThePidWithItsObjectClass() throws Exception {
        Path xml = Path.of("target/classes/OSGI-INF/metatype/cellgate.policy.xml");
        assertThat(xml).as("bnd writes the MetaType before the tests run").exists();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(Files.newInputStream(xml));
        Element designate = (Element) doc.getElementsByTagName("Designate").item(0);
        assertThat(designate).as("a Designate element").isNotNull();
        assertThat(designate.getAttribute("pid")).isEqualTo("cellgate.policy");
        Element object = (Element) designate.getElementsByTagName("Object").item(0);
        assertThat(object.getAttribute("ocdref")).isEqualTo("cellgate.policy");
        assertThat(((Element) doc.getElementsByTagName("OCD").item(0)).getAttribute("id")).isEqualTo("cellgate.policy");
    }
}
