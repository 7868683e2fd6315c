/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacStore against real SQLite files in a fresh temporary folder: round trips, reopening,
 * corrections and withdrawals with their history, the records model's exact items-changed, the
 * n-queued count, file modes, WAL, the profile lock (from a second process) and every mapped
 * error: unwritable folder, damaged file, newer file, full disk.
 */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "kac-store.h"
#include "kac-store-private.h"
#include "kac-test-util.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

static const char *test_binary;

/* Fixture: a fresh folder per test, removed afterwards. The store is opened one level down,
 * in a profile folder that does not exist yet: making it (private) is the store's job. */

typedef KacTestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  kac_test_fixture_init (fixture, "profile", "registrations.db", NULL);
}

/* Helpers */

/* The application every test starts from (notes and a rating filled in too). */
static KacRecord *
make_application (const char *client_name)
{
  KacRecord *record = kac_test_make_application ("ieva", "KAC-TUKUMS");

  kac_record_set_client_name (record, client_name);
  kac_record_set_notes (record, "Iesniegums par pabalstu.");
  kac_record_set_satisfaction (record, 4);

  return record;
}

static KacRecord *
make_record_at (KacRecordKind  kind,
                GDateTime     *created_at)
{
  return g_object_new (KAC_TYPE_RECORD,
                       "kind", kind,
                       "created-at", created_at,
                       "channel", KAC_CHANNEL_PHONE,
                       "service-code", "VID-03",
                       "institution-code", "VID",
                       "service-name", "Gada ienākumu deklarācija",
                       "clerk", "ieva",
                       "centre-id", "KAC-TUKUMS",
                       NULL);
}

/* items-changed as (position, removed, added) triples, in order. */
typedef struct
{
  GArray *changes;
} ChangeLog;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  ChangeLog  *log)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (log->changes, triple, 3);
}

static void
assert_change (ChangeLog *log,
               guint      index,
               guint      position,
               guint      removed,
               guint      added)
{
  g_assert_cmpuint (log->changes->len, >, index * 3 + 2);
  g_assert_cmpuint (g_array_index (log->changes, guint, index * 3), ==, position);
  g_assert_cmpuint (g_array_index (log->changes, guint, index * 3 + 1), ==, removed);
  g_assert_cmpuint (g_array_index (log->changes, guint, index * 3 + 2), ==, added);
}

static guint
n_changes (ChangeLog *log)
{
  return log->changes->len / 3;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static KacRecord *
model_item (KacStore *store,
            guint     position)
{
  return g_list_model_get_item (kac_store_get_records (store), position);
}

/* Tests */

static void
test_open_new (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *lock_path = g_strconcat (fixture->path, ".lock", NULL);
  g_autofree char *journal_mode = NULL;
  GStatBuf st;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (kac_store_get_path (store), ==, fixture->path);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (kac_store_get_records (store)) == KAC_TYPE_RECORD);

  /* Personal data: the folder is the user's alone, the files too. */
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (lock_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Default "since": local midnight today. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    GDateTime *since = kac_store_get_records_since (store);
    g_autoptr(GDateTime) local_since = g_date_time_to_local (since);

    g_assert_cmpint (g_date_time_get_day_of_year (local_since), ==, g_date_time_get_day_of_year (now));
    g_assert_cmpint (g_date_time_get_hour (local_since), ==, 0);
    g_assert_cmpint (g_date_time_get_minute (local_since), ==, 0);
    g_assert_cmpint (g_date_time_get_second (local_since), ==, 0);
  }

  /* A first save creates the -wal file with the database's mode. */
  {
    g_autoptr(KacRecord) record = make_application ("Anna");
    g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

    g_assert_true (kac_store_save_record (store, record, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  /* WAL is a property of the file: a separate connection sees it. */
  journal_mode = kac_test_query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, KAC_STORE_SCHEMA_VERSION);
}

static void
test_open_existing_mode (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  GStatBuf st;

  /* A file left readable by others (an old copy, a restore) is made private on open. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, "", 0, NULL));
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_default_path (void)
{
  g_autofree char *path = kac_store_dup_default_path ("kac-desk");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "kac-desk",
                                                "registrations.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) full = make_application ("Ēriks Šņore-Ķīsis 李小龍 \"O'Brien\"");
  g_autoptr(KacRecord) sparse = NULL;
  g_autoptr(KacRecord) found = NULL;
  g_autofree char *notes = NULL;
  GString *builder = g_string_new (NULL);

  /* 4,000 characters mixing one-, two-, three- and four-byte UTF-8 and SQL quoting. */
  while (g_utf8_strlen (builder->str, -1) < KAC_RECORD_NOTES_MAX_CHARS - 8)
    g_string_append (builder, "aāē‘😀'\"\n");
  while (g_utf8_strlen (builder->str, -1) < KAC_RECORD_NOTES_MAX_CHARS)
    g_string_append (builder, "ž");
  notes = g_string_free (builder, FALSE);
  g_assert_cmpint (g_utf8_strlen (notes, -1), ==, KAC_RECORD_NOTES_MAX_CHARS);

  kac_record_set_notes (full, notes);
  kac_record_set_channel (full, KAC_CHANNEL_ELECTRONIC);
  kac_record_set_satisfaction (full, 5);
  kac_record_set_client_code (full, "16117519997");
  /* What only the central system sets is not taken from the form. */
  kac_record_set_state_detail (full, "not for the store");

  /* Every optional field left NULL. */
  sparse = kac_record_new (KAC_RECORD_KIND_CONSULTATION_EADDRESS);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_true (kac_store_save_record (store, full, &error));
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, sparse, &error));
  g_assert_no_error (error);

  /* Validation normalised the code in place; the store's decisions are written back. */
  g_assert_cmpstr (kac_record_get_client_code (full), ==, "161175-19997");
  g_assert_cmpint (kac_record_get_state (full), ==, KAC_RECORD_STATE_QUEUED);
  g_assert_null (kac_record_get_state_detail (full));

  found = kac_store_lookup_record (store, kac_record_get_uuid (full), &error);
  g_assert_no_error (error);
  kac_test_assert_records_equal (full, found);
  g_assert_cmpstr (kac_record_get_notes (found), ==, notes);
  g_clear_object (&found);

  found = kac_store_lookup_record (store, kac_record_get_uuid (sparse), &error);
  g_assert_no_error (error);
  kac_test_assert_records_equal (sparse, found);
  g_assert_null (kac_record_get_service_code (found));
  g_assert_null (kac_record_get_client_name (found));
  g_assert_null (kac_record_get_client_code (found));
  g_assert_null (kac_record_get_notes (found));
  g_assert_null (kac_record_get_clerk (found));
  g_assert_null (kac_record_get_central_number (found));
  g_clear_object (&found);

  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);

  /* The model holds objects of its own, not the caller's. */
  {
    g_autoptr(KacRecord) item = model_item (store, 0);

    g_assert_true (item != sparse && item != full);
  }

  /* Reopen: everything is still there, in the model too, newest first. */
  g_clear_object (&store);
  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (store)), ==, 2);
  {
    g_autoptr(KacRecord) first = model_item (store, 0);
    g_autoptr(KacRecord) second = model_item (store, 1);

    kac_test_assert_records_equal (first, sparse);
    kac_test_assert_records_equal (second, full);
  }

  found = kac_store_lookup_record (store, kac_record_get_uuid (full), &error);
  g_assert_no_error (error);
  kac_test_assert_records_equal (full, found);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = make_application ("Anna");
  g_autoptr(KacRecord) found = NULL;
  ChangeLog log = { g_array_new (FALSE, FALSE, sizeof (guint)) };

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (kac_store_get_records (store), "items-changed", G_CALLBACK (items_changed_cb), &log);

  kac_record_set_client_code (record, "161375-19997");
  g_assert_false (kac_store_save_record (store, record, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID);
  g_assert_nonnull (error->message);
  g_clear_error (&error);

  g_assert_cmpuint (n_changes (&log), ==, 0);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 0);
  found = kac_store_lookup_record (store, kac_record_get_uuid (record), &error);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND);
  g_assert_null (found);

  g_array_unref (log.changes);
}

static void
test_model (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_hours (now, -2);
  g_autoptr(GDateTime) ten_min_ago = g_date_time_add_minutes (now, -10);
  g_autoptr(GDateTime) thirty_min_ago = g_date_time_add_minutes (now, -30);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) two_days_ago = g_date_time_add_days (now, -2);
  g_autoptr(KacRecord) a = NULL;
  g_autoptr(KacRecord) b = NULL;
  g_autoptr(KacRecord) middle = NULL;
  g_autoptr(KacRecord) oldest = NULL;
  g_autoptr(KacRecord) old = NULL;
  ChangeLog log = { g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint n_queued_notifies = 0;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* A known window that does not depend on the time of day the test runs at. */
  g_assert_true (kac_store_set_records_since (store, since, &error));
  g_assert_no_error (error);

  g_signal_connect (kac_store_get_records (store), "items-changed", G_CALLBACK (items_changed_cb), &log);
  g_signal_connect (store, "notify::n-queued", G_CALLBACK (count_cb), &n_queued_notifies);

  a = make_record_at (KAC_RECORD_KIND_INFORMATION, ten_min_ago);
  g_assert_true (kac_store_save_record (store, a, &error));
  g_assert_no_error (error);
  assert_change (&log, 0, 0, 0, 1);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 1);
  g_assert_cmpuint (n_queued_notifies, ==, 1);

  /* Newer: at the top. */
  b = make_record_at (KAC_RECORD_KIND_INFORMATION, now);
  g_assert_true (kac_store_save_record (store, b, &error));
  assert_change (&log, 1, 0, 0, 1);

  /* Between the two newest: at position 1. */
  {
    g_autoptr(GDateTime) five_min_ago = g_date_time_add_minutes (now, -5);

    middle = make_record_at (KAC_RECORD_KIND_QUESTION, five_min_ago);
  }
  g_assert_true (kac_store_save_record (store, middle, &error));
  assert_change (&log, 2, 1, 0, 1);

  /* Older than all, still in the window: at the end. */
  oldest = make_record_at (KAC_RECORD_KIND_INFORMATION, thirty_min_ago);
  g_assert_true (kac_store_save_record (store, oldest, &error));
  assert_change (&log, 3, 3, 0, 1);

  /* Before the window: saved and counted, but not in the model. */
  old = make_record_at (KAC_RECORD_KIND_INFORMATION, yesterday);
  g_assert_true (kac_store_save_record (store, old, &error));
  g_assert_cmpuint (n_changes (&log), ==, 4);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 5);
  g_assert_cmpuint (n_queued_notifies, ==, 5);

  {
    const char *expected[] = { kac_record_get_uuid (b), kac_record_get_uuid (middle),
                               kac_record_get_uuid (a), kac_record_get_uuid (oldest) };

    g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (store)), ==, 4);
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autoptr(KacRecord) item = model_item (store, i);

        g_assert_cmpstr (kac_record_get_uuid (item), ==, expected[i]);
      }
  }

  /* A correction replaces its item in place with the object carrying the new state. */
  {
    g_autoptr(KacRecord) before = model_item (store, 2);
    g_autoptr(KacRecord) after = NULL;

    kac_record_set_notes (a, "Labots");
    g_assert_true (kac_store_save_record (store, a, &error));
    g_assert_no_error (error);
    assert_change (&log, 4, 2, 1, 1);
    after = model_item (store, 2);
    g_assert_true (after != before);
    g_assert_cmpstr (kac_record_get_notes (after), ==, "Labots");
    g_assert_null (kac_record_get_notes (before));
    g_assert_cmpuint (kac_store_get_n_queued (store), ==, 5);
    g_assert_cmpuint (n_queued_notifies, ==, 5);
  }

  /* A withdrawal too. */
  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (middle), &error));
  g_assert_no_error (error);
  assert_change (&log, 5, 1, 1, 1);
  {
    g_autoptr(KacRecord) item = model_item (store, 1);

    g_assert_cmpint (kac_record_get_state (item), ==, KAC_RECORD_STATE_WITHDRAWN);
  }
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 4);
  g_assert_cmpuint (n_queued_notifies, ==, 6);

  /* Withdrawing the one outside the window changes the count, not the model. */
  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (old), &error));
  g_assert_cmpuint (n_changes (&log), ==, 6);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 3);

  /* A wider window reloads: everything goes, everything comes back. */
  g_assert_true (kac_store_set_records_since (store, two_days_ago, &error));
  g_assert_no_error (error);
  assert_change (&log, 6, 0, 4, 5);
  g_assert_true (g_date_time_equal (kac_store_get_records_since (store), two_days_ago));
  {
    g_autoptr(KacRecord) last = model_item (store, 4);

    g_assert_cmpstr (kac_record_get_uuid (last), ==, kac_record_get_uuid (old));
    g_assert_cmpint (kac_record_get_state (last), ==, KAC_RECORD_STATE_WITHDRAWN);
  }

  g_array_unref (log.changes);
}

static void
test_correct (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = make_application ("Anna Kalniņa");
  g_autoptr(KacRecord) found = NULL;
  g_autoptr(GDateTime) first_updated = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *old_notes = NULL;
  const char *uuid = kac_record_get_uuid (record);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, record, &error));
  g_assert_no_error (error);
  first_updated = g_date_time_ref (kac_record_get_updated_at (record));

  g_usleep (2000);
  kac_record_set_notes (record, "Labots: klients atnesa izziņu.");
  kac_record_set_channel (record, KAC_CHANNEL_POST);
  g_assert_true (kac_store_save_record (store, record, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_compare (kac_record_get_updated_at (record), first_updated), >, 0);

  found = kac_store_lookup_record (store, uuid, &error);
  g_assert_no_error (error);
  kac_test_assert_records_equal (record, found);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 1);
  g_clear_object (&store);

  /* The first version is kept in the history. */
  sql = g_strdup_printf ("SELECT count(*) FROM record_history WHERE uuid = '%s'", uuid);
  g_assert_cmpint (kac_test_query_int (fixture->path, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT notes || '|' || channel || '|' || change || '|' || state "
                         "FROM record_history WHERE uuid = '%s'", uuid);
  old_notes = kac_test_query_text (fixture->path, sql);
  g_assert_cmpstr (old_notes, ==, "Iesniegums par pabalstu.|in-person|corrected|queued");
  g_free (sql);

  /* A rejected record may be corrected: it goes back to the queue without the reason, which
   * the history keeps. */
  sql = g_strdup_printf ("UPDATE records SET state = 'rejected', state_detail = 'Nepilnīgs' "
                         "WHERE uuid = '%s'", uuid);
  kac_test_exec_sql_on_file (fixture->path, sql);
  g_free (sql);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 0);
  {
    guint notifies = 0;

    g_signal_connect (store, "notify::n-queued", G_CALLBACK (count_cb), &notifies);
    kac_record_set_notes (record, "Labots otrreiz.");
    g_assert_true (kac_store_save_record (store, record, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (kac_store_get_n_queued (store), ==, 1);
    g_assert_cmpuint (notifies, ==, 1);
  }
  g_clear_object (&found);
  found = kac_store_lookup_record (store, uuid, &error);
  g_assert_cmpint (kac_record_get_state (found), ==, KAC_RECORD_STATE_QUEUED);
  g_assert_null (kac_record_get_state_detail (found));
  g_assert_cmpstr (kac_record_get_notes (found), ==, "Labots otrreiz.");
  g_clear_object (&store);

  sql = g_strdup_printf ("SELECT group_concat(state || ':' || ifnull(state_detail, '-'), ',') "
                         "FROM (SELECT * FROM record_history WHERE uuid = '%s' ORDER BY id)", uuid);
  g_free (old_notes);
  old_notes = kac_test_query_text (fixture->path, sql);
  g_assert_cmpstr (old_notes, ==, "queued:-,rejected:Nepilnīgs");
}

static void
test_withdraw (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = make_application ("Anna");
  g_autoptr(KacRecord) found = NULL;
  g_autofree char *sql = NULL;
  const char *uuid = kac_record_get_uuid (record);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, record, &error));
  g_assert_true (kac_store_withdraw_record (store, uuid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 0);

  /* Kept, never deleted. */
  found = kac_store_lookup_record (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (found), ==, KAC_RECORD_STATE_WITHDRAWN);
  g_assert_cmpstr (kac_record_get_client_name (found), ==, "Anna");

  /* Withdrawn is final. */
  g_assert_false (kac_store_withdraw_record (store, uuid, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_assert_cmpstr (error->message, ==, "This registration has already been withdrawn.");
  g_clear_error (&error);
  kac_record_set_notes (record, "too late");
  g_assert_false (kac_store_save_record (store, record, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_clear_error (&error);

  /* Unknown UUIDs. */
  g_assert_false (kac_store_withdraw_record (store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&found);
  found = kac_store_lookup_record (store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (found);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&store);

  sql = g_strdup_printf ("SELECT count(*) FROM record_history WHERE uuid = '%s' "
                         "AND change = 'withdrawn' AND state = 'queued'", uuid);
  g_assert_cmpint (kac_test_query_int (fixture->path, sql), ==, 1);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history"), ==, 1);
}

static void
test_not_editable (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = make_application ("Anna");
  g_autoptr(KacRecord) found = NULL;
  g_autofree char *sql = NULL;
  ChangeLog log = { g_array_new (FALSE, FALSE, sizeof (guint)) };
  const char *uuid = kac_record_get_uuid (record);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, record, &error));
  g_clear_object (&store);

  /* The sync engine will do this; here a second connection stands in, with the store closed. */
  sql = g_strdup_printf ("UPDATE records SET state = 'accepted', central_number = 'VPVKAC-1' "
                         "WHERE uuid = '%s'", uuid);
  kac_test_exec_sql_on_file (fixture->path, sql);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (kac_store_get_records (store), "items-changed", G_CALLBACK (items_changed_cb), &log);

  kac_record_set_notes (record, "Changed after sending");
  g_assert_false (kac_store_save_record (store, record, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_assert_cmpstr (error->message, ==,
                   "This registration has already been sent to the central system and can no longer be corrected here.");
  g_clear_error (&error);

  g_assert_false (kac_store_withdraw_record (store, uuid, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_clear_error (&error);

  g_assert_cmpuint (n_changes (&log), ==, 0);
  found = kac_store_lookup_record (store, uuid, &error);
  g_assert_cmpstr (kac_record_get_notes (found), ==, "Iesniegums par pabalstu.");
  g_assert_cmpint (kac_record_get_state (found), ==, KAC_RECORD_STATE_ACCEPTED);
  g_assert_cmpstr (kac_record_get_central_number (found), ==, "VPVKAC-1");
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history"), ==, 0);

  g_array_unref (log.changes);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GHashTable) usage = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -100);
  g_autoptr(GDateTime) recent = g_date_time_add_days (now, -89);
  g_autoptr(KacRecord) withdrawn = NULL;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KacRecord) record = make_application ("Anna");

      g_assert_true (kac_store_save_record (store, record, &error));
      if (i == 0)
        withdrawn = g_object_ref (record);
    }
  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (withdrawn), &error));

  {
    g_autoptr(KacRecord) in_range = make_record_at (KAC_RECORD_KIND_INFORMATION, recent);
    g_autoptr(KacRecord) too_old = make_record_at (KAC_RECORD_KIND_INFORMATION, long_ago);
    g_autoptr(KacRecord) no_service = kac_record_new (KAC_RECORD_KIND_CONSULTATION_EADDRESS);

    g_assert_true (kac_store_save_record (store, in_range, &error));
    g_assert_true (kac_store_save_record (store, too_old, &error));
    g_assert_true (kac_store_save_record (store, no_service, &error));
    g_assert_no_error (error);
  }

  usage = kac_store_dup_service_usage (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (usage), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (usage, "VSAA-01")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (usage, "VID-03")), ==, 1);
}

/* The profile lock, seen from another process (flock is per open file description, so the
 * same process would not show what a second KAC Desk sees). */

static int
run_open_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (path, &error);

  if (store != NULL)
    {
      g_print ("OPENED\n");
      return 0;
    }

  g_print ("%s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
  return 0;
}

static char *
spawn_open_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { test_binary, "--open-child", path, NULL };
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);

  out = spawn_open_child (fixture->path);
  expected = g_strdup_printf ("%s %d %s\n", g_quark_to_string (KAC_STORE_ERROR),
                              KAC_STORE_ERROR_LOCKED,
                              "KAC Desk is already open with this profile in another session. "
                              "Close it there first.");
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);

  /* Within one process a second open is refused just the same. */
  {
    g_autoptr(KacStore) again = kac_store_open (fixture->path, &error);

    g_assert_null (again);
    g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_LOCKED);
    g_clear_error (&error);
  }

  /* Closing releases it. */
  g_clear_object (&store);
  out = spawn_open_child (fixture->path);
  g_assert_cmpstr (out, ==, "OPENED\n");
}

static void
test_unwritable_folder (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "profile", "registrations.db", NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  /* A regular file where a folder should be: fails for root too, which ignores modes. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  store = kac_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, folder));
  g_assert_nonnull (strstr (error->message, "Make the folder writable"));
  g_clear_error (&error);

  if (geteuid () != 0)
    {
      g_autofree char *locked_dir = g_build_filename (fixture->dir, "read-only", NULL);
      g_autofree char *inner = g_build_filename (locked_dir, "registrations.db", NULL);

      g_assert_cmpint (g_mkdir (locked_dir, 0500), ==, 0);
      store = kac_store_open (inner, &error);
      g_assert_null (store);
      g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN);
      g_assert_nonnull (strstr (error->message, locked_dir));
      g_clear_error (&error);
    }
  else
    {
      g_test_message ("Running as root: permission bits are not enforced, so only the "
                      "file-in-the-way case is tested.");
    }

  /* The store path itself is a folder. */
  {
    g_autofree char *dir_path = g_build_filename (fixture->dir, "is-a-dir.db", NULL);

    g_assert_cmpint (g_mkdir (dir_path, 0700), ==, 0);
    store = kac_store_open (dir_path, &error);
    g_assert_null (store);
    g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN);
    g_clear_error (&error);
  }
}

static void
assert_refused_untouched (const char *path,
                          int         expected_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *wal_contents = NULL;
  gsize before_len, after_len, wal_len;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = kac_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KAC_STORE_ERROR, expected_code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Nothing written, and a second attempt says the same. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  /* Nor anything waiting in a -wal file to be written into it later. */
  if (g_file_get_contents (wal, &wal_contents, &wal_len, NULL))
    g_assert_cmpuint (wal_len, ==, 0);

  store = kac_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KAC_STORE_ERROR, expected_code);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4213);
  guint8 garbage[8192];

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  /* Random bytes. */
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (fixture->path, (char *) garbage, sizeof garbage, NULL));
  assert_refused_untouched (fixture->path, KAC_STORE_ERROR_CORRUPT);

  /* Too short to be a database. */
  g_assert_true (g_file_set_contents (fixture->path, "SQLite format 3", 16, NULL));
  assert_refused_untouched (fixture->path, KAC_STORE_ERROR_CORRUPT);

  /* The right header, then damage: SQLite itself must refuse it, and the store map that. */
  memcpy (garbage, "SQLite format 3", 16);
  garbage[16] = 0x12; /* page size 0x1234: not a power of two */
  garbage[17] = 0x34;
  garbage[18] = 1;    /* rollback journal, so that SQLite looks no further than this file */
  garbage[19] = 1;
  g_assert_true (g_file_set_contents (fixture->path, (char *) garbage, sizeof garbage, NULL));
  assert_refused_untouched (fixture->path, KAC_STORE_ERROR_CORRUPT);

  /* A sound SQLite file that is not KAC Desk's. */
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                                       "INSERT INTO moz_places (url) VALUES ('https://example.lv');",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  assert_refused_untouched (fixture->path, KAC_STORE_ERROR_CORRUPT);
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *sql = NULL;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  sql = g_strdup_printf ("PRAGMA user_version = %d", KAC_STORE_SCHEMA_VERSION + 1);
  kac_test_exec_sql_on_file (fixture->path, sql);

  assert_refused_untouched (fixture->path, KAC_STORE_ERROR_TOO_NEW);
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, KAC_STORE_SCHEMA_VERSION + 1);
}

static void
test_full (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) first = make_application ("Anna");
  g_autoptr(KacRecord) big = make_application ("Pēteris");
  g_autoptr(KacRecord) found = NULL;
  g_autofree char *notes = kac_test_repeat_utf8 ("ā", KAC_RECORD_NOTES_MAX_CHARS);
  ChangeLog log = { g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint notifies = 0;
  guint64 limit;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, first, &error));
  g_assert_no_error (error);

  /* The file may not grow any more: like a full disk for SQLite. */
  limit = _kac_store_set_max_page_count (store, 1);
  g_assert_cmpuint (limit, >, 1);
  g_test_message ("file limited to %" G_GUINT64_FORMAT " pages", limit);

  g_signal_connect (kac_store_get_records (store), "items-changed", G_CALLBACK (items_changed_cb), &log);
  g_signal_connect (store, "notify::n-queued", G_CALLBACK (count_cb), &notifies);

  /* 8,000 bytes of notes need new pages. */
  kac_record_set_notes (big, notes);
  g_assert_false (kac_store_save_record (store, big, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL);
  g_assert_cmpstr (error->message, ==,
                   "The disk is full; the registration was not saved. It is still in the form.");
  g_clear_error (&error);

  /* Nothing changed: model, count, file; the form's record keeps what was typed. */
  g_assert_cmpuint (n_changes (&log), ==, 0);
  g_assert_cmpuint (notifies, ==, 0);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (store)), ==, 1);
  g_assert_cmpstr (kac_record_get_notes (big), ==, notes);
  found = kac_store_lookup_record (store, kac_record_get_uuid (big), &error);
  g_assert_null (found);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A correction that does not fit fails whole too: no history row, the old version stays. */
  kac_record_set_notes (first, notes);
  g_assert_false (kac_store_save_record (store, first, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (n_changes (&log), ==, 0);
  found = kac_store_lookup_record (store, kac_record_get_uuid (first), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_notes (found), ==, "Iesniegums par pabalstu.");
  g_clear_object (&found);

  /* Space again: the same record saves, and the store still works normally. */
  g_assert_cmpuint (_kac_store_set_max_page_count (store, 1073741823), ==, 1073741823);
  g_assert_true (kac_store_save_record (store, big, &error));
  g_assert_no_error (error);
  assert_change (&log, 0, 0, 0, 1);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history"), ==, 0);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 2);

  g_array_unref (log.changes);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 3 && g_strcmp0 (argv[1], "--open-child") == 0)
    return run_open_child (argv[2]);

  test_binary = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, kac_test_fixture_tear_down)

  ADD ("/store/open/new", test_open_new);
  ADD ("/store/open/existing-mode", test_open_existing_mode);
  g_test_add_func ("/store/open/default-path", test_default_path);
  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/invalid", test_invalid);
  ADD ("/store/model", test_model);
  ADD ("/store/correct", test_correct);
  ADD ("/store/withdraw", test_withdraw);
  ADD ("/store/not-editable", test_not_editable);
  ADD ("/store/usage", test_usage);
  ADD ("/store/error/locked", test_locked);
  ADD ("/store/error/unwritable-folder", test_unwritable_folder);
  ADD ("/store/error/corrupt", test_corrupt);
  ADD ("/store/error/too-new", test_too_new);
  ADD ("/store/error/full", test_full);

#undef ADD

  return g_test_run ();
}
