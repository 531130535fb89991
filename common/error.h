/* One error convention, after libgit2: a fallible function returns an int
 * (< 0 on failure) and leaves one sentence for the user in al_error_last().
 * The sentence says what went wrong and, where possible, what to do. */
#ifndef AL_ERROR_H
#define AL_ERROR_H

enum {
    AL_OK = 0,
    AL_ERR = -1,      /* failure, message set */
    AL_ENOTFOUND = -3 /* the thing asked for does not exist, message set */
};

int al_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *al_error_last(void);
void al_error_clear(void);

#endif
