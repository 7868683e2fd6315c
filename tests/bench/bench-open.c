/* bench-open.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a store with 100,000 past registrations (spread over the last year) plus ~40 of
 * today, and getting today's model: kac_store_open() + g_list_model_get_n_items(), 10 runs,
 * median and max. The target is 50 ms. Asserts nothing about speed.
 *
 * The past rows are written with one SQL transaction on a separate connection while the store
 * is closed (through the API they would take minutes of fsyncs); today's go through the API.
 */
#define G_LOG_DOMAIN "bench-open"

#include "config.h"

#include "kac-store.h"
#include "kac-test-util.h"

#include <locale.h>
#include <stdio.h>

#include <sqlite3.h>

#define N_PAST   100000
#define N_TODAY  40
#define N_RUNS   10

static void
insert_past (const char *path)
{
  static const char * const services[][3] = {
    { "VSAA-01", "VSAA", "Bērna kopšanas pabalsts" },
    { "VID-03", "VID", "Gada ienākumu deklarācija" },
    { "PMLP-02", "PMLP", "Dzīvesvietas deklarēšana" },
    { "NVA-01", "NVA", "Bezdarbnieka statusa piešķiršana" },
    { "VZD-04", "VZD", "Kadastra informācijas izsniegšana" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);
  gint64 end = g_date_time_to_unix (midnight) * G_USEC_PER_SEC - 1;
  gint64 begin = end - (gint64) 365 * 24 * 3600 * G_USEC_PER_SEC;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  kac_test_exec_sql (db, "BEGIN IMMEDIATE");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO records (uuid, kind, service_code, institution_code,"
                                       " service_name, channel, client_name, client_code, notes, satisfaction,"
                                       " created_at, updated_at, clerk, centre_id, state, state_detail,"
                                       " central_number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                       " ?11, ?12, 'ieva', 'KAC-TUKUMS', ?13, NULL, ?14)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < N_PAST; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Klients Nr. %u", i);
      g_autofree char *number = g_strdup_printf ("VPVKAC-%06u", i);
      gint64 created_at = begin + (gint64) (g_rand_double (rand) * (end - begin));
      guint s = g_rand_int_range (rand, 0, G_N_ELEMENTS (services));
      gboolean application = g_rand_boolean (rand);
      guint roll = g_rand_int_range (rand, 0, 1000);
      KacRecordState state = roll < 970 ? KAC_RECORD_STATE_ACCEPTED :
                             roll < 990 ? KAC_RECORD_STATE_REJECTED :
                             roll < 998 ? KAC_RECORD_STATE_WITHDRAWN : KAC_RECORD_STATE_QUEUED;

      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, kac_record_kind_to_string (application ? KAC_RECORD_KIND_APPLICATION
                                                                         : KAC_RECORD_KIND_INFORMATION),
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, services[s][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, services[s][1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, services[s][2], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, kac_channel_to_string (g_rand_int_range (rand, 0, KAC_CHANNEL_N_VALUES)),
                         -1, SQLITE_STATIC);
      if (application)
        {
          sqlite3_bind_text (stmt, 7, name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, "161175-19997", -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (stmt, 7);
          sqlite3_bind_null (stmt, 8);
        }
      sqlite3_bind_text (stmt, 9, "Klients iesniedza iesniegumu un visus pielikumus.", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 10, g_rand_int_range (rand, 0, 6));
      sqlite3_bind_int64 (stmt, 11, created_at);
      sqlite3_bind_int64 (stmt, 12, created_at + 60 * G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 13, kac_record_state_to_string (state), -1, SQLITE_STATIC);
      if (state == KAC_RECORD_STATE_ACCEPTED)
        sqlite3_bind_text (stmt, 14, number, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 14);

      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }

  sqlite3_finalize (stmt);
  kac_test_exec_sql (db, "COMMIT");
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  double ms[N_RUNS];
  KacTestStats stats;
  guint n_items = 0;
  guint n_queued = 0;
  gint64 start;

  setlocale (LC_ALL, "C.UTF-8");

  dir = kac_test_make_disk_dir ("bench-open-XXXXXX");
  path = g_build_filename (dir, "registrations.db", NULL);

  /* The schema, from the store itself. */
  store = kac_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  start = g_get_monotonic_time ();
  insert_past (path);
  printf ("bench-open: %d past registrations written in %.1f s (%s)\n",
          N_PAST, (g_get_monotonic_time () - start) / 1e6, dir);

  store = kac_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_TODAY; i++)
    {
      g_autoptr(KacRecord) record = kac_record_new (i % 2 ? KAC_RECORD_KIND_CONSULTATION_EADDRESS
                                                          : KAC_RECORD_KIND_COMPLAINT);

      kac_record_set_notes (record, "Šodienas reģistrācija.");
      if (!kac_store_save_record (store, record, &error))
        g_error ("%s", error->message);
    }
  g_clear_object (&store);

  for (guint run = 0; run < N_RUNS; run++)
    {
      start = g_get_monotonic_time ();
      store = kac_store_open (path, &error);
      g_assert_no_error (error);
      n_items = g_list_model_get_n_items (kac_store_get_records (store));
      ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      n_queued = kac_store_get_n_queued (store);
      g_clear_object (&store);

      printf ("  run %2u: %.2f ms (%u records today)\n", run + 1, ms[run], n_items);
    }

  if (n_items < N_TODAY)
    printf ("WARNING: only %u of today's %d records in the model (did midnight pass?)\n",
            n_items, N_TODAY);

  kac_test_stats_compute (&stats, ms, N_RUNS);
  printf ("kac_store_open + today's model (%d past, %u today, %u queued in all): "
          "median %.2f ms, max %.2f ms (target <= 50 ms)\n",
          N_PAST, n_items, n_queued, stats.median, stats.max);

  kac_test_remove_tree (dir);

  return 0;
}
