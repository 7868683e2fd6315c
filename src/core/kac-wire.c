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

  if (data == NULL)
    length = 0;

  if (length > max_bytes)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   /* Translators: %s names a document, e.g. "batch request"; the numbers are bytes. */
                   _("The %s is %" G_GSIZE_FORMAT " bytes long; the limit is %" G_GSIZE_FORMAT " bytes."),
                   what, length, max_bytes);
      return NULL;
    }

  if (length == 0)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("The %s is empty."), what);
      return NULL;
    }

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("The %s is not valid UTF-8 text."), what);
      return NULL;
    }

  if (measure_depth (data, length, KAC_WIRE_MAX_DEPTH) > KAC_WIRE_MAX_DEPTH)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The %s is nested more than %d levels deep."), what, KAC_WIRE_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("The %s is not valid JSON: %s"), what, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX,
                   _("The %s is not a JSON object."), what);
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
  if (strlen (string) > max_bytes)
    {
      g_autofree char *full = member_path (path, name);

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The member “%s” is longer than %" G_GSIZE_FORMAT " bytes."),
                   full, max_bytes);
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

      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                   _("The member “%s” is out of range (%" G_GINT64_FORMAT ")."), full, *value);
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

  *value = g_date_time_to_utc (parsed);
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

  g_return_val_if_fail (date_time != NULL, NULL);

  utc = g_date_time_to_utc (date_time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
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

/* Catalogue */

KacCatalog *
kac_wire_decode_catalog (GBytes  *bytes,
                         GError **error)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (length > KAC_WIRE_CATALOG_MAX_BYTES)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The catalogue is %" G_GSIZE_FORMAT " bytes long; the limit is %d bytes."),
                   length, KAC_WIRE_CATALOG_MAX_BYTES);
      return NULL;
    }

  if (length > 0 && measure_depth (data, length, KAC_WIRE_MAX_DEPTH) > KAC_WIRE_MAX_DEPTH)
    {
      g_set_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE,
                   _("The catalogue is nested more than %d levels deep."), KAC_WIRE_MAX_DEPTH);
      return NULL;
    }

  return kac_catalog_new_from_bytes (bytes, error);
}
