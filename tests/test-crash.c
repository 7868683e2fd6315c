/* test-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Saved" must mean saved, whenever the program dies. This test runs itself again as a child
 * ("--child DIR") that opens the store and saves (and now and then corrects) registrations in a
 * loop, printing each UUID right after the save returned TRUE. The parent kills it with SIGKILL
 * at a random moment, many times over, then checks that every registration the child reported
 * is in the file with its fields and that PRAGMA integrity_check says ok.
 */
#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include "kac-store.h"
#include "kac-test-util.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <sqlite3.h>

#define N_ROUNDS       40
#define MIN_KILL_MS    5
#define MAX_KILL_MS    150
#define CORRECT_EVERY  4

static const char *test_binary;

/* What a registration made by the child contains: a function of its UUID, so that the parent
 * can check every field of what it was told about. */

static char *
expected_client_name (const char *uuid)
{
  return g_strdup_printf ("Klients Ādažos %.8s", uuid);
}

static char *
expected_notes (const char *uuid,
                gboolean    corrected)
{
  return g_strdup_printf ("%s: piezīmes par %s", corrected ? "Labots" : "Sākotnējs", uuid);
}

static KacChannel
expected_channel (const char *uuid)
{
  return g_str_hash (uuid) % KAC_CHANNEL_N_VALUES;
}

/* The child */

static int
run_child (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 2;
    }

  for (guint64 i = 0; ; i++)
    {
      g_autoptr(KacRecord) record = kac_test_make_application ("crash-test", "KAC-TEST");
      const char *uuid = kac_record_get_uuid (record);
      g_autofree char *name = expected_client_name (uuid);
      g_autofree char *notes = expected_notes (uuid, FALSE);

      kac_record_set_channel (record, expected_channel (uuid));
      kac_record_set_client_name (record, name);
      kac_record_set_notes (record, notes);

      if (!kac_store_save_record (store, record, &error))
        {
          g_printerr ("child: %s\n", error->message);
          return 3;
        }
      printf ("S %s\n", uuid);
      fflush (stdout);

      if (i % CORRECT_EVERY == 0)
        {
          g_autofree char *corrected = expected_notes (uuid, TRUE);

          kac_record_set_notes (record, corrected);
          if (!kac_store_save_record (store, record, &error))
            {
              g_printerr ("child: %s\n", error->message);
              return 3;
            }
          printf ("C %s\n", uuid);
          fflush (stdout);
        }
    }

  return 0;
}

/* The parent */

/* Reads what the child printed until it is gone; only whole lines count, since a line cut by
 * the kill was never fully reported. */
static void
read_reports (int         fd,
              GHashTable *saved,
              GHashTable *corrected,
              guint      *n_saved)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  char chunk[4096];
  ssize_t n;
  char *line;
  char *newline;

  while ((n = read (fd, chunk, sizeof chunk)) != 0)
    {
      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }
      g_string_append_len (buffer, chunk, n);
    }

  line = buffer->str;
  while ((newline = strchr (line, '\n')) != NULL)
    {
      *newline = '\0';
      g_assert_cmpuint (strlen (line), ==, 2 + 36);
      g_assert_true (g_uuid_string_is_valid (line + 2));
      if (line[0] == 'S')
        {
          g_hash_table_add (saved, g_strdup (line + 2));
          (*n_saved)++;
        }
      else
        {
          g_assert_cmpint (line[0], ==, 'C');
          g_assert_true (g_hash_table_contains (saved, line + 2));
          g_hash_table_add (corrected, g_strdup (line + 2));
        }
      line = newline + 1;
    }
}

static void
run_round (const char *dir,
           GRand      *rand,
           GHashTable *saved,
           GHashTable *corrected,
           guint      *n_saved)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { test_binary, "--child", dir, NULL };
  GPid pid;
  int out_fd;
  int status;
  guint delay_ms = g_rand_int_range (rand, MIN_KILL_MS, MAX_KILL_MS + 1);

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  g_usleep (delay_ms * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);

  read_reports (out_fd, saved, corrected, n_saved);
  close (out_fd);

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  /* It must have died of the kill: an exit means it failed on its own (look at stderr). */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
assert_integrity_ok (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_kill_while_saving (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-crash-XXXXXX");
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) corrected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  GHashTableIter iter;
  gpointer key;
  guint n_saved = 0;
  guint n_in_model;
  gint64 start = g_get_monotonic_time ();

  path = g_build_filename (dir, "registrations.db", NULL);

  for (guint round = 0; round < N_ROUNDS; round++)
    run_round (dir, rand, saved, corrected, &n_saved);

  g_test_message ("%u rounds in %.1f s: %u registrations reported saved, %u corrections",
                  N_ROUNDS, (g_get_monotonic_time () - start) / 1e6,
                  n_saved, g_hash_table_size (corrected));

  /* Each UUID is reported once; the kills must have left something to check. */
  g_assert_cmpuint (g_hash_table_size (saved), ==, n_saved);
  g_assert_cmpuint (n_saved, >=, N_ROUNDS);

  store = kac_store_open (path, &error);
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *uuid = key;
      g_autoptr(KacRecord) record = kac_store_lookup_record (store, uuid, &error);
      g_autofree char *name = expected_client_name (uuid);
      g_autofree char *original = expected_notes (uuid, FALSE);
      g_autofree char *fixed = expected_notes (uuid, TRUE);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_APPLICATION);
      g_assert_cmpstr (kac_record_get_service_code (record), ==, "VSAA-01");
      g_assert_cmpstr (kac_record_get_service_name (record), ==, "Bērna kopšanas pabalsts");
      g_assert_cmpint (kac_record_get_channel (record), ==, expected_channel (uuid));
      g_assert_cmpstr (kac_record_get_client_name (record), ==, name);
      g_assert_cmpstr (kac_record_get_client_code (record), ==, "161175-19997");
      g_assert_cmpstr (kac_record_get_clerk (record), ==, "crash-test");
      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);

      /* A reported correction is there; an unreported one may or may not have committed,
       * but then whole. */
      if (g_hash_table_contains (corrected, uuid))
        g_assert_cmpstr (kac_record_get_notes (record), ==, fixed);
      else if (g_strcmp0 (kac_record_get_notes (record), fixed) != 0)
        g_assert_cmpstr (kac_record_get_notes (record), ==, original);
    }

  /* Nothing half-made either: every row in the file is a whole registration. */
  g_assert_true (kac_store_set_records_since (store, epoch, &error));
  g_assert_no_error (error);
  n_in_model = g_list_model_get_n_items (kac_store_get_records (store));
  g_assert_cmpuint (n_in_model, >=, n_saved);
  g_assert_cmpuint (n_in_model, <=, n_saved + N_ROUNDS);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, n_in_model);
  g_clear_object (&store);

  assert_integrity_ok (path);

  kac_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 3 && g_strcmp0 (argv[1], "--child") == 0)
    return run_child (argv[2]);

  test_binary = argv[0];
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/kill-while-saving", test_kill_while_saving);

  return g_test_run ();
}
