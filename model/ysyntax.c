#include "model/ysyntax.h"
#include "common/buf.h"

#include <string.h>

static bool is_marker(const char *line, size_t n)
{
    if (n >= 7 && (memcmp(line, "<<<<<<<", 7) == 0 || memcmp(line, ">>>>>>>", 7) == 0))
        return n == 7 || line[7] == ' ' || line[7] == '\r' || line[7] == '\t';
    if (n >= 7 && memcmp(line, "=======", 7) == 0) {
        for (size_t i = 7; i < n; i++)
            if (line[i] != ' ' && line[i] != '\r' && line[i] != '\t')
                return false;
        return true;
    }
    return false;
}

size_t al_ysyntax_conflict_marker(const char *data, size_t len)
{
    size_t line = 1;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (is_marker(data + i, end - i))
            return line;
        line++;
        i = end + 1;
    }
    return 0;
}

/* Byte range of a 0-based line. */
static bool line_span(const char *data, size_t len, size_t line, size_t *start, size_t *end)
{
    size_t i = 0;
    for (size_t l = 0; l < line; l++) {
        const char *nl = memchr(data + i, '\n', len - i);
        if (!nl)
            return false;
        i = (size_t)(nl - data) + 1;
    }
    if (i > len)
        return false;
    const char *nl = memchr(data + i, '\n', len - i);
    *start = i;
    *end = nl ? (size_t)(nl - data) : len;
    return true;
}

/* A tab among the leading whitespace of a 0-based line: its 0-based column. */
static long leading_tab(const char *data, size_t len, size_t line)
{
    size_t s, e;
    if (!line_span(data, len, line, &s, &e))
        return -1;
    for (size_t i = s; i < e; i++) {
        if (data[i] == '\t')
            return (long)(i - s);
        if (data[i] != ' ' && data[i] != '-')
            break;
    }
    return -1;
}

static bool has(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

const char *al_ysyntax_explain(const yaml_parser_t *p, const char *data, size_t len,
                               struct al_arena *arena, struct al_ypos *pos)
{
    struct al_buf b = AL_BUF_INIT;
    const char *problem = p->problem ? p->problem : "unknown error";
    size_t line = p->problem_mark.line, col = p->problem_mark.column;
    pos->line = (uint32_t)line + 1;
    pos->col = (uint32_t)col + 1;

    size_t ls = 0, le = 0;
    size_t marker = al_ysyntax_conflict_marker(data, len);
    long tab = leading_tab(data, len, line);
    if (tab < 0 && line > 0 && has(p->context, "block"))
        tab = leading_tab(data, len, line - 1) >= 0 ? -2 : -1;

    if (p->error == YAML_READER_ERROR) {
        if (has(problem, "UTF") || has(problem, "octet"))
            al_buf_printf(&b, "the file is not valid UTF-8 (%s at byte %zu)", problem,
                          p->problem_offset);
        else
            al_buf_printf(&b, "the file contains a character YAML does not allow (%s)", problem);
        pos->line = 0;
        pos->col = 0;
        /* The reader reports a byte offset only: turn it into a position. */
        size_t off = p->problem_offset < len ? p->problem_offset : len, l = 1, c = 1;
        for (size_t i = 0; i < off; i++) {
            if (data[i] == '\n')
                l++, c = 1;
            else if (((unsigned char)data[i] & 0xC0) != 0x80)
                c++;
        }
        pos->line = (uint32_t)l;
        pos->col = (uint32_t)c;
    } else if (marker) {
        al_buf_printf(&b,
                      "unresolved merge-conflict marker committed at line %zu; resolve the "
                      "conflict and delete the <<<<<<<, ======= and >>>>>>> lines",
                      marker);
        pos->line = (uint32_t)marker;
        pos->col = 1;
    } else if (tab >= 0) {
        al_buf_puts(&b, "tab character used for indentation; YAML allows only spaces there");
        pos->col = (uint32_t)tab + 1;
    } else if (tab == -2) {
        al_buf_puts(&b, "tab character used for indentation on the line above; YAML allows only "
                        "spaces there");
        pos->line = (uint32_t)line;
        pos->col = (uint32_t)leading_tab(data, len, line - 1) + 1;
    } else if (has(problem, "cannot start any token") && line_span(data, len, line, &ls, &le)) {
        size_t s = ls, e = le;
        size_t off = s;
        for (size_t c = 0; c < col && off < e; c++) {
            off++;
            while (off < e && ((unsigned char)data[off] & 0xC0) == 0x80)
                off++;
        }
        char ch = off < e ? data[off] : '?';
        if (ch == '\t')
            al_buf_puts(&b, "tab character where YAML allows only spaces");
        else if (ch == '@' || ch == '`')
            al_buf_printf(&b, "a plain value cannot start with '%c'; put the value in quotes", ch);
        else
            al_buf_printf(&b, "unexpected character '%c'; put the value in quotes if it is text",
                          ch);
    } else if (has(problem, "did not find expected key") && has(p->context, "block mapping")) {
        al_buf_printf(&b,
                      "bad indentation: this line does not line up with the keys of the mapping "
                      "that starts at line %zu, column %zu",
                      p->context_mark.line + 1, p->context_mark.column + 1);
    } else if (has(problem, "did not find expected '-' indicator")) {
        al_buf_printf(&b,
                      "bad indentation: a list item ('- ') was expected here, lined up with the "
                      "list that starts at line %zu, column %zu",
                      p->context_mark.line + 1, p->context_mark.column + 1);
    } else if (has(problem, "mapping values are not allowed")) {
        al_buf_puts(&b, "unexpected ':' here: a value that contains ': ' must be quoted, or this "
                        "line is indented wrongly");
    } else if (has(problem, "could not find expected ':'")) {
        al_buf_printf(&b, "a key is missing its ':' (the key starts at line %zu)",
                      p->context_mark.line + 1);
    } else if (has(p->context, "quoted scalar")) {
        /* libyaml stops at the end of the text; the opening quote is what to fix. */
        al_buf_printf(&b,
                      "unterminated quoted string: the quote opened here is never closed "
                      "(libyaml reached line %zu looking for it)",
                      line + 1);
        pos->line = (uint32_t)p->context_mark.line + 1;
        pos->col = (uint32_t)p->context_mark.column + 1;
    } else if (has(problem, "did not find expected ',' or ']'")) {
        al_buf_printf(&b, "the flow list '[' that starts at line %zu is not closed with ']'",
                      p->context_mark.line + 1);
    } else if (has(problem, "did not find expected ',' or '}'")) {
        al_buf_printf(&b, "the flow mapping '{' that starts at line %zu is not closed with '}'",
                      p->context_mark.line + 1);
    } else if (has(problem, "found undefined tag handle") || has(problem, "directive")) {
        al_buf_printf(&b, "%s", problem);
    } else {
        al_buf_printf(&b, "%s", problem);
        if (p->context)
            al_buf_printf(&b, " (%s at line %zu)", p->context, p->context_mark.line + 1);
    }
    if (!has(al_buf_cstr(&b), problem))
        al_buf_printf(&b, " [parser: %s]", problem);
    const char *msg = al_arena_strdup(arena, al_buf_cstr(&b));
    al_buf_free(&b);
    return msg;
}
