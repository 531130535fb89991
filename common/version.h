/* GitLab versions as comparable integers: "17.3" -> 1703. */
#ifndef AL_VERSION_H
#define AL_VERSION_H

/* Returns the version number, or -1 when `s` is not MAJOR.MINOR[.PATCH]. */
int al_version_parse(const char *s);
/* Writes "MAJOR.MINOR" into buf (at least 16 bytes). */
const char *al_version_str(int v, char *buf);

#endif
