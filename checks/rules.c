#include "checks/rules.h"

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
     "first document as GitLab does. Where libyaml and GitLab's go-yaml v2 differ, agentlint "
     "follows go-yaml: a %YAML directive other than 1.1 is refused, and a byte-order mark after "
     "the start of the text is part of the next key or value (an unknown key at the top level).",
     NULL, false},
    {"duplicate-key", AL_SEV_ERROR, false, "a key repeated in one mapping",
     "YAML forbids a key twice in one mapping. GitLab's YAML layer (go-yaml v2, non-strict) "
     "keeps the last value without a word, so the first one silently has no effect. Whether the "
     "agent server rejects the file instead is not confirmed; agentlint assumes it does not, the "
     "reading that never hides access from a reviewer: explain and diff use the last value.",
     NULL, false},
    {"unknown-key", AL_SEV_ERROR, true, "a key the schema does not have",
     "The agent server parses config.yaml with protojson, which rejects unknown fields: one "
     "unknown key anywhere (project: for projects:, default-namespace, camelCase, a key removed "
     "from the schema such as starboard or gitops.charts) rejects the whole file and the "
     "previous configuration stays in force. The finding suggests the closest valid key.",
     NULL, false},
    {"type-mismatch", AL_SEV_ERROR, true, "a value of the wrong type",
     "protojson is strict about types: an unquoted number where a string is expected (id: 123), "
     "a quoted boolean (protected_branches_only: \"true\"), a string where a list is expected "
     "(environments: production), a duration without its s suffix or beyond 315576000000s, a "
     "string "
     "outside its list of allowed values, or a number in such a string field (dry_run_strategy: 1) "
     "rejects the whole file. As protojson reads them, enums are open (logging level: 4, -1, "
     "1.0 or 017 are accepted: any int32), durations may be written .5s or +1s, int32 fields "
     "also take a quoted number, and a number beyond float64 (1e400) stays a string. Scalars are "
     "typed as go-yaml v2 types them (YAML 1.1: yes/no/on/off "
     "are booleans).",
     NULL, false},
    {"required", AL_SEV_ERROR, true, "a required value missing or empty",
     "protoc-gen-validate rules of the agent server: an entry without id or with an empty id, an "
     "impersonate without username, an empty string in environments, impersonate.groups or "
     "extra[].val, a container_scanning block without cadence. Any of them rejects the file.",
     NULL, false},
    {"access-as", AL_SEV_ERROR, true, "access_as with no member, a null member, or several",
     "access_as, when present, must set exactly one of agent: {}, ci_job: {} or impersonate: "
     "{...} (user_access: agent: {} or user: {}). access_as: {} and a member written as "
     "ci_job: with no value (null) are rejected, as is more than one member. GitLab's own "
     "\"connect to agent\" dialog suggests both agent: {} and user: {} for user_access; keep one. "
     "access_as: with a null value is unset and means the agent's own identity. A null member "
     "beside a set one (agent: with no value next to ci_job: {}) is skipped by the agent server "
     "and only warned about. user_access without access_as is accepted by the agent server; "
     "GitLab before 18.3 refuses users' connections through it (a warning), 18.3 and later "
     "default it to the agent.",
     NULL, false},
    {"file-name", AL_SEV_ERROR, false, "a config file GitLab never reads",
     "GitLab reads exactly .gitlab/agents/<agent-name>/config.yaml at the repository root on the "
     "default branch. config.yml, Config.yaml, config.yaml.bak, a file directly under "
     ".gitlab/agents/, a nested directory or a .gitlab directory below the root are never read: "
     "the agent runs with an empty configuration and loses all CI/CD access. Symbolic links and "
     "submodules are not followed.",
     NULL, false},
    {"agent-name", AL_SEV_ERROR, false, "an agent directory name GitLab cannot register",
     "Agent names must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ and have at most 63 characters "
     "(lowercase letters, digits and '-', not at the start or end), and the directory must equal "
     "the registered agent name.",
     NULL, false},
    {"file-size", AL_SEV_ERROR, true, "the file is over GitLab's 128 KiB limit",
     "The agent server refuses configuration files larger than 128 KiB (its default "
     "max_configuration_file_size) and keeps the previous configuration.",
     NULL, false},
    {"entry-limit", AL_SEV_WARNING, false, "more than 500 entries in one projects or groups list",
     "GitLab's RefreshService keeps the first 500 entries of each ci_access and user_access "
     "projects and groups list, per agent, in file order and before removing duplicates or "
     "checking that the ids exist; the rest are ignored without a word (100 before GitLab 17.0, "
     "--gitlab-version). The finding points at the first ignored entry and says how many are "
     "ignored. Split the entries over several agents, or authorize a common group.",
     al_rule_entry_limit, false},
    {"namespace", AL_SEV_WARNING, false,
     "an id outside the configuration project's top-level "
     "namespace",
     "GitLab authorizes only projects and groups under the configuration project's top-level "
     "group; a configuration project in a personal namespace authorizes projects of that user "
     "only, and never a group. Other ids are dropped without a word, unless the self-managed "
     "admin setting organization_cluster_agent_authorization_enabled is on "
     "(--instance-authorization) and GitLab is recent enough (--gitlab-version): 18.1 for "
     "ci_access projects and groups (MR 190769), 18.4 for user_access (MR 202853). From 17.11 "
     "to 18.0 the setting makes RefreshService store ci_access ids of the whole instance, but "
     "the finder still gives a job only agents whose configuration project shares its "
     "top-level group, so the rule still fires there. With the setting on, a personal "
     "configuration project authorizes groups too, from the same versions. Whether a "
     "two-segment project path is "
     "personal cannot be told from the path, so agentlint says so only for projects of the "
     "user root (the administrator on self-managed GitLab). The configuration project's path "
     "comes from --project-path, CI_MERGE_REQUEST_PROJECT_PATH, CI_PROJECT_PATH, "
     ".agentlint.yaml project_path or remote.origin.url; without one the rule is skipped and "
     "one note per run says how to supply it.",
     al_rule_namespace, false},
    {"duplicate-id", AL_SEV_WARNING, false, "an id listed twice in one list",
     "GitLab lower-cases ids and indexes the entries of a list by them, so of two entries for "
     "the same id (compared case-insensitively; as written before GitLab 17.0) only the last "
     "counts, whole: the earlier one has no effect, yet it still uses up one of the 500 places. "
     "The finding points at each earlier entry and names the one that wins. Entries past the "
     "limit are left to entry-limit. A glob listed twice in a gitops manifest project is a "
     "note.",
     al_rule_duplicate_id, false},
    {"id-format", AL_SEV_WARNING, false, "an id that can never match a GitLab path",
     "Ids are matched case-insensitively against the current full path of a project or group "
     "(group/subgroup/project) and nothing else: URLs, a leading or trailing '/', a .git "
     "suffix, numeric ids, a project id without a namespace, PATH:AGENT (the kubeconfig context "
     "form), wildcards, whitespace and placeholders (<...>, $VAR, your-..., YOUR_..., "
     "path/to/project) match nothing and the entry is dropped without a word. So do a project "
     "path listed under groups (the configuration project itself, or a path listed under both) "
     "and a group path listed under projects (one that contains another listed project or the "
     "configuration project). The suggestion carries the fixed id when one can be derived. "
     "gitops manifest project ids get the same checks; a numeric one is only a note (the agent "
     "server looks it up through GitLab's API, whose acceptance of numbers is unconfirmed), and "
     "a manifest project without id (the configuration project is synced) is a note.",
     al_rule_id_format, false},
    {"env-pattern", AL_SEV_WARNING, false, "an environments pattern whose meaning surprises",
     "Both of GitLab's matchers compare a pattern without '*' with the environment name by "
     "equality. With a '*', current GitLab matches the whole name, '*' being any run of "
     "characters and everything else literal; older GitLab turned each '*' into '.*' in an "
     "unanchored regular expression, so review/* also matched not-review/x and '.' matched any "
     "character. The version of the change is UNCONFIRMED: --env-matching anchored (default) "
     "or legacy chooses. Warned about in both modes: a '*' pattern with regular-expression "
     "metacharacters (. $ [ ( + ? { | ^ \\), whose meaning differs between the two, and a "
     "pattern without '*' with characters no environment name has ([ ( + ? | ^ \\), which "
     "reads like a regular expression but matches nothing. Under legacy, also every '*' pattern "
     "that does not start and end with '*' (it matches more than it seems). Metacharacter "
     "patterns are reported in both modes so that the wider, older reading is never silent for "
     "them; a plain review/* pattern, which differs only by anchoring, is left to legacy mode. "
     "An environments: key left without a value means no "
     "restriction at all (a warning). A note says, once per list (ci_access.projects, groups, "
     "instance), that jobs without an environment: keyword lose access, naming how many of its "
     "entries list environments: GitLab does not fall back to a broader entry.",
     al_rule_env_pattern, false},
    {"override", AL_SEV_WARNING, false, "a project entry replacing a different group entry",
     "For a job, GitLab uses the single most specific entry of an agent (the job project's "
     "entry, then the implicit authorization of the agent's own project, then the nearest "
     "group, then farther groups) whole: nothing is merged, and nothing falls back after the "
     "filters. A ci_access project entry inside a listed group that differs from the group's "
     "entry (environments, protected_branches_only, access_as and its impersonation, "
     "default_namespace) is reported with what the project loses or gains; one with the same "
     "settings is a note, since it stops following the group entry. A groups entry covering "
     "the configuration project (needs its path) is reported when it restricts anything: that "
     "project's own jobs keep the implicit authorization (the agent's identity, any "
     "environment, any branch) unless a projects entry names the project itself.",
     al_rule_override, false},
    {"deprecated", AL_SEV_WARNING, false, "a deprecated key, or one whose removal is announced",
     "gitops was deprecated in GitLab 16.2, its module replaced by a stub in 17.0 and announced "
     "as removed in 18.0; the agent server's schema does not confirm the removal, so the key "
     "is reported as deprecated (the reading that keeps the rest of the file in view), not as "
     "unknown. Removals the schema confirms (starboard, gitops.charts) are unknown-key errors.",
     NULL, false},
    {"secret", AL_SEV_ERROR, false, "a credential committed under .gitlab/agents/",
     "A GitLab token with one of the prefixes GitLab documents (\"Token prefixes\", "
     "https://docs.gitlab.com/security/tokens/#token-prefixes: glagent- agent, glpat- "
     "personal/project/group access, gldt- deploy, glrt- and glrtr- runner authentication, "
     "GR1348941 runner registration, glcbt- CI/CD job, glptt- trigger, glft- feed, glimt- "
     "incoming mail, gloas- OAuth application secret, glsoat- SCIM, glffct- feature flags "
     "client, glwt- workspace; also after an instance prefix such as SIE-glpat-) followed by at "
     "least 20 token characters, a kubeconfig credential (client-key-data, "
     "or token or password in a kubeconfig) or a private key block, in any file under "
     ".gitlab/agents/ (also a nested one), comments included. Anyone who can read the "
     "repository can use it: revoke or rotate it, then remove it from the history. The "
     "finding names the file, line and kind of token, never the secret: its bytes are masked "
     "in source excerpts. Obvious placeholders (glpat-xxxx, <token>, $VAR) are not reported. "
     "A personal access token prefix an administrator customised is not recognised.",
     NULL, true},
    {"privileged-identity", AL_SEV_ERROR, false, "impersonation of a privileged identity",
     "access_as: impersonate sends every authorized CI job to the cluster as the given user and "
     "groups. Some carry power whatever RBAC says (system:masters), or are the identities of "
     "administrators (cluster-admin, kubernetes-admin, kubeadm:cluster-admins, system:admin, "
     "system:cluster-admins), of control-plane components in Kubernetes' bootstrap policy "
     "(system:apiserver, system:kube-controller-manager, system:kube-scheduler, "
     "system:kube-proxy, system:volume-scheduler, system:serviceaccount:kube-system:*, "
     "system:serviceaccounts:kube-system), of nodes (system:nodes, system:node:*, "
     "system:bootstrappers*), of every service account (system:serviceaccounts) or of EKS "
     "(eks:*); any other system: name is reserved for Kubernetes and reported too, except "
     "system:authenticated, system:unauthenticated, system:anonymous and the service accounts "
     "and service-account groups of other namespaces. An error by default: any pipeline of an "
     "authorized project would control the cluster. Impersonate a dedicated identity bound to "
     "the smallest role it needs.",
     al_rule_privileged_identity, false},
    {"broad-agent-access", AL_SEV_WARNING, false,
     "the agent's own identity for a whole top-level group or the instance",
     "A ci_access or user_access entry for a top-level group, or ci_access.instance (with "
     "--instance-authorization), whose access_as is agent or absent (the default is the "
     "agent's identity) lets every CI job, or every member, of every project there act in the "
     "cluster as the agent's own service account, which installers commonly bind to "
     "cluster-admin, from any branch and environment unless the entry restricts them. A "
     "warning for the instance; a note for a top-level group, since GitLab documents that for "
     "small single-team set-ups and most real configs do it (the production policy preset of "
     ".agentlint.yaml makes it a policy error). Prefer "
     "access_as ci_job or impersonate with a bound role, or list the projects. Subgroups and "
     "projects are not reported, nor is the configuration project's implicit authorization "
     "(never written, one project).",
     al_rule_broad_agent_access, false},
    {"policy", AL_SEV_ERROR, false, "an entry that breaks the policy of .agentlint.yaml",
     "The policy section of .agentlint.yaml states what a team requires of an agent's config, "
     "per agent-name glob (policy.agents; the first that matches wins) or for every agent "
     "(policy.preset): the access_as kinds allowed (agent, ci_job, impersonate, user), "
     "protected_branches_only and environments on every ci_access entry, globs the "
     "environment patterns, group and project ids, default_namespace values and impersonated "
     "users and groups must match. The production preset allows access_as ci_job (and "
     "user_access as user) only, and requires protected_branches_only and environments on "
     "every ci_access entry, so no entry gives the agent's own service account to a group, "
     "the instance or any branch. Each finding names the requirement and the line of "
     ".agentlint.yaml that sets it. The configuration project's implicit authorization is "
     "never written and cannot be checked: to restrict its own jobs, list the project under "
     "projects with the terms the policy requires. A policy .agentlint.yaml cannot parse is "
     "exit 2 with one sentence.",
     al_rule_policy, false},
    {"placeholder", AL_SEV_WARNING, false, "a value left as an example's placeholder",
     "GitLab uses every value of config.yaml as written and expands no variables: <...>, "
     "$VAR, your-..., a domain reserved for examples (example.com, example.dev) or the "
     "documentation's sample globs (/team1/app1/*.yaml) in a value other than an id (ids are "
     "id-format's) mean a step of the set-up was skipped; so does a gitops paths: key left "
     "without its globs.",
     al_rule_placeholder, false},
    {"invisible-character", AL_SEV_ERROR, false,
     "a hidden, bidirectional or control character in a key, value or agent name",
     "GitLab and Kubernetes compare ids, environments, impersonated users and groups and "
     "every other value character by character, but a reviewer cannot see a zero-width "
     "character (U+200B, U+2060, U+FEFF, ...), a control character, or a line separator, and "
     "a bidirectional control (U+202E, U+2066, ...) reorders the text around it: an id can "
     "look like a project it never matches, or like another one than it names. It is an "
     "error, not a warning, because it can make a reviewer approve access other than what "
     "they read. Ordinary non-ASCII text (ü, emoji) is not reported; every output of "
     "agentlint shows these characters escaped (\\u202e).",
     al_rule_invisible_character, false},
    {"environment-template", AL_SEV_ERROR, false, "an environment template GitLab cannot use",
     ".gitlab/agents/<agent>/environment_templates/<name>.yaml (17.9+; default.yaml replaces "
     "the built-in template) lists the Kubernetes objects GitLab creates when a job of an "
     "entry with resource_management: {enabled: true} starts an environment: objects (each "
     "with apiVersion, kind and metadata.name), apply_resources, and delete_resources (on_stop "
     "or never, 18.0+). An unknown key, a wrong type or an object without its identity means "
     "the environment gets no managed resources. The agent server never reads the file, so "
     "the agent's config.yaml is not rejected for it.",
     NULL, false},
    {"rails-validation", AL_SEV_ERROR, false,
     "workspaces settings the agent server accepts and GitLab's Rails side refuses",
     "The agent server accepts the file and runs the agent with it, but GitLab (Rails) "
     "validates the remote_development settings again when it stores them, and refuses: a "
     "dns_zone that is not a host name (example-.com, a label over 63 characters, an "
     "underscore: gitlab#556163), max_active_hours_before_stop plus "
     "max_stopped_hours_before_termination over 8760 (defaults 36 and 744), "
     "allow_privilege_escalation without use_kubernetes_user_namespaces or a "
     "default_runtime_class, and with shared_namespace a non-empty max_resources_per_workspace "
     "or an image_pull_secrets namespace other than it. Workspaces keep the previous settings "
     "and nothing reports it; CI/CD and user access are not affected (the file is not "
     "rejected).",
     al_rule_rails_validation, false},
    {"version", AL_SEV_ERROR, true, "a key newer than the target GitLab version",
     "A key that the --gitlab-version target does not know yet (protected_branches_only 17.3, "
     "resource_management 17.9, instance 17.11, ...): that version's agent server rejects the "
     "whole file.",
     NULL, false},
    {"extra-document", AL_SEV_WARNING, false, "a second YAML document in the file",
     "GitLab reads only the first YAML document of config.yaml; everything after the first "
     "'---' separator that starts a new document is ignored.",
     NULL, false},
    {"foreign-file", AL_SEV_NOTE, false, "a file at an agent path that is not an agent config",
     "A GitLab Duo Agent Platform registration shares the path .gitlab/agents/<name>/config.yaml. "
     "agentlint recognises its shape and does not check it as a Kubernetes agent configuration. "
     "If a Kubernetes agent with that name is registered in the project, its agent server "
     "rejects the file (unknown field agent) and keeps the previous configuration, so the "
     "agent is reported as rejected (\"rejected\": true in JSON) whatever the severity.",
     NULL, false},
    {"unknown-ignore", AL_SEV_WARNING, false, "an inline ignore that names no rule",
     "An inline comment # agentlint: ignore[RULE-ID] silences only the rules it names. A "
     "misspelt id (ignore[overide]) silences nothing, and a bare # agentlint: ignore is not an "
     "ignore-all: one comment must not hide every present and future finding of a security "
     "gate. Name the rule ids (agentlint rules lists them).",
     NULL, false},
    {"unused-ignore", AL_SEV_NOTE, false, "an inline ignore that silences no finding",
     "An inline ignore[RULE-ID] on a line (or alone on the line above) where that rule reports "
     "nothing: the problem was fixed or the comment is on the wrong line. Remove it, so that it "
     "does not hide a later finding there.",
     NULL, false},
    /* The RBAC side (check --rbac FILE...): checks/rules/rbac*.c finds them. */
    {"rbac-input", AL_SEV_ERROR, false, "RBAC input agentlint cannot read or resolve",
     "An object of the --rbac input that is not a valid Role, ClusterRole, RoleBinding or "
     "ClusterRoleBinding (an error: it is left out, so what it grants is not evaluated), or a "
     "binding whose roleRef names a role the input does not hold (a warning: Kubernetes grants "
     "nothing through it until the role exists). Objects of other kinds are skipped.",
     NULL, false},
    {"rbac-wide-admin", AL_SEV_ERROR, false,
     "every CI job or user of a whole group bound to an admin role",
     "A binding gives cluster-admin, admin, or a role with a * verb or resource to an identity "
     "that every job of many pipelines carries: the group gitlab:ci_job (every job of every "
     "project an agent authorizes with access_as ci_job), gitlab:group:ID and "
     "gitlab:group_env_tier:ID:TIER (every job of a whole group), "
     "gitlab:project_env_tier:ID:TIER (every environment of a tier), gitlab:user and "
     "gitlab:group_role:ID:ROLE (user_access), or system:authenticated (Kubernetes adds it to "
     "every impersonated user). Any pipeline of any branch can then take over the namespace "
     "or the cluster. Bind a Role with the verbs and resources the jobs need to a narrow "
     "group (gitlab:project_env:ID:SLUG, gitlab:project:ID).",
     NULL, false},
    {"rbac-wide-cluster-binding", AL_SEV_WARNING, false,
     "every CI job or user of a whole group given write access cluster-wide",
     "A ClusterRoleBinding applies in every namespace: binding a role with write verbs "
     "(create, update, patch, delete, deletecollection, bind, escalate, impersonate, *) to "
     "gitlab:ci_job, a whole group's or tier's identity, gitlab:user or system:authenticated "
     "gives every such job that access everywhere, whatever environment it deploys to; "
     "several such bindings meant per environment add up to their union. Read-only roles "
     "(view) are not reported; a role the RBAC input does not define is a note, since its "
     "rights cannot be told. Use RoleBindings per namespace, or the environment's own group "
     "gitlab:project_env:ID:SLUG.",
     NULL, false},
    {"rbac-secrets-every-job", AL_SEV_ERROR, false, "secrets readable by every CI job",
     "Evaluated as the RBAC authorizer does for the identity every impersonated CI job "
     "carries (the group gitlab:ci_job and system:authenticated): a binding that lets it get, "
     "list or watch secrets, in one namespace or in all, lets any pipeline of any project the "
     "agent authorizes with access_as ci_job, on any branch, read every secret there (deploy "
     "keys, service-account tokens, registry credentials). Grant secrets only to a narrow "
     "group (gitlab:project_env:ID:SLUG) in its own namespace, and only the verbs needed.",
     NULL, false},
    {"rbac-subject-namespace", AL_SEV_WARNING, false, "a namespace on a User or Group subject",
     "Kubernetes reads a subject's namespace only for ServiceAccounts; on a User or Group it "
     "has no effect (the authorizer's appliesTo ignores it and validation accepts it), so a "
     "namespace written there to limit a ClusterRoleBinding to one namespace limits nothing: "
     "the binding applies in every namespace. Whether some API server versions reject such "
     "a subject is unconfirmed; agentlint assumes it is accepted and ignored, the reading "
     "that never hides access. Use a RoleBinding in that namespace instead.",
     NULL, false},
    {"rbac-unknown-subject", AL_SEV_WARNING, false, "a subject no agent config makes GitLab send",
     "GitLab sends only these identities (gitlab-semantics.md 6): the user "
     "gitlab:ci_job:JOB_ID with groups gitlab:ci_job, gitlab:group:ID, "
     "gitlab:group_env_tier:ID:TIER, gitlab:project:ID, gitlab:project_env:ID:SLUG and "
     "gitlab:project_env_tier:ID:TIER for access_as ci_job; the user gitlab:user:USERNAME "
     "with groups gitlab:user, gitlab:project_role:ID:ROLE and gitlab:group_role:ID:ROLE for "
     "user_access access_as user. A gitlab: subject of another form (gitlab:agent:NAME: an "
     "agent acts as its service account), of the wrong kind (User gitlab:ci_job), with a "
     "path or template where GitLab sends a numeric id, a tier that does not exist, one job's "
     "id, the documentation's placeholder ids 123 and 456, an id --ids does not know, or a "
     "form that no agent config here produces (gitlab:ci_job without any access_as ci_job "
     "entry) matches no request: the binding does nothing, and the access it was meant to "
     "give is missing or comes from elsewhere. Without agent configs in the source, only the "
     "names are checked.",
     NULL, false},
    {"rbac-agent-impersonate", AL_SEV_ERROR, false,
     "the agent's service account may not impersonate what its config sends",
     "With access_as ci_job, impersonate or (user_access) user, agentk impersonates the "
     "identity GitLab sends, so its service account (--agent-sa NS/NAME) needs the verb "
     "impersonate on users (or serviceaccounts for a system:serviceaccount: user), groups, "
     "uids and userextras/KEY (apiGroup authentication.k8s.io) for every key GitLab sends "
     "(agent.gitlab.com/id, .../project_id, ...). Otherwise the API server refuses every "
     "request of those jobs or users. Per-job names (gitlab:ci_job:JOB_ID, gitlab:project:ID) "
     "cannot be listed in resourceNames, so a rule limited by resourceNames is reported for "
     "them. The finding points at the config entry and lists what is not allowed. Runs only "
     "with --agent-sa.",
     NULL, false},
    {"rbac-agent-sa-wide", AL_SEV_ERROR, false,
     "the agent's service account holds cluster-wide rights that access_as agent hands out",
     "A job authorized with access_as agent (or without access_as, and every job of the "
     "configuration project through its implicit authorization) acts as agentk's own service "
     "account (--agent-sa NS/NAME). A ClusterRoleBinding giving that account every right (a "
     "* rule, cluster-admin: an error), write access or read access to secrets (a warning) in "
     "every namespace gives it to every such job. Rules whose only verb is impersonate are "
     "what the agent needs and are not reported. Runs only with --agent-sa and when some "
     "accepted config has such an entry.",
     NULL, false},
    {"rbac-rejected-agent", AL_SEV_WARNING, false,
     "a binding for an agent whose config is rejected",
     "A binding names an identity (gitlab:ci_job, gitlab:project:ID, gitlab:user, ...) that "
     "only agents whose config.yaml GitLab rejects would send: the agent server keeps their "
     "previous configuration, so the binding serves whatever that configuration said, or "
     "nothing. Fix the config first (check lists why it is rejected).",
     NULL, false},
};

const size_t al_rules_count = sizeof al_rules / sizeof al_rules[0];

const struct al_run_rule al_run_rules[] = {
    {"namespace", al_rule_namespace_run},
    {"secret", al_rule_secret},
    {"environment-template", al_rule_environment_template},
};

const size_t al_run_rules_count = sizeof al_run_rules / sizeof al_run_rules[0];

const struct al_rule *al_rule_find(const char *id)
{
    /* Called several times per finding; ids mostly differ in their first
     * letter, and a finding's rule is often the table's own string. */
    for (size_t i = 0; i < al_rules_count; i++)
        if (al_rules[i].id == id || (al_rules[i].id[0] == id[0] && strcmp(al_rules[i].id, id) == 0))
            return &al_rules[i];
    return NULL;
}
