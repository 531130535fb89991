/* The document tree's backends (views/doc.h), one renderer a format, each
 * escaping every text with the escaper of its format. */
#ifndef AL_RENDER_DOC_H
#define AL_RENDER_DOC_H

#include "common/buf.h"
#include "views/doc.h"

/* cli/render_doc_<format>.c. Markdown: GitLab-flavoured, every text
 * through al_md_escape (cli/markdown.h); HTML: through cli/html.h, `page`
 * adds the document's skeleton (doctype, head, stylesheet, body). */
void al_doc_render_markdown(const struct al_doc_node *n, struct al_buf *out);
void al_doc_render_html(const struct al_doc_node *n, struct al_buf *out);
void al_doc_render_html_page(const struct al_doc *d, struct al_buf *out);
/* Plain text for a terminal or a log, every text through al_safe_put
 * (common/safe.h): paragraphs wrapped and tables fitted to `width` columns
 * (0: never cut or wrapped, cli/text_table.h). */
void al_doc_render_text(const struct al_doc_node *n, struct al_buf *out, unsigned width);

#endif
