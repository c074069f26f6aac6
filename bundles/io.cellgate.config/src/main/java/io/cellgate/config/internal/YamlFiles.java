package io.cellgate.config.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file into a node tree, safely: size limit, no aliases or anchors, no custom tags,
 * limited nesting. Only the node API is used, so no object is ever constructed from a tag.
 */
final class YamlFiles {

    /** Config files are small; anything bigger is a mistake or an attack. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    /** The standard tags that plain YAML values resolve to; anything else was written explicitly. */
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
            Tag.SEQ, Tag.TIMESTAMP);

    private YamlFiles() {
    }

    /** The file's root node, or null when it could not be read (the reason is in {@code problems}). */
    static Node read(Path file, String name, Problems problems, java.security.MessageDigest digest) {
        return read(file, name, problems, digest, null);
    }

    /** As {@link #read(Path, String, Problems, java.security.MessageDigest)}; also records the bytes read. */
    static Node read(Path file, String name, Problems problems, java.security.MessageDigest digest,
            java.util.Map<String, byte[]> sources) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add(name, (Node) null, "",
                        "file is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES + " bytes");
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add(name, (Node) null, "", "file not found");
            return null;
        } catch (IOException e) {
            problems.add(name, (Node) null, "", "cannot read file: " + e);
            return null;
        }
        return read(bytes, name, problems, digest, sources);
    }

    /**
     * As {@link #read(Path, String, Problems, java.security.MessageDigest, java.util.Map)} with the file's content
     * given (a candidate cell.yaml that is checked before it is written).
     */
    static Node read(byte[] bytes, String name, Problems problems, java.security.MessageDigest digest,
            java.util.Map<String, byte[]> sources) {
        if (bytes.length > MAX_FILE_BYTES) {
            problems.add(name, (Node) null, "",
                    "file is " + bytes.length + " bytes, more than the limit of " + MAX_FILE_BYTES + " bytes");
            return null;
        }
        if (digest != null) {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
            digest.update((byte) 0);
        }
        if (sources != null) {
            sources.put(name, bytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(name, (Node) null, "", "file is not valid UTF-8");
            return null;
        }
        return parse(text, name, problems);
    }

    static Node parse(String text, String name, Problems problems) {
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = yaml().compose(reader);
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            problems.add(name, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "YAML syntax error: " + clean(problem));
            return null;
        } catch (YAMLException | IOException e) {
            problems.add(name, (Node) null, "", "YAML error: " + clean(e.getMessage()));
            return null;
        }
        if (root == null) {
            problems.add(name, (Node) null, "", "file is empty");
            return null;
        }
        int before = problems.size();
        checkSafe(root, name, "", problems);
        return problems.size() == before ? root : null;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        options.setProcessComments(false);
        options.setTagInspector(tag -> false);
        return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options);
    }

    /** Rejects anchors/aliases (billion laughs, and hard to review), explicit tags and duplicate keys. */
    private static void checkSafe(Node node, String name, String path, Problems problems) {
        if (node.getAnchor() != null) {
            problems.add(name, node, path,
                    "YAML anchors and aliases (&" + node.getAnchor() + ", *" + node.getAnchor()
                            + ") are not supported: write the values out");
            return;
        }
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            problems.add(name, node, path, "YAML tag '" + node.getTag() + "' is not allowed");
            return;
        }
        if (node instanceof MappingNode map) {
            java.util.Map<String, Node> seen = new java.util.HashMap<>();
            for (NodeTuple t : map.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode key) || keyNode.getAnchor() != null) {
                    problems.add(name, keyNode, path, "keys must be plain words");
                    continue;
                }
                String childPath = Nodes.child(path, key.getValue());
                Node first = seen.putIfAbsent(key.getValue(), keyNode);
                if (first != null) {
                    problems.add(name, keyNode, childPath, "duplicate key '" + key.getValue()
                            + "' (first at line " + (first.getStartMark().getLine() + 1) + ")");
                }
                checkSafe(t.getValueNode(), name, childPath, problems);
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                checkSafe(seq.getValue().get(i), name, path + "[" + i + "]", problems);
            }
        }
    }

    /** SnakeYAML messages sometimes carry the whole snippet on several lines; keep the first. */
    private static String clean(String message) {
        if (message == null) {
            return "unknown problem";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
