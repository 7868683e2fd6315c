/* kac-central-store-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-central-store"

#include "config.h"

#include "kac-central-store-audit.h"
#include "kac-central-store-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

static const char * const event_names[] = {
  "registration", "status-change", "sign-in", "sign-in-failed", "sign-out",
};

const char *
kac_central_audit_event_to_string (KacCentralAuditEvent event)
{
  g_return_val_if_fail (event <= KAC_CENTRAL_AUDIT_SIGN_OUT, NULL);

  return event_names[event];
}

void
kac_central_audit_entry_free (KacCentralAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->at);
  g_free (entry->event);
  g_free (entry->username);
  g_free (entry->source);
  g_free (entry->record_uuid);
  g_free (entry->centre_id);
  g_free (entry->institution);
  g_free (entry->detail);
  g_free (entry);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
kac_central_store_audit (KacCentralStore       *self,
                         KacCentralAuditEvent   event,
                         KacCentralUser        *user,
                         const char            *username,
                         const char            *source,
                         GDateTime             *at,
                         GError               **error)
{
  g_autofree char *at_text = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (event >= KAC_CENTRAL_AUDIT_SIGN_IN && event <= KAC_CENTRAL_AUDIT_SIGN_OUT, FALSE);
  g_return_val_if_fail (user != NULL || username != NULL, FALSE);
  g_return_val_if_fail (at != NULL, FALSE);

  /* A name that was only tried is whatever a client sent: kept valid and short. */
  name = g_utf8_make_valid (user != NULL ? user->username : username, -1);
  if (g_utf8_strlen (name, -1) > 64)
    {
      char *end = g_utf8_offset_to_pointer (name, 64);

      *end = '\0';
    }
  at_text = kac_wire_format_timestamp (at);

  stmt = _kac_central_store_get_stmt (self,
                                      "INSERT INTO audit_log (at, event, username, user_id, source, "
                                      "centre_id, institution) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                      error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, at_text);
  bind_text (stmt, 2, kac_central_audit_event_to_string (event));
  bind_text (stmt, 3, name);
  if (user != NULL)
    sqlite3_bind_int64 (stmt, 4, user->id);
  else
    sqlite3_bind_null (stmt, 4);
  bind_text (stmt, 5, source);
  bind_text (stmt, 6, user != NULL ? user->centre_id : NULL);
  bind_text (stmt, 7, user != NULL ? user->institution : NULL);

  /* One statement outside a transaction is its own durable transaction. */
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _kac_central_store_set_sqlite_error (self, error, _("writing the audit log"));

  return TRUE;
}

GPtrArray *
kac_central_store_list_audit (KacCentralStore  *self,
                              gint64            after_id,
                              GDateTime        *since,
                              guint             limit,
                              gboolean         *more,
                              GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_central_audit_entry_free);
  g_autofree char *since_text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= KAC_CENTRAL_AUDIT_PAGE_MAX, NULL);

  *more = FALSE;
  if (since != NULL)
    {
      /* Timestamps are stored in one format (UTC, fixed width), so text order is time order. */
      g_autoptr(GDateTime) utc = g_date_time_to_utc (since);

      since_text = kac_wire_format_timestamp (utc);
      stmt = _kac_central_store_get_stmt (self,
                                          "SELECT id, at, event, username, user_id, source, record_uuid, "
                                          "centre_id, institution, detail FROM audit_log "
                                          "WHERE at >= ?1 ORDER BY id LIMIT ?2",
                                          error);
      if (stmt == NULL)
        return NULL;
      bind_text (stmt, 1, since_text);
    }
  else
    {
      stmt = _kac_central_store_get_stmt (self,
                                          "SELECT id, at, event, username, user_id, source, record_uuid, "
                                          "centre_id, institution, detail FROM audit_log "
                                          "WHERE id > ?1 ORDER BY id LIMIT ?2",
                                          error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, after_id);
    }
  /* One more than asked tells whether there is more. */
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KacCentralAuditEntry *entry;

      if (entries->len == limit)
        {
          *more = TRUE;
          break;
        }

      entry = g_new0 (KacCentralAuditEntry, 1);
      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = dup_column_text (stmt, 1);
      entry->event = dup_column_text (stmt, 2);
      entry->username = dup_column_text (stmt, 3);
      entry->user_id = sqlite3_column_int64 (stmt, 4);
      entry->source = dup_column_text (stmt, 5);
      entry->record_uuid = dup_column_text (stmt, 6);
      entry->centre_id = dup_column_text (stmt, 7);
      entry->institution = dup_column_text (stmt, 8);
      entry->detail = dup_column_text (stmt, 9);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _kac_central_store_set_sqlite_error (self, error, _("reading the audit log"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

GBytes *
kac_central_audit_encode_page (GPtrArray *entries,
                               gint64     after_id,
                               gboolean   more)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next = NULL;
  gint64 last = after_id;
  char *text;
  gsize length;

  g_return_val_if_fail (entries != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      KacCentralAuditEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, entry->id);
      add_string (builder, "at", entry->at);
      add_string (builder, "event", entry->event);
      add_string (builder, "username", entry->username);
      add_string (builder, "source", entry->source);
      add_string (builder, "record_uuid", entry->record_uuid);
      add_string (builder, "centre_id", entry->centre_id);
      add_string (builder, "institution", entry->institution);
      add_string (builder, "detail", entry->detail);
      json_builder_end_object (builder);
      last = entry->id;
    }
  json_builder_end_array (builder);
  /* The position to continue from (as ?since=), also when the page was asked by time. */
  next = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  add_string (builder, "next", next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}
