package io.cellgate.policy.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyProblem;
import io.cellgate.api.policy.PolicyVersion;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running policy. Its source: the {@code policy.file} of {@code cellgate.policy} when set, else the
 * {@code access.yaml} of {@code cellgate.cell} (cell.yaml's {@code access:} section, which the configuration
 * loader had this engine check before applying it), else its {@code access.rules} (today's property form). A source that does not validate is not applied:
 * the policy in force stays (nothing until a first valid one: everything denied), and every problem is logged.
 */
@Component(service = {AccessPolicy.class, PolicyAdmin.class},
        configurationPid = {PolicyComponent.RUNTIME_PID, PolicyComponent.PID, PolicyComponent.CELL_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
// No @Designate: bnd allows it only with a single PID; PolicyMetaType designates cellgate.policy.
public final class PolicyComponent implements AccessPolicy, PolicyAdmin {

    static final String PID = "cellgate.policy";
    /** The cell configuration: its {@code access.rules} is the policy when no file is configured. */
    static final String CELL_PID = "cellgate.cell";
    /** The runtime configuration: its {@code state.dir} keeps the version history across restarts. */
    static final String RUNTIME_PID = "cellgate.runtime";
    static final String STATE_DIR = "state.dir";
    static final String ACCESS_RULES = "access.rules";
    /**
     * The {@code access:} section of cell.yaml as the loader validated it: the file's text with every other line
     * left empty, so that positions stay those of the file; absent when the cell has no such section.
     */
    static final String ACCESS_YAML = "access.yaml";
    /** The name of the file {@link #ACCESS_YAML} comes from, for positions in messages and rule origins. */
    static final String ACCESS_FILE = "access.file";
    static final long MAX_FILE_BYTES = YamlDoc.MAX_CHARS;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyComponent.class);

    private final PolicyHolder holder;
    /** Policy changes are audit records (policy.apply); optional and dynamic, so the policy never waits for it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditSink audit;
    /** Where the history is kept; null without a state directory (then versions restart at 1). */
    private HistoryFile historyFile;
    /** A policy file replaces cell.yaml's access: section: then a candidate section changes nothing. */
    private volatile boolean fromFile;

    @Activate
    public PolicyComponent(PolicyConfig config, Map<String, Object> properties) {
        this(Clock.systemUTC());
        if (properties.get(STATE_DIR) instanceof String dir && !dir.isBlank()) {
            historyFile = new HistoryFile(Path.of(dir));
            List<PolicyVersion> stored = historyFile.read();
            holder.restoreHistory(stored);
            LOG.info("Access policy history: {} version(s) restored from {}", stored.size(), historyFile.path());
        }
        modified(config, properties);
    }

    PolicyComponent(Clock clock) {
        this.holder = new PolicyHolder(clock);
    }

    @Modified
    void modified(PolicyConfig config, Map<String, Object> properties) {
        String file = config.policy_file() == null ? "" : config.policy_file().trim();
        PolicyParser.Result result;
        String actor;
        fromFile = !file.isEmpty();
        if (!file.isEmpty()) {
            result = readFile(Path.of(file));
            actor = "file:" + file;
        } else if (properties.get(ACCESS_YAML) instanceof String yaml) {
            Object name = properties.get(ACCESS_FILE);
            result = PolicyParser.parseCellYaml(yaml, name instanceof String n && !n.isBlank() ? n : "cell.yaml");
            actor = "config";
        } else if (properties.get(ACCESS_RULES) == null) {
            LOG.info("No access policy yet (no policy.file, no access.yaml or access.rules in {}): everything is denied",
                    CELL_PID);
            return;
        } else {
            result = PolicyParser.fromAccessProperty(properties.get(ACCESS_RULES), CELL_PID);
            actor = "config";
        }
        apply(result, actor);
    }

    void apply(PolicyParser.Result result, String actor) {
        if (!result.ok()) {
            for (PolicyProblem p : result.problems()) {
                LOG.error("Access policy not applied: {}", p);
            }
            LOG.error("The access policy has {} problem(s) and was not applied; version {} stays in force{}",
                    result.problems().size(), holder.current().version(),
                    holder.current().version() == 0 ? " (nothing is allowed)" : "");
            audit(actor, AuditEvent.Result.DENIED, result.problems().size() + " problem(s), first: "
                    + result.problems().get(0));
            return;
        }
        long before = holder.current().version();
        PolicyVersion v = holder.apply(result.policy(), actor);
        if (v.version() != before) {
            LOG.info("Access policy version {} applied ({} rules, sha256 {}, by {})", v.version(),
                    result.policy().rules().size(), v.hash(), actor);
            audit(actor, AuditEvent.Result.SUCCESS, "version " + v.version() + ", sha256 " + v.hash());
            saveHistory();
        }
    }

    /** A failure to save is logged: the policy is applied all the same (the history is a record, not a gate). */
    private void saveHistory() {
        HistoryFile file = historyFile;
        if (file == null) {
            return;
        }
        try {
            file.write(holder.history());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Access policy history could not be saved in {}: {}", file.path(), e.toString());
        }
    }

    /** The audit record of a policy applied or refused ({@code policy.apply}, resource: where it came from). */
    private void audit(String actor, AuditEvent.Result result, String reason) {
        AuditSink sink = audit;
        if (sink != null && !sink.record(new AuditEvent(java.time.Instant.now(), "system", null, "policy.apply",
                actor, result, reason, null))) {
            LOG.warn("policy change NOT recorded in the audit trail: {} {}", result, reason);
        }
    }

    /** A policy document from a file: at most 1 MiB, UTF-8. */
    static PolicyParser.Result readFile(Path file) {
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return problem(name, "file is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES);
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return PolicyParser.parse(text, name);
        } catch (CharacterCodingException e) {
            return problem(name, "file is not valid UTF-8");
        } catch (IOException e) {
            return problem(name, "cannot read file: " + e);
        }
    }

    private static PolicyParser.Result problem(String file, String message) {
        return new PolicyParser.Result(null, List.of(new PolicyProblem(file, 0, 0, "", message)));
    }

    @Override
    public Decision decide(AccessRequest request) {
        return holder.decide(request);
    }

    @Override
    public Decision preview(AccessRequest request) {
        return holder.preview(request);
    }

    @Override
    public PolicyVersion current() {
        return holder.current();
    }

    @Override
    public List<PolicyVersion> history() {
        return holder.history();
    }

    @Override
    public List<io.cellgate.api.policy.PolicyRule> rules() {
        return holder.rules();
    }

    @Override
    public List<PolicyProblem> validate(String yaml, String file) {
        return holder.validate(yaml, file);
    }

    @Override
    public List<PolicyProblem> validateAccessSection(String cellYaml, String file) {
        return holder.validateAccessSection(cellYaml, file);
    }

    @Override
    public Decision previewWithAccessSection(String cellYaml, String file, AccessRequest request) {
        return fromFile ? holder.preview(request) : holder.previewWithAccessSection(cellYaml, file, request);
    }

    @Override
    public void restoreHistory(List<PolicyVersion> persisted) {
        holder.restoreHistory(persisted);
    }
}
