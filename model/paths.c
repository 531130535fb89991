#include "model/paths.h"
#include "common/alloc.h"
#include "common/str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *al_path_lower(const char *path)
{
    return al_str_lower(path);
}

bool al_path_eq(const char *a, const char *b)
{
    return al_str_ieq(a, b);
}

bool al_path_within(const char *path, const char *group)
{
    size_t n = strlen(group);
    return n && strlen(path) > n + 1 && strncasecmp(path, group, n) == 0 && path[n] == '/';
}

char *al_path_root(const char *path)
{
    const char *s = strchr(path, '/');
    return al_strndup(path, s ? (size_t)(s - path) : strlen(path));
}

char *al_path_parent(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? al_strndup(path, (size_t)(s - path)) : NULL;
}

size_t al_path_depth(const char *path)
{
    size_t n = *path ? 1 : 0;
    for (const char *p = path; *p; p++)
        n += *p == '/';
    return n;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool has_space(const char *s)
{
    for (; *s; s++)
        if (isspace((unsigned char)*s))
            return true;
    return false;
}

/* group, group1, project2, subgroup: the docs' example names. */
static bool placeholder_segment(const char *s, size_t n)
{
    static const char *const words[] = {"group", "project", "subgroup", "namespace", NULL};
    for (const char *const *w = words; *w; w++) {
        size_t k = strlen(*w);
        if (n < k || strncasecmp(s, *w, k) != 0)
            continue;
        size_t i = k;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* your-project, YOUR_NAMESPACE, yourname, yourgroup: "your" followed by a
 * separator or by a word that names what to fill in. A real name such as
 * yourls does not qualify. */
static bool your_segment(const char *s, size_t n)
{
    static const char *const words[] = {"name",    "user",      "username", "group",
                                        "project", "namespace", "org",      "company",
                                        "team",    "repo",      NULL};
    if (n < 5 || strncasecmp(s, "your", 4) != 0)
        return false;
    if (s[4] == '-' || s[4] == '_' || s[4] == '.')
        return true;
    for (const char *const *w = words; *w; w++)
        if (n - 4 == strlen(*w) && strncasecmp(s + 4, *w, n - 4) == 0)
            return true;
    return false;
}

static bool placeholder_path(const char *id)
{
    /* <project>, $CI_PROJECT_PATH, ${GROUP}: GitLab expands nothing in config.yaml. */
    if (strchr(id, '<') || strchr(id, '>') || strchr(id, '$') || strchr(id, '{'))
        return true;
    if (strncasecmp(id, "path/to/", 8) == 0 || strcasecmp(id, "path/to") == 0)
        return true;
    bool all_example = strchr(id, '/') != NULL;
    for (const char *seg = id;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (your_segment(seg, n))
            return true;
        all_example = all_example && placeholder_segment(seg, n);
        if (!end)
            return all_example;
        seg = end + 1;
    }
}

/* " group/project " -> "group/project"; NULL when inner whitespace remains. */
static char *trim_fix(const char *id)
{
    while (isspace((unsigned char)*id))
        id++;
    size_t n = strlen(id);
    while (n && isspace((unsigned char)id[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)id[i]))
            return NULL;
    return n ? al_strndup(id, n) : NULL;
}

static bool valid_segment_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* The path part of a URL, without /-/ routes and .git: a fix suggestion. */
static char *url_path(const char *id)
{
    const char *p = strstr(id, "://");
    if (p) {
        p = strchr(p + 3, '/');
    } else {
        p = strchr(id, ':'); /* git@host:group/project.git */
        if (p)
            p++;
    }
    if (!p)
        return NULL;
    while (*p == '/')
        p++;
    const char *route = strstr(p, "/-/");
    char *out;
    if (strncmp(p, "-/ide/project/", 14) == 0) {
        out = al_strdup(p + 14);
        char *edit = strstr(out, "/edit");
        if (edit)
            *edit = '\0';
    } else {
        out = al_strndup(p, route ? (size_t)(route - p) : strlen(p));
    }
    size_t n = strlen(out);
    while (n && out[n - 1] == '/')
        out[--n] = '\0';
    if (n > 4 && strcmp(out + n - 4, ".git") == 0)
        out[n - 4] = '\0';
    if (!*out || !strchr(out, '/')) {
        free(out);
        return NULL;
    }
    return out;
}

static bool ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* Most ids are plain full paths. One scan tells such an id apart from every
 * problem al_id_problem() knows, so that the rules may ask about each id as
 * often as they like; anything unusual takes the full, slower look. */
static bool plain_path(const char *id, enum al_scope scope)
{
    if (id[0] == '/' || id[0] == '.' || strncasecmp(id, "www.", 4) == 0 ||
        strncasecmp(id, "path/to", 7) == 0)
        return false;
    bool slash = false, digits_only = true, all_example = true;
    const char *seg = id, *p = id;
    for (;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            size_t n = (size_t)(p - seg);
            if (n == 0)
                return false; /* "//", or a trailing '/' */
            if ((seg[0] == 'y' || seg[0] == 'Y') && your_segment(seg, n))
                return false;
            all_example = all_example && strchr("gGpPsSnN", seg[0]) && placeholder_segment(seg, n);
            if (c == '\0')
                break;
            slash = true;
            seg = p + 1;
            continue;
        }
        if (!ascii_alnum(c) && c != '_' && c != '-' && c != '.')
            return false;
        digits_only = digits_only && c >= '0' && c <= '9';
    }
    size_t n = (size_t)(p - id);
    if (digits_only || (slash && all_example) || ends_with_ci(id, n, ".git") ||
        ends_with_ci(id, n, ".yaml") || ends_with_ci(id, n, ".yml"))
        return false;
    if (scope == AL_SCOPE_PROJECT && !slash)
        return false;
    return !(scope == AL_SCOPE_GROUP && strcmp(id, "root") == 0);
}

const char *al_id_problem(const char *id, enum al_scope scope, char **fix)
{
    if (fix)
        *fix = NULL;
    if (!id || !*id)
        return NULL; /* the schema's `required` reports it */
    if (plain_path(id, scope))
        return NULL;
    size_t n = strlen(id);
    if (strstr(id, "://") || strncasecmp(id, "www.", 4) == 0 ||
        (strncmp(id, "git@", 4) == 0 && strchr(id, ':'))) {
        if (fix)
            *fix = url_path(id);
        return "is a URL, not a path; GitLab matches ids against full paths like group/project";
    }
    if (strchr(id, '$'))
        return "contains a variable; GitLab expands no variables in config.yaml: write the full "
               "path itself";
    if (placeholder_path(id))
        return "looks like a placeholder from an example; write the real full path";
    if (has_space(id)) {
        if (fix)
            *fix = trim_fix(id);
        return "contains whitespace, which no GitLab path has";
    }
    if (all_digits(id))
        return "is a numeric id; GitLab matches ids against full paths like group/project, never "
               "numbers";
    if (strchr(id, '*') || strchr(id, '?'))
        return "contains a wildcard; ids are literal full paths (authorize the group instead)";
    if (strchr(id, ':')) {
        if (fix)
            *fix = al_strndup(id, (size_t)(strchr(id, ':') - id));
        return "has the kubeconfig context form PATH:AGENT; the id is the path alone";
    }
    if (al_str_endswith(id, ".yaml") || al_str_endswith(id, ".yml") || id[0] == '.')
        return "is a file path, not a project or group path";
    if (id[0] == '/' || id[n - 1] == '/') {
        if (fix) {
            const char *s = id;
            while (*s == '/')
                s++;
            size_t m = strlen(s);
            while (m && s[m - 1] == '/')
                m--;
            *fix = al_strndup(s, m);
        }
        return "has a leading or trailing '/'; GitLab matches the path without slashes";
    }
    if (n > 4 && strcasecmp(id + n - 4, ".git") == 0) {
        if (fix)
            *fix = al_strndup(id, n - 4);
        return "ends in .git; GitLab matches the project path without it";
    }
    if (strstr(id, "//"))
        return "has an empty path segment (//)";
    for (const char *p = id; *p; p++) {
        if (*p != '/' && !valid_segment_char(*p) && !((unsigned char)*p & 0x80))
            return "contains a character that GitLab paths cannot have";
    }
    if (scope == AL_SCOPE_PROJECT && !strchr(id, '/'))
        return "has no namespace: a project id is the full path, group/project";
    if (scope == AL_SCOPE_GROUP && strcmp(id, "root") == 0)
        return "is the administrator's personal namespace on self-managed GitLab, not a group; "
               "groups entries never match a user namespace";
    return NULL;
}

/* GitLab 18.1 (MR 190769) dropped the finder's same-root condition for CI
 * access, 18.4 (MR 202853) the refresh's and finder's for user access; both
 * still only with the admin setting. From 17.11 to 18.0 RefreshService
 * already stores ci_access ids of the whole organization, but the finder
 * keeps only agents whose configuration project shares the job's root. */
int al_path_cross_root_since(enum al_section s)
{
    return s == AL_CI_ACCESS ? 1801 : 1804;
}

bool al_path_cross_root(enum al_section s, int gitlab_version, bool instance_authorization)
{
    return instance_authorization &&
           (!gitlab_version || gitlab_version >= al_path_cross_root_since(s));
}
