/* invisible-character: a character a reviewer cannot see, or that changes
 * what they see, in the agent's name, in any key or value of config.yaml
 * (ids, environments, impersonated users and groups, namespaces: whatever
 * decides access), or anywhere else in the file's text (a comment). Which
 * characters: common/safe.h's list, the same one every output escapes:
 * controls, bidirectional controls (U+202E can make "evil/x" read
 * "x/live"), zero-width and other default-ignorable characters (an id with
 * U+200B looks like the project it never matches), U+2028/U+2029. Tab and
 * newline are layout, not hidden; a BOM at the very start of the file is
 * YAML's, not a value's. Ordinary non-ASCII text (ü, emoji) is fine.
 *
 * One finding per scalar (keys included) and one per other line that holds
 * such a character, naming the code points. Linear in the file. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "common/alloc.h"
#include "common/safe.h"

#include <stdlib.h>
#include <string.h>

/* Names for the characters an attacker reaches for first. */
static const struct {
    uint32_t cp;
    const char *name;
} NAMES[] = {
    {0x0085, "NEXT LINE"},
    {0x00ad, "SOFT HYPHEN"},
    {0x061c, "ARABIC LETTER MARK"},
    {0x200b, "ZERO WIDTH SPACE"},
    {0x200c, "ZERO WIDTH NON-JOINER"},
    {0x200d, "ZERO WIDTH JOINER"},
    {0x200e, "LEFT-TO-RIGHT MARK"},
    {0x200f, "RIGHT-TO-LEFT MARK"},
    {0x2028, "LINE SEPARATOR"},
    {0x2029, "PARAGRAPH SEPARATOR"},
    {0x202a, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202b, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202c, "POP DIRECTIONAL FORMATTING"},
    {0x202d, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202e, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2060, "WORD JOINER"},
    {0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, "POP DIRECTIONAL ISOLATE"},
    {0xfeff, "ZERO WIDTH NO-BREAK SPACE (byte-order mark)"},
};

enum { MAX_NAMED = 4 };

/* In YAML text a tab or newline is layout; in a directory name it is not. */
static bool hidden(uint32_t cp, bool layout)
{
    return !(layout && (cp == '\t' || cp == '\n')) && al_safe_class(cp) != AL_SAFE_OK;
}

/* "U+202E RIGHT-TO-LEFT OVERRIDE (bidirectional control), ..." for the
 * distinct hidden characters of s[0..n); false when there are none. An
 * invalid byte cannot reach here: sources and YAML are valid UTF-8. */
static bool describe(struct al_buf *b, const char *s, size_t n, bool skip_bom, bool layout)
{
    uint32_t seen[MAX_NAMED];
    size_t n_seen = 0, more = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t len = al_safe_decode(s + i, n - i, &cp);
        bool bom = skip_bom && i == 0 && cp == 0xfeff;
        i += len;
        if (cp < 0 || bom || !hidden((uint32_t)cp, layout))
            continue;
        bool dup = false;
        for (size_t k = 0; k < n_seen; k++)
            dup |= seen[k] == (uint32_t)cp;
        if (dup)
            continue;
        if (n_seen == MAX_NAMED) {
            more++;
            continue;
        }
        seen[n_seen++] = (uint32_t)cp;
        al_buf_printf(b, "%sU+%04X", n_seen > 1 ? ", " : "", (unsigned)cp);
        for (size_t k = 0; k < sizeof NAMES / sizeof *NAMES; k++)
            if (NAMES[k].cp == (uint32_t)cp)
                al_buf_printf(b, " %s", NAMES[k].name);
        al_buf_printf(b, " (%s)", al_safe_class_name(al_safe_class((uint32_t)cp)));
    }
    if (more)
        al_buf_printf(b, " and %zu more", more);
    return n_seen > 0;
}

static const char WHY[] = "a reviewer cannot see it, or sees the text reordered, while GitLab "
                          "and Kubernetes compare the exact characters: write the value without "
                          "it";

struct walk {
    const struct al_agent *agent;
    struct al_findings *out;
    bool *lines; /* lines a finding already names (1-based; n_lines + 1) */
    size_t n_lines;
    struct al_buf path;
};

static void mark(struct walk *w, struct al_ypos pos)
{
    if (pos.line && pos.line <= w->n_lines)
        w->lines[pos.line] = true;
}

static void scalar(struct walk *w, const struct al_ynode *n, bool is_key)
{
    if (!n->str)
        return;
    struct al_buf what = AL_BUF_INIT;
    if (describe(&what, n->str, n->len, false, true)) {
        const char *kp = al_buf_cstr(&w->path);
        al_rule_report(w->out, w->agent, "invisible-character", n->pos, kp, n->str,
                       "%s%s%s \"%s\" holds %s: %s", is_key ? "key" : "value", *kp ? " at " : "",
                       kp, n->str, al_buf_cstr(&what), WHY);
        mark(w, n->pos);
    }
    al_buf_free(&what);
}

static void visit(struct walk *w, const struct al_ynode *n, unsigned depth)
{
    if (!n || depth > AL_YAML_MAX_DEPTH)
        return;
    size_t keep = w->path.len;
    if (n->kind == AL_YMAP) {
        for (size_t i = 0; i < n->n; i++) {
            const struct al_ypair *p = &n->pairs[i];
            scalar(w, p->key, true);
            al_buf_printf(&w->path, "%s%s", keep ? "." : "", p->name);
            visit(w, p->val, depth + 1);
            w->path.len = keep;
            w->path.ptr[keep] = '\0';
        }
    } else if (n->kind == AL_YSEQ) {
        for (size_t i = 0; i < n->n; i++) {
            al_buf_printf(&w->path, "[%zu]", i);
            visit(w, n->items[i], depth + 1);
            w->path.len = keep;
            w->path.ptr[keep] = '\0';
        }
    } else if (n->kind == AL_YSTR) {
        scalar(w, n, false);
    }
}

/* Lines that hold a hidden character outside any scalar reported above:
 * comments, and text the parser never reached. */
static void scan_lines(struct walk *w, const struct al_file *f)
{
    for (size_t line = 1; line <= f->n_lines; line++) {
        size_t start = f->line_starts[line - 1];
        size_t end = line < f->n_lines ? f->line_starts[line] : f->len;
        if (w->lines[line])
            continue;
        while (end > start && (f->data[end - 1] == '\n' || f->data[end - 1] == '\r'))
            end--;
        struct al_buf what = AL_BUF_INIT;
        if (describe(&what, f->data + start, end - start, start == 0, true))
            al_rule_report(w->out, w->agent, "invisible-character",
                           (struct al_ypos){(uint32_t)line, 1}, NULL, NULL,
                           "this line holds %s outside any key or value (in a comment?): %s",
                           al_buf_cstr(&what),
                           "it can make the lines around it read differently from what GitLab "
                           "parses: remove it");
        al_buf_free(&what);
    }
}

void al_rule_invisible_character(const struct al_check_ctx *ctx, const struct al_agent *a,
                                 struct al_findings *out)
{
    (void)ctx;
    struct al_buf what = AL_BUF_INIT;
    if (a->name && describe(&what, a->name, strlen(a->name), false, false))
        al_rule_report(out, a, "invisible-character", (struct al_ypos){0, 0}, NULL, a->name,
                       "agent name \"%s\" holds %s: %s", a->name, al_buf_cstr(&what), WHY);
    al_buf_free(&what);
    if (!a->file || !a->file->data)
        return;
    struct walk w = {a, out, NULL, a->file->n_lines, AL_BUF_INIT};
    w.lines = al_calloc(w.n_lines + 2, sizeof(bool));
    al_buf_puts(&w.path, "");
    if (a->doc)
        visit(&w, a->doc->root, 0);
    scan_lines(&w, a->file);
    free(w.lines);
    al_buf_free(&w.path);
}
