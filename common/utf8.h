/* UTF-8 helpers: YAML text is valid UTF-8 once libyaml accepted it, but file
 * names from git are arbitrary bytes, and terminal output must not carry
 * control characters taken from an untrusted merge request. */
#ifndef AL_UTF8_H
#define AL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool al_utf8_valid(const char *s, size_t n);
/* Copy with invalid sequences replaced by U+FFFD. */
char *al_utf8_sanitize(const char *s, size_t n);
/* Length in bytes of the sequence starting at s (1 for invalid bytes). */
size_t al_utf8_seqlen(const char *s, size_t n);
/* Number of code points in s[0..n). */
size_t al_utf8_count(const char *s, size_t n);
/* Byte offset of the `col`-th code point (0-based) of a line, clamped. */
size_t al_utf8_offset(const char *s, size_t n, size_t col);

#endif
