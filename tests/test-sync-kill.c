/* test-sync-kill.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk killed with SIGKILL at random moments while it saves and syncs, many times over.
 * kac-central runs in this process (real HTTPS on 127.0.0.1); the desk is this test binary
 * run again as a child ("--child"), which saves a registration every few milliseconds,
 * reports each one on stdout only after kac_store_save_record() returned, and lets its
 * KacSyncEngine send them in small batches. After the last kill a child drains the queue.
 * Then every registration the children reported is on the server exactly once, and the desk
 * store agrees with the server record by record.
 */
#define G_LOG_DOMAIN "test-sync-kill"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "kac-store.h"
#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"
#include "kac-test-central.h"

#define N_KILLS 40

/* Child */

typedef struct
{
  KacStore      *store;
  KacSyncEngine *engine;
  GMainLoop     *loop;
} Child;

static gboolean
save_one_cb (gpointer user_data)
{
  Child *child = user_data;
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);
  g_autoptr(GError) error = NULL;

  if (!kac_store_save_record (child->store, record, &error))
    g_error ("save failed: %s", error->message);

  /* Reported only once the save is durable. */
  printf ("saved %s\n", kac_record_get_uuid (record));
  fflush (stdout);

  return G_SOURCE_CONTINUE;
}

static void
drained_cb (KacSyncEngine *engine,
            GParamSpec    *pspec,
            Child         *child)
{
  if (kac_sync_engine_get_n_pending (engine) == 0 &&
      kac_sync_engine_get_state (engine) == KAC_SYNC_STATE_IDLE)
    g_main_loop_quit (child->loop);
}

static int
run_child (const char *store_path,
           const char *uri,
           const char *ca_file,
           const char *token,
           const char *mode)
{
  g_autoptr(GError) error = NULL;
  Child child = { 0 };

  child.loop = g_main_loop_new (NULL, FALSE);
  child.store = kac_store_open (store_path, &error);
  if (child.store == NULL)
    g_error ("open failed: %s", error->message);

  child.engine = kac_sync_engine_new (child.store);
  _kac_sync_engine_set_timing (child.engine, 20, 200, 0, 60 * 1000);
  kac_sync_engine_set_batch_size (child.engine, 7);
  kac_sync_engine_set_server_uri (child.engine, uri);
  kac_sync_engine_set_ca_file (child.engine, ca_file);

  if (g_str_equal (mode, "drain"))
    {
      g_signal_connect (child.engine, "notify::state", G_CALLBACK (drained_cb), &child);
      g_signal_connect (child.engine, "notify::n-pending", G_CALLBACK (drained_cb), &child);
      kac_sync_engine_set_token (child.engine, token);
      g_main_loop_run (child.loop);
      kac_sync_engine_stop (child.engine);
      printf ("drained\n");
      fflush (stdout);
    }
  else
    {
      kac_sync_engine_set_token (child.engine, token);
      g_timeout_add (3, save_one_cb, &child);
      /* Until SIGKILL. */
      g_main_loop_run (child.loop);
    }

  g_object_unref (child.engine);
  g_object_unref (child.store);
  g_main_loop_unref (child.loop);

  return 0;
}

/* Parent */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GHashTable       *reported;
  gboolean          eof;
  gboolean          exited;
  gboolean          drained;
} Run;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, &length, &error);
  if (line == NULL)
    {
      /* A line cut by the kill has no newline: read_line gives it at EOF, and it must not
       * count. Handled below by requiring the full "saved <uuid>" shape. */
      run->eof = TRUE;
      return;
    }

  if (g_str_has_prefix (line, "saved ") && strlen (line) == 6 + 36)
    g_hash_table_add (run->reported, g_strdup (line + 6));
  else if (g_str_equal (line, "drained"))
    run->drained = TRUE;

  g_data_input_stream_read_line_async (run->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, run);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  run->exited = TRUE;
}

static gboolean
run_finished (gpointer data)
{
  Run *run = data;

  return run->eof && run->exited;
}

static void
start_child (Run            *run,
             const char     *self_path,
             const char     *store_path,
             KacTestCentral *central,
             const char     *token,
             const char     *mode)
{
  g_autoptr(GError) error = NULL;

  run->eof = FALSE;
  run->exited = FALSE;
  run->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                   self_path, "--child", store_path, central->uri,
                                   central->ca_file, token, mode, NULL);
  g_assert_no_error (error);
  run->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run->process));
  g_data_input_stream_read_line_async (run->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, run);
  g_subprocess_wait_async (run->process, NULL, wait_cb, run);
}

static void
finish_child (Run *run)
{
  g_assert_true (kac_test_wait_until (run_finished, run, 30000));
  g_clear_object (&run->out);
  g_clear_object (&run->process);
}

static void
test_kill (void)
{
  g_autoptr(KacTestCentral) central = kac_test_central_new ();
  g_autofree char *token = kac_test_central_issue_token (central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-sync-kill-XXXXXX");
  g_autofree char *store_path = g_build_filename (dir, "registrations.db", NULL);
  GListModel *records;
  GHashTableIter iter;
  gpointer key;
  guint n_accepted_before_drain;
  Run run = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_nonnull (self_path);
  run.reported = reported;

  for (guint i = 0; i < N_KILLS; i++)
    {
      start_child (&run, self_path, store_path, central, token, "save");
      /* The server in this process answers while we wait. */
      kac_test_run_for ((guint) g_random_int_range (40, 300));
      g_subprocess_send_signal (run.process, SIGKILL);
      finish_child (&run);
    }

  n_accepted_before_drain = (guint) kac_central_store_get_n_records (central->store);
  g_test_message ("%u kills, %u registrations reported saved, %u on the server before the drain",
                  N_KILLS, g_hash_table_size (reported), n_accepted_before_drain);
  g_assert_cmpuint (g_hash_table_size (reported), >, N_KILLS);
  /* The children did sync between the kills, not only the drain at the end. */
  g_assert_cmpuint (n_accepted_before_drain, >, 0);

  start_child (&run, self_path, store_path, central, token, "drain");
  finish_child (&run);
  g_assert_true (run.drained);

  /* The desk file is sound. */
  g_assert_cmpint (sqlite3_open (store_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = kac_store_open (store_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_pending (store), ==, 0);

  /* Every reported registration is accepted, under the number the server holds. */
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(KacRecord) record = kac_store_lookup_record (store, key, &error);
      g_autofree char *number = kac_test_central_dup_number (central, key);

      g_assert_no_error (error);
      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
      g_assert_nonnull (number);
      g_assert_cmpstr (kac_record_get_central_number (record), ==, number);
    }

  /* The desk and the server hold the same registrations, each once (the server stores a
   * UUID once by its primary key; the count shows nothing extra arrived). A registration
   * saved just before a kill but not yet reported is on both sides too. */
  g_assert_true (kac_store_set_records_since (store, epoch, &error));
  g_assert_no_error (error);
  records = kac_store_get_records (store);
  g_assert_cmpuint (g_list_model_get_n_items (records), >=, g_hash_table_size (reported));
  g_assert_cmpint (kac_central_store_get_n_records (central->store), ==, g_list_model_get_n_items (records));
  for (guint i = 0; i < g_list_model_get_n_items (records); i++)
    {
      g_autoptr(KacRecord) record = g_list_model_get_item (records, i);
      g_autofree char *number = kac_test_central_dup_number (central, kac_record_get_uuid (record));

      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
      g_assert_cmpstr (kac_record_get_central_number (record), ==, number);
    }

  g_clear_object (&store);
  kac_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 7 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], argv[3], argv[4], argv[5], argv[6]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/kill", test_kill);

  return g_test_run ();
}
