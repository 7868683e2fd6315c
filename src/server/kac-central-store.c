/* kac-central-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WAL with synchronous=FULL: a batch the server has answered is on the disk. Every write is a
 * BEGIN IMMEDIATE transaction; the schema grows by numbered migrations on user_version, each
 * in its own transaction. Statements are prepared once and cached by their SQL text.
 */
#define G_LOG_DOMAIN "kac-central-store"

#include "config.h"

#include "kac-central-store.h"
#include "kac-central-store-private.h"

#include "kac-calendar.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#define BUSY_TIMEOUT_MS 5000

struct _KacCentralStore
{
  GObject     parent_instance;

  char       *path;
  int         lock_fd;
  sqlite3    *db;
  GHashTable *stmts;       /* SQL text → sqlite3_stmt */
  char       *epoch;
  gint64      n_records;
  gboolean    in_transaction;
  KacCalendar *calendar;   /* due dates count Latvian working days */
};

G_DEFINE_FINAL_TYPE (KacCentralStore, kac_central_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (kac-central-store-error-quark, kac_central_store_error)

/* Roles */

static const char * const role_names[] = { "clerk", "manager", "institution", "admin" };

const char *
kac_central_role_to_string (KacCentralRole role)
{
  g_return_val_if_fail (role <= KAC_CENTRAL_ROLE_ADMIN, NULL);

  return role_names[role];
}

gboolean
kac_central_role_from_string (const char     *string,
                              KacCentralRole *role)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (string, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = i;
        return TRUE;
      }

  return FALSE;
}

void
kac_central_user_free (KacCentralUser *user)
{
  if (user == NULL)
    return;

  g_free (user->username);
  g_free (user->display_name);
  g_free (user->password_hash);
  g_free (user->centre_id);
  g_free (user->centre_name);
  g_free (user->institution);
  g_free (user);
}

void
kac_central_stored_record_free (KacCentralStoredRecord *stored)
{
  if (stored == NULL)
    return;

  g_free (stored->hash);
  g_free (stored->central_number);
  g_free (stored->centre_id);
  g_free (stored);
}

/* Schema */

static const char * const migrations[] = {
  /* 1: the first schema. */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value ANY NOT NULL"
  ") STRICT;"
  "CREATE TABLE centres ("
  "  id         TEXT PRIMARY KEY,"
  "  name       TEXT NOT NULL,"
  "  kind       TEXT NOT NULL CHECK (kind IN ('county', 'regional', 'national')),"
  "  created_at TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE users ("
  "  id            INTEGER PRIMARY KEY,"
  "  username      TEXT NOT NULL UNIQUE,"
  "  display_name  TEXT,"
  "  password_hash TEXT NOT NULL,"
  "  role          TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'institution', 'admin')),"
  "  centre_id     TEXT REFERENCES centres (id),"
  "  institution   TEXT,"
  "  created_at    TEXT NOT NULL,"
  "  CHECK ((role IN ('clerk', 'manager')) = (centre_id IS NOT NULL)),"
  "  CHECK ((role = 'institution') = (institution IS NOT NULL))"
  ") STRICT;"
  "CREATE TABLE tokens ("
  "  hash       BLOB PRIMARY KEY,"
  "  user_id    INTEGER NOT NULL REFERENCES users (id),"
  "  created_at TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL,"   /* Unix seconds */
  "  revoked_at TEXT"
  ") STRICT;"
  "CREATE TABLE number_sequences ("
  "  year INTEGER PRIMARY KEY,"
  "  last INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE records ("
  "  uuid              TEXT PRIMARY KEY,"
  "  body_hash         TEXT NOT NULL,"
  "  body              TEXT NOT NULL,"
  "  central_number    TEXT NOT NULL UNIQUE,"
  "  centre_id         TEXT NOT NULL REFERENCES centres (id),"
  "  kind              TEXT NOT NULL,"
  "  service_code      TEXT,"
  "  institution_code  TEXT,"
  "  channel           TEXT NOT NULL,"
  "  created_at        TEXT NOT NULL,"
  "  received_at       TEXT NOT NULL,"
  "  submitted_by      INTEGER NOT NULL REFERENCES users (id),"
  "  status            TEXT NOT NULL CHECK (status IN ('registered', 'forwarded', 'completed')),"
  "  status_changed_at TEXT NOT NULL,"
  "  due_date          TEXT,"
  "  change_seq        INTEGER NOT NULL UNIQUE"
  ") STRICT;"
  "CREATE INDEX records_centre_change ON records (centre_id, change_seq);"
  "CREATE TABLE status_audit ("
  "  id          INTEGER PRIMARY KEY,"
  "  record_uuid TEXT NOT NULL REFERENCES records (uuid),"
  "  user_id     INTEGER REFERENCES users (id),"
  "  actor       TEXT NOT NULL,"
  "  from_status TEXT,"
  "  to_status   TEXT NOT NULL,"
  "  due_date    TEXT,"
  "  note        TEXT,"
  "  changed_at  TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX status_audit_record ON status_audit (record_uuid);",
  /* 2: methodological materials, staff notices and attachments (issue 4). Each item keeps its
   * current wire document, so a feed page is the documents joined; every version is kept in
   * the *_versions tables. notice_centres rows stay when a centre is dropped from a notice
   * (active = 0), so that centre is sent a tombstone. */
  "CREATE TABLE attachments ("
  "  sha256       TEXT PRIMARY KEY,"
  "  content_type TEXT NOT NULL,"
  "  size         INTEGER NOT NULL,"
  "  data         BLOB NOT NULL,"
  "  uploaded_by  INTEGER REFERENCES users (id),"
  "  uploaded_at  TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE materials ("
  "  id           TEXT PRIMARY KEY,"
  "  institution  TEXT NOT NULL,"
  "  version      INTEGER NOT NULL,"
  "  deleted      INTEGER NOT NULL DEFAULT 0,"
  "  document     TEXT NOT NULL,"
  "  change_seq   INTEGER NOT NULL UNIQUE"
  ") STRICT;"
  "CREATE TABLE material_versions ("
  "  id           TEXT NOT NULL REFERENCES materials (id),"
  "  version      INTEGER NOT NULL,"
  "  document     TEXT NOT NULL,"
  "  changed_by   INTEGER REFERENCES users (id),"
  "  actor        TEXT NOT NULL,"
  "  changed_at   TEXT NOT NULL,"
  "  PRIMARY KEY (id, version)"
  ") STRICT;"
  "CREATE TABLE notices ("
  "  id           TEXT PRIMARY KEY,"
  "  institution  TEXT NOT NULL,"
  "  version      INTEGER NOT NULL,"
  "  deleted      INTEGER NOT NULL DEFAULT 0,"
  "  document     TEXT NOT NULL,"
  "  change_seq   INTEGER NOT NULL UNIQUE"
  ") STRICT;"
  "CREATE TABLE notice_centres ("
  "  notice_id    TEXT NOT NULL REFERENCES notices (id),"
  "  centre_id    TEXT NOT NULL REFERENCES centres (id),"
  "  active       INTEGER NOT NULL DEFAULT 1,"
  "  PRIMARY KEY (notice_id, centre_id)"
  ") STRICT;"
  "CREATE INDEX notice_centres_centre ON notice_centres (centre_id);"
  "CREATE TABLE notice_versions ("
  "  id           TEXT NOT NULL REFERENCES notices (id),"
  "  version      INTEGER NOT NULL,"
  "  document     TEXT NOT NULL,"
  "  changed_by   INTEGER REFERENCES users (id),"
  "  actor        TEXT NOT NULL,"
  "  changed_at   TEXT NOT NULL,"
  "  PRIMARY KEY (id, version)"
  ") STRICT;",
  /* 3: figures (issue 5). Each record keeps the day in Latvia it was registered on (its
   * created_at in Europe/Riga) and the client's satisfaction answer (NULL: not asked), so
   * the figures of a centre and a range are one scan of one covering index, never of the
   * bodies. Existing rows get both from what they already hold. */
  "ALTER TABLE records ADD COLUMN local_date TEXT;"
  "ALTER TABLE records ADD COLUMN satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5);"
  "UPDATE records SET local_date = kac_local_date (created_at),"
  "  satisfaction = CASE WHEN json_extract (body, '$.satisfaction') BETWEEN 1 AND 5"
  "                 THEN json_extract (body, '$.satisfaction') END;"
  "CREATE INDEX records_stats ON records (centre_id, local_date, service_code, institution_code,"
  "  kind, channel, satisfaction, status, due_date, status_changed_at);",
  /* 4: the audit log (issue 7, MK 402 §9.8): every registration, status change, sign-in,
   * failed sign-in and sign-out, without personal data (no client, no note). Append-only:
   * triggers refuse UPDATE and DELETE, so neither a bug nor a careless operator's SQL can
   * rewrite history (someone who can replace the file can do anything; backups guard that).
   * Registrations and status changes come from status_audit through a trigger, in the same
   * transaction as the change itself; what status_audit already holds is copied in. */
  "CREATE TABLE audit_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  at          TEXT NOT NULL,"
  "  event       TEXT NOT NULL CHECK (event IN ('registration', 'status-change', 'sign-in',"
  "                                             'sign-in-failed', 'sign-out')),"
  "  username    TEXT,"     /* who; for a failed sign-in the name that was tried */
  "  user_id     INTEGER,"  /* no foreign key: the log outlives what it names */
  "  source      TEXT,"     /* the client's address, for sign-ins and sign-outs */
  "  record_uuid TEXT,"
  "  centre_id   TEXT,"
  "  institution TEXT,"
  "  detail      TEXT"      /* the status, or "from → to" */
  ") STRICT;"
  "CREATE INDEX audit_log_at ON audit_log (at);"
  "INSERT INTO audit_log (at, event, username, user_id, record_uuid, centre_id, institution, detail)"
  "  SELECT a.changed_at, CASE WHEN a.from_status IS NULL THEN 'registration' ELSE 'status-change' END,"
  "         a.actor, a.user_id, a.record_uuid, r.centre_id, r.institution_code,"
  "         CASE WHEN a.from_status IS NULL THEN a.to_status"
  "              ELSE a.from_status || ' → ' || a.to_status END"
  "  FROM status_audit a JOIN records r ON r.uuid = a.record_uuid ORDER BY a.id;"
  "CREATE TRIGGER status_audit_to_audit_log AFTER INSERT ON status_audit BEGIN"
  "  INSERT INTO audit_log (at, event, username, user_id, record_uuid, centre_id, institution, detail)"
  "  SELECT NEW.changed_at,"
  "         CASE WHEN NEW.from_status IS NULL THEN 'registration' ELSE 'status-change' END,"
  "         NEW.actor, NEW.user_id, NEW.record_uuid, r.centre_id, r.institution_code,"
  "         CASE WHEN NEW.from_status IS NULL THEN NEW.to_status"
  "              ELSE NEW.from_status || ' → ' || NEW.to_status END"
  "  FROM records r WHERE r.uuid = NEW.record_uuid;"
  "END;"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');"
  "END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');"
  "END;",
};

/* Helpers */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
set_sqlite_error (KacCentralStore  *self,
                  GError          **error,
                  const char       *what)
{
  g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FAILED,
               /* Translators: %1$s is what was being done, %2$s SQLite's message. */
               _("The central database failed while %1$s: %2$s"),
               what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec_sql (KacCentralStore  *self,
          const char       *sql,
          GError          **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FAILED,
                   _("The central database failed: %s"), message ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/* A cached, reset statement for @sql (a string literal: its address is stable). */
static sqlite3_stmt *
get_stmt (KacCentralStore  *self,
          const char       *sql,
          GError          **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, _("preparing a statement"));
          return NULL;
        }
      g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
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

/* Runs a statement that returns no row. */
static gboolean
step_done (KacCentralStore  *self,
           sqlite3_stmt     *stmt,
           const char       *what,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, what);

  return TRUE;
}

static char *
format_now (GDateTime *now)
{
  return kac_wire_format_timestamp (now);
}

static gboolean
get_meta_int (KacCentralStore  *self,
              const char       *key,
              gint64           *value,
              GError          **error)
{
  sqlite3_stmt *stmt = get_stmt (self, "SELECT value FROM meta WHERE key = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("reading a counter"));

  return TRUE;
}

static gboolean
set_meta (KacCentralStore  *self,
          const char       *key,
          const char       *text,
          gint64            number,
          GError          **error)
{
  sqlite3_stmt *stmt = get_stmt (self,
                                 "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, key);
  if (text != NULL)
    bind_text (stmt, 2, text);
  else
    sqlite3_bind_int64 (stmt, 2, number);

  return step_done (self, stmt, _("writing a counter"), error);
}

static char *
make_epoch (void)
{
  /* 64 random bits in hex: a restored backup gets a fresh one, so a client's old cursor can
   * never be taken for a position in the new history. */
  return g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
}

/* Opening */

/* kac_local_date (timestamp): the day in Latvia ("YYYY-MM-DD") of an ISO 8601 instant, NULL
 * for NULL or anything else. */
static void
local_date_function (sqlite3_context  *context,
                     int               argc,
                     sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(GDateTime) instant = NULL;
  char day[11];
  GDate date;

  if (text == NULL || (instant = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  kac_calendar_date_of (instant, &date);
  g_snprintf (day, sizeof day, "%04u-%02u-%02u", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  sqlite3_result_text (context, day, -1, SQLITE_TRANSIENT);
}

static gboolean
take_lock (KacCentralStore  *self,
           GError          **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);

  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FAILED,
                   _("Cannot open the lock file “%s”: %s"), lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_LOCKED,
                   _("The database “%s” is in use by another kac-central process (a running "
                     "server?). Stop it, then try again."), self->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (KacCentralStore  *self,
         GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  int version;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return set_sqlite_error (self, error, _("reading the schema version"));
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_VERSION,
                   _("The database “%s” was made by a newer kac-central (schema %d; this one "
                     "knows up to %u). Use the newer version."),
                   self->path, version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec_sql (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!exec_sql (self, migrations[version], error)
          || (version == 0 && !exec_sql (self, "INSERT INTO meta (key, value) VALUES "
                                                 "('last_change', 0)", error))
          || !exec_sql (self, bump, error))
        {
          exec_sql (self, "ROLLBACK", NULL);
          return FALSE;
        }

      if (version == 0)
        {
          g_autofree char *epoch = make_epoch ();

          if (!set_meta (self, "epoch", epoch, 0, error))
            {
              exec_sql (self, "ROLLBACK", NULL);
              return FALSE;
            }
        }

      if (!exec_sql (self, "COMMIT", error))
        {
          exec_sql (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
load_state (KacCentralStore  *self,
            GError          **error)
{
  sqlite3_stmt *stmt = get_stmt (self, "SELECT value FROM meta WHERE key = 'epoch'", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, error, _("reading the epoch"));
    }
  g_free (self->epoch);
  self->epoch = dup_column_text (stmt, 0);
  sqlite3_reset (stmt);

  stmt = get_stmt (self, "SELECT count(*) FROM records", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, error, _("counting records"));
    }
  self->n_records = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
open_database (KacCentralStore  *self,
               GError          **error)
{
  int fd;

  /* Personal codes live here: the file is the operator's alone. */
  fd = open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FAILED,
                   _("Cannot open the database “%s”: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (!take_lock (self, error))
    return FALSE;

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FAILED,
                   _("Cannot open the database “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : "?");
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Before the migrations: number 3 fills local_date with it. */
  if (sqlite3_create_function_v2 (self->db, "kac_local_date", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, local_date_function, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, _("opening the database"));

  if (!exec_sql (self, "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON;", error))
    return FALSE;

  return migrate (self, error) && load_state (self, error);
}

/* GObject */

static void
kac_central_store_finalize (GObject *object)
{
  KacCentralStore *self = (KacCentralStore *)object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self->epoch);
  g_clear_object (&self->calendar);

  G_OBJECT_CLASS (kac_central_store_parent_class)->finalize (object);
}

static void
kac_central_store_class_init (KacCentralStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kac_central_store_finalize;
}

static void
kac_central_store_init (KacCentralStore *self)
{
  self->lock_fd = -1;
  self->calendar = kac_calendar_new ();
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       finalize_stmt);
}

/* Public API */

KacCentralStore *
kac_central_store_open (const char  *path,
                        GError     **error)
{
  g_autoptr(KacCentralStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KAC_CENTRAL_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!open_database (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
kac_central_store_get_path (KacCentralStore *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);

  return self->path;
}

const char *
kac_central_store_get_epoch (KacCentralStore *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);

  return self->epoch;
}

gboolean
kac_central_store_new_epoch (KacCentralStore  *self,
                             GError          **error)
{
  g_autofree char *epoch = make_epoch ();

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!set_meta (self, "epoch", epoch, 0, error) || !exec_sql (self, "COMMIT", error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }

  g_free (self->epoch);
  self->epoch = g_steal_pointer (&epoch);
  return TRUE;
}

gint64
kac_central_store_get_n_records (KacCentralStore *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), 0);

  return self->n_records;
}

/* Centres and users */

gboolean
kac_central_store_add_centre (KacCentralStore  *self,
                              const char       *id,
                              const char       *name,
                              KacCentreKind     kind,
                              GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = format_now (now);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && name != NULL, FALSE);

  if (*id == '\0' || strlen (id) > KAC_WIRE_SHORT_MAX_BYTES || !g_utf8_validate (id, -1, NULL)
      || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                           _("A centre needs an id (up to 256 bytes) and a name."));
      return FALSE;
    }

  stmt = get_stmt (self, "INSERT INTO centres (id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)",
                   error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, kac_centre_kind_to_string (kind));
  bind_text (stmt, 4, created_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_EXISTS,
                   _("A centre with the id “%s” exists already."), id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("adding a centre"));

  return TRUE;
}

gboolean
kac_central_store_add_user (KacCentralStore  *self,
                            const char       *username,
                            const char       *display_name,
                            const char       *password_hash,
                            KacCentralRole    role,
                            const char       *centre_id,
                            const char       *institution,
                            GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = format_now (now);
  gboolean needs_centre = role == KAC_CENTRAL_ROLE_CLERK || role == KAC_CENTRAL_ROLE_MANAGER;
  gboolean needs_institution = role == KAC_CENTRAL_ROLE_INSTITUTION;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  if (*username == '\0' || strlen (username) > KAC_WIRE_SHORT_MAX_BYTES
      || !g_utf8_validate (username, -1, NULL))
    {
      g_set_error_literal (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                           _("A user name must be 1 to 256 bytes of text."));
      return FALSE;
    }

  if (needs_centre != (centre_id != NULL))
    {
      g_set_error_literal (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                           needs_centre
                           ? _("Clerks and managers act for one centre: give its id.")
                           : _("Only clerks and managers belong to a centre."));
      return FALSE;
    }

  if (needs_institution != (institution != NULL))
    {
      g_set_error_literal (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                           needs_institution
                           ? _("Institution users act for one institution: give its code.")
                           : _("Only institution users belong to an institution."));
      return FALSE;
    }

  if (centre_id != NULL)
    {
      stmt = get_stmt (self, "SELECT 1 FROM centres WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, centre_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND,
                       _("There is no centre with the id “%s”. Add it first (centre add)."),
                       centre_id);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        return set_sqlite_error (self, error, _("looking up a centre"));
    }

  stmt = get_stmt (self,
                   "INSERT INTO users (username, display_name, password_hash, role, centre_id, "
                   "institution, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, username);
  bind_text (stmt, 2, display_name);
  bind_text (stmt, 3, password_hash);
  bind_text (stmt, 4, kac_central_role_to_string (role));
  bind_text (stmt, 5, centre_id);
  bind_text (stmt, 6, institution);
  bind_text (stmt, 7, created_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_EXISTS,
                   _("A user named “%s” exists already."), username);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("adding a user"));

  return TRUE;
}

#define USER_COLUMNS \
  "u.id, u.username, u.display_name, u.password_hash, u.role, u.centre_id, c.name, c.kind, " \
  "u.institution"

static KacCentralUser *
user_from_stmt (sqlite3_stmt *stmt)
{
  KacCentralUser *user = g_new0 (KacCentralUser, 1);
  g_autofree char *role = NULL;
  g_autofree char *kind = NULL;

  user->id = sqlite3_column_int64 (stmt, 0);
  user->username = dup_column_text (stmt, 1);
  user->display_name = dup_column_text (stmt, 2);
  user->password_hash = dup_column_text (stmt, 3);
  role = dup_column_text (stmt, 4);
  kac_central_role_from_string (role, &user->role);
  user->centre_id = dup_column_text (stmt, 5);
  user->centre_name = dup_column_text (stmt, 6);
  kind = dup_column_text (stmt, 7);
  if (kind != NULL)
    kac_centre_kind_from_string (kind, &user->centre_kind);
  user->institution = dup_column_text (stmt, 8);

  return user;
}

KacCentralUser *
kac_central_store_lookup_user (KacCentralStore  *self,
                               const char       *username,
                               GError          **error)
{
  sqlite3_stmt *stmt;
  KacCentralUser *user = NULL;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  stmt = get_stmt (self,
                   "SELECT " USER_COLUMNS " FROM users u LEFT JOIN centres c ON c.id = u.centre_id "
                   "WHERE u.username = ?1",
                   error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, username);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (self, error, _("looking up a user"));

  return user;
}

gint64
kac_central_store_count_users (KacCentralStore  *self,
                               GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), -1);

  stmt = get_stmt (self, "SELECT count(*) FROM users", error);
  if (stmt == NULL)
    return -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (self, error, _("counting users"));
  sqlite3_reset (stmt);

  return count;
}

/* Tokens */

gboolean
kac_central_store_add_token (KacCentralStore  *self,
                             const guint8     *token_hash,
                             gint64            user_id,
                             GDateTime        *expires_at,
                             GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = format_now (now);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (expires_at != NULL, FALSE);

  stmt = get_stmt (self,
                   "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_blob (stmt, 1, token_hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, user_id);
  bind_text (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, g_date_time_to_unix (expires_at));

  return step_done (self, stmt, _("storing a sign-in"), error);
}

KacCentralUser *
kac_central_store_lookup_token (KacCentralStore  *self,
                                const guint8     *token_hash,
                                GDateTime        *now,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  KacCentralUser *user = NULL;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  stmt = get_stmt (self,
                   "SELECT " USER_COLUMNS " FROM tokens t JOIN users u ON u.id = t.user_id "
                   "LEFT JOIN centres c ON c.id = u.centre_id "
                   "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2",
                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_blob (stmt, 1, token_hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (now));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (self, error, _("checking a sign-in"));

  return user;
}

gboolean
kac_central_store_revoke_token (KacCentralStore  *self,
                                const guint8     *token_hash,
                                GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *revoked_at = format_now (now);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  stmt = get_stmt (self,
                   "UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL",
                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_blob (stmt, 1, token_hash, 32, SQLITE_TRANSIENT);
  bind_text (stmt, 2, revoked_at);

  return step_done (self, stmt, _("ending a sign-in"), error);
}

/* Records */

gboolean
kac_central_store_begin (KacCentralStore  *self,
                         GError          **error)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
kac_central_store_commit (KacCentralStore  *self,
                          GError          **error)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec_sql (self, "COMMIT", error))
    {
      kac_central_store_rollback (self);
      return FALSE;
    }

  self->in_transaction = FALSE;
  return TRUE;
}

void
kac_central_store_rollback (KacCentralStore *self)
{
  g_return_if_fail (KAC_CENTRAL_IS_STORE (self));

  if (!self->in_transaction)
    return;

  exec_sql (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;

  /* The count may have run ahead of what was rolled back. */
  if (!load_state (self, NULL))
    g_warning ("Could not reload the record count after a rollback");
}

KacCentralStoredRecord *
kac_central_store_find_record (KacCentralStore  *self,
                               const char       *uuid,
                               GError          **error)
{
  sqlite3_stmt *stmt;
  KacCentralStoredRecord *stored = NULL;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = get_stmt (self,
                   "SELECT body_hash, central_number, centre_id FROM records WHERE uuid = ?1",
                   error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stored = g_new0 (KacCentralStoredRecord, 1);
      stored->hash = dup_column_text (stmt, 0);
      stored->central_number = dup_column_text (stmt, 1);
      stored->centre_id = dup_column_text (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (self, error, _("looking up a record"));

  return stored;
}

static gboolean
next_change (KacCentralStore  *self,
             gint64           *seq,
             GError          **error)
{
  if (!get_meta_int (self, "last_change", seq, error))
    return FALSE;

  *seq += 1;
  return set_meta (self, "last_change", NULL, *seq, error);
}

static char *
next_central_number (KacCentralStore  *self,
                     GDateTime        *now,
                     GError          **error)
{
  int year = g_date_time_get_year (now);
  sqlite3_stmt *stmt;
  gint64 last;
  int rc;

  stmt = get_stmt (self,
                   "INSERT INTO number_sequences (year, last) VALUES (?1, 1) "
                   "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, year);
  rc = sqlite3_step (stmt);
  last = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  /* RETURNING statements finish their work only when stepped to the end. */
  if (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("numbering a record"));
      return NULL;
    }

  return g_strdup_printf ("KAC-%04d-%06" G_GINT64_FORMAT, year, last);
}

static gboolean
insert_audit (KacCentralStore  *self,
              const char       *uuid,
              KacCentralUser   *user,
              const char       *actor,
              const char       *from_status,
              const char       *to_status,
              const char       *due_date,
              const char       *note,
              const char       *changed_at,
              GError          **error)
{
  sqlite3_stmt *stmt = get_stmt (self,
                                 "INSERT INTO status_audit (record_uuid, user_id, actor, "
                                 "from_status, to_status, due_date, note, changed_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 error);

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, uuid);
  if (user != NULL)
    sqlite3_bind_int64 (stmt, 2, user->id);
  else
    sqlite3_bind_null (stmt, 2);
  bind_text (stmt, 3, user != NULL ? user->username : actor);
  bind_text (stmt, 4, from_status);
  bind_text (stmt, 5, to_status);
  bind_text (stmt, 6, due_date);
  bind_text (stmt, 7, note);
  bind_text (stmt, 8, changed_at);

  return step_done (self, stmt, _("writing the audit trail"), error);
}

char *
kac_central_add_working_days (KacCalendar *calendar,
                              GDateTime   *date,
                              guint        days)
{
  GDate day;

  g_return_val_if_fail (KAC_IS_CALENDAR (calendar), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  /* The count starts from the day in Latvia, whatever zone @date is given in. */
  kac_calendar_date_of (date, &day);
  kac_calendar_add_working_days (calendar, &day, days);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day),
                          g_date_get_day (&day));
}

void
kac_central_store_set_calendar (KacCentralStore *self,
                                KacCalendar     *calendar)
{
  g_return_if_fail (KAC_CENTRAL_IS_STORE (self));
  g_return_if_fail (KAC_IS_CALENDAR (calendar));

  g_set_object (&self->calendar, calendar);
}

KacCalendar *
kac_central_store_get_calendar (KacCentralStore *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);

  return self->calendar;
}

char *
kac_central_store_insert_record (KacCentralStore  *self,
                                 KacRecord        *record,
                                 const char       *body,
                                 const char       *hash,
                                 const char       *institution_code,
                                 KacCentralUser   *submitted_by,
                                 GDateTime        *now,
                                 GError          **error)
{
  g_autofree char *central_number = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *due_date = NULL;
  g_autofree char *local_date = NULL;
  KacRecordKind kind;
  sqlite3_stmt *stmt;
  gint64 seq;
  GDate day;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (KAC_IS_RECORD (record), NULL);
  g_return_val_if_fail (body != NULL && hash != NULL, NULL);
  g_return_val_if_fail (submitted_by != NULL, NULL);
  g_return_val_if_fail (self->in_transaction, NULL);

  received_at = format_now (now);
  created_at = kac_wire_format_timestamp (kac_record_get_created_at (record));

  /* Complaints, questions and suggestions are answered within 7 working days (DOMAIN.md);
   * an application's deadline is set by its institution when it forwards it. */
  kind = kac_record_get_kind (record);
  if (kind == KAC_RECORD_KIND_COMPLAINT || kind == KAC_RECORD_KIND_QUESTION
      || kind == KAC_RECORD_KIND_SUGGESTION)
    due_date = kac_central_add_working_days (self->calendar, now, 7);

  /* The figures count a case on the day in Latvia it was registered at the terminal. */
  kac_calendar_date_of (kac_record_get_created_at (record), &day);
  local_date = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day),
                                g_date_get_day (&day));

  if (!(central_number = next_central_number (self, now, error))
      || !next_change (self, &seq, error))
    return NULL;

  stmt = get_stmt (self,
                   "INSERT INTO records (uuid, body_hash, body, central_number, centre_id, kind, "
                   "service_code, institution_code, channel, created_at, received_at, "
                   "submitted_by, status, status_changed_at, due_date, change_seq, local_date, "
                   "satisfaction) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'registered', "
                   "?11, ?13, ?14, ?15, nullif (?16, 0))",
                   error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, kac_record_get_uuid (record));
  bind_text (stmt, 2, hash);
  bind_text (stmt, 3, body);
  bind_text (stmt, 4, central_number);
  bind_text (stmt, 5, kac_record_get_centre_id (record));
  bind_text (stmt, 6, kac_record_kind_to_string (kind));
  bind_text (stmt, 7, kac_record_get_service_code (record));
  bind_text (stmt, 8, institution_code);
  bind_text (stmt, 9, kac_channel_to_string (kac_record_get_channel (record)));
  bind_text (stmt, 10, created_at);
  bind_text (stmt, 11, received_at);
  sqlite3_bind_int64 (stmt, 12, submitted_by->id);
  bind_text (stmt, 13, due_date);
  sqlite3_bind_int64 (stmt, 14, seq);
  bind_text (stmt, 15, local_date);
  sqlite3_bind_int (stmt, 16, kac_record_get_satisfaction (record));

  if (!step_done (self, stmt, _("storing a record"), error)
      || !insert_audit (self, kac_record_get_uuid (record), submitted_by, NULL, NULL,
                        "registered", due_date, NULL, received_at, error))
    return NULL;

  self->n_records++;
  return g_steal_pointer (&central_number);
}

/* Statuses */

gboolean
kac_central_store_set_status (KacCentralStore       *self,
                              const char            *uuid_or_number,
                              KacApplicationStatus   status,
                              const char            *due_date,
                              const char            *note,
                              KacCentralUser        *user,
                              const char            *actor,
                              GDateTime             *now,
                              GError               **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *current_name = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *current_due = NULL;
  g_autofree char *changed_at = NULL;
  KacApplicationStatus current;
  sqlite3_stmt *stmt;
  gint64 seq;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid_or_number != NULL, FALSE);
  g_return_val_if_fail (user != NULL || actor != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (due_date != NULL && !kac_wire_date_is_valid (due_date))
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                   _("“%s” is not a date of the form YYYY-MM-DD."), due_date);
      return FALSE;
    }

  if (!kac_central_store_begin (self, error))
    return FALSE;

  stmt = get_stmt (self,
                   "SELECT uuid, status, institution_code, due_date FROM records "
                   "WHERE uuid = ?1 OR central_number = ?1",
                   error);
  if (stmt == NULL)
    goto fail;

  bind_text (stmt, 1, uuid_or_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      uuid = dup_column_text (stmt, 0);
      current_name = dup_column_text (stmt, 1);
      institution = dup_column_text (stmt, 2);
      current_due = dup_column_text (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND,
                   _("There is no record “%s”."), uuid_or_number);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, _("looking up a record"));
      goto fail;
    }

  /* An institution moves only the applications of its own services; an admin or the
   * operator may move any. */
  if (user != NULL && user->role != KAC_CENTRAL_ROLE_ADMIN
      && (user->role != KAC_CENTRAL_ROLE_INSTITUTION
          || g_strcmp0 (user->institution, institution) != 0))
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FORBIDDEN,
                   _("The record “%s” belongs to another institution; you cannot change it."),
                   uuid_or_number);
      goto fail;
    }

  if (!kac_application_status_from_string (current_name, &current))
    {
      set_sqlite_error (self, error, _("reading a status"));
      goto fail;
    }

  if (status != current + 1)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_TRANSITION,
                   /* Translators: the statuses are labels such as "Registered". */
                   _("The record is “%1$s”; it cannot become “%2$s” from there (the order is "
                     "registered, forwarded, completed)."),
                   kac_application_status_get_label (current),
                   kac_application_status_get_label (status));
      goto fail;
    }

  if (!next_change (self, &seq, error))
    goto fail;

  changed_at = format_now (now);
  stmt = get_stmt (self,
                   "UPDATE records SET status = ?2, status_changed_at = ?3, due_date = ?4, "
                   "change_seq = ?5 WHERE uuid = ?1",
                   error);
  if (stmt == NULL)
    goto fail;

  bind_text (stmt, 1, uuid);
  bind_text (stmt, 2, kac_application_status_to_string (status));
  bind_text (stmt, 3, changed_at);
  bind_text (stmt, 4, due_date != NULL ? due_date : current_due);
  sqlite3_bind_int64 (stmt, 5, seq);

  if (!step_done (self, stmt, _("changing a status"), error)
      || !insert_audit (self, uuid, user, actor, current_name,
                        kac_application_status_to_string (status),
                        due_date != NULL ? due_date : current_due, note, changed_at, error)
      || !kac_central_store_commit (self, error))
    goto fail;

  return TRUE;

fail:
  kac_central_store_rollback (self);
  return FALSE;
}

gint64
kac_central_store_get_last_change (KacCentralStore  *self,
                                   GError          **error)
{
  gint64 seq = -1;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), -1);

  if (!get_meta_int (self, "last_change", &seq, error))
    return -1;

  return seq;
}

KacWireChangesPage *
kac_central_store_list_changes (KacCentralStore  *self,
                                const char       *centre_id,
                                gint64            since,
                                guint             limit,
                                GError          **error)
{
  g_autoptr(KacWireChangesPage) page = NULL;
  sqlite3_stmt *stmt;
  gint64 last_seq = since;
  gint64 global_last;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (centre_id != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* One read transaction, so that the page and the global counter agree. */
  if (!exec_sql (self, "BEGIN", error))
    return NULL;

  page = kac_wire_changes_page_new ();
  stmt = get_stmt (self,
                   "SELECT uuid, central_number, status, status_changed_at, due_date, change_seq "
                   "FROM records WHERE centre_id = ?1 AND change_seq > ?2 "
                   "ORDER BY change_seq LIMIT ?3",
                   error);
  if (stmt == NULL)
    goto fail;

  bind_text (stmt, 1, centre_id);
  sqlite3_bind_int64 (stmt, 2, since);
  /* One more than asked tells whether there is more. */
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) changed_at = NULL;
      KacApplicationStatus status = KAC_APPLICATION_STATUS_REGISTERED;

      if (page->changes->len == limit)
        {
          page->more = TRUE;
          break;
        }

      changed_at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 3), NULL);
      kac_application_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &status);
      if (changed_at == NULL)
        {
          sqlite3_reset (stmt);
          set_sqlite_error (self, error, _("reading a change"));
          goto fail;
        }

      kac_wire_changes_page_add (page,
                                 (const char *) sqlite3_column_text (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1),
                                 status, changed_at,
                                 (const char *) sqlite3_column_text (stmt, 4));
      last_seq = sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("listing changes"));
      goto fail;
    }

  /* On the last page the cursor jumps to the newest change anywhere: nothing of this centre
   * lies between, and the next poll need not pass over other centres' changes again. */
  if (!page->more)
    {
      if (!get_meta_int (self, "last_change", &global_last, error))
        goto fail;
      last_seq = MAX (last_seq, global_last);
    }

  exec_sql (self, "COMMIT", NULL);
  page->cursor = g_strdup_printf ("%s.%" G_GINT64_FORMAT, self->epoch, last_seq);
  return g_steal_pointer (&page);

fail:
  exec_sql (self, "ROLLBACK", NULL);
  return NULL;
}

/* Private API for the parts of the store kept in other files (kac-central-store-private.h) */

sqlite3 *
_kac_central_store_get_db (KacCentralStore *self)
{
  return self->db;
}

sqlite3_stmt *
_kac_central_store_get_stmt (KacCentralStore  *self,
                             const char       *sql,
                             GError          **error)
{
  return get_stmt (self, sql, error);
}

gboolean
_kac_central_store_exec (KacCentralStore  *self,
                         const char       *sql,
                         GError          **error)
{
  return exec_sql (self, sql, error);
}

gboolean
_kac_central_store_set_sqlite_error (KacCentralStore  *self,
                                     GError          **error,
                                     const char       *what)
{
  return set_sqlite_error (self, error, what);
}

gboolean
_kac_central_store_next_change (KacCentralStore  *self,
                                gint64           *seq,
                                GError          **error)
{
  return next_change (self, seq, error);
}
