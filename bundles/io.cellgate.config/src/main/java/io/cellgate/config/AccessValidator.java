package io.cellgate.config;

import java.util.List;

/**
 * Checks the {@code access:} section of a cell.yaml the way the access policy will read it: ids, deny rules,
 * {@code when:} conditions and the mapping form ({@code zone}, {@code defaults}, {@code rules}). The running
 * gateway's loader uses the policy engine's check ({@code PolicyAdmin.validateAccessSection}); without one
 * (tools, tests) only today's form {role, tags, allow} is checked by the loader itself.
 */
@FunctionalInterface
public interface AccessValidator {

    /**
     * @param cellYaml the text of cell.yaml with every line outside the {@code access:} section left empty, so
     *                 that lines and columns are the file's
     * @param file     the file name to report ({@code cell.yaml})
     * @return every problem, with file, line, column and a path such as {@code access[1].when.max}; empty when valid
     */
    List<ConfigError> validate(String cellYaml, String file);
}
