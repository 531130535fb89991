/* rails-validation: remote_development settings the agent server accepts but
 * GitLab's Rails side refuses to save (gitlab#556163). KAS parses the file
 * and runs agentk with it; Rails then fails to store the workspaces
 * settings, so workspaces keep the previous ones and nothing says so. The
 * checks are Rails' own validations of the settings
 * (ee/app/models/remote_development/workspaces_agent_config.rb):
 *   dns_zone            hostname: { allow_numeric_hostname: true }
 *                       (the validates_hostname gem: labels of 1-63 letters,
 *                       digits and '-', not starting or ending with '-',
 *                       at most 255 characters, no empty label)
 *   the sum of max_active_hours_before_stop and
 *   max_stopped_hours_before_termination at most 8760 (defaults 36, 744)
 *   allow_privilege_escalation: true needs use_kubernetes_user_namespaces
 *   or a default_runtime_class
 *   shared_namespace: image_pull_secrets[].namespace equal to it, and
 *   max_resources_per_workspace empty
 * Types and ranges of single keys are the schema's (type-mismatch). */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "common/buf.h"

#include <ctype.h>
#include <string.h>

enum {
    MAX_HOURS_BEFORE_TERMINATION = 8760,
    DEFAULT_ACTIVE_HOURS = 36,
    DEFAULT_STOPPED_HOURS = 744, /* the settings table; its prose says 722 */
};

static const char RAILS[] = "the agent server accepts the file, but GitLab (Rails) refuses to "
                            "save the remote_development settings, so workspaces keep the "
                            "previous ones";

/* Why validates_hostname refuses `s`, or NULL. */
static const char *hostname_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return "it is empty";
    if (n > 255)
        return "it is longer than 255 characters";
    const char *label = s;
    for (const char *p = s;; p++) {
        if (*p != '.' && *p != '\0') {
            if (!isalnum((unsigned char)*p) && *p != '-')
                return "it holds a character other than letters, digits, '-' and '.'";
            continue;
        }
        size_t len = (size_t)(p - label);
        if (len == 0)
            return "it has an empty label (two dots, or a dot at either end)";
        if (len > 63)
            return "a label is longer than 63 characters";
        if (label[0] == '-' || p[-1] == '-')
            return "a label starts or ends with '-'";
        if (*p == '\0')
            return NULL;
        label = p + 1;
    }
}

static const char *str_value(const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR ? n->str : NULL;
}

static bool int_value(const struct al_ynode *n, long long *out)
{
    if (!n || n->kind != AL_YINT)
        return false;
    *out = n->v.i;
    return true;
}

static void check_dns_zone(const struct al_agent *a, const struct al_ynode *rd,
                           struct al_findings *out)
{
    const struct al_ypair *p = al_ymap_pair(rd, "dns_zone");
    const struct al_ynode *enabled = al_ymap_get(rd, "enabled");
    const char *zone = p ? str_value(p->val) : NULL;
    if (!zone) {
        if (enabled && enabled->kind == AL_YBOOL && enabled->v.b &&
            (!p || p->val->kind == AL_YNULL))
            al_rule_report(out, a, "rails-validation", p ? p->key->pos : rd->pos,
                           "remote_development.dns_zone", NULL,
                           "remote_development is enabled without a dns_zone: %s (dns_zone "
                           "must be a valid host name)",
                           RAILS);
        return;
    }
    const char *why = hostname_problem(zone);
    if (why)
        al_rule_report(out, a, "rails-validation", p->val->pos, "remote_development.dns_zone", zone,
                       "dns_zone \"%s\" is not a valid host name (%s): %s (gitlab#556163)", zone,
                       why, RAILS);
}

static void check_hours(const struct al_agent *a, const struct al_ynode *rd,
                        struct al_findings *out)
{
    long long active = DEFAULT_ACTIVE_HOURS, stopped = DEFAULT_STOPPED_HOURS;
    const struct al_ypair *pa = al_ymap_pair(rd, "max_active_hours_before_stop");
    const struct al_ypair *ps = al_ymap_pair(rd, "max_stopped_hours_before_termination");
    if (!pa && !ps)
        return;
    if ((pa && !int_value(pa->val, &active)) || (ps && !int_value(ps->val, &stopped)))
        return; /* the schema reports the type */
    if (active + stopped <= MAX_HOURS_BEFORE_TERMINATION)
        return;
    const struct al_ypair *at = pa ? pa : ps;
    al_rule_report(out, a, "rails-validation", at->key->pos, "remote_development", NULL,
                   "max_active_hours_before_stop (%lld%s) and "
                   "max_stopped_hours_before_termination (%lld%s) add up to more than %d "
                   "hours: %s",
                   active, pa ? "" : ", the default", stopped, ps ? "" : ", the default",
                   MAX_HOURS_BEFORE_TERMINATION, RAILS);
}

static void check_privilege_escalation(const struct al_agent *a, const struct al_ynode *rd,
                                       struct al_findings *out)
{
    const struct al_ypair *p = al_ymap_pair(rd, "allow_privilege_escalation");
    if (!p || p->val->kind != AL_YBOOL || !p->val->v.b)
        return;
    const struct al_ynode *userns = al_ymap_get(rd, "use_kubernetes_user_namespaces");
    const char *runtime = str_value(al_ymap_get(rd, "default_runtime_class"));
    if ((userns && userns->kind == AL_YBOOL && userns->v.b) || (runtime && *runtime))
        return;
    al_rule_report(out, a, "rails-validation", p->key->pos,
                   "remote_development.allow_privilege_escalation", NULL,
                   "allow_privilege_escalation: true needs use_kubernetes_user_namespaces: true "
                   "or a default_runtime_class: %s",
                   RAILS);
}

static void check_shared_namespace(const struct al_agent *a, const struct al_ynode *rd,
                                   struct al_findings *out)
{
    const char *ns = str_value(al_ymap_get(rd, "shared_namespace"));
    if (!ns || !*ns)
        return;
    const struct al_ypair *max = al_ymap_pair(rd, "max_resources_per_workspace");
    if (max && max->val->kind == AL_YMAP && max->val->n)
        al_rule_report(out, a, "rails-validation", max->key->pos,
                       "remote_development.max_resources_per_workspace", NULL,
                       "max_resources_per_workspace must be {} when shared_namespace is set: %s",
                       RAILS);
    const struct al_ynode *secrets = al_ymap_get(rd, "image_pull_secrets");
    if (!secrets || secrets->kind != AL_YSEQ)
        return;
    for (size_t i = 0; i < secrets->n; i++) {
        const struct al_ypair *sp = al_ymap_pair(secrets->items[i], "namespace");
        const char *sns = sp ? str_value(sp->val) : NULL;
        if (!sns || !*sns || strcmp(sns, ns) == 0)
            continue;
        struct al_buf path = AL_BUF_INIT;
        al_buf_printf(&path, "remote_development.image_pull_secrets[%zu].namespace", i);
        al_rule_report(out, a, "rails-validation", sp->val->pos, al_buf_cstr(&path), sns,
                       "image_pull_secrets namespace \"%s\" differs from shared_namespace "
                       "\"%s\": %s",
                       sns, ns, RAILS);
        al_buf_free(&path);
        break; /* Rails reports the list once */
    }
}

void al_rule_rails_validation(const struct al_check_ctx *ctx, const struct al_agent *a,
                              struct al_findings *out)
{
    (void)ctx;
    const struct al_ynode *rd = a->doc ? al_ymap_get(a->doc->root, "remote_development") : NULL;
    if (!rd || rd->kind != AL_YMAP)
        return;
    check_dns_zone(a, rd, out);
    check_hours(a, rd, out);
    check_privilege_escalation(a, rd, out);
    check_shared_namespace(a, rd, out);
}
