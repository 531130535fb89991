#include "validator/rules.h"

#include <string.h>

/* Rejected: GitLab's agent server refuses the whole file and the previous
 * configuration silently stays in force. Ignored: the file is accepted but
 * the entry has no effect. */
const struct al_rule al_rules[] = {
    {"yaml-syntax", AL_SEV_ERROR, true, "the file does not parse as YAML",
     "The agent server cannot parse the file, so it rejects it whole and the previous "
     "configuration stays in force; the only trace is a line in the agent's log. Tabs in "
     "indentation, committed merge-conflict markers and badly indented lines are the usual "
     "causes. agentlint parses with libyaml, the parser family GitLab uses, and reads only the "
     "first document as GitLab does.",
     NULL},
    {"duplicate-key", AL_SEV_ERROR, false, "a key repeated in one mapping",
     "YAML forbids a key twice in one mapping. GitLab's YAML layer (go-yaml v2, non-strict) "
     "keeps the last value without a word, so the first one silently has no effect. Whether the "
     "agent server rejects the file instead is not confirmed; agentlint assumes it does not, the "
     "reading that never hides access from a reviewer: explain and diff use the last value.",
     NULL},
    {"unknown-key", AL_SEV_ERROR, true, "a key the schema does not have",
     "The agent server parses config.yaml with protojson, which rejects unknown fields: one "
     "unknown key anywhere (project: for projects:, default-namespace, camelCase, a key removed "
     "from the schema such as starboard or gitops.charts) rejects the whole file and the "
     "previous configuration stays in force. The finding suggests the closest valid key.",
     NULL},
    {"type-mismatch", AL_SEV_ERROR, true, "a value of the wrong type",
     "protojson is strict about types: an unquoted number where a string is expected (id: 123), "
     "a quoted boolean (protected_branches_only: \"true\"), a string where a list is expected "
     "(environments: production), a duration without its s suffix, or a value outside an enum "
     "rejects the whole file. Scalars are typed as go-yaml v2 types them (YAML 1.1: yes/no/on/off "
     "are booleans).",
     NULL},
    {"required", AL_SEV_ERROR, true, "a required value missing or empty",
     "protoc-gen-validate rules of the agent server: an entry without id or with an empty id, an "
     "impersonate without username, an empty string in environments, impersonate.groups or "
     "extra[].val, a container_scanning block without cadence. Any of them rejects the file.",
     NULL},
    {"access-as", AL_SEV_ERROR, true, "access_as with no member, a null member, or several",
     "access_as, when present, must set exactly one of agent: {}, ci_job: {} or impersonate: "
     "{...} (user_access: agent: {} or user: {}). access_as: {} and a member written as "
     "ci_job: with no value (null) are rejected, as is more than one member. GitLab's own "
     "\"connect to agent\" dialog suggests both agent: {} and user: {} for user_access; keep one. "
     "access_as: with a null value is unset and means the agent's own identity. user_access "
     "without access_as is refused when a user connects.",
     NULL},
    {"file-name", AL_SEV_ERROR, false, "a config file GitLab never reads",
     "GitLab reads exactly .gitlab/agents/<agent-name>/config.yaml at the repository root on the "
     "default branch. config.yml, Config.yaml, config.yaml.bak, a file directly under "
     ".gitlab/agents/, a nested directory or a .gitlab directory below the root are never read: "
     "the agent runs with an empty configuration and loses all CI/CD access. Symbolic links and "
     "submodules are not followed.",
     NULL},
    {"agent-name", AL_SEV_ERROR, false, "an agent directory name GitLab cannot register",
     "Agent names must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ and have at most 63 characters "
     "(lowercase letters, digits and '-', not at the start or end), and the directory must equal "
     "the registered agent name.",
     NULL},
    {"file-size", AL_SEV_ERROR, true, "the file is over GitLab's 128 KiB limit",
     "The agent server refuses configuration files larger than 128 KiB (its default "
     "max_configuration_file_size) and keeps the previous configuration.",
     NULL},
    {"entry-limit", AL_SEV_WARNING, false, "more than 500 entries in one projects or groups list",
     "GitLab keeps the first 500 entries of each projects and groups list, in file order and "
     "before removing duplicates (100 before GitLab 17.0); the rest are ignored without a word.",
     NULL},
    {"namespace", AL_SEV_WARNING, false, "an id outside the configuration project's top-level "
                                         "namespace",
     "GitLab authorizes only projects and groups under the configuration project's top-level "
     "group (or, for a personal project, its user namespace, where groups can never be "
     "authorized). Other ids are dropped silently unless the self-managed admin setting "
     "organization_cluster_agent_authorization_enabled is on (--instance-authorization). The "
     "configuration project's path comes from --project-path, CI_MERGE_REQUEST_PROJECT_PATH, "
     "CI_PROJECT_PATH, .agentlint.yaml or remote.origin.url; without one this rule is skipped "
     "with a note.",
     NULL},
    {"duplicate-id", AL_SEV_WARNING, false, "an id listed twice in one list",
     "GitLab lower-cases ids and indexes entries by them, so of two entries for the same id "
     "(compared case-insensitively) only the last counts; the earlier one still uses up one of "
     "the 500 places.",
     NULL},
    {"id-format", AL_SEV_WARNING, false, "an id that can never match a GitLab path",
     "Ids are matched case-insensitively against full paths (group/subgroup/project) only: "
     "URLs, a leading or trailing '/', a .git suffix, numeric ids, a project id without a "
     "namespace, path:agent (the kubeconfig context form), wildcards, whitespace, placeholders "
     "(<...>, $VAR, your-..., path/to/project) never match and are dropped silently.",
     NULL},
    {"env-pattern", AL_SEV_WARNING, false, "an environments pattern whose meaning surprises",
     "Current GitLab matches environments patterns against the whole environment name, with * "
     "for any run of characters and everything else literal; older GitLab turned * into .* in an "
     "unanchored regular expression, so review/* also matched not-review/x and '.' matched any "
     "character. The version of the change is not known: --env-matching anchored|legacy chooses. "
     "Patterns with regular-expression metacharacters are warned about in both modes; under "
     "legacy also an unanchored * that matches more than it seems. A note says, once per entry, "
     "that jobs without an environment lose access.",
     NULL},
    {"override", AL_SEV_WARNING, false, "a project entry replacing a different group entry",
     "For a job, GitLab uses the single most specific entry of an agent (project entry, then the "
     "agent's own project, then the nearest group) whole, with no merging: a project entry that "
     "differs from the entry of a group containing it replaces its environments, "
     "protected_branches_only, access_as and default_namespace. A groups entry covering the "
     "configuration project does not apply to that project's own jobs, which keep the implicit, "
     "unrestricted access as the agent.",
     NULL},
    {"deprecated", AL_SEV_WARNING, false, "a deprecated key, or one whose removal is announced",
     "gitops was deprecated in GitLab 16.2 and its module announced as removed in 18.0; the "
     "agent server's schema does not confirm the removal, so the key is reported as deprecated, "
     "not as unknown. Removals the schema confirms (starboard, gitops.charts) are unknown-key "
     "errors.",
     NULL},
    {"secret", AL_SEV_ERROR, false, "a credential committed under .gitlab/agents/",
     "An agent token (glagent-...), a kubeconfig with a token, password or client key, or a "
     "private key block in any file under .gitlab/agents/, comments included. Anyone who can "
     "read the repository can use it: revoke it, then remove it from the history. The finding "
     "never prints the secret.",
     NULL},
    {"privileged-identity", AL_SEV_WARNING, false, "impersonation of a privileged identity",
     "access_as: impersonate with a user or group that Kubernetes treats as privileged "
     "(system:masters, system:admin, cluster-admin, system:nodes, system:node:*, "
     "system:serviceaccount:kube-system:*, ...) gives every authorized CI job that power.",
     NULL},
    {"version", AL_SEV_ERROR, true, "a key newer than the target GitLab version",
     "A key that the --gitlab-version target does not know yet (protected_branches_only 17.3, "
     "resource_management 17.9, instance 17.11, ...): that version's agent server rejects the "
     "whole file.",
     NULL},
    {"extra-document", AL_SEV_WARNING, false, "a second YAML document in the file",
     "GitLab reads only the first YAML document of config.yaml; everything after the first "
     "'---' separator that starts a new document is ignored.",
     NULL},
    {"foreign-file", AL_SEV_NOTE, false, "a file at an agent path that is not an agent config",
     "A GitLab Duo Agent Platform registration shares the path .gitlab/agents/<name>/config.yaml. "
     "agentlint recognises its shape and does not check it as a Kubernetes agent configuration. "
     "If a Kubernetes agent with that name is registered in the project, its agent server "
     "rejects the file.",
     NULL},
};

const size_t al_rules_count = sizeof al_rules / sizeof al_rules[0];

const struct al_rule *al_rule_find(const char *id)
{
    for (size_t i = 0; i < al_rules_count; i++)
        if (strcmp(al_rules[i].id, id) == 0)
            return &al_rules[i];
    return NULL;
}
