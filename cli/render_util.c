#include "cli/render.h"
#include "common/utf8.h"

#include <string.h>

bool al_render_source_line(const struct al_source *src, const char *path, unsigned line,
                           const char **start, size_t *len)
{
    const struct al_file *f = src ? al_source_find(src, path) : NULL;
    if (!f || !f->data || line == 0)
        return false;
    const char *p = f->data, *end = f->data + f->len;
    if (f->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (e > p && e[-1] == '\r')
        e--;
    *start = p;
    *len = (size_t)(e - p);
    return true;
}

size_t al_render_token_width(const char *line, size_t len, unsigned col)
{
    size_t i = al_utf8_offset(line, len, col ? col - 1 : 0);
    if (i >= len)
        return 1;
    char q = line[i];
    size_t start = i;
    if (q == '"' || q == '\'') {
        for (i++; i < len && line[i] != q; i++)
            if (q == '"' && line[i] == '\\')
                i++;
        i = i < len ? i + 1 : len;
    } else {
        while (i < len) {
            char c = line[i];
            if (c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}')
                break;
            if (c == ':' && (i + 1 == len || line[i + 1] == ' '))
                break;
            if (c == '#' && i > start && line[i - 1] == ' ')
                break;
            i++;
        }
    }
    size_t w = al_utf8_count(line + start, i - start);
    return w ? w : 1;
}
