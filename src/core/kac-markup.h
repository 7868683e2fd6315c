/* kac-markup.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of a methodological material: a small Markdown subset, parsed by this code only
 * (no HTML is ever passed through, so a material cannot carry script or markup of its own):
 *   # Heading, ## Heading, ### Heading      at the start of a line
 *   - item, * item, 1. item                 list items, one per line
 *   blank line                              ends a paragraph
 *   **strong**, *emphasis*, _emphasis_      inline
 *   [text](https://…)                       links: http, https and mailto only; any other
 *                                           target shows as plain text
 * Everything else is text. Backslash escapes the next character.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pango markup for a GtkLabel with use-markup (everything escaped; headings bigger and bold,
 * bullets "•", links as <a href>). */
char     *kac_markup_to_pango (const char *text);
/* The words only, for the search index and snippets. */
char     *kac_markup_to_plain (const char *text);
/* TRUE when @uri may become a link (http, https, mailto). */
gboolean  kac_markup_link_is_safe (const char *uri);

G_END_DECLS
