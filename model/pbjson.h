/* How protobuf-go's protojson (the agent server's decoder) reads the JSON
 * that sigs.k8s.io/yaml makes of a YAML scalar: durations, and numbers for
 * int32 fields and enums. */
#ifndef AL_PBJSON_H
#define AL_PBJSON_H

#include <stdbool.h>

#include "model/yaml.h"

/* protojson's largest duration: 10,000 years in seconds. */
#define AL_PBJSON_MAX_DURATION_SECONDS 315576000000LL

/* google.protobuf.Duration from a JSON string (protojson's parseDuration):
 * an optional sign, digits without a leading 0 (or a lone 0), an optional
 * '.' and up to 9 digits, 's'. ".5s", "+1s", "1.s" and even ".s" are valid;
 * the seconds must lie within +-AL_PBJSON_MAX_DURATION_SECONDS. */
bool al_pbjson_duration(const char *s, long long *secs, int *nanos);

/* The int32 protojson reads from this YAML value, for an int32 field or an
 * enum's number: a YAML integer or float with an integral value, or a string
 * holding a JSON number (protojson accepts "5" and "1e2" for int32 fields),
 * within the int32 range. Booleans, nulls and anything else: false. */
bool al_pbjson_int32(const struct al_ynode *v, bool strings_too, long long *out);

#endif
