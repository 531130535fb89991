/* Small string helpers shared by every module. */
#ifndef AL_STR_H
#define AL_STR_H

#include <stdbool.h>
#include <stddef.h>

bool al_str_eq(const char *a, const char *b);
bool al_str_ieq(const char *a, const char *b); /* ASCII case-insensitive */
bool al_str_startswith(const char *s, const char *prefix);
bool al_str_endswith(const char *s, const char *suffix);
/* ASCII lower-case copy. */
char *al_str_lower(const char *s);
/* Damerau-Levenshtein (optimal string alignment) distance, capped: returns
 * max+1 as soon as the distance must exceed max. */
size_t al_str_distance(const char *a, const char *b, size_t max);
/* Whether `needle` appears in a NULL-terminated list. */
bool al_str_in(const char *needle, const char *const *list);
/* FNV-1a 64-bit, for fingerprints and hash tables (not for security). */
unsigned long long al_str_hash(const char *s, size_t n, unsigned long long seed);
/* splitmix64's finaliser: FNV-1a alone mixes the last bytes poorly, and its
 * low bits depend only on the low bits of the input. */
unsigned long long al_hash_mix(unsigned long long h);

#endif
