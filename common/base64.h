/* Base64 (RFC 4648, with padding) for data URIs: the report embeds its
 * graph as one, and a data URI of these characters is inert in HTML and
 * Markdown alike. */
#ifndef AL_BASE64_H
#define AL_BASE64_H

#include <stddef.h>

#include "common/buf.h"

/* Append the base64 encoding of data[0..n). */
void al_base64(struct al_buf *out, const void *data, size_t n);

#endif
