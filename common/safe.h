/* The one sanitizer for text a person reads: every byte bound for a
 * terminal or a CI log (standard output's text formats, every diagnostic on
 * standard error) goes through al_safe_put, and every other escaper (XML,
 * HTML, Markdown, DOT, YAML) asks al_safe_class which characters it must not
 * pass through raw. A config, a file name or a revision comes from an
 * untrusted merge request: it must not move the cursor, retitle the
 * terminal, print a fake log line, reorder what a reviewer reads, or make
 * one id look like another. */
#ifndef AL_SAFE_H
#define AL_SAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* Why a code point is never shown raw. */
enum al_safe_class {
    AL_SAFE_OK = 0,
    AL_SAFE_CONTROL,   /* C0, DEL, C1 */
    AL_SAFE_BIDI,      /* embeddings, overrides, isolates, marks */
    AL_SAFE_INVISIBLE, /* zero-width, joiners, fillers, tags, soft hyphen, BOM */
    AL_SAFE_SEPARATOR, /* U+2028, U+2029 */
    AL_SAFE_NONCHAR,   /* U+FFFE, U+FFFF: XML 1.0 forbids them */
};

enum al_safe_class al_safe_class(uint32_t cp);
/* "control character", "bidirectional control", ... */
const char *al_safe_class_name(enum al_safe_class c);

/* Decode the sequence at s[0..n) (n > 0): its length, and in *cp its code
 * point, or -1 for a byte that starts no valid UTF-8 sequence (length 1). */
size_t al_safe_decode(const char *s, size_t n, int32_t *cp);

/* The visible spelling of a code point (or of an invalid byte, cp = -byte-1
 * as al_safe_show_byte): \xNN below U+0080 and for DEL, \uXXXX in the
 * BMP, \UXXXXXXXX above it (lower-case hex). */
void al_safe_show(struct al_buf *out, uint32_t cp);
void al_safe_show_byte(struct al_buf *out, unsigned char byte);
/* The same spelling into buf (no NUL) for what al_safe_decode gave: cp, or
 * cp < 0 and the invalid `byte`. Returns its length; escapers that must
 * escape the backslash itself (Markdown, DOT) start from it. */
enum { AL_SAFE_SPELL_MAX = 10 };
size_t al_safe_spell(char buf[AL_SAFE_SPELL_MAX], int32_t cp, unsigned char byte);

/* Append s[0..n) for a terminal or log: every character al_safe_class
 * flags and every invalid UTF-8 byte written visibly (al_safe_show), a
 * tab as a space; everything else as it is. The result is valid UTF-8 with
 * no control, bidirectional or invisible character. */
void al_safe_put(struct al_buf *out, const char *s, size_t n);
/* The same for a C string (NULL appends nothing). */
void al_safe_puts(struct al_buf *out, const char *s);
/* How many characters al_safe_put writes for s[0..n) (a caret under a
 * source line counts the visible spellings). */
size_t al_safe_width(const char *s, size_t n);

#endif
