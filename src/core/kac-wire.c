/* kac-wire.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encoders build documents with JsonBuilder, which keeps members in the order they are added:
 * that order is part of a record's canonical body. Decoders first check the raw bytes (size,
 * UTF-8, nesting depth: json-glib's parser recurses once per level, so a few megabytes of "["
 * would otherwise exhaust the stack), then read each member with a typed helper that names the
 * member in its error.
 */
#define G_LOG_DOMAIN "kac-wire"

#include "config.h"

#include "kac-wire.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (kac-wire-error-quark, kac_wire_error)

/* Application status */

static const char * const application_status_names[] = {
  "registered", "forwarded", "completed",
};

const char *
kac_application_status_to_string (KacApplicationStatus status)
{
  g_return_val_if_fail (status <= KAC_APPLICATION_STATUS_COMPLETED, NULL);

  return application_status_names[status];
}

gboolean
kac_application_status_from_string (const char           *string,
                                    KacApplicationStatus *status)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (application_status_names); i++)
    if (strcmp (string, application_status_names[i]) == 0)
      {
        if (status != NULL)
          *status = i;
        return TRUE;
      }

  return FALSE;
}

const char *
kac_application_status_get_label (KacApplicationStatus status)
{
  switch (status)
    {
    case KAC_APPLICATION_STATUS_REGISTERED:
      return C_("application status", "Registered");
    case KAC_APPLICATION_STATUS_FORWARDED:
      return C_("application status", "Forwarded to the institution");
    case KAC_APPLICATION_STATUS_COMPLETED:
      return C_("application status", "Completed");
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char * const item_status_names[] = {
  "accepted", "duplicate", "conflict", "rejected",
};

const char *
kac_wire_item_status_to_string (KacWireItemStatus status)
{
  g_return_val_if_fail (status <= KAC_WIRE_ITEM_REJECTED, NULL);

  return item_status_names[status];
}

gboolean
kac_wire_item_status_from_string (const char        *string,
                                  KacWireItemStatus *status)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (item_status_names); i++)
    if (strcmp (string, item_status_names[i]) == 0)
      {
        if (status != NULL)
          *status = i;
        return TRUE;
      }

  return FALSE;
}

/* Raw document checks */

/* Deepest nesting of arrays and objects, counted outside strings. Stops early once @limit is
 * passed. The input is already known to be valid UTF-8. */
static guint
measure_depth (const char *data,
               gsize       length,
               guint       limit)
{
  guint depth = 0;
  guint deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          depth++;
          if (depth > deepest)
            deepest = depth;
          if (deepest > limit)
            return deepest;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return deepest;
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* TRUE when @data is one JSON object and nothing but white space after it (found by
 * fuzzing): json-glib 1.6 reads "{…}{…}" without an error, keeps the last object and leaks
 * the others, so a body could mean two things and every such request would leak memory on
 * the server. Whether the object itself is well formed is left to the parser. */
static gboolean
is_single_object (const char *data,
                  gsize       length)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gsize i = 0;

  while (i < length && is_json_space (data[i]))
    i++;
  if (i == length || data[i] != '{')
    return FALSE;

  for (; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        {
          for (i++; i < length; i++)
            if (!is_json_space (data[i]))
              return FALSE;
          return TRUE;
        }
    }

  return TRUE;
}

/* The value of four hex digits at @p (@available bytes left), or -1. */
static int
read_hex4 (const char *p,
           gsize       available)
{
  int value = 0;

  if (available < 4)
    return -1;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* FALSE when a string holds an escape json-glib 1.6 mishandles (found by fuzzing): a lone
 * surrogate ("\ud800x", "\udc00") becomes bytes that are not UTF-8, a malformed one leaks
 * memory in its scanner, and "\u0000" silently cuts the text short. No member of the
 * protocol has a use for any of them, so they are refused before parsing. */
static gboolean
has_valid_escapes (const char *data,
                   gsize       length)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      int unit, low;

      if (!in_string)
        {
          in_string = data[i] == '"';
          continue;
        }
      if (data[i] == '"')
        {
          in_string = FALSE;
          continue;
        }
      if (data[i] != '\\')
        continue;

      if (++i == length)
        return FALSE;
      switch (data[i])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;

        case 'u':
          unit = read_hex4 (data + i + 1, length - i - 1);
          if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
            return FALSE;
          i += 4;
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              if (length - i - 1 < 6 || data[i + 1] != '\\' || data[i + 2] != 'u')
                return FALSE;
              low = read_hex4 (data + i + 3, length - i - 3);
              if (low < 0xDC00 || low > 0xDFFF)
                return FALSE;
              i += 6;
            }
          break;

        default:
          return FALSE;
        }
    }

  return TRUE;
}

/* Strict RFC 8259 syntax, checked before json-glib sees the text (found by fuzzing):
 * json-glib 1.6 also takes comments and some text that is not JSON at all, and leaks memory
 * on several of its error paths, so a body could mean something else to another reader and
 * each malformed request cost the server memory. Iterative; the depth is already bounded. */
typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_END,  /* after "[" */
  EXPECT_KEY_OR_END,    /* after "{" */
  EXPECT_KEY,           /* after "," in an object */
  EXPECT_COLON,
  EXPECT_MORE_OR_END,   /* after a value inside a container */
  EXPECT_NOTHING,       /* after the top-level value */
} Expect;

static gboolean
scan_string (const char *data,
             gsize       length,
             gsize      *i)
{
  for ((*i)++; *i < length; (*i)++)
    {
      guchar c = (guchar) data[*i];

      if (c == '"')
        {
          (*i)++;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          if (++(*i) >= length)
            return FALSE;
          if (data[*i] == 'u')
            {
              if (read_hex4 (data + *i + 1, length - *i - 1) < 0)
                return FALSE;
              *i += 4;
            }
          else if (data[*i] == '\0' || strchr ("\"\\/bfnrt", data[*i]) == NULL)
            return FALSE;
        }
    }

  return FALSE;
}

static gboolean
scan_digits (const char *data,
             gsize       length,
             gsize      *i)
{
  gsize start = *i;

  while (*i < length && g_ascii_isdigit (data[*i]))
    (*i)++;

  return *i > start;
}

static gboolean
scan_number (const char *data,
             gsize       length,
             gsize      *i)
{
  if (*i < length && data[*i] == '-')
    (*i)++;
  if (*i < length && data[*i] == '0')
    (*i)++;
  else if (!scan_digits (data, length, i))
    return FALSE;

  if (*i < length && data[*i] == '.')
    {
      (*i)++;
      if (!scan_digits (data, length, i))
        return FALSE;
    }

  if (*i < length && (data[*i] == 'e' || data[*i] == 'E'))
    {
      (*i)++;
      if (*i < length && (data[*i] == '+' || data[*i] == '-'))
        (*i)++;
      if (!scan_digits (data, length, i))
        return FALSE;
    }

  return TRUE;
}

static gboolean
scan_literal (const char *data,
              gsize       length,
              gsize      *i,
              const char *word)
{
  gsize word_length = strlen (word);

  if (length - *i < word_length || memcmp (data + *i, word, word_length) != 0)
    return FALSE;

  *i += word_length;
  return TRUE;
}

/* TRUE when @data is one JSON value and white space; else *@at is the offending byte. */
static gboolean
is_strict_json (const char *data,
                gsize       length,
                gsize      *at)
{
  char stack[KAC_WIRE_MAX_DEPTH + 1];
  guint depth = 0;
  Expect expect = EXPECT_VALUE;
  gsize i = 0;

  for (;;)
    {
      char c;

      while (i < length && is_json_space (data[i]))
        i++;
      *at = i;
      if (i >= length)
        return expect == EXPECT_NOTHING;
      c = data[i];

      switch (expect)
        {
        case EXPECT_NOTHING:
          return FALSE;

        case EXPECT_COLON:
          if (c != ':')
            return FALSE;
          i++;
          expect = EXPECT_VALUE;
          continue;

        case EXPECT_KEY_OR_END:
          if (c == '}')
            break;
          G_GNUC_FALLTHROUGH;
        case EXPECT_KEY:
          if (c != '"' || !scan_string (data, length, &i))
            return FALSE;
          expect = EXPECT_COLON;
          continue;

        case EXPECT_MORE_OR_END:
          if (c == ',')
            {
              i++;
              expect = stack[depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
              continue;
            }
          if (c != (stack[depth - 1] == '{' ? '}' : ']'))
            return FALSE;
          break;

        case EXPECT_VALUE_OR_END:
          if (c == ']')
            break;
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
        default:
          if (c == '{' || c == '[')
            {
              if (depth >= G_N_ELEMENTS (stack))
                return FALSE;
              stack[depth++] = c;
              i++;
              expect = c == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
              continue;
            }
          if (c == '"')
            {
              if (!scan_string (data, length, &i))
                return FALSE;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (data, length, &i))
                return FALSE;
            }
          else if (!scan_literal (data, length, &i, "true")
                   && !scan_literal (data, length, &i, "false")
                   && !scan_literal (data, length, &i, "null"))
            return FALSE;
          expect = depth == 0 ? EXPECT_NOTHING : EXPECT_MORE_OR_END;
          continue;
        }

      /* A container closes. */
      depth--;
      i++;
      expect = depth == 0 ? EXPECT_NOTHING : EXPECT_MORE_OR_END;
    }
}

/* Parses @data into a JSON object. Returns a new reference to the root node. */
static JsonNode *
parse_object (const char  *data,
              gsize        length,
              gsize        max_bytes,
              const char  *what,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize at;

  if (data == NULL)
    length = 0;

  if (length > max_bytes)
    {
      g_autofree char *n_bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, length);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, max_bytes);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   /* Translators: the first %s names a document, e.g. "batch request"; the others
                    * are numbers of bytes. */
                   _("Document (%s): %s bytes long; the limit is %s bytes."),
                   what, n_bytes, limit);
      return NULL;
    }

  if (length == 0)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is empty."), what);
      return NULL;
    }

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is not valid UTF-8 text."), what);
      return NULL;
    }

  if (measure_depth (data, length, KAC_WIRE_MAX_DEPTH) > KAC_WIRE_MAX_DEPTH)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("Document (%s) is nested more than %d levels deep."), what, KAC_WIRE_MAX_DEPTH);
      return NULL;
    }

  if (!is_single_object (data, length))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is not a JSON object."), what);
      return NULL;
    }

  if (!has_valid_escapes (data, length))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) contains an invalid escape sequence (\\u0000, a lone surrogate or an "
                     "unknown escape)."), what);
      return NULL;
    }

  if (!is_strict_json (data, length, &at))
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, at);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   /* Translators: the first %s names a document, the second is a byte offset. */
                   _("Document (%s) is not valid JSON (at byte %s)."), what, offset);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib quotes the offending text, which may hold a decoded lone surrogate: the
       * message goes into a problem+json detail and must stay valid UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is not valid JSON: %s"), what, message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is not a JSON object."), what);
      return NULL;
    }

  return json_node_ref (root);
}

/* Typed member readers. @path is the member's parent ("records[3]") or NULL at the top. */

static char *
member_path (const char *path,
             const char *name)
{
  if (path == NULL || *path == '\0')
    return g_strdup (name);

  return g_strdup_printf ("%s.%s", path, name);
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
set_missing (GError     **error,
             const char  *path,
             const char  *name)
{
  g_autofree char *full = member_path (path, name);

  g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_MISSING,
               _("The member “%s” is missing."), full);
  return FALSE;
}

static gboolean
set_type (GError     **error,
          const char  *path,
          const char  *name,
          const char  *expected)
{
  g_autofree char *full = member_path (path, name);

  g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
               /* Translators: %1$s is a member name, %2$s a JSON type such as "a string". */
               _("The member “%1$s” must be %2$s."), full, expected);
  return FALSE;
}

/* Reads an optional (or, with @required, a required) string of at most @max_bytes. *@value
 * points into the node: copy it. NULL when absent or null. */
static gboolean
get_string (JsonObject   *object,
            const char   *path,
            const char   *name,
            gboolean      required,
            gsize         max_bytes,
            const char  **value,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *string;

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? set_missing (error, path, name) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_type (error, path, name, _("a string"));

  string = json_node_get_string (node);

  /* json-glib 1.6 decodes an escaped lone surrogate ("\udc00") into bytes that are not UTF-8
   * (found by fuzzing); such text must not reach the store, a hash or the screen. */
  if (!g_utf8_validate (string, -1, NULL))
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is not valid UTF-8 text."), full);
      return FALSE;
    }

  if (strlen (string) > max_bytes)
    {
      g_autofree char *full = member_path (path, name);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, max_bytes);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The member “%s” is longer than %s bytes."), full, limit);
      return FALSE;
    }

  if (required && *string == '\0')
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is empty."), full);
      return FALSE;
    }

  *value = string;
  return TRUE;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *path,
             const char  *name,
             gboolean     required,
             gboolean    *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? set_missing (error, path, name) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return set_type (error, path, name, _("true or false"));

  *value = json_node_get_boolean (node);
  return TRUE;
}

/* An integer in [@min, @max]; @present tells whether it was given at all. */
static gboolean
get_integer (JsonObject  *object,
             const char  *path,
             const char  *name,
             gboolean     required,
             gint64       min,
             gint64       max,
             gint64      *value,
             gboolean    *present,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = 0;
  if (present != NULL)
    *present = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? set_missing (error, path, name) : TRUE;

  /* Only integral JSON numbers: 3.0 or "3" are a sender's bug, not a value to guess at. */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return set_type (error, path, name, _("an integer"));

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_autofree char *full = member_path (path, name);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, *value);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is out of range (%s)."), full, number);
      return FALSE;
    }

  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

/* An object member, or NULL for absent/null. */
static gboolean
get_object (JsonObject   *object,
            const char   *path,
            const char   *name,
            gboolean      required,
            JsonObject  **value,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? set_missing (error, path, name) : TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_type (error, path, name, _("an object"));

  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *path,
           const char  *name,
           JsonArray  **value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return set_missing (error, path, name);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_type (error, path, name, _("an array"));

  *value = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_timestamp (JsonObject  *object,
               const char  *path,
               const char  *name,
               gboolean     required,
               GDateTime  **value,
               GError     **error)
{
  const char *text;
  g_autoptr(GDateTime) parsed = NULL;

  *value = NULL;

  if (!get_string (object, path, name, required, KAC_WIRE_SHORT_MAX_BYTES, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* No default zone: a time without one is ambiguous, so it is refused. */
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  if (parsed == NULL)
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is not an ISO 8601 time with a time zone."), full);
      return FALSE;
    }

  /* A time whose UTC form falls outside years 1–9999 ("0001-01-01T00:30+01:00") has no
   * GDateTime: refused, not left unset (found by fuzzing). */
  *value = g_date_time_to_utc (parsed);
  if (*value == NULL)
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is not an ISO 8601 time with a time zone."), full);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_date (JsonObject  *object,
          const char  *path,
          const char  *name,
          const char **value,
          GError     **error)
{
  if (!get_string (object, path, name, FALSE, KAC_WIRE_SHORT_MAX_BYTES, value, error))
    return FALSE;

  if (*value != NULL && !kac_wire_date_is_valid (*value))
    {
      g_autofree char *full = member_path (path, name);

      *value = NULL;
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is not a date of the form YYYY-MM-DD."), full);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_uuid (JsonObject  *object,
          const char  *path,
          const char **value,
          GError     **error)
{
  if (!get_string (object, path, "uuid", TRUE, KAC_WIRE_SHORT_MAX_BYTES, value, error))
    return FALSE;

  if (!g_uuid_string_is_valid (*value))
    {
      g_autofree char *full = member_path (path, "uuid");

      *value = NULL;
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is not a UUID."), full);
      return FALSE;
    }

  return TRUE;
}

static void
set_field (char       **field,
           const char  *path,
           const char  *name)
{
  if (field != NULL)
    {
      g_free (*field);
      *field = member_path (path, name);
    }
}

/* Builder helpers */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static GBytes *
node_to_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return node_to_bytes (root);
}

char *
kac_wire_format_timestamp (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *rest = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  utc = g_date_time_to_utc (date_time);
  g_return_val_if_fail (utc != NULL, NULL);

  /* GLib's %Y does not pad: year 2 would read "2-01-01…", which no ISO 8601 reader takes
   * (found by fuzzing). */
  rest = g_date_time_format (utc, "-%m-%dT%H:%M:%S.%fZ");

  return g_strdup_printf ("%04d%s", g_date_time_get_year (utc), rest);
}

gboolean
kac_wire_date_is_valid (const char *date)
{
  guint year, month, day;

  if (date == NULL || strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (date, NULL, 10);
  month = (guint) g_ascii_strtoull (date + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (date + 8, NULL, 10);

  return year >= 1 && g_date_valid_dmy (day, month, year);
}

/* Records */

static void
build_record (JsonBuilder *builder,
              KacRecord   *record)
{
  const char *client_name = kac_record_get_client_name (record);
  const char *client_code = kac_record_get_client_code (record);
  g_autofree char *created_at = kac_wire_format_timestamp (kac_record_get_created_at (record));
  int satisfaction = kac_record_get_satisfaction (record);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "uuid", kac_record_get_uuid (record));
  add_string_or_null (builder, "kind", kac_record_kind_to_string (kac_record_get_kind (record)));
  add_string_or_null (builder, "service_code", kac_record_get_service_code (record));
  add_string_or_null (builder, "institution_code", kac_record_get_institution_code (record));
  add_string_or_null (builder, "channel", kac_channel_to_string (kac_record_get_channel (record)));

  json_builder_set_member_name (builder, "client");
  if (client_name != NULL || client_code != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "name", client_name);
      add_string_or_null (builder, "personal_code", client_code);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_string_or_null (builder, "notes", kac_record_get_notes (record));

  json_builder_set_member_name (builder, "satisfaction");
  if (satisfaction != 0)
    json_builder_add_int_value (builder, satisfaction);
  else
    json_builder_add_null_value (builder);

  add_string_or_null (builder, "created_at", created_at);
  add_string_or_null (builder, "clerk", kac_record_get_clerk (record));
  add_string_or_null (builder, "centre_id", kac_record_get_centre_id (record));
  json_builder_end_object (builder);
}

JsonNode *
kac_wire_record_to_node (KacRecord *record)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (KAC_IS_RECORD (record), NULL);

  builder = json_builder_new ();
  build_record (builder, record);

  return json_builder_get_root (builder);
}

char *
kac_wire_encode_record (KacRecord *record)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (KAC_IS_RECORD (record), NULL);

  node = kac_wire_record_to_node (record);
  generator = json_generator_new ();
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

char *
kac_wire_record_hash (KacRecord *record)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (KAC_IS_RECORD (record), NULL);

  body = kac_wire_encode_record (record);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
}

static KacRecord *
record_from_object (JsonObject  *object,
                    const char  *path,
                    char       **field,
                    GError     **error)
{
  const char *uuid, *kind_name, *service_code, *institution_code, *channel_name;
  const char *client_name = NULL, *client_code = NULL, *notes, *clerk, *centre_id;
  JsonObject *client;
  KacRecordKind kind;
  KacChannel channel;
  gint64 satisfaction;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree char *client_path = NULL;

#define FAIL(name) G_STMT_START { set_field (field, path, name); return NULL; } G_STMT_END

  if (!get_uuid (object, path, &uuid, error))
    FAIL ("uuid");

  if (!get_string (object, path, "kind", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &kind_name, error))
    FAIL ("kind");
  if (!kac_record_kind_from_string (kind_name, &kind))
    {
      g_autofree char *full = member_path (path, "kind");

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” names no known kind of registration."), full);
      FAIL ("kind");
    }

  if (!get_string (object, path, "service_code", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                   &service_code, error))
    FAIL ("service_code");
  if (!get_string (object, path, "institution_code", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                   &institution_code, error))
    FAIL ("institution_code");

  if (!get_string (object, path, "channel", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &channel_name, error))
    FAIL ("channel");
  if (!kac_channel_from_string (channel_name, &channel))
    {
      g_autofree char *full = member_path (path, "channel");

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” names no known channel."), full);
      FAIL ("channel");
    }

  if (!get_object (object, path, "client", FALSE, &client, error))
    FAIL ("client");
  client_path = member_path (path, "client");
  if (client != NULL)
    {
      if (!get_string (client, client_path, "name", FALSE, KAC_WIRE_NAME_MAX_BYTES,
                       &client_name, error))
        FAIL ("client.name");
      if (!get_string (client, client_path, "personal_code", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                       &client_code, error))
        FAIL ("client.personal_code");
    }

  if (!get_string (object, path, "notes", FALSE, KAC_WIRE_TEXT_MAX_BYTES, &notes, error))
    FAIL ("notes");

  if (!get_integer (object, path, "satisfaction", FALSE, G_MININT, G_MAXINT,
                    &satisfaction, NULL, error))
    FAIL ("satisfaction");

  if (!get_timestamp (object, path, "created_at", TRUE, &created_at, error))
    FAIL ("created_at");

  if (!get_string (object, path, "clerk", FALSE, KAC_WIRE_SHORT_MAX_BYTES, &clerk, error))
    FAIL ("clerk");
  if (!get_string (object, path, "centre_id", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &centre_id, error))
    FAIL ("centre_id");

#undef FAIL

  return g_object_new (KAC_TYPE_RECORD,
                       "uuid", uuid,
                       "kind", kind,
                       "service-code", service_code,
                       "institution-code", institution_code,
                       "channel", channel,
                       "client-name", client_name,
                       "client-code", client_code,
                       "notes", notes,
                       "satisfaction", (int) satisfaction,
                       "created-at", created_at,
                       "updated-at", created_at,
                       "clerk", clerk,
                       "centre-id", centre_id,
                       NULL);
}

KacRecord *
kac_wire_record_from_node (JsonNode  *node,
                           char     **field,
                           GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                           _("A record must be a JSON object."));
      return NULL;
    }

  return record_from_object (json_node_get_object (node), NULL, field, error);
}

KacRecord *
kac_wire_decode_record (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("record"), error);
  if (root == NULL)
    return NULL;

  return record_from_object (json_node_get_object (root), NULL, NULL, error);
}

/* Batch request */

GBytes *
kac_wire_encode_batch_request (const char * const *bodies,
                               guint               n_bodies)
{
  GString *out;

  g_return_val_if_fail (bodies != NULL || n_bodies == 0, NULL);

  /* Joined as text, not re-parsed: each body goes out exactly as it was queued. */
  out = g_string_new ("{\"records\":[");
  for (guint i = 0; i < n_bodies; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, bodies[i]);
    }
  g_string_append (out, "]}");

  return g_string_free_to_bytes (out);
}

void
kac_wire_batch_item_free (KacWireBatchItem *item)
{
  if (item == NULL)
    return;

  g_free (item->uuid);
  g_clear_object (&item->record);
  g_free (item->field);
  g_clear_error (&item->error);
  g_free (item);
}

GPtrArray *
kac_wire_decode_batch_request (const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *records;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("batch request"), error);
  if (root == NULL)
    return NULL;

  if (!get_array (json_node_get_object (root), NULL, "records", &records, error))
    return NULL;

  n = json_array_get_length (records);
  if (n > KAC_WIRE_BATCH_MAX_RECORDS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The batch holds %u records; the limit is %u."),
                   n, (guint) KAC_WIRE_BATCH_MAX_RECORDS);
      return NULL;
    }

  items = g_ptr_array_new_full (n, (GDestroyNotify) kac_wire_batch_item_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (records, i);
      g_autofree char *path = g_strdup_printf ("records[%u]", i);
      g_autoptr(KacWireBatchItem) item = g_new0 (KacWireBatchItem, 1);
      JsonObject *object;
      const char *uuid;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return NULL;
        }

      object = json_node_get_object (node);
      if (!get_uuid (object, path, &uuid, error))
        return NULL;

      item->uuid = g_strdup (uuid);
      item->record = record_from_object (object, NULL, &item->field, &item->error);
      if (item->record != NULL)
        g_clear_pointer (&item->field, g_free);

      g_ptr_array_add (items, g_steal_pointer (&item));
    }

  return g_steal_pointer (&items);
}

/* Batch answer */

KacWireItemResult *
kac_wire_item_result_new (const char        *uuid,
                          KacWireItemStatus  status)
{
  KacWireItemResult *result;

  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (status <= KAC_WIRE_ITEM_REJECTED, NULL);

  result = g_new0 (KacWireItemResult, 1);
  result->uuid = g_strdup (uuid);
  result->status = status;

  return result;
}

KacWireItemResult *
kac_wire_item_result_copy (const KacWireItemResult *result)
{
  KacWireItemResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = kac_wire_item_result_new (result->uuid, result->status);
  copy->central_number = g_strdup (result->central_number);
  copy->replay = result->replay;
  copy->code = g_strdup (result->code);
  copy->title = g_strdup (result->title);
  copy->field = g_strdup (result->field);

  return copy;
}

void
kac_wire_item_result_free (KacWireItemResult *result)
{
  if (result == NULL)
    return;

  g_free (result->uuid);
  g_free (result->central_number);
  g_free (result->code);
  g_free (result->title);
  g_free (result->field);
  g_free (result);
}

GBytes *
kac_wire_encode_batch_response (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (results != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      KacWireItemResult *result = g_ptr_array_index (results, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "uuid", result->uuid);
      add_string_or_null (builder, "status", kac_wire_item_status_to_string (result->status));
      add_string_or_null (builder, "central_number", result->central_number);
      json_builder_set_member_name (builder, "replay");
      json_builder_add_boolean_value (builder, result->replay);
      add_string_or_null (builder, "code", result->code);
      add_string_or_null (builder, "title", result->title);
      add_string_or_null (builder, "field", result->field);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

GPtrArray *
kac_wire_decode_batch_response (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("batch answer"), error);
  if (root == NULL)
    return NULL;

  if (!get_array (json_node_get_object (root), NULL, "results", &array, error))
    return NULL;

  n = json_array_get_length (array);
  if (n > KAC_WIRE_BATCH_MAX_RECORDS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The batch answer holds %u results; the limit is %u."),
                   n, (guint) KAC_WIRE_BATCH_MAX_RECORDS);
      return NULL;
    }

  results = g_ptr_array_new_full (n, (GDestroyNotify) kac_wire_item_result_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("results[%u]", i);
      const char *uuid, *status_name, *central_number, *code, *title, *field;
      KacWireItemStatus status;
      gboolean replay;
      JsonObject *object;
      KacWireItemResult *result;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return NULL;
        }
      object = json_node_get_object (node);

      if (!get_uuid (object, path, &uuid, error)
          || !get_string (object, path, "status", TRUE, KAC_WIRE_SHORT_MAX_BYTES,
                          &status_name, error)
          || !get_string (object, path, "central_number", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                          &central_number, error)
          || !get_boolean (object, path, "replay", FALSE, &replay, error)
          || !get_string (object, path, "code", FALSE, KAC_WIRE_SHORT_MAX_BYTES, &code, error)
          || !get_string (object, path, "title", FALSE, KAC_WIRE_NAME_MAX_BYTES, &title, error)
          || !get_string (object, path, "field", FALSE, KAC_WIRE_SHORT_MAX_BYTES, &field, error))
        return NULL;

      if (!kac_wire_item_status_from_string (status_name, &status))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The member “%s.status” names no known outcome."), path);
          return NULL;
        }

      /* An answer that says "done" must say under which number, and one that says "not done"
       * must say why: otherwise the client could not act on it. */
      if ((status == KAC_WIRE_ITEM_ACCEPTED || status == KAC_WIRE_ITEM_DUPLICATE)
          && central_number == NULL)
        {
          set_missing (error, path, "central_number");
          return NULL;
        }
      if ((status == KAC_WIRE_ITEM_CONFLICT || status == KAC_WIRE_ITEM_REJECTED) && code == NULL)
        {
          set_missing (error, path, "code");
          return NULL;
        }

      result = kac_wire_item_result_new (uuid, status);
      result->central_number = g_strdup (central_number);
      result->replay = replay;
      result->code = g_strdup (code);
      result->title = g_strdup (title);
      result->field = g_strdup (field);
      g_ptr_array_add (results, result);
    }

  return g_steal_pointer (&results);
}

/* Problems */

static void
field_error_free (KacWireFieldError *field_error)
{
  g_free (field_error->field);
  g_free (field_error->message);
  g_free (field_error);
}

KacWireProblem *
kac_wire_problem_new (guint       status,
                      const char *code,
                      const char *title,
                      const char *detail,
                      gboolean    retryable)
{
  KacWireProblem *problem;

  g_return_val_if_fail (status >= 400 && status <= 599, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  problem = g_new0 (KacWireProblem, 1);
  problem->type = g_strconcat ("urn:kac:problem:", code, NULL);
  problem->title = g_strdup (title);
  problem->status = status;
  problem->detail = g_strdup (detail);
  problem->code = g_strdup (code);
  problem->retryable = retryable;
  problem->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) field_error_free);

  return problem;
}

void
kac_wire_problem_add_error (KacWireProblem *problem,
                            const char     *field,
                            const char     *message)
{
  KacWireFieldError *field_error;

  g_return_if_fail (problem != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  field_error = g_new0 (KacWireFieldError, 1);
  field_error->field = g_strdup (field);
  field_error->message = g_strdup (message);
  g_ptr_array_add (problem->errors, field_error);
}

void
kac_wire_problem_free (KacWireProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->type);
  g_free (problem->title);
  g_free (problem->detail);
  g_free (problem->code);
  g_clear_pointer (&problem->errors, g_ptr_array_unref);
  g_free (problem);
}

GBytes *
kac_wire_encode_problem (KacWireProblem *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (problem != NULL, NULL);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "type", problem->type);
  add_string_or_null (builder, "title", problem->title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, problem->status);
  if (problem->detail != NULL)
    add_string_or_null (builder, "detail", problem->detail);
  add_string_or_null (builder, "code", problem->code);
  json_builder_set_member_name (builder, "retryable");
  json_builder_add_boolean_value (builder, problem->retryable);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->errors->len; i++)
    {
      KacWireFieldError *field_error = g_ptr_array_index (problem->errors, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "field", field_error->field);
      add_string_or_null (builder, "message", field_error->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

KacWireProblem *
kac_wire_decode_problem (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KacWireProblem) problem = NULL;
  JsonObject *object;
  const char *type, *title, *detail, *code;
  gint64 status;
  gboolean retryable;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("error answer"), error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  if (!get_string (object, NULL, "type", FALSE, KAC_WIRE_NAME_MAX_BYTES, &type, error)
      || !get_string (object, NULL, "title", TRUE, KAC_WIRE_NAME_MAX_BYTES, &title, error)
      || !get_integer (object, NULL, "status", TRUE, 400, 599, &status, NULL, error)
      || !get_string (object, NULL, "detail", FALSE, KAC_WIRE_TEXT_MAX_BYTES, &detail, error)
      || !get_string (object, NULL, "code", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &code, error)
      || !get_boolean (object, NULL, "retryable", TRUE, &retryable, error))
    return NULL;

  problem = kac_wire_problem_new ((guint) status, code, title, detail, retryable);
  if (type != NULL)
    {
      g_free (problem->type);
      problem->type = g_strdup (type);
    }

  if (!member_is_null (object, "errors"))
    {
      JsonArray *errors;
      guint n;

      if (!get_array (object, NULL, "errors", &errors, error))
        return NULL;

      n = json_array_get_length (errors);
      if (n > KAC_WIRE_BATCH_MAX_RECORDS)
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                       _("The error answer lists %u errors; the limit is %u."),
                       n, (guint) KAC_WIRE_BATCH_MAX_RECORDS);
          return NULL;
        }

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (errors, i);
          g_autofree char *path = g_strdup_printf ("errors[%u]", i);
          const char *field, *message;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                           _("The item “%s” is not an object."), path);
              return NULL;
            }

          if (!get_string (json_node_get_object (node), path, "field", TRUE,
                           KAC_WIRE_SHORT_MAX_BYTES, &field, error)
              || !get_string (json_node_get_object (node), path, "message", TRUE,
                              KAC_WIRE_TEXT_MAX_BYTES, &message, error))
            return NULL;

          kac_wire_problem_add_error (problem, field, message);
        }
    }

  return g_steal_pointer (&problem);
}

/* Status changes */

static void
change_free (KacWireChange *change)
{
  g_free (change->uuid);
  g_free (change->central_number);
  g_clear_pointer (&change->changed_at, g_date_time_unref);
  g_free (change->due_date);
  g_free (change);
}

KacWireChangesPage *
kac_wire_changes_page_new (void)
{
  KacWireChangesPage *page = g_new0 (KacWireChangesPage, 1);

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  return page;
}

void
kac_wire_changes_page_add (KacWireChangesPage   *page,
                           const char           *uuid,
                           const char           *central_number,
                           KacApplicationStatus  status,
                           GDateTime            *changed_at,
                           const char           *due_date)
{
  KacWireChange *change;

  g_return_if_fail (page != NULL);
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (central_number != NULL);
  g_return_if_fail (changed_at != NULL);

  change = g_new0 (KacWireChange, 1);
  change->uuid = g_strdup (uuid);
  change->central_number = g_strdup (central_number);
  change->status = status;
  change->changed_at = g_date_time_to_utc (changed_at);
  change->due_date = g_strdup (due_date);
  g_ptr_array_add (page->changes, change);
}

void
kac_wire_changes_page_free (KacWireChangesPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page);
}

GBytes *
kac_wire_encode_changes_page (KacWireChangesPage *page)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (page->cursor != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->changes->len; i++)
    {
      KacWireChange *change = g_ptr_array_index (page->changes, i);
      g_autofree char *changed_at = kac_wire_format_timestamp (change->changed_at);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "uuid", change->uuid);
      add_string_or_null (builder, "central_number", change->central_number);
      add_string_or_null (builder, "status", kac_application_status_to_string (change->status));
      add_string_or_null (builder, "changed_at", changed_at);
      add_string_or_null (builder, "due_date", change->due_date);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string_or_null (builder, "cursor", page->cursor);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, page->more);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/* Pages are at most this long; a longer one is not one this server family would send. */
#define CHANGES_PAGE_MAX 5000

KacWireChangesPage *
kac_wire_decode_changes_page (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KacWireChangesPage) page = NULL;
  JsonObject *object;
  JsonArray *changes;
  const char *cursor;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("page of changes"), error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  page = kac_wire_changes_page_new ();
  if (!get_array (object, NULL, "changes", &changes, error)
      || !get_string (object, NULL, "cursor", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &cursor, error)
      || !get_boolean (object, NULL, "more", TRUE, &page->more, error))
    return NULL;
  page->cursor = g_strdup (cursor);

  n = json_array_get_length (changes);
  if (n > CHANGES_PAGE_MAX)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The page holds %u changes; the limit is %u."), n, (guint) CHANGES_PAGE_MAX);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      g_autofree char *path = g_strdup_printf ("changes[%u]", i);
      const char *uuid, *central_number, *status_name, *due_date;
      g_autoptr(GDateTime) changed_at = NULL;
      KacApplicationStatus status;
      JsonObject *change;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return NULL;
        }
      change = json_node_get_object (node);

      if (!get_uuid (change, path, &uuid, error)
          || !get_string (change, path, "central_number", TRUE, KAC_WIRE_SHORT_MAX_BYTES,
                          &central_number, error)
          || !get_string (change, path, "status", TRUE, KAC_WIRE_SHORT_MAX_BYTES,
                          &status_name, error)
          || !get_timestamp (change, path, "changed_at", TRUE, &changed_at, error)
          || !get_date (change, path, "due_date", &due_date, error))
        return NULL;

      if (!kac_application_status_from_string (status_name, &status))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The member “%s.status” names no known status."), path);
          return NULL;
        }

      kac_wire_changes_page_add (page, uuid, central_number, status, changed_at, due_date);
    }

  return g_steal_pointer (&page);
}

/* Sign-in and session */

GBytes *
kac_wire_encode_sign_in (const char *username,
                         const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "username", username);
  add_string_or_null (builder, "password", password);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

gboolean
kac_wire_decode_sign_in (const char  *data,
                         gsize        length,
                         char       **username,
                         char       **password,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *user, *pass;

  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Sign-in documents are tiny; a big one is refused before parsing. */
  root = parse_object (data, length, 16 * 1024, _("sign-in request"), error);
  if (root == NULL)
    return FALSE;

  if (!get_string (json_node_get_object (root), NULL, "username", TRUE,
                   KAC_WIRE_SHORT_MAX_BYTES, &user, error)
      || !get_string (json_node_get_object (root), NULL, "password", TRUE,
                      KAC_WIRE_NAME_MAX_BYTES, &pass, error))
    return FALSE;

  *username = g_strdup (user);
  *password = g_strdup (pass);
  return TRUE;
}

void
kac_wire_session_free (KacWireSession *session)
{
  if (session == NULL)
    return;

  if (session->token != NULL)
    memset (session->token, 0, strlen (session->token));
  g_free (session->token);
  g_clear_pointer (&session->expires_at, g_date_time_unref);
  g_free (session->username);
  g_free (session->display_name);
  g_free (session->role);
  g_free (session->centre_id);
  g_free (session->centre_name);
  g_free (session->centre_kind);
  g_free (session->institution);
  g_free (session);
}

GBytes *
kac_wire_encode_session (KacWireSession *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *expires_at = NULL;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (session->token != NULL, NULL);
  g_return_val_if_fail (session->expires_at != NULL, NULL);

  expires_at = kac_wire_format_timestamp (session->expires_at);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "token", session->token);
  add_string_or_null (builder, "expires_at", expires_at);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "username", session->username);
  add_string_or_null (builder, "display_name", session->display_name);
  json_builder_end_object (builder);
  add_string_or_null (builder, "role", session->role);
  json_builder_set_member_name (builder, "centre");
  if (session->centre_id != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", session->centre_id);
      add_string_or_null (builder, "name", session->centre_name);
      add_string_or_null (builder, "kind", session->centre_kind);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  add_string_or_null (builder, "institution", session->institution);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

static const char * const role_names[] = { "clerk", "manager", "institution", "admin" };

KacWireSession *
kac_wire_decode_session (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KacWireSession) session = NULL;
  JsonObject *object, *user, *centre;
  const char *token, *username, *display_name, *role, *institution;
  const char *centre_id = NULL, *centre_name = NULL, *centre_kind = NULL;
  KacCentreKind kind;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, 64 * 1024, _("session"), error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  session = g_new0 (KacWireSession, 1);
  if (!get_string (object, NULL, "token", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &token, error)
      || !get_timestamp (object, NULL, "expires_at", TRUE, &session->expires_at, error)
      || !get_object (object, NULL, "user", TRUE, &user, error)
      || !get_string (user, "user", "username", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &username, error)
      || !get_string (user, "user", "display_name", FALSE, KAC_WIRE_NAME_MAX_BYTES,
                      &display_name, error)
      || !get_string (object, NULL, "role", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &role, error)
      || !get_object (object, NULL, "centre", FALSE, &centre, error)
      || !get_string (object, NULL, "institution", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                      &institution, error))
    return NULL;

  if (!g_strv_contains (role_names, role))
    {
      g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                           _("The member “role” names no known role."));
      return NULL;
    }

  if (centre != NULL)
    {
      if (!get_string (centre, "centre", "id", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &centre_id, error)
          || !get_string (centre, "centre", "name", TRUE, KAC_WIRE_NAME_MAX_BYTES,
                          &centre_name, error)
          || !get_string (centre, "centre", "kind", TRUE, KAC_WIRE_SHORT_MAX_BYTES,
                          &centre_kind, error))
        return NULL;

      if (!kac_centre_kind_from_string (centre_kind, &kind))
        {
          g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                               _("The member “centre.kind” names no known kind of centre."));
          return NULL;
        }
    }

  /* A clerk or manager acts for one centre (MK 401 §22): a session without one is unusable. */
  if ((g_str_equal (role, "clerk") || g_str_equal (role, "manager")) && centre_id == NULL)
    {
      set_missing (error, NULL, "centre");
      return NULL;
    }

  session->token = g_strdup (token);
  session->username = g_strdup (username);
  session->display_name = g_strdup (display_name);
  session->role = g_strdup (role);
  session->centre_id = g_strdup (centre_id);
  session->centre_name = g_strdup (centre_name);
  session->centre_kind = g_strdup (centre_kind);
  session->institution = g_strdup (institution);

  return g_steal_pointer (&session);
}

/* Status change request */

GBytes *
kac_wire_encode_status_change (KacApplicationStatus  status,
                               const char           *due_date,
                               const char           *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (due_date == NULL || kac_wire_date_is_valid (due_date), NULL);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "status", kac_application_status_to_string (status));
  add_string_or_null (builder, "due_date", due_date);
  add_string_or_null (builder, "note", note);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

gboolean
kac_wire_decode_status_change (const char            *data,
                               gsize                  length,
                               KacApplicationStatus  *status,
                               char                 **due_date,
                               char                 **note,
                               GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *status_name, *date, *text;

  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = parse_object (data, length, 128 * 1024, _("status change"), error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if (!get_string (object, NULL, "status", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &status_name, error)
      || !get_date (object, NULL, "due_date", &date, error)
      || !get_string (object, NULL, "note", FALSE, KAC_WIRE_TEXT_MAX_BYTES, &text, error))
    return FALSE;

  if (!kac_application_status_from_string (status_name, status))
    {
      g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                           _("The member “status” names no known status."));
      return FALSE;
    }

  if (due_date != NULL)
    *due_date = g_strdup (date);
  if (note != NULL)
    *note = g_strdup (text);
  return TRUE;
}

/* Statistics */

#define STATS_MAX_COUNT G_GINT64_CONSTANT (1000000000000)

gint64
kac_wire_figures_get_answers (const KacWireFigures *figures)
{
  gint64 answers = 0;

  g_return_val_if_fail (figures != NULL, 0);

  for (guint i = 0; i < 5; i++)
    answers += figures->satisfaction[i];

  return answers;
}

double
kac_wire_figures_get_average (const KacWireFigures *figures)
{
  gint64 answers, sum = 0;

  g_return_val_if_fail (figures != NULL, 0);

  answers = kac_wire_figures_get_answers (figures);
  if (answers == 0)
    return 0;

  for (guint i = 0; i < 5; i++)
    sum += (gint64) (i + 1) * figures->satisfaction[i];

  return (double) sum / (double) answers;
}

double
kac_wire_figures_get_electronic_share (const KacWireFigures *figures)
{
  g_return_val_if_fail (figures != NULL, 0);

  if (figures->cases == 0)
    return 0;

  return (double) figures->by_channel[KAC_CHANNEL_ELECTRONIC] / (double) figures->cases;
}

static void
stats_group_free (KacWireStatsGroup *group)
{
  g_free (group->service_code);
  g_free (group->institution_code);
  g_free (group);
}

KacWireStats *
kac_wire_stats_new (const char  *centre_id,
                    const char  *centre_name,
                    const GDate *from,
                    const GDate *to,
                    const GDate *as_of)
{
  KacWireStats *stats;
  guint n_days;

  g_return_val_if_fail (centre_id != NULL && centre_name != NULL, NULL);
  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (to != NULL && g_date_valid (to), NULL);
  g_return_val_if_fail (as_of != NULL && g_date_valid (as_of), NULL);
  g_return_val_if_fail (g_date_compare (from, to) <= 0, NULL);

  n_days = g_date_get_julian (to) - g_date_get_julian (from) + 1;
  g_return_val_if_fail (n_days <= KAC_WIRE_STATS_MAX_DAYS, NULL);

  stats = g_new0 (KacWireStats, 1);
  stats->centre_id = g_strdup (centre_id);
  stats->centre_name = g_strdup (centre_name);
  stats->from = *from;
  stats->to = *to;
  stats->as_of = *as_of;
  stats->institutions = g_ptr_array_new_with_free_func ((GDestroyNotify) stats_group_free);
  stats->services = g_ptr_array_new_with_free_func ((GDestroyNotify) stats_group_free);
  stats->days = g_array_sized_new (FALSE, TRUE, sizeof (KacWireStatsDay), n_days);
  g_array_set_size (stats->days, n_days);

  for (guint i = 0; i < n_days; i++)
    {
      KacWireStatsDay *day = &g_array_index (stats->days, KacWireStatsDay, i);

      day->date = *from;
      g_date_add_days (&day->date, i);
    }

  return stats;
}

KacWireStatsGroup *
kac_wire_stats_add_group (GPtrArray  *groups,
                          const char *service_code,
                          const char *institution_code)
{
  KacWireStatsGroup *group;

  g_return_val_if_fail (groups != NULL, NULL);

  group = g_new0 (KacWireStatsGroup, 1);
  group->service_code = g_strdup (service_code);
  group->institution_code = g_strdup (institution_code);
  g_ptr_array_add (groups, group);
  return group;
}

KacWireStatsDay *
kac_wire_stats_get_day (KacWireStats *stats,
                        const GDate  *date)
{
  gint64 index;

  g_return_val_if_fail (stats != NULL, NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  index = (gint64) g_date_get_julian (date) - (gint64) g_date_get_julian (&stats->from);
  if (index < 0 || index >= stats->days->len)
    return NULL;

  return &g_array_index (stats->days, KacWireStatsDay, index);
}

void
kac_wire_stats_free (KacWireStats *stats)
{
  if (stats == NULL)
    return;

  g_free (stats->centre_id);
  g_free (stats->centre_name);
  g_clear_pointer (&stats->institutions, g_ptr_array_unref);
  g_clear_pointer (&stats->services, g_ptr_array_unref);
  g_clear_pointer (&stats->days, g_array_unref);
  g_free (stats);
}

static char *
stats_format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static void
stats_add_date (JsonBuilder *builder,
                const char  *name,
                const GDate *date)
{
  g_autofree char *text = stats_format_date (date);

  add_string_or_null (builder, name, text);
}

static void
stats_add_int (JsonBuilder *builder,
               const char  *name,
               gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Rounded for people: two decimals for the 1–5 average, four for a share. */
static void
stats_add_rounded (JsonBuilder *builder,
                   const char  *name,
                   gboolean     known,
                   double       value,
                   double       scale)
{
  json_builder_set_member_name (builder, name);
  if (known)
    json_builder_add_double_value (builder, round (value * scale) / scale);
  else
    json_builder_add_null_value (builder);
}

static void
stats_build_figures (JsonBuilder          *builder,
                     const char           *name,
                     const KacWireFigures *figures)
{
  gint64 answers = kac_wire_figures_get_answers (figures);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  stats_add_int (builder, "cases", figures->cases);

  json_builder_set_member_name (builder, "by_kind");
  json_builder_begin_object (builder);
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    stats_add_int (builder, kac_record_kind_to_string (i), figures->by_kind[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "by_channel");
  json_builder_begin_object (builder);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    stats_add_int (builder, kac_channel_to_string (i), figures->by_channel[i]);
  json_builder_end_object (builder);

  stats_add_int (builder, "delayed", figures->delayed);
  stats_add_int (builder, "complaints", figures->complaints);

  json_builder_set_member_name (builder, "satisfaction");
  json_builder_begin_object (builder);
  stats_add_int (builder, "answers", answers);
  stats_add_rounded (builder, "average", answers > 0, kac_wire_figures_get_average (figures), 100);
  json_builder_set_member_name (builder, "distribution");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 5; i++)
    json_builder_add_int_value (builder, figures->satisfaction[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  stats_add_rounded (builder, "electronic_share", figures->cases > 0,
                     kac_wire_figures_get_electronic_share (figures), 10000);
  json_builder_end_object (builder);
}

static void
stats_build_groups (JsonBuilder *builder,
                    const char  *name,
                    GPtrArray   *groups,
                    gboolean     with_service)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < groups->len; i++)
    {
      KacWireStatsGroup *group = g_ptr_array_index (groups, i);

      json_builder_begin_object (builder);
      if (with_service)
        add_string_or_null (builder, "service_code", group->service_code);
      add_string_or_null (builder, "institution_code", group->institution_code);
      stats_build_figures (builder, "figures", &group->figures);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

GBytes *
kac_wire_encode_stats (KacWireStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (stats != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "centre");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", stats->centre_id);
  add_string_or_null (builder, "name", stats->centre_name);
  json_builder_end_object (builder);
  stats_add_date (builder, "from", &stats->from);
  stats_add_date (builder, "to", &stats->to);
  stats_add_date (builder, "as_of", &stats->as_of);
  stats_build_figures (builder, "totals", &stats->totals);
  stats_build_groups (builder, "institutions", stats->institutions, FALSE);
  stats_build_groups (builder, "services", stats->services, TRUE);

  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stats->days->len; i++)
    {
      KacWireStatsDay *day = &g_array_index (stats->days, KacWireStatsDay, i);

      json_builder_begin_object (builder);
      stats_add_date (builder, "date", &day->date);
      stats_build_figures (builder, "figures", &day->figures);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

static gboolean
stats_set_inconsistent (GError     **error,
                        const char  *path,
                        const char  *what)
{
  g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
               /* Translators: %1$s names a place in the document ("services[2].figures"),
                * %2$s says which figures disagree. */
               _("The figures “%1$s” do not add up: %2$s."), path, what);
  return FALSE;
}

static gboolean
stats_get_date (JsonObject  *object,
                const char  *path,
                const char  *name,
                GDate       *date,
                GError     **error)
{
  const char *text;

  if (!get_date (object, path, name, &text, error))
    return FALSE;
  if (text == NULL)
    return set_missing (error, path, name);

  /* kac_wire_date_is_valid() accepted the exact form "YYYY-MM-DD". */
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_ascii_strtoull (text + 8, NULL, 10),
                  (GDateMonth) g_ascii_strtoull (text + 5, NULL, 10),
                  (GDateYear) g_ascii_strtoull (text, NULL, 10));
  return TRUE;
}

/* A number (integral or not) in [@min, @max], or null; *@known tells which. */
static gboolean
stats_get_number (JsonObject  *object,
                  const char  *path,
                  const char  *name,
                  double       min,
                  double       max,
                  double      *value,
                  gboolean    *known,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  *value = 0;
  *known = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return set_type (error, path, name, _("a number"));

  *value = type == G_TYPE_DOUBLE ? json_node_get_double (node) : (double) json_node_get_int (node);
  if (!(*value >= min && *value <= max))
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is out of range."), full);
      return FALSE;
    }

  *known = TRUE;
  return TRUE;
}

/* Every known name must be there; unknown members (a newer server's kinds) must be counts
 * too and take part in *@total, so the sum check stays right across versions. */
static gboolean
stats_read_counts (JsonObject   *object,
                   const char   *path,
                   const char   *name,
                   const char  *(*name_of) (guint),
                   guint         n_known,
                   gint64       *counts,
                   gint64       *total,
                   GError      **error)
{
  g_autofree char *counts_path = member_path (path, name);
  g_autoptr(GList) members = NULL;
  JsonObject *counts_object;

  *total = 0;
  if (!get_object (object, path, name, TRUE, &counts_object, error))
    return FALSE;

  for (guint i = 0; i < n_known; i++)
    if (!get_integer (counts_object, counts_path, name_of (i), TRUE, 0, STATS_MAX_COUNT,
                      &counts[i], NULL, error))
      return FALSE;

  members = json_object_get_members (counts_object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gint64 count;

      if (!get_integer (counts_object, counts_path, l->data, TRUE, 0, STATS_MAX_COUNT,
                        &count, NULL, error))
        return FALSE;
      *total += count;
    }

  return TRUE;
}

static const char *
stats_kind_name (guint i)
{
  return kac_record_kind_to_string (i);
}

static const char *
stats_channel_name (guint i)
{
  return kac_channel_to_string (i);
}

static gboolean
stats_read_figures (JsonObject      *parent,
                    const char      *parent_path,
                    const char      *name,
                    KacWireFigures  *figures,
                    GError         **error)
{
  g_autofree char *path = member_path (parent_path, name);
  g_autofree char *satisfaction_path = NULL;
  JsonObject *object, *satisfaction;
  JsonArray *distribution;
  gint64 kind_total, channel_total, answers;
  double average, share;
  gboolean average_known, share_known;

  memset (figures, 0, sizeof *figures);
  if (!get_object (parent, parent_path, name, TRUE, &object, error)
      || !get_integer (object, path, "cases", TRUE, 0, STATS_MAX_COUNT, &figures->cases, NULL, error)
      || !stats_read_counts (object, path, "by_kind", stats_kind_name, KAC_RECORD_KIND_N_VALUES,
                             figures->by_kind, &kind_total, error)
      || !stats_read_counts (object, path, "by_channel", stats_channel_name, KAC_CHANNEL_N_VALUES,
                             figures->by_channel, &channel_total, error)
      || !get_integer (object, path, "delayed", TRUE, 0, STATS_MAX_COUNT, &figures->delayed, NULL, error)
      || !get_integer (object, path, "complaints", TRUE, 0, STATS_MAX_COUNT, &figures->complaints,
                       NULL, error)
      || !get_object (object, path, "satisfaction", TRUE, &satisfaction, error))
    return FALSE;

  satisfaction_path = member_path (path, "satisfaction");
  if (!get_integer (satisfaction, satisfaction_path, "answers", TRUE, 0, STATS_MAX_COUNT, &answers,
                    NULL, error)
      || !get_array (satisfaction, satisfaction_path, "distribution", &distribution, error)
      || !stats_get_number (satisfaction, satisfaction_path, "average", 1, 5, &average,
                            &average_known, error)
      || !stats_get_number (object, path, "electronic_share", 0, 1, &share, &share_known, error))
    return FALSE;

  if (json_array_get_length (distribution) != 5)
    return stats_set_inconsistent (error, satisfaction_path, _("the distribution must have five counts"));
  for (guint i = 0; i < 5; i++)
    {
      JsonNode *node = json_array_get_element (distribution, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > STATS_MAX_COUNT)
        return stats_set_inconsistent (error, satisfaction_path, _("the distribution must have five counts"));
      figures->satisfaction[i] = json_node_get_int (node);
    }

  if (kind_total != figures->cases)
    return stats_set_inconsistent (error, path, _("the cases by kind are not the cases"));
  if (channel_total != figures->cases)
    return stats_set_inconsistent (error, path, _("the cases by channel are not the cases"));
  if (figures->complaints != figures->by_kind[KAC_RECORD_KIND_COMPLAINT])
    return stats_set_inconsistent (error, path, _("the complaints are not the complaints by kind"));
  if (figures->delayed > figures->by_kind[KAC_RECORD_KIND_APPLICATION])
    return stats_set_inconsistent (error, path, _("more applications are delayed than there are"));
  if (answers != kac_wire_figures_get_answers (figures) || answers > figures->cases)
    return stats_set_inconsistent (error, satisfaction_path, _("the answers are not their distribution"));
  /* The rounded values must be those of the counts (half a unit of the last decimal, and
   * some room for the double's own error). */
  if (average_known != (answers > 0)
      || (average_known && fabs (average - kac_wire_figures_get_average (figures)) > 0.0051))
    return stats_set_inconsistent (error, satisfaction_path, _("the average is not that of the answers"));
  if (share_known != (figures->cases > 0)
      || (share_known && fabs (share - kac_wire_figures_get_electronic_share (figures)) > 0.000051))
    return stats_set_inconsistent (error, path, _("the electronic share is not that of the cases"));

  return TRUE;
}

static gboolean
stats_read_groups (JsonObject  *root,
                   const char  *name,
                   gboolean     with_service,
                   GPtrArray   *groups,
                   GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  guint n;

  if (!get_array (root, NULL, name, &array, error))
    return FALSE;

  n = json_array_get_length (array);
  if (n > KAC_WIRE_STATS_MAX_GROUPS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The list “%s” holds %u items; the limit is %u."), name, n,
                   (guint) KAC_WIRE_STATS_MAX_GROUPS);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", name, i);
      g_autofree char *key = NULL;
      JsonNode *node = json_array_get_element (array, i);
      const char *service_code = NULL, *institution_code;
      KacWireStatsGroup *group;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return FALSE;
        }
      object = json_node_get_object (node);

      if ((with_service && !get_string (object, path, "service_code", FALSE,
                                        KAC_WIRE_SHORT_MAX_BYTES, &service_code, error))
          || !get_string (object, path, "institution_code", FALSE, KAC_WIRE_SHORT_MAX_BYTES,
                          &institution_code, error))
        return FALSE;

      /* A group listed twice would be counted twice by whoever adds them up. */
      key = g_strdup_printf ("%s\x1f%s", service_code ? service_code : "\x1e",
                             institution_code ? institution_code : "\x1e");
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The item “%s” repeats an earlier group."), path);
          return FALSE;
        }

      group = kac_wire_stats_add_group (groups, service_code, institution_code);
      if (!stats_read_figures (object, path, "figures", &group->figures, error))
        return FALSE;
    }

  return TRUE;
}

KacWireStats *
kac_wire_decode_stats (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KacWireStats) stats = NULL;
  JsonObject *object, *centre;
  JsonArray *days;
  const char *centre_id, *centre_name;
  GDate from, to, as_of;
  guint n_days;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_BODY_MAX_BYTES, _("statistics document"), error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  if (!get_object (object, NULL, "centre", TRUE, &centre, error)
      || !get_string (centre, "centre", "id", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &centre_id, error)
      || !get_string (centre, "centre", "name", TRUE, KAC_WIRE_NAME_MAX_BYTES, &centre_name, error)
      || !stats_get_date (object, NULL, "from", &from, error)
      || !stats_get_date (object, NULL, "to", &to, error)
      || !stats_get_date (object, NULL, "as_of", &as_of, error)
      || !get_array (object, NULL, "days", &days, error))
    return NULL;

  if (g_date_compare (&from, &to) > 0
      || g_date_get_julian (&to) - g_date_get_julian (&from) + 1 > KAC_WIRE_STATS_MAX_DAYS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The range of the statistics is not one from “from” to “to” of at most %u days."),
                   (guint) KAC_WIRE_STATS_MAX_DAYS);
      return NULL;
    }

  stats = kac_wire_stats_new (centre_id, centre_name, &from, &to, &as_of);
  if (!stats_read_figures (object, NULL, "totals", &stats->totals, error)
      || !stats_read_groups (object, "institutions", FALSE, stats->institutions, error)
      || !stats_read_groups (object, "services", TRUE, stats->services, error))
    return NULL;

  n_days = json_array_get_length (days);
  if (n_days != stats->days->len)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The statistics list %u days; the range has %u."), n_days, stats->days->len);
      return NULL;
    }

  for (guint i = 0; i < n_days; i++)
    {
      g_autofree char *path = g_strdup_printf ("days[%u]", i);
      KacWireStatsDay *day = &g_array_index (stats->days, KacWireStatsDay, i);
      JsonNode *node = json_array_get_element (days, i);
      GDate date;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return NULL;
        }

      if (!stats_get_date (json_node_get_object (node), path, "date", &date, error))
        return NULL;
      if (g_date_compare (&date, &day->date) != 0)
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The item “%s” is not the next day of the range."), path);
          return NULL;
        }

      if (!stats_read_figures (json_node_get_object (node), path, "figures", &day->figures, error))
        return NULL;
    }

  return g_steal_pointer (&stats);
}

/* Catalogue */

KacCatalog *
kac_wire_decode_catalog (GBytes  *bytes,
                         GError **error)
{
  gsize length = 0;
  gsize at;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (length > KAC_WIRE_CATALOG_MAX_BYTES)
    {
      g_autofree char *n_bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, length);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The catalogue is %s bytes long; the limit is %d bytes."),
                   n_bytes, KAC_WIRE_CATALOG_MAX_BYTES);
      return NULL;
    }

  if (length > 0 && measure_depth (data, length, KAC_WIRE_MAX_DEPTH) > KAC_WIRE_MAX_DEPTH)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The catalogue is nested more than %d levels deep."), KAC_WIRE_MAX_DEPTH);
      return NULL;
    }

  if (length > 0 && !is_single_object (data, length))
    {
      g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                           _("The catalogue is not a JSON object."));
      return NULL;
    }

  if (!has_valid_escapes (data, length))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) contains an invalid escape sequence (\\u0000, a lone surrogate or an "
                     "unknown escape)."), _("catalogue"));
      return NULL;
    }

  if (length > 0 && !is_strict_json (data, length, &at))
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, at);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("Document (%s) is not valid JSON (at byte %s)."), _("catalogue"), offset);
      return NULL;
    }

  return kac_catalog_new_from_bytes (bytes, error);
}

/* Materials, notices and attachments */

static const char * const notice_kind_names[] = {
  "specialist-assigned", "hours-changed", "absence", "substitution",
};

const char *
kac_notice_kind_to_string (KacNoticeKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (notice_kind_names), NULL);

  return notice_kind_names[kind];
}

gboolean
kac_notice_kind_from_string (const char    *string,
                             KacNoticeKind *kind)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (notice_kind_names); i++)
    if (g_str_equal (string, notice_kind_names[i]))
      {
        *kind = (KacNoticeKind) i;
        return TRUE;
      }

  return FALSE;
}

const char *
kac_notice_kind_get_label (KacNoticeKind kind)
{
  switch (kind)
    {
    case KAC_NOTICE_KIND_SPECIALIST_ASSIGNED:
      return _("Specialist assigned");
    case KAC_NOTICE_KIND_HOURS_CHANGED:
      return _("Reception hours changed");
    case KAC_NOTICE_KIND_ABSENCE:
      return _("Absence without a substitute");
    case KAC_NOTICE_KIND_SUBSTITUTION:
      return _("Substitution");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
kac_wire_sha256_is_valid (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (sha256[i]) && !(sha256[i] >= 'a' && sha256[i] <= 'f'))
      return FALSE;

  return TRUE;
}

char *
kac_wire_sha256_of_bytes (GBytes *bytes)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (const guint8 *) "",
                                      length);
}

KacWireAttachment *
kac_wire_attachment_new (const char *sha256,
                         const char *name,
                         const char *content_type,
                         gint64      size)
{
  KacWireAttachment *attachment = g_new0 (KacWireAttachment, 1);

  attachment->sha256 = g_strdup (sha256);
  attachment->name = g_strdup (name);
  attachment->content_type = g_strdup (content_type);
  attachment->size = size;
  return attachment;
}

void
kac_wire_attachment_free (KacWireAttachment *attachment)
{
  if (attachment == NULL)
    return;

  g_free (attachment->sha256);
  g_free (attachment->name);
  g_free (attachment->content_type);
  g_free (attachment);
}

KacWireMaterial *
kac_wire_material_new (void)
{
  KacWireMaterial *material = g_new0 (KacWireMaterial, 1);

  material->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_attachment_free);
  return material;
}

void
kac_wire_material_free (KacWireMaterial *material)
{
  if (material == NULL)
    return;

  g_free (material->id);
  g_free (material->institution);
  g_free (material->title);
  g_strfreev (material->services);
  g_free (material->body);
  g_ptr_array_unref (material->attachments);
  g_clear_pointer (&material->updated_at, g_date_time_unref);
  g_free (material);
}

KacWireNotice *
kac_wire_notice_new (void)
{
  KacWireNotice *notice = g_new0 (KacWireNotice, 1);

  notice->hours = g_array_new (FALSE, TRUE, sizeof (KacWireHours));
  return notice;
}

KacWireNotice *
kac_wire_notice_copy (const KacWireNotice *notice)
{
  KacWireNotice *copy;

  g_return_val_if_fail (notice != NULL, NULL);

  copy = kac_wire_notice_new ();
  copy->id = g_strdup (notice->id);
  copy->version = notice->version;
  copy->deleted = notice->deleted;
  copy->institution = g_strdup (notice->institution);
  copy->kind = notice->kind;
  copy->centres = g_strdupv (notice->centres);
  copy->position = g_strdup (notice->position);
  copy->name = g_strdup (notice->name);
  copy->starts_at = notice->starts_at ? g_date_time_ref (notice->starts_at) : NULL;
  copy->ends_at = notice->ends_at ? g_date_time_ref (notice->ends_at) : NULL;
  g_array_append_vals (copy->hours, notice->hours->data, notice->hours->len);
  copy->note = g_strdup (notice->note);
  copy->created_at = notice->created_at ? g_date_time_ref (notice->created_at) : NULL;
  return copy;
}

void
kac_wire_notice_free (KacWireNotice *notice)
{
  if (notice == NULL)
    return;

  g_free (notice->id);
  g_free (notice->institution);
  g_strfreev (notice->centres);
  g_free (notice->position);
  g_free (notice->name);
  g_clear_pointer (&notice->starts_at, g_date_time_unref);
  g_clear_pointer (&notice->ends_at, g_date_time_unref);
  g_array_unref (notice->hours);
  g_free (notice->note);
  g_clear_pointer (&notice->created_at, g_date_time_unref);
  g_free (notice);
}

char *
kac_wire_format_minute (guint minute)
{
  return g_strdup_printf ("%02u:%02u", minute / 60, minute % 60);
}

/* "HH:MM", 00:00…24:00. */
static gboolean
parse_minute (const char *text,
              guint      *minute)
{
  guint hours, minutes;

  if (text == NULL || strlen (text) != 5 || text[2] != ':'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1])
      || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  hours = (text[0] - '0') * 10 + (text[1] - '0');
  minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return FALSE;

  *minute = hours * 60 + minutes;
  return TRUE;
}

gboolean
kac_wire_notice_validate (const KacWireNotice  *notice,
                          GError              **error)
{
  const char *missing = NULL;

  g_return_val_if_fail (notice != NULL, FALSE);

  if (notice->deleted)
    return TRUE;

  if (notice->starts_at == NULL)
    missing = "starts_at";

  switch (notice->kind)
    {
    case KAC_NOTICE_KIND_SPECIALIST_ASSIGNED:
    case KAC_NOTICE_KIND_SUBSTITUTION:
      if (notice->position == NULL)
        missing = "position";
      else if (notice->name == NULL)
        missing = "name";
      if (notice->kind == KAC_NOTICE_KIND_SUBSTITUTION && notice->ends_at == NULL)
        missing = "ends_at";
      break;
    case KAC_NOTICE_KIND_HOURS_CHANGED:
      if (notice->hours->len == 0)
        missing = "hours";
      break;
    case KAC_NOTICE_KIND_ABSENCE:
      if (notice->ends_at == NULL)
        missing = "ends_at";
      break;
    default:
      g_assert_not_reached ();
    }

  if (missing != NULL)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_MISSING,
                   /* Translators: %1$s is a member name, %2$s a kind of notice. */
                   _("The member “%1$s” is required for a notice of the kind “%2$s”."),
                   missing, kac_notice_kind_to_string (notice->kind));
      return FALSE;
    }

  if (notice->ends_at != NULL && g_date_time_compare (notice->ends_at, notice->starts_at) <= 0)
    {
      g_set_error_literal (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                           _("The member “ends_at” must be later than “starts_at”."));
      return FALSE;
    }

  return TRUE;
}

/* An array of at most @max distinct non-empty short strings; NULL for absent or null. */
static gboolean
get_string_array (JsonObject   *object,
                  const char   *path,
                  const char   *name,
                  gboolean      required,
                  guint         max,
                  GStrv        *value,
                  GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? set_missing (error, path, name) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_type (error, path, name, _("an array"));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > max || (required && n == 0))
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, n > max ? KAC_WIRE_ERROR_TOO_LARGE : KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” must hold from 1 to %u items."), full, max);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *string;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || *(string = json_node_get_string (element)) == '\0'
          || strlen (string) > KAC_WIRE_SHORT_MAX_BYTES)
        {
          g_autofree char *full = g_strdup_printf ("%s[%u]", name, i);

          return set_type (error, path, full, _("a short non-empty string"));
        }
      g_strv_builder_add (builder, string);
    }

  *value = g_strv_builder_end (builder);
  return TRUE;
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
}

static void
add_timestamp_or_null (JsonBuilder *builder,
                       const char  *name,
                       GDateTime   *date_time)
{
  g_autofree char *text = date_time != NULL ? kac_wire_format_timestamp (date_time) : NULL;

  add_string_or_null (builder, name, text);
}

typedef enum
{
  ITEM_FEED,      /* everything the server keeps, tombstones allowed */
  ITEM_REQUEST,   /* what a publisher sends */
} ItemMode;

static void
build_material (JsonBuilder           *builder,
                const KacWireMaterial *material,
                ItemMode               mode)
{
  json_builder_begin_object (builder);
  if (mode == ITEM_FEED)
    {
      add_string_or_null (builder, "id", material->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, material->version);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, material->deleted);
      if (material->deleted)
        {
          json_builder_end_object (builder);
          return;
        }
      add_string_or_null (builder, "institution", material->institution);
    }
  add_string_or_null (builder, "title", material->title);
  add_string_array (builder, "services", (const char * const *) material->services);
  add_string_or_null (builder, "body", material->body);
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < material->attachments->len; i++)
    {
      KacWireAttachment *attachment = g_ptr_array_index (material->attachments, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "sha256", attachment->sha256);
      add_string_or_null (builder, "name", attachment->name);
      if (mode == ITEM_FEED)
        {
          add_string_or_null (builder, "content_type", attachment->content_type);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, attachment->size);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (mode == ITEM_FEED)
    add_timestamp_or_null (builder, "updated_at", material->updated_at);
  json_builder_end_object (builder);
}

static KacWireMaterial *
material_from_object (JsonObject  *object,
                      const char  *path,
                      ItemMode     mode,
                      GError     **error)
{
  g_autoptr(KacWireMaterial) material = kac_wire_material_new ();
  const char *id = NULL, *institution = NULL, *title, *body;
  JsonArray *attachments;
  guint n;

  if (mode == ITEM_FEED)
    {
      if (!get_string (object, path, "id", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &id, error)
          || !get_integer (object, path, "version", TRUE, 1, G_MAXINT64, &material->version, NULL, error)
          || !get_boolean (object, path, "deleted", FALSE, &material->deleted, error))
        return NULL;
      if (!g_uuid_string_is_valid (id))
        {
          g_autofree char *full = member_path (path, "id");

          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The member “%s” is not a UUID."), full);
          return NULL;
        }
      material->id = g_strdup (id);
      if (material->deleted)
        return g_steal_pointer (&material);

      if (!get_string (object, path, "institution", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &institution, error)
          || !get_timestamp (object, path, "updated_at", TRUE, &material->updated_at, error))
        return NULL;
      material->institution = g_strdup (institution);
    }

  if (!get_string (object, path, "title", TRUE, KAC_WIRE_NAME_MAX_BYTES, &title, error)
      || !get_string_array (object, path, "services", TRUE, KAC_WIRE_MATERIAL_MAX_SERVICES,
                            &material->services, error)
      || !get_string (object, path, "body", TRUE, KAC_WIRE_MATERIAL_BODY_MAX_BYTES, &body, error))
    return NULL;
  material->title = g_strdup (title);
  material->body = g_strdup (body);

  if (member_is_null (object, "attachments"))
    return g_steal_pointer (&material);
  if (!get_array (object, path, "attachments", &attachments, error))
    return NULL;

  n = json_array_get_length (attachments);
  if (n > KAC_WIRE_MATERIAL_MAX_ATTACHMENTS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("A material may have at most %u attachments."),
                   (guint) KAC_WIRE_MATERIAL_MAX_ATTACHMENTS);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (attachments, i);
      g_autofree char *item_path = path != NULL ? g_strdup_printf ("%s.attachments[%u]", path, i)
                                                : g_strdup_printf ("attachments[%u]", i);
      const char *sha256, *name, *content_type = NULL;
      gint64 size = 0;
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), item_path);
          return NULL;
        }
      item = json_node_get_object (node);

      if (!get_string (item, item_path, "sha256", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &sha256, error)
          || !get_string (item, item_path, "name", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &name, error))
        return NULL;
      if (mode == ITEM_FEED
          && (!get_string (item, item_path, "content_type", TRUE, KAC_WIRE_SHORT_MAX_BYTES,
                           &content_type, error)
              || !get_integer (item, item_path, "size", TRUE, 0, KAC_WIRE_ATTACHMENT_MAX_BYTES,
                               &size, NULL, error)))
        return NULL;

      /* The name becomes a file name on the desk: no folders, no hidden files. */
      if (!kac_wire_sha256_is_valid (sha256) || strchr (name, '/') != NULL
          || strchr (name, '\\') != NULL || name[0] == '.')
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The attachment “%s” has an invalid hash or file name."), item_path);
          return NULL;
        }

      g_ptr_array_add (material->attachments,
                       kac_wire_attachment_new (sha256, name, content_type, size));
    }

  return g_steal_pointer (&material);
}

static void
build_notice (JsonBuilder         *builder,
              const KacWireNotice *notice,
              ItemMode             mode)
{
  json_builder_begin_object (builder);
  if (mode == ITEM_FEED)
    {
      add_string_or_null (builder, "id", notice->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, notice->version);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, notice->deleted);
      if (notice->deleted)
        {
          json_builder_end_object (builder);
          return;
        }
      add_string_or_null (builder, "institution", notice->institution);
    }
  add_string_or_null (builder, "kind", kac_notice_kind_to_string (notice->kind));
  add_string_array (builder, "centres", (const char * const *) notice->centres);
  add_string_or_null (builder, "position", notice->position);
  add_string_or_null (builder, "name", notice->name);
  add_timestamp_or_null (builder, "starts_at", notice->starts_at);
  add_timestamp_or_null (builder, "ends_at", notice->ends_at);
  json_builder_set_member_name (builder, "hours");
  if (notice->hours->len == 0)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < notice->hours->len; i++)
        {
          KacWireHours *hours = &g_array_index (notice->hours, KacWireHours, i);
          g_autofree char *from = kac_wire_format_minute (hours->from_minute);
          g_autofree char *to = kac_wire_format_minute (hours->to_minute);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "day");
          json_builder_add_int_value (builder, hours->day);
          add_string_or_null (builder, "from", from);
          add_string_or_null (builder, "to", to);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  add_string_or_null (builder, "note", notice->note);
  if (mode == ITEM_FEED)
    add_timestamp_or_null (builder, "created_at", notice->created_at);
  json_builder_end_object (builder);
}

static KacWireNotice *
notice_from_object (JsonObject  *object,
                    const char  *path,
                    ItemMode     mode,
                    GError     **error)
{
  g_autoptr(KacWireNotice) notice = kac_wire_notice_new ();
  const char *id, *institution, *kind, *position, *name, *note;
  JsonArray *hours;

  if (mode == ITEM_FEED)
    {
      if (!get_string (object, path, "id", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &id, error)
          || !get_integer (object, path, "version", TRUE, 1, G_MAXINT64, &notice->version, NULL, error)
          || !get_boolean (object, path, "deleted", FALSE, &notice->deleted, error))
        return NULL;
      if (!g_uuid_string_is_valid (id))
        {
          g_autofree char *full = member_path (path, "id");

          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                       _("The member “%s” is not a UUID."), full);
          return NULL;
        }
      notice->id = g_strdup (id);
      if (notice->deleted)
        return g_steal_pointer (&notice);

      if (!get_string (object, path, "institution", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &institution, error)
          || !get_timestamp (object, path, "created_at", TRUE, &notice->created_at, error))
        return NULL;
      notice->institution = g_strdup (institution);
    }

  if (!get_string (object, path, "kind", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &kind, error)
      || !get_string_array (object, path, "centres", mode == ITEM_REQUEST,
                            KAC_WIRE_NOTICE_MAX_CENTRES, &notice->centres, error)
      || !get_string (object, path, "position", FALSE, KAC_WIRE_NAME_MAX_BYTES, &position, error)
      || !get_string (object, path, "name", FALSE, KAC_WIRE_NAME_MAX_BYTES, &name, error)
      || !get_timestamp (object, path, "starts_at", TRUE, &notice->starts_at, error)
      || !get_timestamp (object, path, "ends_at", FALSE, &notice->ends_at, error)
      || !get_string (object, path, "note", FALSE, KAC_WIRE_TEXT_MAX_BYTES, &note, error))
    return NULL;

  if (!kac_notice_kind_from_string (kind, &notice->kind))
    {
      g_autofree char *full = member_path (path, "kind");

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” names no known kind of notice."), full);
      return NULL;
    }
  notice->position = position && *position ? g_strdup (position) : NULL;
  notice->name = name && *name ? g_strdup (name) : NULL;
  notice->note = note && *note ? g_strdup (note) : NULL;

  if (!member_is_null (object, "hours"))
    {
      guint n;

      if (!get_array (object, path, "hours", &hours, error))
        return NULL;
      n = json_array_get_length (hours);
      if (n > KAC_WIRE_NOTICE_MAX_HOURS)
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                       _("A notice may list at most %u reception periods."),
                       (guint) KAC_WIRE_NOTICE_MAX_HOURS);
          return NULL;
        }

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (hours, i);
          g_autofree char *item_path = path != NULL ? g_strdup_printf ("%s.hours[%u]", path, i)
                                                    : g_strdup_printf ("hours[%u]", i);
          KacWireHours period = { 0, };
          const char *from, *to;
          gint64 day;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                           _("The item “%s” is not an object."), item_path);
              return NULL;
            }
          if (!get_integer (json_node_get_object (node), item_path, "day", TRUE, 1, 7, &day, NULL, error)
              || !get_string (json_node_get_object (node), item_path, "from", TRUE,
                              KAC_WIRE_SHORT_MAX_BYTES, &from, error)
              || !get_string (json_node_get_object (node), item_path, "to", TRUE,
                              KAC_WIRE_SHORT_MAX_BYTES, &to, error))
            return NULL;

          period.day = (guint) day;
          if (!parse_minute (from, &period.from_minute) || !parse_minute (to, &period.to_minute)
              || period.to_minute <= period.from_minute)
            {
              g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                           _("The reception period “%s” must run from HH:MM to a later HH:MM."),
                           item_path);
              return NULL;
            }
          g_array_append_val (notice->hours, period);
        }
    }

  if (!kac_wire_notice_validate (notice, error))
    return NULL;

  return g_steal_pointer (&notice);
}

KacWireFeedPage *
kac_wire_materials_page_new (void)
{
  KacWireFeedPage *page = g_new0 (KacWireFeedPage, 1);

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_material_free);
  return page;
}

KacWireFeedPage *
kac_wire_notices_page_new (void)
{
  KacWireFeedPage *page = g_new0 (KacWireFeedPage, 1);

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_notice_free);
  return page;
}

void
kac_wire_feed_page_free (KacWireFeedPage *page)
{
  if (page == NULL)
    return;

  g_ptr_array_unref (page->items);
  g_free (page->cursor);
  g_free (page);
}

JsonNode *
kac_wire_material_to_node (const KacWireMaterial *material)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (material != NULL, NULL);

  build_material (builder, material, ITEM_FEED);
  return json_builder_get_root (builder);
}

GBytes *
kac_wire_encode_material (const KacWireMaterial *material)
{
  g_autoptr(JsonNode) root = kac_wire_material_to_node (material);

  return node_to_bytes (root);
}

GBytes *
kac_wire_encode_material_request (const KacWireMaterial *material)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (material != NULL, NULL);

  build_material (builder, material, ITEM_REQUEST);
  return builder_to_bytes (builder);
}

JsonNode *
kac_wire_notice_to_node (const KacWireNotice *notice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (notice != NULL, NULL);

  build_notice (builder, notice, ITEM_FEED);
  return json_builder_get_root (builder);
}

GBytes *
kac_wire_encode_notice (const KacWireNotice *notice)
{
  g_autoptr(JsonNode) root = kac_wire_notice_to_node (notice);

  return node_to_bytes (root);
}

GBytes *
kac_wire_encode_notice_request (const KacWireNotice *notice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (notice != NULL, NULL);

  build_notice (builder, notice, ITEM_REQUEST);
  return builder_to_bytes (builder);
}

static GBytes *
encode_feed_page (KacWireFeedPage *page,
                  const char      *member,
                  gboolean         materials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (page != NULL && page->cursor != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->items->len; i++)
    {
      if (materials)
        build_material (builder, g_ptr_array_index (page->items, i), ITEM_FEED);
      else
        build_notice (builder, g_ptr_array_index (page->items, i), ITEM_FEED);
    }
  json_builder_end_array (builder);
  add_string_or_null (builder, "cursor", page->cursor);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, page->more);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

GBytes *
kac_wire_encode_materials_page (KacWireFeedPage *page)
{
  return encode_feed_page (page, "materials", TRUE);
}

GBytes *
kac_wire_encode_notices_page (KacWireFeedPage *page)
{
  return encode_feed_page (page, "notices", FALSE);
}

/* A feed page holds at most this many items. */
#define FEED_PAGE_MAX_ITEMS 5000

static KacWireFeedPage *
decode_feed_page (const char  *data,
                  gsize        length,
                  gboolean     materials,
                  GError     **error)
{
  const char *member = materials ? "materials" : "notices";
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KacWireFeedPage) page = NULL;
  JsonObject *object;
  JsonArray *items;
  const char *cursor;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_FEED_MAX_BYTES,
                       materials ? _("page of materials") : _("page of notices"), error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  page = materials ? kac_wire_materials_page_new () : kac_wire_notices_page_new ();
  if (!get_array (object, NULL, member, &items, error)
      || !get_string (object, NULL, "cursor", TRUE, KAC_WIRE_SHORT_MAX_BYTES, &cursor, error)
      || !get_boolean (object, NULL, "more", TRUE, &page->more, error))
    return NULL;
  page->cursor = g_strdup (cursor);

  n = json_array_get_length (items);
  if (n > FEED_PAGE_MAX_ITEMS)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The page holds %u items; the limit is %u."), n, (guint) FEED_PAGE_MAX_ITEMS);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", member, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE,
                       _("The item “%s” is not an object."), path);
          return NULL;
        }

      item = materials ? (gpointer) material_from_object (json_node_get_object (node), path, ITEM_FEED, error)
                       : (gpointer) notice_from_object (json_node_get_object (node), path, ITEM_FEED, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (page->items, item);
    }

  return g_steal_pointer (&page);
}

KacWireFeedPage *
kac_wire_decode_materials_page (const char  *data,
                                gsize        length,
                                GError     **error)
{
  return decode_feed_page (data, length, TRUE, error);
}

KacWireFeedPage *
kac_wire_decode_notices_page (const char  *data,
                              gsize        length,
                              GError     **error)
{
  return decode_feed_page (data, length, FALSE, error);
}

KacWireMaterial *
kac_wire_decode_material_request (const char  *data,
                                  gsize        length,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_PUBLISH_MAX_BYTES, _("material"), error);
  if (root == NULL)
    return NULL;

  return material_from_object (json_node_get_object (root), NULL, ITEM_REQUEST, error);
}

KacWireMaterial *
kac_wire_decode_material (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_PUBLISH_MAX_BYTES, _("material"), error);
  if (root == NULL)
    return NULL;

  return material_from_object (json_node_get_object (root), NULL, ITEM_FEED, error);
}

KacWireNotice *
kac_wire_decode_notice_request (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_PUBLISH_MAX_BYTES, _("notice"), error);
  if (root == NULL)
    return NULL;

  return notice_from_object (json_node_get_object (root), NULL, ITEM_REQUEST, error);
}

KacWireNotice *
kac_wire_decode_notice (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, KAC_WIRE_PUBLISH_MAX_BYTES, _("notice"), error);
  if (root == NULL)
    return NULL;

  return notice_from_object (json_node_get_object (root), NULL, ITEM_FEED, error);
}

GBytes *
kac_wire_encode_attachment_info (const char *sha256,
                                 gint64      size,
                                 const char *content_type)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_or_null (builder, "sha256", sha256);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  add_string_or_null (builder, "content_type", content_type);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}
