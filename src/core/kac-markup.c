/* kac-markup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass per line: the block kind from the line's start, then the inline spans. Output is
 * built from escaped pieces, so no input character can become markup.
 */
#define G_LOG_DOMAIN "kac-markup"

#include "config.h"

#include "kac-markup.h"

#include <string.h>

gboolean
kac_markup_link_is_safe (const char *uri)
{
  if (uri == NULL)
    return FALSE;

  return (g_ascii_strncasecmp (uri, "https://", 8) == 0 && uri[8] != '\0')
         || (g_ascii_strncasecmp (uri, "http://", 7) == 0 && uri[7] != '\0')
         || (g_ascii_strncasecmp (uri, "mailto:", 7) == 0 && uri[7] != '\0');
}

static void
append_escaped (GString    *out,
                const char *text,
                gssize      length,
                gboolean    pango)
{
  if (pango)
    {
      g_autofree char *escaped = g_markup_escape_text (text, length);

      g_string_append (out, escaped);
    }
  else
    g_string_append_len (out, text, length);
}

/* Inline spans of one line. */
static void
append_inline (GString    *out,
               const char *text,
               gboolean    pango)
{
  gboolean strong = FALSE, emphasis = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '\\' && p[1] != '\0')
        {
          const char *next = g_utf8_next_char (p + 1);

          append_escaped (out, p + 1, next - (p + 1), pango);
          p = next;
        }
      else if (p[0] == '*' && p[1] == '*')
        {
          strong = !strong;
          if (pango)
            g_string_append (out, strong ? "<b>" : "</b>");
          p += 2;
        }
      else if ((*p == '*' || *p == '_') && (emphasis || (p[1] != ' ' && p[1] != '\0')))
        {
          emphasis = !emphasis;
          if (pango)
            g_string_append (out, emphasis ? "<i>" : "</i>");
          p++;
        }
      else if (*p == '[')
        {
          const char *close = strstr (p, "](");
          const char *end = close ? strchr (close + 2, ')') : NULL;

          if (close != NULL && end != NULL && memchr (p, '\n', end - p) == NULL)
            {
              g_autofree char *label = g_strndup (p + 1, close - p - 1);
              g_autofree char *uri = g_strndup (close + 2, end - close - 2);

              if (pango && kac_markup_link_is_safe (uri))
                {
                  g_autofree char *escaped_uri = g_markup_escape_text (uri, -1);

                  g_string_append_printf (out, "<a href=\"%s\">", escaped_uri);
                  append_escaped (out, label, -1, pango);
                  g_string_append (out, "</a>");
                }
              else
                append_escaped (out, label, -1, pango);
              p = end + 1;
            }
          else
            {
              append_escaped (out, p, 1, pango);
              p++;
            }
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          append_escaped (out, p, next - p, pango);
          p = next;
        }
    }

  /* Unclosed spans are closed, so the markup stays valid. */
  if (pango && emphasis)
    g_string_append (out, "</i>");
  if (pango && strong)
    g_string_append (out, "</b>");
}

static char *
convert (const char *text,
         gboolean    pango)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gboolean in_paragraph = FALSE;

  if (text == NULL)
    return g_strdup ("");

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint level = 0;

      while (line[level] == '#' && level < 3)
        level++;

      if (*line == '\0')
        {
          if (in_paragraph)
            g_string_append (out, "\n\n");
          in_paragraph = FALSE;
          continue;
        }

      if (level > 0 && line[level] == ' ')
        {
          static const char * const sizes[] = { "xx-large", "x-large", "large" };

          if (out->len > 0)
            g_string_append (out, in_paragraph ? "\n\n" : "");
          if (pango)
            g_string_append_printf (out, "<span size=\"%s\" weight=\"bold\">", sizes[level - 1]);
          append_inline (out, line + level + 1, pango);
          if (pango)
            g_string_append (out, "</span>");
          g_string_append (out, "\n\n");
          in_paragraph = FALSE;
          continue;
        }

      /* A list item right under a paragraph line starts its own line. */
      if (in_paragraph && out->len > 0 && out->str[out->len - 1] != '\n'
          && (((line[0] == '-' || line[0] == '*') && line[1] == ' ') || g_ascii_isdigit (line[0])))
        {
          guint digits = 0;

          while (g_ascii_isdigit (line[digits]))
            digits++;
          if (digits == 0 || (line[digits] == '.' && line[digits + 1] == ' '))
            g_string_append_c (out, '\n');
        }

      if ((line[0] == '-' || line[0] == '*') && line[1] == ' ')
        {
          g_string_append (out, pango ? "  • " : "");
          append_inline (out, line + 2, pango);
          g_string_append (out, "\n");
          in_paragraph = TRUE;
          continue;
        }

      if (g_ascii_isdigit (line[0]))
        {
          guint digits = 0;

          while (g_ascii_isdigit (line[digits]))
            digits++;
          if (line[digits] == '.' && line[digits + 1] == ' ')
            {
              if (pango)
                {
                  g_string_append (out, "  ");
                  g_string_append_len (out, line, digits + 1);
                  g_string_append_c (out, ' ');
                }
              append_inline (out, line + digits + 2, pango);
              g_string_append (out, "\n");
              in_paragraph = TRUE;
              continue;
            }
        }

      if (in_paragraph)
        g_string_append_c (out, ' ');
      append_inline (out, line, pango);
      in_paragraph = TRUE;
    }

  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
kac_markup_to_pango (const char *text)
{
  return convert (text, TRUE);
}

char *
kac_markup_to_plain (const char *text)
{
  return convert (text, FALSE);
}
