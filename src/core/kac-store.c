/* kac-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SQLite connection per file, owned here and nowhere else (Debian's SQLite 3.40 has a
 * WAL-reset race between two writing connections). Every write is one BEGIN IMMEDIATE … COMMIT
 * with synchronous=FULL, so a save that returns TRUE has reached the disk. The records model is
 * changed only after a COMMIT succeeded, so a failed write leaves both the file and what the
 * clerk sees as they were.
 */
#define G_LOG_DOMAIN "kac-store"

#include "config.h"

#include "kac-store.h"
#include "kac-store-private.h"
#include "kac-wire.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* How long a statement waits for a lock held by a reader before it gives up. Only this
 * process writes, so this is only ever a short wait for a checkpoint. */
#define BUSY_TIMEOUT_MS 5000

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)
#define SERVICE_USAGE_DAYS 90

/* The columns of a record, in the order record_from_stmt() reads them and the numbered
 * parameters ?1…?17 of the INSERT and UPDATE below. */
#define RECORD_COLUMNS \
  "uuid, kind, service_code, institution_code, service_name, channel, client_name, " \
  "client_code, notes, satisfaction, created_at, updated_at, clerk, centre_id, state, " \
  "state_detail, central_number"

/* Prepared once and reused: a save is a handful of statements and the durable commit, and
 * preparing them again each time would only add to what the clerk waits for. */
typedef enum
{
  STMT_SELECT_STATE,
  STMT_SELECT_RECORD,
  STMT_INSERT_RECORD,
  STMT_UPDATE_RECORD,
  STMT_INSERT_HISTORY,
  STMT_WITHDRAW_RECORD,
  STMT_UPSERT_OUTBOX,
  STMT_DELETE_OUTBOX,
  STMT_SELECT_DUE,
  STMT_MARK_IN_FLIGHT,
  STMT_RELEASE_ENTRY,
  STMT_SET_RECORD_RESULT,
  STMT_MOVE_RECORD_STATE,
  STMT_UPSERT_STATUS,
  STMT_SET_SYNC_VALUE,
  STMT_DELETE_SYNC_VALUE,
  STMT_SELECT_SYNC_VALUE,
  N_STMTS
} StmtId;

struct _KacStore
{
  GObject       parent_instance;

  char         *path;
  int           lock_fd;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  int           schema_version;

  GListStore   *records;
  GDateTime    *records_since;
  guint         n_queued;
  guint         n_pending;
  guint         n_rejected;
  guint         n_stuck;
};

G_DEFINE_FINAL_TYPE (KacStore, kac_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (kac-store-error-quark, kac_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_N_QUEUED,
  PROP_RECORDS_SINCE,
  PROP_N_PENDING,
  PROP_N_REJECTED,
  PROP_N_STUCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the store was doing when SQLite failed: the clerk is told in those terms. */
typedef enum
{
  OPERATION_OPEN,
  OPERATION_MIGRATE,
  OPERATION_READ,
  OPERATION_SAVE,
  OPERATION_WITHDRAW,
  OPERATION_SYNC,
} Operation;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_SELECT_STATE] =
    "SELECT state FROM records WHERE uuid = ?1",
  [STMT_SELECT_RECORD] =
    "SELECT " RECORD_COLUMNS " FROM records WHERE uuid = ?1",
  [STMT_INSERT_RECORD] =
    "INSERT INTO records (" RECORD_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
  /* uuid, created_at and the central number are the registration's identity and history:
   * a correction never changes them. */
  [STMT_UPDATE_RECORD] =
    "UPDATE records SET kind = ?2, service_code = ?3, institution_code = ?4, "
    "service_name = ?5, channel = ?6, client_name = ?7, client_code = ?8, notes = ?9, "
    "satisfaction = ?10, updated_at = ?12, clerk = ?13, centre_id = ?14, state = ?15, "
    "state_detail = ?16 WHERE uuid = ?1",
  [STMT_INSERT_HISTORY] =
    "INSERT INTO record_history (uuid, changed_at, change, kind, service_code, "
    "institution_code, service_name, channel, client_name, client_code, notes, satisfaction, "
    "created_at, updated_at, clerk, centre_id, state, state_detail, central_number) "
    "SELECT uuid, ?2, ?3, kind, service_code, institution_code, service_name, channel, "
    "client_name, client_code, notes, satisfaction, created_at, updated_at, clerk, centre_id, "
    "state, state_detail, central_number FROM records WHERE uuid = ?1",
  [STMT_WITHDRAW_RECORD] =
    "UPDATE records SET state = ?2, updated_at = ?3 WHERE uuid = ?1",
  /* A correction of a queued record rewrites the body in place: it keeps its place in the
   * queue (id) and the time it was first queued, and is due at once. */
  [STMT_UPSERT_OUTBOX] =
    "INSERT INTO outbox (uuid, body, state, attempts, queued_at, next_attempt_at) "
    "VALUES (?1, ?2, 'pending', 0, ?3, 0) "
    "ON CONFLICT (uuid) DO UPDATE SET body = excluded.body, state = 'pending', attempts = 0, "
    "next_attempt_at = 0, last_error = NULL",
  [STMT_DELETE_OUTBOX] =
    "DELETE FROM outbox WHERE uuid = ?1",
  [STMT_SELECT_DUE] =
    "SELECT id, uuid, body, attempts FROM outbox "
    "WHERE state = 'pending' AND (?1 OR next_attempt_at <= ?2) ORDER BY id LIMIT ?3",
  [STMT_MARK_IN_FLIGHT] =
    "UPDATE outbox SET state = 'in-flight' WHERE id = ?1",
  [STMT_RELEASE_ENTRY] =
    "UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?2, "
    "last_error = ?3 WHERE uuid = ?1 AND state = 'in-flight'",
  /* Only a record that is being sent takes the server's answer: nothing else can have
   * changed it meanwhile (corrections and withdrawals wait for the answer). */
  [STMT_SET_RECORD_RESULT] =
    "UPDATE records SET state = ?2, state_detail = ?3, "
    "central_number = coalesce (?4, central_number), updated_at = ?5 "
    "WHERE uuid = ?1 AND state = 'sending'",
  /* In flight and back: the state only, and only from the expected one. updated_at stays
   * the time the clerk last saved the record. */
  [STMT_MOVE_RECORD_STATE] =
    "UPDATE records SET state = ?2 WHERE uuid = ?1 AND state = ?3",
  [STMT_UPSERT_STATUS] =
    "INSERT INTO application_status (uuid, central_number, status, changed_at, due_date) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (uuid) DO UPDATE SET central_number = excluded.central_number, "
    "status = excluded.status, changed_at = excluded.changed_at, due_date = excluded.due_date",
  [STMT_SET_SYNC_VALUE] =
    "INSERT INTO sync_values (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  [STMT_DELETE_SYNC_VALUE] =
    "DELETE FROM sync_values WHERE key = ?1",
  [STMT_SELECT_SYNC_VALUE] =
    "SELECT value FROM sync_values WHERE key = ?1",
};

#define CHANGES_CURSOR_KEY "changes-cursor"

/* Migrations
 *
 * Step N brings a file from user_version N-1 to N, in one transaction together with its
 * user_version bump: a failed step leaves the file at N-1. Steps are never edited once released;
 * a change is a new step (and tests/fixtures/ gets a file of the old version). */

static const char migration_1[] =
  "CREATE TABLE records ("
  "  uuid             TEXT PRIMARY KEY NOT NULL,"
  "  kind             TEXT NOT NULL,"
  "  service_code     TEXT,"
  "  institution_code TEXT,"
  "  service_name     TEXT,"
  "  channel          TEXT NOT NULL,"
  "  client_name      TEXT,"
  "  client_code      TEXT,"
  "  notes            TEXT,"
  "  satisfaction     INTEGER NOT NULL DEFAULT 0 CHECK (satisfaction BETWEEN 0 AND 5),"
  "  created_at       INTEGER NOT NULL,"
  "  updated_at       INTEGER NOT NULL,"
  "  clerk            TEXT,"
  "  centre_id        TEXT,"
  "  state            TEXT NOT NULL,"
  "  state_detail     TEXT,"
  "  central_number   TEXT"
  ") STRICT;"
  "CREATE INDEX records_created_at ON records (created_at);";

/* The previous version of a record each time it is corrected or withdrawn, so that a
 * correction never loses what was first registered (MK 402 §9.8: every step of a case can be
 * reconstructed). The state index serves the outbox and the n-queued count. */
static const char migration_2[] =
  "CREATE TABLE record_history ("
  "  id               INTEGER PRIMARY KEY,"
  "  uuid             TEXT NOT NULL REFERENCES records (uuid),"
  "  changed_at       INTEGER NOT NULL,"
  "  change           TEXT NOT NULL CHECK (change IN ('corrected', 'withdrawn')),"
  "  kind             TEXT NOT NULL,"
  "  service_code     TEXT,"
  "  institution_code TEXT,"
  "  service_name     TEXT,"
  "  channel          TEXT NOT NULL,"
  "  client_name      TEXT,"
  "  client_code      TEXT,"
  "  notes            TEXT,"
  "  satisfaction     INTEGER NOT NULL,"
  "  created_at       INTEGER NOT NULL,"
  "  updated_at       INTEGER NOT NULL,"
  "  clerk            TEXT,"
  "  centre_id        TEXT,"
  "  state            TEXT NOT NULL,"
  "  state_detail     TEXT,"
  "  central_number   TEXT"
  ") STRICT;"
  "CREATE INDEX record_history_uuid ON record_history (uuid, changed_at);"
  "CREATE INDEX records_state ON records (state, created_at);";

/* The outbox (PROTOCOL-NOTES.md, "Sending the outbox"): one entry per record that waits to be
 * sent, with the canonical body serialised when it was saved. An entry is pending or in flight;
 * its record is "queued" or "sending" accordingly. The central status of applications pulled by
 * cursor, and the engine's small values (the cursor, the last sync) that must survive a
 * restart. Records saved as queued by version 2 get their entry in fill_outbox_v3() below,
 * in the same transaction. */
static const char migration_3[] =
  "CREATE TABLE outbox ("
  "  id               INTEGER PRIMARY KEY,"
  "  uuid             TEXT NOT NULL UNIQUE REFERENCES records (uuid),"
  "  body             TEXT NOT NULL,"
  "  state            TEXT NOT NULL CHECK (state IN ('pending', 'in-flight')),"
  "  attempts         INTEGER NOT NULL DEFAULT 0,"
  "  queued_at        INTEGER NOT NULL,"
  "  next_attempt_at  INTEGER NOT NULL DEFAULT 0,"
  "  last_error       TEXT"
  ") STRICT;"
  "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
  "CREATE TABLE application_status ("
  "  uuid             TEXT PRIMARY KEY NOT NULL,"
  "  central_number   TEXT NOT NULL,"
  "  status           TEXT NOT NULL,"
  "  changed_at       INTEGER NOT NULL,"
  "  due_date         TEXT"
  ") STRICT;"
  "CREATE TABLE sync_values ("
  "  key              TEXT PRIMARY KEY NOT NULL,"
  "  value            TEXT NOT NULL"
  ") STRICT;"
  "UPDATE records SET state = 'queued' WHERE state = 'sending';";

/* The offline cache of methodological materials and staff notices (issue 4), filled by the
 * sync engine page by page (kac-store-materials.c). Each item keeps its wire document; the
 * columns beside it serve the lists. read_version is the version the clerk last opened (0 =
 * never: "new"; below version: "updated since you read it"); notified_version the last
 * version a desktop notification was raised for, so nothing is notified twice. The FTS5 index
 * folds case and diacritics ("berna" finds "bērna"); its rowid is the material's. Attachment
 * files live in the profile folder, named by their SHA-256. */
static const char migration_4[] =
  "CREATE TABLE materials ("
  "  rowid            INTEGER PRIMARY KEY,"
  "  id               TEXT NOT NULL UNIQUE,"
  "  institution      TEXT NOT NULL,"
  "  version          INTEGER NOT NULL,"
  "  title            TEXT NOT NULL,"
  "  services         TEXT NOT NULL,"
  "  updated_at       INTEGER NOT NULL,"
  "  document         TEXT NOT NULL,"
  "  read_version     INTEGER NOT NULL DEFAULT 0,"
  "  notified_version INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE VIRTUAL TABLE materials_fts USING fts5 ("
  "  title, body, services,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '2 3'"
  ");"
  "CREATE TABLE notices ("
  "  id               TEXT PRIMARY KEY NOT NULL,"
  "  institution      TEXT NOT NULL,"
  "  version          INTEGER NOT NULL,"
  "  kind             TEXT NOT NULL,"
  "  starts_at        INTEGER NOT NULL,"
  "  document         TEXT NOT NULL,"
  "  notified_version INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE TABLE attachments ("
  "  sha256           TEXT PRIMARY KEY NOT NULL,"
  "  size             INTEGER NOT NULL,"
  "  fetched_at       INTEGER NOT NULL"
  ") STRICT;";

/* The day in Latvia ('YYYY-MM-DD') of an instant in µs, in plain SQL so that the triggers
 * below work on every connection to the file (a support engineer's sqlite3, a test's second
 * connection), not only on ones that registered a C function. Latvia keeps EET (UTC+2) and
 * EEST (UTC+3) from the last Sunday of March to the last Sunday of October, changing at 01:00
 * UTC (the EU rule, followed since 2002); test-stats checks this against KacCalendar (the
 * time zone database) hour by hour. Should the rule change, a new step redefines the
 * triggers and rebuilds the table. */
#define LATVIA_DAY(usec) \
  "date (" usec " / 1000000 + CASE" \
  " WHEN " usec " / 1000000 >= unixepoch (date (strftime ('%Y', " usec " / 1000000, 'unixepoch')" \
  "      || '-03-25', 'weekday 0') || ' 01:00')" \
  "  AND " usec " / 1000000 < unixepoch (date (strftime ('%Y', " usec " / 1000000, 'unixepoch')" \
  "      || '-10-25', 'weekday 0') || ' 01:00')" \
  " THEN 10800 ELSE 7200 END, 'unixepoch')"

/* The figures of one registration as the counting columns of stats_daily, in their order. */
#define STATS_DAILY_COUNTS(r) \
  "1, " r ".kind = 'application', " r ".kind = 'information', " \
  r ".kind = 'consultation-eservices', " r ".kind = 'consultation-eaddress', " \
  r ".kind = 'complaint', " r ".kind = 'question', " r ".kind = 'suggestion', " \
  r ".channel = 'in-person', " r ".channel = 'phone', " r ".channel = 'electronic', " \
  r ".channel = 'post', " \
  r ".satisfaction = 1, " r ".satisfaction = 2, " r ".satisfaction = 3, " \
  r ".satisfaction = 4, " r ".satisfaction = 5"

#define STATS_DAILY_ADD(r) \
  "INSERT INTO stats_daily VALUES (" LATVIA_DAY (r ".created_at") ", " \
  "coalesce (" r ".service_code, ''), coalesce (" r ".institution_code, ''), " \
  STATS_DAILY_COUNTS (r) ") " \
  "ON CONFLICT (day, service_code, institution_code) DO UPDATE SET " \
  "cases = cases + 1, application = application + excluded.application, " \
  "information = information + excluded.information, " \
  "consultation_eservices = consultation_eservices + excluded.consultation_eservices, " \
  "consultation_eaddress = consultation_eaddress + excluded.consultation_eaddress, " \
  "complaint = complaint + excluded.complaint, question = question + excluded.question, " \
  "suggestion = suggestion + excluded.suggestion, in_person = in_person + excluded.in_person, " \
  "phone = phone + excluded.phone, electronic = electronic + excluded.electronic, " \
  "post = post + excluded.post, satisfaction_1 = satisfaction_1 + excluded.satisfaction_1, " \
  "satisfaction_2 = satisfaction_2 + excluded.satisfaction_2, " \
  "satisfaction_3 = satisfaction_3 + excluded.satisfaction_3, " \
  "satisfaction_4 = satisfaction_4 + excluded.satisfaction_4, " \
  "satisfaction_5 = satisfaction_5 + excluded.satisfaction_5;"

#define STATS_DAILY_KEY(r) \
  "day = " LATVIA_DAY (r ".created_at") " AND service_code = coalesce (" r ".service_code, '') " \
  "AND institution_code = coalesce (" r ".institution_code, '')"

#define STATS_DAILY_SUBTRACT(r) \
  "UPDATE stats_daily SET cases = cases - 1, " \
  "application = application - (" r ".kind = 'application'), " \
  "information = information - (" r ".kind = 'information'), " \
  "consultation_eservices = consultation_eservices - (" r ".kind = 'consultation-eservices'), " \
  "consultation_eaddress = consultation_eaddress - (" r ".kind = 'consultation-eaddress'), " \
  "complaint = complaint - (" r ".kind = 'complaint'), " \
  "question = question - (" r ".kind = 'question'), " \
  "suggestion = suggestion - (" r ".kind = 'suggestion'), " \
  "in_person = in_person - (" r ".channel = 'in-person'), " \
  "phone = phone - (" r ".channel = 'phone'), " \
  "electronic = electronic - (" r ".channel = 'electronic'), " \
  "post = post - (" r ".channel = 'post'), " \
  "satisfaction_1 = satisfaction_1 - (" r ".satisfaction = 1), " \
  "satisfaction_2 = satisfaction_2 - (" r ".satisfaction = 2), " \
  "satisfaction_3 = satisfaction_3 - (" r ".satisfaction = 3), " \
  "satisfaction_4 = satisfaction_4 - (" r ".satisfaction = 4), " \
  "satisfaction_5 = satisfaction_5 - (" r ".satisfaction = 5) " \
  "WHERE " STATS_DAILY_KEY (r) ";" \
  "DELETE FROM stats_daily WHERE " STATS_DAILY_KEY (r) " AND cases = 0;"

/* The registration's columns of application_status (see migration 5) for the UUID @uuid. */
#define STATUS_RECORD_COLUMNS(uuid) \
  "(record_day, service_code, institution_code) = (SELECT" \
  " CASE WHEN r.kind = 'application' AND r.state != 'withdrawn'" \
  " THEN " LATVIA_DAY ("r.created_at") " END, r.service_code, r.institution_code" \
  " FROM records r WHERE r.uuid = " uuid ")"

/* A change that moves a registration between groups or figures, or in or out of the count. */
#define STATS_DAILY_CHANGED \
  "(OLD.kind IS NOT NEW.kind OR OLD.service_code IS NOT NEW.service_code" \
  " OR OLD.institution_code IS NOT NEW.institution_code OR OLD.channel IS NOT NEW.channel" \
  " OR OLD.satisfaction IS NOT NEW.satisfaction OR OLD.created_at IS NOT NEW.created_at" \
  " OR (OLD.state = 'withdrawn') IS NOT (NEW.state = 'withdrawn'))"

#define STATS_DAILY_COLUMNS_OF \
  "kind, service_code, institution_code, channel, satisfaction, created_at, state"

/* This terminal's figures (issue 5), kept per day in Latvia and (service, institution) so that
 * a year of figures reads a few thousand rows instead of every registration (measured by
 * bench-local-stats: a year of 500,000 registrations). One wide row per group rather than one
 * row per (kind, channel, satisfaction): the figures are marginals, and the wide row keeps the
 * table at days × services rows however the registrations spread. The triggers keep it in the
 * same transaction as every change to records (a save, a correction, a withdrawal, a raw
 * write on another connection); withdrawn registrations do not count. No service or
 * institution is kept as '' (part of the key; the store never writes an empty code). The
 * existing registrations are counted in the same step. */
static const char migration_5[] =
  "CREATE TABLE stats_daily ("
  "  day                    TEXT NOT NULL,"
  "  service_code           TEXT NOT NULL,"
  "  institution_code       TEXT NOT NULL,"
  "  cases                  INTEGER NOT NULL,"
  "  application            INTEGER NOT NULL,"
  "  information            INTEGER NOT NULL,"
  "  consultation_eservices INTEGER NOT NULL,"
  "  consultation_eaddress  INTEGER NOT NULL,"
  "  complaint              INTEGER NOT NULL,"
  "  question               INTEGER NOT NULL,"
  "  suggestion             INTEGER NOT NULL,"
  "  in_person              INTEGER NOT NULL,"
  "  phone                  INTEGER NOT NULL,"
  "  electronic             INTEGER NOT NULL,"
  "  post                   INTEGER NOT NULL,"
  "  satisfaction_1         INTEGER NOT NULL,"
  "  satisfaction_2         INTEGER NOT NULL,"
  "  satisfaction_3         INTEGER NOT NULL,"
  "  satisfaction_4         INTEGER NOT NULL,"
  "  satisfaction_5         INTEGER NOT NULL,"
  "  PRIMARY KEY (day, service_code, institution_code)"
  ") STRICT, WITHOUT ROWID;"
  "INSERT INTO stats_daily SELECT " LATVIA_DAY ("created_at") ", coalesce (service_code, ''),"
  "  coalesce (institution_code, ''), count(*),"
  "  sum(kind = 'application'), sum(kind = 'information'),"
  "  sum(kind = 'consultation-eservices'), sum(kind = 'consultation-eaddress'),"
  "  sum(kind = 'complaint'), sum(kind = 'question'), sum(kind = 'suggestion'),"
  "  sum(channel = 'in-person'), sum(channel = 'phone'), sum(channel = 'electronic'),"
  "  sum(channel = 'post'),"
  "  sum(satisfaction = 1), sum(satisfaction = 2), sum(satisfaction = 3),"
  "  sum(satisfaction = 4), sum(satisfaction = 5)"
  "  FROM records WHERE state != 'withdrawn' GROUP BY 1, 2, 3;"
  "CREATE TRIGGER records_stats_insert AFTER INSERT ON records"
  "  WHEN NEW.state != 'withdrawn' BEGIN " STATS_DAILY_ADD ("NEW") " END;"
  "CREATE TRIGGER records_stats_update_old AFTER UPDATE OF " STATS_DAILY_COLUMNS_OF " ON records"
  "  WHEN OLD.state != 'withdrawn' AND " STATS_DAILY_CHANGED " BEGIN " STATS_DAILY_SUBTRACT ("OLD") " END;"
  "CREATE TRIGGER records_stats_update_new AFTER UPDATE OF " STATS_DAILY_COLUMNS_OF " ON records"
  "  WHEN NEW.state != 'withdrawn' AND " STATS_DAILY_CHANGED " BEGIN " STATS_DAILY_ADD ("NEW") " END;"
  "CREATE TRIGGER records_stats_delete AFTER DELETE ON records"
  "  WHEN OLD.state != 'withdrawn' BEGIN " STATS_DAILY_SUBTRACT ("OLD") " END;"
  /* The delays are counted over the small status table alone: beside each central status,
   * the day in Latvia, service and institution of its registration when that is an
   * application of this terminal that counts (else record_day is NULL). Joining the records
   * by UUID instead costs a random lookup per status in the biggest table. */
  "ALTER TABLE application_status ADD COLUMN record_day TEXT;"
  "ALTER TABLE application_status ADD COLUMN service_code TEXT;"
  "ALTER TABLE application_status ADD COLUMN institution_code TEXT;"
  "UPDATE application_status SET " STATUS_RECORD_COLUMNS ("application_status.uuid") ";"
  "CREATE INDEX application_status_day ON application_status (record_day);"
  "CREATE TRIGGER application_status_record AFTER INSERT ON application_status BEGIN"
  "  UPDATE application_status SET " STATUS_RECORD_COLUMNS ("NEW.uuid") " WHERE uuid = NEW.uuid;"
  "END;"
  "CREATE TRIGGER records_status_insert AFTER INSERT ON records BEGIN"
  "  UPDATE application_status SET " STATUS_RECORD_COLUMNS ("NEW.uuid") " WHERE uuid = NEW.uuid;"
  "END;"
  "CREATE TRIGGER records_status_update AFTER UPDATE OF kind, service_code, institution_code,"
  "  created_at, state ON records BEGIN"
  "  UPDATE application_status SET " STATUS_RECORD_COLUMNS ("NEW.uuid") " WHERE uuid = NEW.uuid;"
  "END;";

/* The search index again, with prefix indexes for 2 to 6 characters (migration 4 had 2 and 3).
 * Clerks type 4-6 letters, and a prefix without its own index is answered by merging the
 * lists of every word it begins (6 forms of "bērn"): with one, the 10,000 materials of
 * bench-materials-search count "deklar"* in 0.3 ms instead of 0.9-1.1, "pabal"* in 0.3 instead
 * of 3.2, for an index about twice as big (32 to 63 MB there; the whole file 118 to 149 MB).
 * FTS5 cannot change the option of an existing table: the old one is renamed, its rows copied
 * to the new one (rowid, the material's, kept) and dropped, all in this step's transaction. */
static const char migration_6[] =
  "ALTER TABLE materials_fts RENAME TO materials_fts_v5;"
  "CREATE VIRTUAL TABLE materials_fts USING fts5 ("
  "  title, body, services,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '2 3 4 5 6'"
  ");"
  "INSERT INTO materials_fts (rowid, title, body, services)"
  "  SELECT rowid, title, body, services FROM materials_fts_v5;"
  "DROP TABLE materials_fts_v5;";

static const char * const migrations[] = {
  NULL, /* version 0: an empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == KAC_STORE_SCHEMA_VERSION + 1);

/* Errors */

static void
set_error_from_sqlite (KacStore   *self,
                       GError    **error,
                       int         rc,
                       Operation   operation)
{
  const char *message = sqlite3_errstr (rc);
  g_autofree char *folder = g_path_get_dirname (self->path);

  /* sqlite3_errmsg() describes the most recent failure on this connection; it is read before
   * any ROLLBACK, which would replace it. */
  if (self->db != NULL && (sqlite3_extended_errcode (self->db) & 0xff) == (rc & 0xff))
    message = sqlite3_errmsg (self->db);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      switch (operation)
        {
        case OPERATION_SAVE:
          g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL,
                               _("The disk is full; the registration was not saved. It is still in the form."));
          break;
        case OPERATION_WITHDRAW:
          g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL,
                               _("The disk is full; the registration was not withdrawn. Free some disk space and try again."));
          break;
        case OPERATION_SYNC:
          g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL,
                               _("The disk is full; the answer of the central system could not be recorded and will be asked for again. Free some disk space."));
          break;
        case OPERATION_OPEN:
        case OPERATION_MIGRATE:
        case OPERATION_READ:
        default:
          g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL,
                       _("The disk is full; KAC Desk cannot prepare its registrations in the folder “%s”. Free some disk space and start KAC Desk again."),
                       folder);
          break;
        }
      return;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT,
                   _("The registrations file “%s” is damaged or is not a KAC Desk database. KAC Desk has left it as it is; ask your administrator to restore it from a backup."),
                   self->path);
      return;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      if (operation == OPERATION_OPEN)
        {
          g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN,
                       _("KAC Desk cannot open its registrations in the folder “%s” (%s). Make the folder writable for your user account, or ask your administrator."),
                       folder, message);
          return;
        }
      break;

    default:
      break;
    }

  switch (operation)
    {
    case OPERATION_SAVE:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The registration was not saved (%s). It is still in the form; try again."),
                   message);
      break;
    case OPERATION_WITHDRAW:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The registration was not withdrawn (%s). Try again."),
                   message);
      break;
    case OPERATION_MIGRATE:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The registrations file “%s” could not be upgraded (%s). Nothing was changed; ask your administrator."),
                   self->path, message);
      break;
    case OPERATION_SYNC:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The sending queue could not be updated (%s). Nothing was lost; KAC Desk will try again."),
                   message);
      break;
    case OPERATION_READ:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The registrations could not be read (%s)."),
                   message);
      break;
    case OPERATION_OPEN:
    default:
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED,
                   _("The registrations file “%s” could not be opened (%s)."),
                   self->path, message);
      break;
    }
}

static void
set_error_from_errno (KacStore    *self,
                      GError     **error,
                      const char  *folder,
                      int          saved_errno)
{
  g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN,
               /* Translators: the first %s is a folder, the second the system's reason. */
               _("KAC Desk cannot keep its registrations in the folder “%s” (%s). Make the folder writable for your user account, or ask your administrator."),
               folder, g_strerror (saved_errno));
}

/* Helpers */

static gint64
date_time_to_usec (GDateTime *date_time)
{
  return g_date_time_to_unix (date_time) * USEC_PER_SEC + g_date_time_get_microsecond (date_time);
}

static GDateTime *
date_time_new_from_usec (gint64 usec)
{
  gint64 seconds = usec / USEC_PER_SEC;
  gint64 rest = usec % USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (rest < 0)
    {
      seconds -= 1;
      rest += USEC_PER_SEC;
    }

  whole = g_date_time_new_from_unix_utc (seconds);
  if (whole == NULL)
    return NULL;

  return g_date_time_add (whole, rest);
}

static GDateTime *
local_midnight_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_new_local (g_date_time_get_year (now),
                                g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now),
                                0, 0, 0);
}

static sqlite3_stmt *
get_stmt (KacStore   *self,
          StmtId      id,
          Operation   operation,
          GError    **error)
{
  int rc;

  if (self->stmts[id] == NULL)
    {
      rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                               &self->stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          set_error_from_sqlite (self, error, rc, operation);
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (self->stmts[id]);
      sqlite3_clear_bindings (self->stmts[id]);
    }

  return self->stmts[id];
}

static gboolean
exec_sql (KacStore    *self,
          const char  *sql,
          Operation    operation,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, operation);
      return FALSE;
    }

  return TRUE;
}

/* After a failed statement SQLite may already have rolled the transaction back (it does so on
 * SQLITE_FULL, for instance); only roll back what is still open. */
static void
rollback_if_open (KacStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
commit (KacStore    *self,
        Operation    operation,
        GError     **error)
{
  if (!exec_sql (self, "COMMIT", operation, error))
    {
      rollback_if_open (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_int (KacStore    *self,
           const char  *sql,
           Operation    operation,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }

  if (rc != SQLITE_OK)
    set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), operation);

  sqlite3_finalize (stmt);

  return rc == SQLITE_OK;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static KacRecord *
record_from_stmt (KacStore      *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GDateTime) created_at = date_time_new_from_usec (sqlite3_column_int64 (stmt, 10));
  g_autoptr(GDateTime) updated_at = date_time_new_from_usec (sqlite3_column_int64 (stmt, 11));
  const char *uuid = column_text (stmt, 0);
  KacRecordKind kind;
  KacChannel channel;
  KacRecordState state;

  /* A value this version does not know can only come from damage: a newer KAC Desk that adds
   * one also raises the schema version, and such a file is refused at open. */
  if (!kac_record_kind_from_string (column_text (stmt, 1), &kind) ||
      !kac_channel_from_string (column_text (stmt, 5), &channel) ||
      !kac_record_state_from_string (column_text (stmt, 14), &state) ||
      created_at == NULL || updated_at == NULL || uuid == NULL)
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT,
                   _("The registration %s in the file “%s” is damaged and cannot be read. Ask your administrator to restore the file from a backup."),
                   uuid != NULL ? uuid : "?", self->path);
      return NULL;
    }

  return g_object_new (KAC_TYPE_RECORD,
                       "uuid", uuid,
                       "kind", kind,
                       "service-code", column_text (stmt, 2),
                       "institution-code", column_text (stmt, 3),
                       "service-name", column_text (stmt, 4),
                       "channel", channel,
                       "client-name", column_text (stmt, 6),
                       "client-code", column_text (stmt, 7),
                       "notes", column_text (stmt, 8),
                       "satisfaction", sqlite3_column_int (stmt, 9),
                       "created-at", created_at,
                       "updated-at", updated_at,
                       "clerk", column_text (stmt, 12),
                       "centre-id", column_text (stmt, 13),
                       "state", state,
                       "state-detail", column_text (stmt, 15),
                       "central-number", column_text (stmt, 16),
                       NULL);
}

/* Reads one record by UUID. Returns NULL with no error set when there is none. */
static KacRecord *
select_record (KacStore    *self,
               const char  *uuid,
               Operation    operation,
               GError     **error)
{
  sqlite3_stmt *stmt;
  KacRecord *record = NULL;
  int rc;

  if (!(stmt = get_stmt (self, STMT_SELECT_RECORD, operation, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_stmt (self, stmt, error);
  else if (rc != SQLITE_DONE)
    set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), operation);

  sqlite3_reset (stmt);

  return record;
}

/* Looks up the stored state of @uuid. Returns FALSE on a SQLite error; *found says whether the
 * record exists. */
static gboolean
select_state (KacStore        *self,
              const char      *uuid,
              Operation        operation,
              gboolean        *found,
              KacRecordState  *state,
              GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = get_stmt (self, STMT_SELECT_STATE, operation, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *found = FALSE;
  if (rc == SQLITE_ROW)
    {
      if (!kac_record_state_from_string (column_text (stmt, 0), state))
        {
          g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT,
                       _("The registration %s in the file “%s” is damaged and cannot be read. Ask your administrator to restore the file from a backup."),
                       uuid, self->path);
          sqlite3_reset (stmt);
          return FALSE;
        }
      *found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), operation);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
step_done (KacStore      *self,
           sqlite3_stmt  *stmt,
           Operation      operation,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), operation);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
insert_history (KacStore    *self,
                const char  *uuid,
                const char  *change,
                gint64       now_usec,
                Operation    operation,
                GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_INSERT_HISTORY, operation, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_usec);
  sqlite3_bind_text (stmt, 3, change, -1, SQLITE_STATIC);

  return step_done (self, stmt, operation, error);
}

static void
bind_optional_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Binds ?1…?17 (see RECORD_COLUMNS) from @record, with the state and times the store decides. */
static void
bind_record (sqlite3_stmt   *stmt,
             KacRecord      *record,
             KacRecordState  state,
             gint64          updated_at_usec)
{
  sqlite3_bind_text (stmt, 1, kac_record_get_uuid (record), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kac_record_kind_to_string (kac_record_get_kind (record)), -1, SQLITE_STATIC);
  bind_optional_text (stmt, 3, kac_record_get_service_code (record));
  bind_optional_text (stmt, 4, kac_record_get_institution_code (record));
  bind_optional_text (stmt, 5, kac_record_get_service_name (record));
  sqlite3_bind_text (stmt, 6, kac_channel_to_string (kac_record_get_channel (record)), -1, SQLITE_STATIC);
  bind_optional_text (stmt, 7, kac_record_get_client_name (record));
  bind_optional_text (stmt, 8, kac_record_get_client_code (record));
  bind_optional_text (stmt, 9, kac_record_get_notes (record));
  sqlite3_bind_int (stmt, 10, kac_record_get_satisfaction (record));
  sqlite3_bind_int64 (stmt, 11, date_time_to_usec (kac_record_get_created_at (record)));
  sqlite3_bind_int64 (stmt, 12, updated_at_usec);
  bind_optional_text (stmt, 13, kac_record_get_clerk (record));
  bind_optional_text (stmt, 14, kac_record_get_centre_id (record));
  sqlite3_bind_text (stmt, 15, kac_record_state_to_string (state), -1, SQLITE_STATIC);
  /* A correction goes back to the queue without the old rejection reason; the history row
   * keeps it. */
  sqlite3_bind_null (stmt, 16);
  sqlite3_bind_null (stmt, 17);
}

/* Newest first; records made in the same microsecond are ordered by UUID so that the order is
 * the same in SQL and here. */
static gboolean
record_sorts_before (KacRecord *a,
                     KacRecord *b)
{
  int cmp = g_date_time_compare (kac_record_get_created_at (a), kac_record_get_created_at (b));

  if (cmp != 0)
    return cmp > 0;

  return strcmp (kac_record_get_uuid (a), kac_record_get_uuid (b)) > 0;
}

/* The model is sorted by (created_at, uuid), newest first, and a record's creation time never
 * changes: its place is found by binary search. The sync engine replaces thousands of items
 * per minute while draining a queue; a linear scan per item would make that quadratic. */
static guint
model_lower_bound (KacStore  *self,
                   KacRecord *record)
{
  guint low = 0;
  guint high = g_list_model_get_n_items (G_LIST_MODEL (self->records));

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(KacRecord) item = g_list_model_get_item (G_LIST_MODEL (self->records), middle);

      if (record_sorts_before (item, record))
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

/* Puts @record into the model where it belongs, or replaces the item with its UUID. */
static void
model_put (KacStore  *self,
           KacRecord *record)
{
  guint position = model_lower_bound (self, record);

  if (position < g_list_model_get_n_items (G_LIST_MODEL (self->records)))
    {
      g_autoptr(KacRecord) item = g_list_model_get_item (G_LIST_MODEL (self->records), position);

      if (g_strcmp0 (kac_record_get_uuid (item), kac_record_get_uuid (record)) == 0)
        {
          g_list_store_splice (self->records, position, 1, (gpointer *) &record, 1);
          return;
        }
    }

  if (g_date_time_compare (kac_record_get_created_at (record), self->records_since) < 0)
    return;

  g_list_store_insert (self->records, position, record);
}

/* Reads @uuid again and puts it into the model (after a commit that changed it). */
static void
model_refresh (KacStore   *self,
               const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) stored = select_record (self, uuid, OPERATION_READ, &error);

  if (stored != NULL)
    model_put (self, stored);
  else if (error != NULL)
    g_warning ("A registration changed by the sync could not be read back: %s", error->message);
}

static void
set_n_queued (KacStore *self,
              guint     n_queued)
{
  if (self->n_queued == n_queued)
    return;

  self->n_queued = n_queued;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
}

static GPtrArray *
load_records (KacStore   *self,
              GDateTime  *since,
              GError    **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " RECORD_COLUMNS " FROM records WHERE created_at >= ?1 "
                           "ORDER BY created_at DESC, uuid DESC",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_READ);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, date_time_to_usec (since));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KacRecord *record = record_from_stmt (self, stmt, error);

      if (record == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (records, record);
    }

  if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), OPERATION_READ);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);

  return g_steal_pointer (&records);
}

static gboolean
count_queued (KacStore  *self,
              guint     *n_queued,
              GError   **error)
{
  gint64 count = 0;

  if (!query_int (self, "SELECT count(*) FROM records WHERE state = 'queued'",
                  OPERATION_READ, &count, error))
    return FALSE;

  *n_queued = (guint) count;

  return TRUE;
}

static void
set_count (KacStore *self,
           guint    *field,
           guint     value,
           guint     prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Counts the queue again after a change (a handful of indexed counts; cheap next to the
 * durable commit that preceded it). A failure only leaves the old figures. */
static void
recount (KacStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stuck_sql = NULL;
  gint64 pending = 0, rejected = 0, stuck = 0;
  guint queued = 0;

  stuck_sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE attempts >= %d OR queued_at < %" G_GINT64_FORMAT,
                               KAC_STORE_STUCK_ATTEMPTS,
                               g_get_real_time () - (gint64) KAC_STORE_STUCK_SECONDS * USEC_PER_SEC);

  if (!count_queued (self, &queued, &error) ||
      !query_int (self, "SELECT count(*) FROM outbox", OPERATION_READ, &pending, &error) ||
      !query_int (self, "SELECT count(*) FROM records WHERE state = 'rejected'",
                  OPERATION_READ, &rejected, &error) ||
      !query_int (self, stuck_sql, OPERATION_READ, &stuck, &error))
    {
      g_warning ("The sending queue could not be counted: %s", error->message);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->n_queued, queued, PROP_N_QUEUED);
  set_count (self, &self->n_pending, (guint) pending, PROP_N_PENDING);
  set_count (self, &self->n_rejected, (guint) rejected, PROP_N_REJECTED);
  set_count (self, &self->n_stuck, (guint) stuck, PROP_N_STUCK);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Writes the outbox entry of the record @uuid just written, with @stored's canonical body. */
static gboolean
upsert_outbox (KacStore    *self,
               KacRecord   *stored,
               gint64       now_usec,
               GError     **error)
{
  g_autofree char *body = kac_wire_encode_record (stored);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_UPSERT_OUTBOX, OPERATION_SAVE, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, kac_record_get_uuid (stored), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_usec);

  return step_done (self, stmt, OPERATION_SAVE, error);
}

static gboolean
delete_outbox (KacStore    *self,
               const char  *uuid,
               Operation    operation,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_DELETE_OUTBOX, operation, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, operation, error);
}

/* Entries that are only in flight in this process's memory need not reach the disk before
 * the request goes out: at open every in-flight entry goes back to pending anyway. Such
 * transactions skip the fsync (WAL with synchronous=NORMAL is still atomic and ordered; the next
 * FULL commit syncs them too), which keeps a drain of a long queue fast. */
static gboolean
begin_light (KacStore  *self,
             GError   **error)
{
  if (!exec_sql (self, "PRAGMA synchronous = NORMAL", OPERATION_SYNC, error))
    return FALSE;

  if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_SYNC, error))
    {
      exec_sql (self, "PRAGMA synchronous = FULL", OPERATION_SYNC, NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
end_light (KacStore  *self,
           gboolean   ok,
           GError   **error)
{
  if (ok)
    ok = commit (self, OPERATION_SYNC, error);
  else
    rollback_if_open (self);

  /* Back to durable commits for everything else; if even this fails, the connection is not
   * trusted to say "saved" any more. */
  if (!exec_sql (self, "PRAGMA synchronous = FULL", OPERATION_SYNC, ok ? error : NULL))
    {
      g_critical ("Could not restore synchronous=FULL on %s", self->path);
      return FALSE;
    }

  return ok;
}

/* Opening */

/* The lock is held on its own file, not on the database, because SQLite takes POSIX locks on
 * the database itself and a process may not mix them with flock() on the same file. It is never
 * unlinked: removing a lock file while another process waits on it would let two in. */
static gboolean
take_lock (KacStore  *self,
           GError   **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *folder = g_path_get_dirname (self->path);

  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      set_error_from_errno (self, error, folder, errno);
      return FALSE;
    }

  (void) fchmod (self->lock_fd, 0600);

  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EWOULDBLOCK)
        g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_LOCKED,
                             _("KAC Desk is already open with this profile in another session. Close it there first."));
      else
        set_error_from_errno (self, error, folder, saved_errno);
      return FALSE;
    }

  return TRUE;
}

/* Creates the file with mode 0600 ourselves (SQLite would use 0644 less the umask) and makes
 * sure an existing one is not readable by others: it holds personal data. A non-empty file must
 * start with the SQLite header; anything else is refused before SQLite may write to it. */
static gboolean
prepare_file (KacStore  *self,
              GError   **error)
{
  g_autofree char *folder = g_path_get_dirname (self->path);
  static const char magic[16] = "SQLite format 3";
  char header[100];
  struct stat st;
  ssize_t n_read;
  int fd;

  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_error_from_errno (self, error, folder, errno);
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      set_error_from_errno (self, error, folder, errno);
      close (fd);
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN,
                   _("KAC Desk cannot keep its registrations at “%s”: it is not a file. Ask your administrator to move it aside."),
                   self->path);
      close (fd);
      return FALSE;
    }

  /* An empty file is a new database, or one in WAL mode whose first commits have not been
   * checkpointed yet: SQLite reads those from the -wal file. */
  if (st.st_size > 0)
    {
      n_read = pread (fd, header, sizeof header, 0);
      if (n_read != (ssize_t) sizeof header || memcmp (header, magic, sizeof magic) != 0)
        {
          close (fd);
          set_error_from_sqlite (self, error, SQLITE_NOTADB, OPERATION_OPEN);
          return FALSE;
        }
    }

  if ((st.st_mode & 07777) != 0600 && fchmod (fd, 0600) != 0)
    {
      set_error_from_errno (self, error, folder, errno);
      close (fd);
      return FALSE;
    }

  close (fd);

  /* SQLite gives its -wal and -shm files the mode of the database; older ones may remain. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *side = g_strconcat (self->path, i == 0 ? "-wal" : "-shm", NULL);

      (void) g_chmod (side, 0600);
    }

  return TRUE;
}

/* Version 3's C step: every record version 2 left queued gets its outbox entry, with the body
 * encoded now (that is the moment it is "serialised once"). */
static gboolean
fill_outbox_v3 (KacStore  *self,
                GError   **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT uuid FROM records WHERE state = 'queued' ORDER BY created_at, uuid",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_MIGRATE);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (uuids, g_strdup (column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), OPERATION_MIGRATE);
      return FALSE;
    }

  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(KacRecord) record = select_record (self, uuids->pdata[i], OPERATION_MIGRATE, error);

      if (record == NULL)
        {
          if (error != NULL && *error == NULL)
            set_error_from_sqlite (self, error, SQLITE_CORRUPT, OPERATION_MIGRATE);
          return FALSE;
        }

      if (!upsert_outbox (self, record, date_time_to_usec (kac_record_get_updated_at (record)), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
run_migrations (KacStore  *self,
                int        from_version,
                GError   **error)
{
  for (int version = from_version + 1; version <= KAC_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version);

      if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_MIGRATE, error))
        return FALSE;

      if (!exec_sql (self, migrations[version], OPERATION_MIGRATE, error) ||
          (version == 3 && !fill_outbox_v3 (self, error)) ||
          !exec_sql (self, bump, OPERATION_MIGRATE, error) ||
          !commit (self, OPERATION_MIGRATE, error))
        {
          rollback_if_open (self);
          return FALSE;
        }

      g_debug ("Migrated %s to schema version %d", self->path, version);
    }

  /* A new file went through every step, and step 6 dropped the search index step 4 made: its
   * pages are free inside the file. A new file starts without dead pages (a few, rebuilt in
   * no time), so that it grows only when data needs room (test-store's full disk). */
  if (from_version == 0 && !exec_sql (self, "VACUUM", OPERATION_MIGRATE, error))
    return FALSE;

  return TRUE;
}

static gboolean
open_database (KacStore  *self,
               GError   **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *journal_mode = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 user_version = 0;
  gint64 n_tables = 0;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_OPEN);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Read before anything may write: a damaged file is found here and left untouched. */
  if (!query_int (self, "SELECT count(*) FROM sqlite_schema", OPERATION_OPEN, &n_tables, error) ||
      !query_int (self, "PRAGMA user_version", OPERATION_OPEN, &user_version, error))
    return FALSE;

  if (user_version > KAC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_TOO_NEW,
                   _("The registrations file “%s” was written by a newer version of KAC Desk (data version %d; this version knows up to %d). Update KAC Desk to open it; the file was not changed."),
                   self->path, (int) user_version, KAC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (user_version < 0 || (user_version == 0 && n_tables > 0))
    {
      set_error_from_sqlite (self, error, SQLITE_NOTADB, OPERATION_OPEN);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      journal_mode = g_strdup (column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    rc = sqlite3_extended_errcode (self->db);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_OPEN);
      return FALSE;
    }
  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN,
                   _("KAC Desk cannot use its registrations file “%s” safely on this file system (journal mode “%s”). Ask your administrator to put the profile on a local disk."),
                   self->path, journal_mode != NULL ? journal_mode : "");
      return FALSE;
    }

  if (!exec_sql (self,
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;",
                 OPERATION_OPEN, error))
    return FALSE;

  if (!run_migrations (self, (int) user_version, error))
    return FALSE;

  self->schema_version = KAC_STORE_SCHEMA_VERSION;

  /* A crash (or a kill) while a batch was on its way left it in flight: back to pending, same
   * UUID and body, so the resend is answered by the server as a replay. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_OPEN, error))
    return FALSE;
  if (!exec_sql (self,
                 "UPDATE records SET state = 'queued' WHERE state = 'sending';"
                 "UPDATE outbox SET state = 'pending' WHERE state = 'in-flight';",
                 OPERATION_OPEN, error) ||
      !commit (self, OPERATION_OPEN, error))
    {
      rollback_if_open (self);
      return FALSE;
    }

  if (!count_queued (self, &self->n_queued, error))
    return FALSE;
  recount (self);

  self->records_since = local_midnight_today ();
  if (!(records = load_records (self, self->records_since, error)))
    return FALSE;

  g_list_store_splice (self->records, 0, 0, records->pdata, records->len);

  return TRUE;
}

/* GObject overrides */

static void
kac_store_finalize (GObject *object)
{
  KacStore *self = (KacStore *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);

  g_clear_pointer (&self->db, sqlite3_close);

  /* Closing the descriptor releases the lock, after the last write is on disk. */
  if (self->lock_fd >= 0)
    close (self->lock_fd);

  g_clear_object (&self->records);
  g_clear_pointer (&self->records_since, g_date_time_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (kac_store_parent_class)->finalize (object);
}

static void
kac_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KacStore *self = KAC_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_N_QUEUED:
      g_value_set_uint (value, self->n_queued);
      break;
    case PROP_RECORDS_SINCE:
      g_value_set_boxed (value, self->records_since);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_N_REJECTED:
      g_value_set_uint (value, self->n_rejected);
      break;
    case PROP_N_STUCK:
      g_value_set_uint (value, self->n_stuck);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_store_class_init (KacStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kac_store_finalize;
  object_class->get_property = kac_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_QUEUED] =
    g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDS_SINCE] =
    g_param_spec_boxed ("records-since", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_REJECTED] =
    g_param_spec_uint ("n-rejected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STUCK] =
    g_param_spec_uint ("n-stuck", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kac_store_init (KacStore *self)
{
  self->lock_fd = -1;
  self->records = g_list_store_new (KAC_TYPE_RECORD);
}

/* Public API */

char *
kac_store_dup_default_path (const char *profile_dir_name)
{
  g_return_val_if_fail (profile_dir_name != NULL && *profile_dir_name != '\0', NULL);

  return g_build_filename (g_get_user_data_dir (), profile_dir_name, "registrations.db", NULL);
}

/**
 * kac_store_open:
 *
 * Returns: (transfer full): the store, or %NULL with @error set. The file is left unchanged on
 *   any error but a failed migration step, which is rolled back.
 */
KacStore *
kac_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(KacStore) self = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KAC_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      set_error_from_errno (self, error, folder, errno);
      return NULL;
    }

  if (!take_lock (self, error) ||
      !prepare_file (self, error) ||
      !open_database (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
kac_store_get_path (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  return self->path;
}

int
kac_store_get_schema_version (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  return self->schema_version;
}

gboolean
kac_store_save_record (KacStore   *self,
                       KacRecord  *record,
                       GError    **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KacRecord) stored = NULL;
  KacRecordState old_state = KAC_RECORD_STATE_QUEUED;
  const char *uuid;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gint64 now_usec;
  guint n_queued;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (KAC_IS_RECORD (record), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kac_record_validate (record, NULL, &invalid))
    {
      g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  uuid = kac_record_get_uuid (record);
  now_usec = g_get_real_time ();

  if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_SAVE, error))
    return FALSE;

  if (!select_state (self, uuid, OPERATION_SAVE, &found, &old_state, error))
    goto failed;

  if (found)
    {
      if (old_state != KAC_RECORD_STATE_QUEUED && old_state != KAC_RECORD_STATE_REJECTED)
        {
          if (old_state == KAC_RECORD_STATE_WITHDRAWN)
            g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                                 _("This registration was withdrawn and can no longer be corrected. Make a new registration instead."));
          /* While a batch is on its way the server may be storing this very body: a
           * correction now could not be told apart from it. The answer takes seconds. */
          else if (old_state == KAC_RECORD_STATE_SENDING)
            g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                                 _("This registration is being sent to the central system at this moment. Wait a few seconds and try again."));
          else
            g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                                 _("This registration has already been sent to the central system and can no longer be corrected here."));
          goto failed;
        }

      if (!insert_history (self, uuid, "corrected", now_usec, OPERATION_SAVE, error) ||
          !(stmt = get_stmt (self, STMT_UPDATE_RECORD, OPERATION_SAVE, error)))
        goto failed;
    }
  else if (!(stmt = get_stmt (self, STMT_INSERT_RECORD, OPERATION_SAVE, error)))
    goto failed;

  bind_record (stmt, record, KAC_RECORD_STATE_QUEUED, now_usec);
  if (!step_done (self, stmt, OPERATION_SAVE, error))
    goto failed;

  /* The model gets the row exactly as stored, as an object of its own: the form may go on
   * changing the caller's record without changing the list. */
  stored = select_record (self, uuid, OPERATION_SAVE, &local_error);
  if (stored == NULL)
    {
      if (local_error == NULL)
        set_error_from_sqlite (self, &local_error, SQLITE_INTERNAL, OPERATION_SAVE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  if (!upsert_outbox (self, stored, now_usec, error))
    goto failed;

  if (!commit (self, OPERATION_SAVE, error))
    return FALSE;

  /* The caller's record now says what the file says. */
  kac_record_set_state (record, kac_record_get_state (stored));
  kac_record_set_state_detail (record, kac_record_get_state_detail (stored));
  kac_record_set_central_number (record, kac_record_get_central_number (stored));
  kac_record_set_updated_at (record, kac_record_get_updated_at (stored));

  model_put (self, stored);

  n_queued = self->n_queued;
  if (!found || old_state != KAC_RECORD_STATE_QUEUED)
    n_queued++;
  set_n_queued (self, n_queued);

  /* Counted as they change, not recounted: the clerk waits for this function. A new entry is
   * never stuck; a corrected one starts its attempts again. */
  if (found && old_state == KAC_RECORD_STATE_QUEUED)
    recount (self);
  else
    {
      g_object_freeze_notify (G_OBJECT (self));
      set_count (self, &self->n_pending, self->n_pending + 1, PROP_N_PENDING);
      if (found && old_state == KAC_RECORD_STATE_REJECTED)
        set_count (self, &self->n_rejected, self->n_rejected - 1, PROP_N_REJECTED);
      g_object_thaw_notify (G_OBJECT (self));
    }

  return TRUE;

failed:
  rollback_if_open (self);
  return FALSE;
}

gboolean
kac_store_withdraw_record (KacStore    *self,
                           const char  *uuid,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KacRecord) stored = NULL;
  KacRecordState old_state = KAC_RECORD_STATE_QUEUED;
  gboolean found = FALSE;
  sqlite3_stmt *stmt;
  gint64 now_usec;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  now_usec = g_get_real_time ();

  if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_WITHDRAW, error))
    return FALSE;

  if (!select_state (self, uuid, OPERATION_WITHDRAW, &found, &old_state, error))
    goto failed;

  if (!found)
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND,
                   _("The registration %s was not found. It may have been made on another terminal."),
                   uuid);
      goto failed;
    }

  if (old_state != KAC_RECORD_STATE_QUEUED && old_state != KAC_RECORD_STATE_REJECTED)
    {
      if (old_state == KAC_RECORD_STATE_WITHDRAWN)
        g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                             _("This registration has already been withdrawn."));
      else if (old_state == KAC_RECORD_STATE_SENDING)
        g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                             _("This registration is being sent to the central system at this moment. Wait a few seconds and try again."));
      else
        g_set_error_literal (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE,
                             _("This registration has already been sent to the central system and can no longer be withdrawn here."));
      goto failed;
    }

  /* A withdrawn record that was never sent is never sent: its entry goes with it. */
  if (!insert_history (self, uuid, "withdrawn", now_usec, OPERATION_WITHDRAW, error) ||
      !delete_outbox (self, uuid, OPERATION_WITHDRAW, error) ||
      !(stmt = get_stmt (self, STMT_WITHDRAW_RECORD, OPERATION_WITHDRAW, error)))
    goto failed;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kac_record_state_to_string (KAC_RECORD_STATE_WITHDRAWN), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_usec);
  if (!step_done (self, stmt, OPERATION_WITHDRAW, error))
    goto failed;

  stored = select_record (self, uuid, OPERATION_WITHDRAW, &local_error);
  if (stored == NULL)
    {
      if (local_error == NULL)
        set_error_from_sqlite (self, &local_error, SQLITE_INTERNAL, OPERATION_WITHDRAW);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  if (!commit (self, OPERATION_WITHDRAW, error))
    return FALSE;

  model_put (self, stored);
  if (old_state == KAC_RECORD_STATE_QUEUED)
    set_n_queued (self, self->n_queued - 1);
  recount (self);

  return TRUE;

failed:
  rollback_if_open (self);
  return FALSE;
}

/**
 * kac_store_lookup_record:
 *
 * Returns: (transfer full): the stored record, or %NULL with KAC_STORE_ERROR_NOT_FOUND (or
 *   another error) set.
 */
KacRecord *
kac_store_lookup_record (KacStore    *self,
                         const char  *uuid,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  KacRecord *record;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  record = select_record (self, uuid, OPERATION_READ, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (record == NULL)
    g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND,
                 _("The registration %s was not found. It may have been made on another terminal."),
                 uuid);

  return record;
}

/**
 * kac_store_get_records:
 *
 * Returns: (transfer none): a #GListModel of #KacRecord.
 */
GListModel *
kac_store_get_records (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  return G_LIST_MODEL (self->records);
}

/**
 * kac_store_get_records_since:
 *
 * Returns: (transfer none): the earliest creation time of the records in the model.
 */
GDateTime *
kac_store_get_records_since (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  return self->records_since;
}

gboolean
kac_store_set_records_since (KacStore   *self,
                             GDateTime  *since,
                             GError    **error)
{
  g_autoptr(GPtrArray) records = NULL;
  guint n_items;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (since != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(records = load_records (self, since, error)))
    return FALSE;

  g_clear_pointer (&self->records_since, g_date_time_unref);
  self->records_since = g_date_time_ref (since);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->records));
  g_list_store_splice (self->records, 0, n_items, records->pdata, records->len);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDS_SINCE]);

  return TRUE;
}

guint
kac_store_get_n_queued (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  return self->n_queued;
}

/**
 * kac_store_dup_service_usage:
 *
 * Returns: (transfer full) (element-type utf8 guint): service code → count of the
 *   registrations of the last 90 days that were not withdrawn.
 */
GHashTable *
kac_store_dup_service_usage (KacStore  *self,
                             GError   **error)
{
  g_autoptr(GHashTable) usage = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 since_usec;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  usage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  since_usec = g_get_real_time () - (gint64) SERVICE_USAGE_DAYS * 24 * 3600 * USEC_PER_SEC;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT service_code, count(*) FROM records "
                           "WHERE created_at >= ?1 AND state != ?2 AND service_code IS NOT NULL "
                           "GROUP BY service_code",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_READ);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, since_usec);
  sqlite3_bind_text (stmt, 2, kac_record_state_to_string (KAC_RECORD_STATE_WITHDRAWN), -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (usage,
                         g_strdup (column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));

  if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), OPERATION_READ);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);

  return g_steal_pointer (&usage);
}

/* Private API (kac-store-private.h) */

guint64
_kac_store_set_max_page_count (KacStore *self,
                               guint64   max_page_count)
{
  g_autofree char *sql = NULL;
  gint64 value = 0;

  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GUINT64_FORMAT, max_page_count);
  if (!query_int (self, sql, OPERATION_READ, &value, NULL))
    return 0;

  return (guint64) value;
}

/* Outbox */

void
kac_outbox_entry_free (KacOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->uuid);
  g_free (entry->body);
  g_free (entry);
}

static gboolean
move_record_state (KacStore        *self,
                   const char      *uuid,
                   KacRecordState   from,
                   KacRecordState   to,
                   GError         **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_MOVE_RECORD_STATE, OPERATION_SYNC, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kac_record_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kac_record_state_to_string (from), -1, SQLITE_STATIC);

  return step_done (self, stmt, OPERATION_SYNC, error);
}

/**
 * kac_store_outbox_take:
 *
 * Returns: (transfer full) (element-type KacOutboxEntry): the entries now in flight, or %NULL
 *   with @error set (then nothing changed).
 */
GPtrArray *
kac_store_outbox_take (KacStore  *self,
                       guint      limit,
                       gboolean   ignore_schedule,
                       GError   **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_outbox_entry_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin_light (self, error))
    return NULL;

  if (!(stmt = get_stmt (self, STMT_SELECT_DUE, OPERATION_SYNC, error)))
    {
      end_light (self, FALSE, NULL);
      return NULL;
    }

  sqlite3_bind_int (stmt, 1, ignore_schedule ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KacOutboxEntry *entry = g_new0 (KacOutboxEntry, 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      entry->uuid = g_strdup (column_text (stmt, 1));
      entry->body = g_strdup (column_text (stmt, 2));
      entry->attempts = (guint) sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (entries, entry);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), OPERATION_SYNC);
      ok = FALSE;
    }
  sqlite3_reset (stmt);

  for (guint i = 0; ok && i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];

      if (!(stmt = get_stmt (self, STMT_MARK_IN_FLIGHT, OPERATION_SYNC, error)))
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      ok = step_done (self, stmt, OPERATION_SYNC, error) &&
           move_record_state (self, entry->uuid, KAC_RECORD_STATE_QUEUED, KAC_RECORD_STATE_SENDING, error);
    }

  if (!end_light (self, ok, error))
    return NULL;

  for (guint i = 0; i < entries->len; i++)
    model_refresh (self, ((KacOutboxEntry *) entries->pdata[i])->uuid);
  recount (self);

  return g_steal_pointer (&entries);
}

gboolean
kac_store_outbox_release (KacStore    *self,
                          GPtrArray   *entries,
                          gint64       next_attempt_usec,
                          const char  *last_error,
                          GError     **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_light (self, error))
    return FALSE;

  for (guint i = 0; ok && i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];
      sqlite3_stmt *stmt;

      if (!(stmt = get_stmt (self, STMT_RELEASE_ENTRY, OPERATION_SYNC, error)))
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, entry->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, next_attempt_usec);
      bind_optional_text (stmt, 3, last_error);
      ok = step_done (self, stmt, OPERATION_SYNC, error) &&
           move_record_state (self, entry->uuid, KAC_RECORD_STATE_SENDING, KAC_RECORD_STATE_QUEUED, error);
    }

  if (!end_light (self, ok, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    model_refresh (self, ((KacOutboxEntry *) entries->pdata[i])->uuid);
  recount (self);

  return TRUE;
}

static const char *
result_detail (KacWireItemResult *result,
               char             **allocated)
{
  if (result->status == KAC_WIRE_ITEM_CONFLICT)
    /* The UUID is already stored centrally with another body. That happens when a record was
     * corrected here after an earlier version had reached the server but its answer had not
     * come back. The server's version stands and a correction cannot replace it: the clerk
     * withdraws this one and registers the case again if the difference matters. */
    return _("The central system already holds an earlier version of this registration, so this version was not sent. If the difference matters, withdraw this registration and register the case again.");

  if (result->title != NULL && *result->title != '\0')
    return result->title;

  *allocated = g_strdup_printf (_("The central system refused this registration (%s). Correct it and send it again, or withdraw it."),
                                result->code != NULL ? result->code : "?");
  return *allocated;
}

gboolean
kac_store_outbox_apply_results (KacStore   *self,
                                GPtrArray  *entries,
                                GPtrArray  *results,
                                GError    **error)
{
  gint64 now_usec;
  gboolean ok = TRUE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (results != NULL && results->len == entries->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  now_usec = g_get_real_time ();

  /* A durable commit: the clerk sees "accepted, KAC-2026-000123" from here on. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", OPERATION_SYNC, error))
    return FALSE;

  for (guint i = 0; ok && i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];
      KacWireItemResult *result = results->pdata[i];
      g_autofree char *allocated = NULL;
      sqlite3_stmt *stmt;

      g_assert (g_strcmp0 (entry->uuid, result->uuid) == 0);

      if (!(stmt = get_stmt (self, STMT_SET_RECORD_RESULT, OPERATION_SYNC, error)))
        {
          ok = FALSE;
          break;
        }

      sqlite3_bind_text (stmt, 1, entry->uuid, -1, SQLITE_TRANSIENT);
      switch (result->status)
        {
        case KAC_WIRE_ITEM_ACCEPTED:
        case KAC_WIRE_ITEM_DUPLICATE:
          sqlite3_bind_text (stmt, 2, kac_record_state_to_string (KAC_RECORD_STATE_ACCEPTED), -1, SQLITE_STATIC);
          sqlite3_bind_null (stmt, 3);
          bind_optional_text (stmt, 4, result->central_number);
          break;
        case KAC_WIRE_ITEM_CONFLICT:
        case KAC_WIRE_ITEM_REJECTED:
        default:
          sqlite3_bind_text (stmt, 2, kac_record_state_to_string (KAC_RECORD_STATE_REJECTED), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, result_detail (result, &allocated), -1, SQLITE_TRANSIENT);
          sqlite3_bind_null (stmt, 4);
          break;
        }
      sqlite3_bind_int64 (stmt, 5, now_usec);

      ok = step_done (self, stmt, OPERATION_SYNC, error) &&
           delete_outbox (self, entry->uuid, OPERATION_SYNC, error);
    }

  if (!ok)
    {
      rollback_if_open (self);
      return FALSE;
    }

  if (!commit (self, OPERATION_SYNC, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    model_refresh (self, ((KacOutboxEntry *) entries->pdata[i])->uuid);
  recount (self);

  return TRUE;
}

gboolean
kac_store_outbox_get_next_due (KacStore *self,
                               gint64   *next_due_usec)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (next_due_usec != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;

  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *next_due_usec = sqlite3_column_int64 (stmt, 0);
      found = TRUE;
    }
  sqlite3_finalize (stmt);

  return found;
}

char *
kac_store_outbox_dup_last_error (KacStore   *self,
                                 const char *uuid)
{
  sqlite3_stmt *stmt = NULL;
  char *last_error = NULL;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT last_error FROM outbox WHERE uuid = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last_error = g_strdup (column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return last_error;
}

guint
kac_store_get_n_pending (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  return self->n_pending;
}

guint
kac_store_get_n_rejected (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  return self->n_rejected;
}

guint
kac_store_get_n_stuck (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), 0);

  recount (self);

  return self->n_stuck;
}

/* Status changes */

static gboolean
set_sync_value (KacStore    *self,
                const char  *key,
                const char  *value,
                GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, value != NULL ? STMT_SET_SYNC_VALUE : STMT_DELETE_SYNC_VALUE,
                         OPERATION_SYNC, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, OPERATION_SYNC, error);
}

gboolean
kac_store_apply_changes (KacStore            *self,
                         KacWireChangesPage  *page,
                         GError             **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Losing a page to a power cut only means pulling it again: no fsync needed here. */
  if (!begin_light (self, error))
    return FALSE;

  for (guint i = 0; ok && i < page->changes->len; i++)
    {
      KacWireChange *change = page->changes->pdata[i];
      sqlite3_stmt *stmt;

      if (!(stmt = get_stmt (self, STMT_UPSERT_STATUS, OPERATION_SYNC, error)))
        {
          ok = FALSE;
          break;
        }

      sqlite3_bind_text (stmt, 1, change->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, change->central_number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, kac_application_status_to_string (change->status), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, date_time_to_usec (change->changed_at));
      bind_optional_text (stmt, 5, change->due_date);
      ok = step_done (self, stmt, OPERATION_SYNC, error);
    }

  if (ok && page->cursor != NULL)
    ok = set_sync_value (self, CHANGES_CURSOR_KEY, page->cursor, error);

  if (!end_light (self, ok, error))
    return FALSE;

  /* The queue page shows the status: its rows rebind to the replaced items. Records of other
   * terminals of the centre are not in this store and not in the model. */
  for (guint i = 0; i < page->changes->len; i++)
    model_refresh (self, ((KacWireChange *) page->changes->pdata[i])->uuid);

  return TRUE;
}

char *
kac_store_dup_sync_value (KacStore   *self,
                          const char *key)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = get_stmt (self, STMT_SELECT_SYNC_VALUE, OPERATION_READ, &error)))
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
kac_store_set_sync_value (KacStore    *self,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A single statement is its own transaction. */
  return set_sync_value (self, key, value, error);
}

char *
kac_store_dup_changes_cursor (KacStore *self)
{
  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  return kac_store_dup_sync_value (self, CHANGES_CURSOR_KEY);
}

gboolean
kac_store_reset_changes_cursor (KacStore  *self,
                                GError   **error)
{
  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_sync_value (self, CHANGES_CURSOR_KEY, NULL, error);
}

gboolean
kac_store_lookup_application_status (KacStore              *self,
                                     const char            *uuid,
                                     KacApplicationStatus  *status,
                                     char                 **due_date,
                                     GDateTime            **changed_at,
                                     GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT status, due_date, changed_at FROM application_status WHERE uuid = ?1",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_READ);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      KacApplicationStatus value;

      if (!kac_application_status_from_string (column_text (stmt, 0), &value))
        {
          g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT,
                       _("The registration %s in the file “%s” is damaged and cannot be read. Ask your administrator to restore the file from a backup."),
                       uuid, self->path);
          sqlite3_finalize (stmt);
          return FALSE;
        }

      if (status != NULL)
        *status = value;
      if (due_date != NULL)
        *due_date = g_strdup (column_text (stmt, 1));
      if (changed_at != NULL)
        *changed_at = date_time_new_from_usec (sqlite3_column_int64 (stmt, 2));
      found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    set_error_from_sqlite (self, error, sqlite3_extended_errcode (self->db), OPERATION_READ);

  sqlite3_finalize (stmt);

  return found;
}

/* Private API for the parts of the store kept in other files (kac-store-private.h) */

sqlite3 *
_kac_store_get_db (KacStore *self)
{
  return self->db;
}

void
_kac_store_set_error (KacStore  *self,
                      GError   **error,
                      int        rc,
                      gboolean   writing)
{
  set_error_from_sqlite (self, error, rc, writing ? OPERATION_SYNC : OPERATION_READ);
}

gboolean
_kac_store_begin_light (KacStore  *self,
                        GError   **error)
{
  return begin_light (self, error);
}

gboolean
_kac_store_end_light (KacStore  *self,
                      gboolean   ok,
                      GError   **error)
{
  return end_light (self, ok, error);
}

/* Retention of personal data (DOMAIN.md "Personal data", issue 7) */

/* The registrations whose client data is kept no longer: sent and accepted, or withdrawn
 * (never to be sent), and registered before @cutoff. Queued and rejected ones keep theirs:
 * the clerk still has to send or correct them. */
#define FORGETTABLE_RECORDS \
  "SELECT uuid FROM records WHERE state IN ('accepted', 'withdrawn') AND created_at < ?1"

gint64
kac_store_forget_personal_data (KacStore   *self,
                                GDateTime  *now,
                                guint       retention_days,
                                GError    **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) cutoff = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), -1);
  g_return_val_if_fail (now != NULL, -1);
  g_return_val_if_fail (retention_days > 0, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  cutoff = g_date_time_add_days (now, -(gint) retention_days);

  /* secure_delete overwrites what the updates free inside the pages with zeros, so the old
   * names and codes do not linger in the file's free space. */
  if (!exec_sql (self, "PRAGMA secure_delete = ON", OPERATION_SYNC, error)
      || !exec_sql (self, "BEGIN IMMEDIATE", OPERATION_SYNC, error))
    return -1;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT uuid FROM records WHERE uuid IN (" FORGETTABLE_RECORDS ") "
                           "AND (client_name IS NOT NULL OR client_code IS NOT NULL)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, date_time_to_usec (cutoff));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  /* The figures do not change: no trigger of stats_daily or application_status watches the
   * client columns. The history keeps every earlier version of a record, with its client:
   * those go too. An accepted record has no outbox entry any more (its acceptance deleted it
   * in the same transaction), nor a withdrawn one; the DELETE only makes sure of it, as a
   * body there would hold the same name and code. */
  ok = rc == SQLITE_OK;
  if (ok)
    {
      static const char * const statements[] = {
        "UPDATE records SET client_name = NULL, client_code = NULL "
        "WHERE uuid IN (" FORGETTABLE_RECORDS ") "
        "AND (client_name IS NOT NULL OR client_code IS NOT NULL)",
        "UPDATE record_history SET client_name = NULL, client_code = NULL "
        "WHERE uuid IN (" FORGETTABLE_RECORDS ") "
        "AND (client_name IS NOT NULL OR client_code IS NOT NULL)",
        "DELETE FROM outbox WHERE uuid IN (" FORGETTABLE_RECORDS ")",
      };

      for (guint i = 0; ok && i < G_N_ELEMENTS (statements); i++)
        {
          rc = sqlite3_prepare_v2 (self->db, statements[i], -1, &stmt, NULL);
          if (rc == SQLITE_OK)
            {
              sqlite3_bind_int64 (stmt, 1, date_time_to_usec (cutoff));
              rc = sqlite3_step (stmt);
              if (rc == SQLITE_DONE)
                rc = SQLITE_OK;
            }
          sqlite3_finalize (stmt);
          stmt = NULL;
          ok = rc == SQLITE_OK;
        }
    }

  if (!ok)
    {
      set_error_from_sqlite (self, error, rc, OPERATION_SYNC);
      rollback_if_open (self);
      exec_sql (self, "PRAGMA secure_delete = OFF", OPERATION_SYNC, NULL);
      return -1;
    }

  if (!commit (self, OPERATION_SYNC, error))
    {
      exec_sql (self, "PRAGMA secure_delete = OFF", OPERATION_SYNC, NULL);
      return -1;
    }
  exec_sql (self, "PRAGMA secure_delete = OFF", OPERATION_SYNC, NULL);

  /* The pages as they were before live on in the write-ahead log until a checkpoint copies
   * the new ones over them and the log is emptied. Best effort: a failed checkpoint is
   * retried by SQLite's own automatic ones. */
  if (uuids->len > 0)
    sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  for (guint i = 0; i < uuids->len; i++)
    model_refresh (self, uuids->pdata[i]);

  return uuids->len;
}
