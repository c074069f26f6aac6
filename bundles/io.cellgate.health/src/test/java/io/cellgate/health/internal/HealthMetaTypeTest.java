package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The bundle designates cellgate.health (what bnd generated from {@link HealthMetaType}): without a Designate the MetaType
 * service lists no PID for it and the console's Components page does not show it.
 */
class HealthMetaTypeTest {

    @Test
    void metatype_designatesThePidWithItsObjectClass() throws Exception {
        Path xml = Path.of("target/classes/OSGI-INF/metatype/cellgate.health.xml");
        assertThat(xml).as("bnd writes the MetaType before the tests run").exists();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(Files.newInputStream(xml));
        Element designate = (Element) doc.getElementsByTagName("Designate").item(0);
        assertThat(designate).as("a Designate element").isNotNull();
        assertThat(designate.getAttribute("pid")).isEqualTo("cellgate.health");
        Element object = (Element) designate.getElementsByTagName("Object").item(0);
        assertThat(object.getAttribute("ocdref")).isEqualTo("cellgate.health");
        assertThat(((Element) doc.getElementsByTagName("OCD").item(0)).getAttribute("id")).isEqualTo("cellgate.health");
    }
}
