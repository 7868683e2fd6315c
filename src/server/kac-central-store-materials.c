/* kac-central-store-materials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Materials, notices and attachments in kac-central's store. An item's current wire document
 * is stored as written by kac-wire, so a feed page is those documents joined into the page's
 * array: no re-encoding per request, and the bytes sent are the bytes checked when stored.
 */
#define G_LOG_DOMAIN "kac-central-store"

#include "config.h"

#include "kac-central-store-materials.h"
#include "kac-central-store-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* Helpers */

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

static gboolean
step_done (KacCentralStore  *self,
           sqlite3_stmt     *stmt,
           const char       *what,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _kac_central_store_set_sqlite_error (self, error, what);

  return TRUE;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strndup (data, length);
}

static gboolean
begin (KacCentralStore  *self,
       GError          **error)
{
  return _kac_central_store_exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
finish (KacCentralStore  *self,
        gboolean          ok,
        GError          **error)
{
  if (ok && _kac_central_store_exec (self, "COMMIT", error))
    return TRUE;

  _kac_central_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Attachments */

char *
kac_central_store_put_attachment (KacCentralStore  *self,
                                  GBytes           *data,
                                  const char       *content_type,
                                  gint64            user_id,
                                  GDateTime        *now,
                                  GError          **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *uploaded_at = NULL;
  sqlite3_stmt *stmt;
  gsize length = 0;
  gconstpointer bytes;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (length == 0 || length > KAC_WIRE_ATTACHMENT_MAX_BYTES)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                   _("An attachment must hold from 1 byte to %d MiB."),
                   KAC_WIRE_ATTACHMENT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  sha256 = kac_wire_sha256_of_bytes (data);
  uploaded_at = kac_wire_format_timestamp (now);
  stmt = _kac_central_store_get_stmt (self,
                                      "INSERT INTO attachments (sha256, content_type, size, data, "
                                      "uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                      "ON CONFLICT (sha256) DO NOTHING",
                                      error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, sha256);
  bind_text (stmt, 2, content_type);
  sqlite3_bind_int64 (stmt, 3, (gint64) length);
  sqlite3_bind_blob64 (stmt, 4, bytes, length, SQLITE_STATIC);
  if (user_id > 0)
    sqlite3_bind_int64 (stmt, 5, user_id);
  else
    sqlite3_bind_null (stmt, 5);
  bind_text (stmt, 6, uploaded_at);

  if (!step_done (self, stmt, _("storing an attachment"), error))
    return NULL;

  return g_steal_pointer (&sha256);
}

GBytes *
kac_central_store_get_attachment (KacCentralStore  *self,
                                  const char       *sha256,
                                  char            **content_type,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  stmt = _kac_central_store_get_stmt (self,
                                      "SELECT content_type, data FROM attachments WHERE sha256 = ?1",
                                      error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (content_type != NULL)
        *content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _kac_central_store_set_sqlite_error (self, error, _("reading an attachment"));

  return bytes;
}

/* Items: the part materials and notices share */

typedef struct
{
  const char *table;
  const char *select_sql;    /* institution, version, deleted of id ?1 */
  const char *upsert_sql;    /* ?1 id, ?2 institution, ?3 version, ?4 deleted, ?5 document, ?6 seq */
  const char *version_sql;   /* ?1 id, ?2 version, ?3 document, ?4 user, ?5 actor, ?6 at */
} ItemTable;

static const ItemTable material_table = {
  "materials",
  "SELECT institution, version, deleted FROM materials WHERE id = ?1",
  "INSERT INTO materials (id, institution, version, deleted, document, change_seq) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET version = excluded.version, "
  "deleted = excluded.deleted, document = excluded.document, change_seq = excluded.change_seq",
  "INSERT INTO material_versions (id, version, document, changed_by, actor, changed_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

static const ItemTable notice_table = {
  "notices",
  "SELECT institution, version, deleted FROM notices WHERE id = ?1",
  "INSERT INTO notices (id, institution, version, deleted, document, change_seq) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET version = excluded.version, "
  "deleted = excluded.deleted, document = excluded.document, change_seq = excluded.change_seq",
  "INSERT INTO notice_versions (id, version, document, changed_by, actor, changed_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

/* The next version of item @id (1 when @id is new). Checks that it belongs to @institution
 * and is not withdrawn. */
static gboolean
next_version (KacCentralStore  *self,
              const ItemTable  *table,
              const char       *id,
              const char       *institution,
              gint64           *version,
              GError          **error)
{
  sqlite3_stmt *stmt = _kac_central_store_get_stmt (self, table->select_sql, error);
  g_autofree char *owner = NULL;
  gboolean deleted = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *version = 1;
  if (rc == SQLITE_ROW)
    {
      owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *version = sqlite3_column_int64 (stmt, 1) + 1;
      deleted = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _kac_central_store_set_sqlite_error (self, error, _("reading an item"));

  if (owner == NULL || deleted)
    return TRUE;

  if (g_strcmp0 (owner, institution) != 0)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FORBIDDEN,
                   _("This item belongs to %s: only its users can change it."), owner);
      return FALSE;
    }

  return TRUE;
}

static gboolean
item_exists (KacCentralStore  *self,
             const ItemTable  *table,
             const char       *id,
             GError          **error)
{
  sqlite3_stmt *stmt = _kac_central_store_get_stmt (self, table->select_sql, error);
  gboolean live;
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  live = rc == SQLITE_ROW && sqlite3_column_int (stmt, 2) == 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _kac_central_store_set_sqlite_error (self, error, _("reading an item"));

  if (!live)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND,
                   _("There is no such item, or it was withdrawn."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_item (KacCentralStore  *self,
            const ItemTable  *table,
            const char       *id,
            const char       *institution,
            gint64            version,
            gboolean          deleted,
            const char       *document,
            gint64            user_id,
            const char       *actor,
            GDateTime        *now,
            GError          **error)
{
  g_autofree char *changed_at = kac_wire_format_timestamp (now);
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!_kac_central_store_next_change (self, &seq, error))
    return FALSE;

  if (!(stmt = _kac_central_store_get_stmt (self, table->upsert_sql, error)))
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, institution);
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_int (stmt, 4, deleted);
  bind_text (stmt, 5, document);
  sqlite3_bind_int64 (stmt, 6, seq);
  if (!step_done (self, stmt, _("storing an item"), error))
    return FALSE;

  if (!(stmt = _kac_central_store_get_stmt (self, table->version_sql, error)))
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, version);
  bind_text (stmt, 3, document);
  if (user_id > 0)
    sqlite3_bind_int64 (stmt, 4, user_id);
  else
    sqlite3_bind_null (stmt, 4);
  bind_text (stmt, 5, actor != NULL ? actor : "operator");
  bind_text (stmt, 6, changed_at);

  return step_done (self, stmt, _("storing an item version"), error);
}

/* A tombstone document. */
static char *
tombstone (const char *id,
           gint64      version)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"version\":%" G_GINT64_FORMAT ",\"deleted\":true}",
                          id, version);
}

static gboolean
withdraw_item (KacCentralStore  *self,
               const ItemTable  *table,
               const char       *id,
               const char       *institution,
               gint64            user_id,
               const char       *actor,
               GDateTime        *now,
               GError          **error)
{
  g_autofree char *document = NULL;
  gint64 version;
  gboolean ok;

  if (!begin (self, error))
    return FALSE;

  ok = item_exists (self, table, id, error)
       && next_version (self, table, id, institution, &version, error);
  if (ok)
    {
      document = tombstone (id, version);
      ok = write_item (self, table, id, institution, version, TRUE, document, user_id, actor,
                       now, error);
    }

  return finish (self, ok, error);
}

/* Materials */

/* Fills in the content type and size of each attachment from what was uploaded. */
static gboolean
complete_attachments (KacCentralStore  *self,
                      KacWireMaterial  *material,
                      GError          **error)
{
  for (guint i = 0; i < material->attachments->len; i++)
    {
      KacWireAttachment *attachment = g_ptr_array_index (material->attachments, i);
      sqlite3_stmt *stmt = _kac_central_store_get_stmt (self,
                                                        "SELECT content_type, size FROM attachments "
                                                        "WHERE sha256 = ?1",
                                                        error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      bind_text (stmt, 1, attachment->sha256);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_free (attachment->content_type);
          attachment->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          attachment->size = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);

      if (rc == SQLITE_DONE)
        {
          g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                       _("The attachment “%s” was not uploaded. Upload it first, then publish "
                         "the material."), attachment->name);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        return _kac_central_store_set_sqlite_error (self, error, _("reading an attachment"));
    }

  return TRUE;
}

KacWireMaterial *
kac_central_store_publish_material (KacCentralStore       *self,
                                    const char            *id,
                                    const KacWireMaterial *request,
                                    const char            *institution,
                                    gint64                 user_id,
                                    const char            *actor,
                                    GDateTime             *now,
                                    GError               **error)
{
  g_autoptr(KacWireMaterial) material = kac_wire_material_new ();
  g_autoptr(GBytes) document = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (institution != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  material->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  material->institution = g_strdup (institution);
  material->title = g_strdup (request->title);
  material->services = g_strdupv (request->services);
  material->body = g_strdup (request->body);
  material->updated_at = g_date_time_to_utc (now);
  for (guint i = 0; i < request->attachments->len; i++)
    {
      KacWireAttachment *attachment = g_ptr_array_index (request->attachments, i);

      g_ptr_array_add (material->attachments,
                       kac_wire_attachment_new (attachment->sha256, attachment->name, NULL, 0));
    }

  if (!begin (self, error))
    return NULL;

  ok = (id == NULL || item_exists (self, &material_table, id, error))
       && next_version (self, &material_table, material->id, institution, &material->version, error)
       && complete_attachments (self, material, error);
  if (ok)
    {
      document = kac_wire_encode_material (material);
      text = bytes_to_string (document);
      ok = write_item (self, &material_table, material->id, institution, material->version,
                       FALSE, text, user_id, actor, now, error);
    }

  if (!finish (self, ok, error))
    return NULL;

  return g_steal_pointer (&material);
}

gboolean
kac_central_store_withdraw_material (KacCentralStore  *self,
                                     const char       *id,
                                     const char       *institution,
                                     gint64            user_id,
                                     const char       *actor,
                                     GDateTime        *now,
                                     GError          **error)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && institution != NULL, FALSE);

  return withdraw_item (self, &material_table, id, institution, user_id, actor, now, error);
}

/* Notices */

static gboolean
set_notice_centres (KacCentralStore      *self,
                    const KacWireNotice  *notice,
                    GError              **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _kac_central_store_get_stmt (self,
                                            "UPDATE notice_centres SET active = 0 WHERE notice_id = ?1",
                                            error)))
    return FALSE;
  bind_text (stmt, 1, notice->id);
  if (!step_done (self, stmt, _("storing a notice"), error))
    return FALSE;

  for (guint i = 0; notice->centres != NULL && notice->centres[i] != NULL; i++)
    {
      int rc;

      if (!(stmt = _kac_central_store_get_stmt (self,
                                                "INSERT INTO notice_centres (notice_id, centre_id, active) "
                                                "SELECT ?1, id, 1 FROM centres WHERE id = ?2 "
                                                "ON CONFLICT (notice_id, centre_id) DO UPDATE SET active = 1",
                                                error)))
        return FALSE;
      bind_text (stmt, 1, notice->id);
      bind_text (stmt, 2, notice->centres[i]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _kac_central_store_set_sqlite_error (self, error, _("storing a notice"));

      if (sqlite3_changes (_kac_central_store_get_db (self)) == 0)
        {
          g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                       _("There is no centre “%s”."), notice->centres[i]);
          return FALSE;
        }
    }

  return TRUE;
}

KacWireNotice *
kac_central_store_publish_notice (KacCentralStore      *self,
                                  const char           *id,
                                  const KacWireNotice  *request,
                                  const char           *institution,
                                  gint64                user_id,
                                  const char           *actor,
                                  GDateTime            *now,
                                  GError              **error)
{
  g_autoptr(KacWireNotice) notice = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (institution != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (request->centres == NULL || request->centres[0] == NULL)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                   _("A notice must name at least one centre."));
      return NULL;
    }

  notice = kac_wire_notice_copy (request);
  g_free (notice->id);
  notice->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  g_free (notice->institution);
  notice->institution = g_strdup (institution);
  notice->deleted = FALSE;
  g_clear_pointer (&notice->created_at, g_date_time_unref);
  notice->created_at = g_date_time_to_utc (now);

  if (!begin (self, error))
    return NULL;

  ok = (id == NULL || item_exists (self, &notice_table, id, error))
       && next_version (self, &notice_table, notice->id, institution, &notice->version, error);
  if (ok)
    {
      document = kac_wire_encode_notice (notice);
      text = bytes_to_string (document);
      ok = write_item (self, &notice_table, notice->id, institution, notice->version, FALSE,
                       text, user_id, actor, now, error)
           && set_notice_centres (self, notice, error);
    }

  if (!finish (self, ok, error))
    return NULL;

  return g_steal_pointer (&notice);
}

gboolean
kac_central_store_withdraw_notice (KacCentralStore  *self,
                                   const char       *id,
                                   const char       *institution,
                                   gint64            user_id,
                                   const char       *actor,
                                   GDateTime        *now,
                                   GError          **error)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && institution != NULL, FALSE);

  return withdraw_item (self, &notice_table, id, institution, user_id, actor, now, error);
}

/* Feeds */

static GBytes *
list_feed (KacCentralStore  *self,
           const char       *member,
           sqlite3_stmt     *stmt,
           gint64            since,
           guint             limit,
           GError          **error)
{
  g_autoptr(GString) page = g_string_new (NULL);
  gint64 last_seq = since;
  gboolean more = FALSE;
  guint n = 0;
  int rc;

  g_string_append_printf (page, "{\"%s\":[", member);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == limit || page->len > KAC_CENTRAL_FEED_PAGE_SOFT_BYTES)
        {
          more = TRUE;
          break;
        }
      if (n > 0)
        g_string_append_c (page, ',');
      g_string_append_len (page, (const char *) sqlite3_column_text (stmt, 0),
                           sqlite3_column_bytes (stmt, 0));
      last_seq = sqlite3_column_int64 (stmt, 1);
      n++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _kac_central_store_set_sqlite_error (self, error, _("listing changes"));
      return NULL;
    }

  /* As for status changes: on the last page the cursor jumps to the newest change anywhere,
   * so the next poll does not pass over others' changes again. */
  if (!more)
    {
      gint64 global_last = kac_central_store_get_last_change (self, error);

      if (global_last < 0)
        return NULL;
      last_seq = MAX (last_seq, global_last);
    }

  g_string_append_printf (page, "],\"cursor\":\"%s.%" G_GINT64_FORMAT "\",\"more\":%s}",
                          kac_central_store_get_epoch (self), last_seq, more ? "true" : "false");

  return g_string_free_to_bytes (g_steal_pointer (&page));
}

GBytes *
kac_central_store_list_materials (KacCentralStore  *self,
                                  gint64            since,
                                  guint             limit,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* One read transaction, so that the page and the global counter agree. */
  if (!_kac_central_store_exec (self, "BEGIN", error))
    return NULL;

  stmt = _kac_central_store_get_stmt (self,
                                      "SELECT document, change_seq FROM materials "
                                      "WHERE change_seq > ?1 ORDER BY change_seq LIMIT ?2",
                                      error);
  if (stmt == NULL)
    {
      _kac_central_store_exec (self, "ROLLBACK", NULL);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);

  bytes = list_feed (self, "materials", stmt, since, limit, error);
  _kac_central_store_exec (self, bytes != NULL ? "COMMIT" : "ROLLBACK", NULL);
  return bytes;
}

GBytes *
kac_central_store_list_notices (KacCentralStore  *self,
                                const char       *centre_id,
                                gint64            since,
                                guint             limit,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (centre_id != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!_kac_central_store_exec (self, "BEGIN", error))
    return NULL;

  stmt = _kac_central_store_get_stmt (self,
                                      "SELECT CASE WHEN c.active THEN n.document ELSE "
                                      "json_object('id', n.id, 'version', n.version, "
                                      "'deleted', json('true')) END, n.change_seq "
                                      "FROM notices n JOIN notice_centres c ON c.notice_id = n.id "
                                      "WHERE c.centre_id = ?1 AND n.change_seq > ?2 "
                                      "ORDER BY n.change_seq LIMIT ?3",
                                      error);
  if (stmt == NULL)
    {
      _kac_central_store_exec (self, "ROLLBACK", NULL);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, centre_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  bytes = list_feed (self, "notices", stmt, since, limit, error);
  _kac_central_store_exec (self, bytes != NULL ? "COMMIT" : "ROLLBACK", NULL);
  return bytes;
}
