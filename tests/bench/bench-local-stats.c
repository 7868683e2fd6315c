/* bench-local-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This terminal's figures for a whole year (kac_store_get_stats) over 500,000 registrations
 * spread across that year in a desk store (target: 100 ms). The registrations are written in
 * bulk straight into the store's tables (one transaction, one prepared statement), as a busy
 * terminal would have them after years of saving; a tenth of the applications have a central
 * status with a due date, some completed late.
 */
#define G_LOG_DOMAIN "bench-local-stats"

#include "config.h"

#include "kac-calendar.h"
#include "kac-store-private.h"
#include "kac-store-stats.h"
#include "kac-test-util.h"

#include <stdio.h>

#define N_RECORDS   500000
#define N_SERVICES  40
#define N_RUNS      15

static const char * const kinds[] = {
  "application", "information", "consultation-eservices", "consultation-eaddress",
  "complaint", "question", "suggestion",
};
static const char * const channels[] = { "in-person", "phone", "electronic", "post" };
static const char * const states[] = { "accepted", "accepted", "accepted", "queued", "withdrawn" };

static void
seed (KacStore *store,
      gint64    year_start_usec)
{
  sqlite3 *db = _kac_store_get_db (store);
  sqlite3_stmt *records = NULL, *statuses = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (399);
  gint64 start = g_get_monotonic_time ();
  const gint64 year_usec = (gint64) 365 * 24 * 3600 * G_USEC_PER_SEC;

  kac_test_exec_sql (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                     "INSERT INTO records (uuid, kind, service_code, institution_code, channel,"
                     " satisfaction, created_at, updated_at, clerk, centre_id, state)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 'anna', 'centre-1', ?8)",
                     -1, &records, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                     "INSERT INTO application_status (uuid, central_number, status, changed_at,"
                     " due_date) VALUES (?1, ?1, ?2, ?3, ?4)",
                     -1, &statuses, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < N_RECORDS; i++)
    {
      /* In time order, as a terminal saves them. */
      gint64 created = year_start_usec + (gint64) ((double) year_usec * i / N_RECORDS);
      guint kind = g_rand_int_range (rand, 0, 10) < 4 ? 0 : g_rand_int_range (rand, 1, 7);
      guint service = g_rand_int_range (rand, 0, N_SERVICES);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *service_code = g_strdup_printf ("SVC-%02u", service);
      g_autofree char *institution = g_strdup_printf ("INST-%u", service % 7);
      gboolean with_service = kind == 0 || g_rand_int_range (rand, 0, 4) > 0;

      sqlite3_bind_text (records, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (records, 2, kinds[kind], -1, SQLITE_STATIC);
      if (with_service)
        {
          sqlite3_bind_text (records, 3, service_code, -1, SQLITE_STATIC);
          sqlite3_bind_text (records, 4, institution, -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (records, 3);
          sqlite3_bind_null (records, 4);
        }
      sqlite3_bind_text (records, 5, channels[g_rand_int_range (rand, 0, 4)], -1, SQLITE_STATIC);
      sqlite3_bind_int (records, 6, g_rand_int_range (rand, 0, 6));
      sqlite3_bind_int64 (records, 7, created);
      sqlite3_bind_text (records, 8, states[g_rand_int_range (rand, 0, 5)], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (records), ==, SQLITE_DONE);
      sqlite3_reset (records);

      if (kind == 0 && g_rand_int_range (rand, 0, 10) == 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (created / G_USEC_PER_SEC);
          g_autoptr(GDateTime) due = g_date_time_add_days (when, 10);
          g_autoptr(GDateTime) changed = g_date_time_add_days (when, g_rand_int_range (rand, 1, 20));
          g_autofree char *due_text = g_date_time_format (due, "%Y-%m-%d");
          gboolean completed = g_rand_boolean (rand);

          sqlite3_bind_text (statuses, 1, uuid, -1, SQLITE_STATIC);
          sqlite3_bind_text (statuses, 2, completed ? "completed" : "forwarded", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (statuses, 3, g_date_time_to_unix (changed) * G_USEC_PER_SEC);
          sqlite3_bind_text (statuses, 4, due_text, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (statuses), ==, SQLITE_DONE);
          sqlite3_reset (statuses);
        }
    }

  sqlite3_finalize (records);
  sqlite3_finalize (statuses);
  /* A year of saving leaves the pages in the database file, not in the WAL: SQLite checkpoints
   * every 1000 pages, and the one bulk transaction here would otherwise leave them all there. */
  kac_test_exec_sql (db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint (TRUNCATE);");

  printf ("# %d registrations over one year written in %.1f s\n", N_RECORDS,
          (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = kac_test_make_disk_dir ("bench-local-stats-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GDateTime) year_start = NULL;
  double samples[N_RUNS];
  KacTestStats summary;
  GDate from, to, as_of;

  store = kac_store_open (path, &error);
  g_assert_no_error (error);

  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 1, G_DATE_JANUARY, 2025);
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 31, G_DATE_DECEMBER, 2025);
  g_date_clear (&as_of, 1);
  g_date_set_dmy (&as_of, 15, G_DATE_JANUARY, 2026);

  year_start = g_date_time_new (kac_calendar_get_time_zone (), 2025, 1, 1, 0, 0, 0);
  seed (store, g_date_time_to_unix (year_start) * G_USEC_PER_SEC);

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(KacWireStats) stats = NULL;
      gint64 start = g_get_monotonic_time ();

      stats = kac_store_get_stats (store, "centre-1", "VPVKAC 1", &from, &to, &as_of, &error);
      samples[run] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);

      if (run == 0)
        printf ("# %" G_GINT64_FORMAT " cases, %" G_GINT64_FORMAT " delayed, %u services, "
                "%u institutions, %u days\n", stats->totals.cases, stats->totals.delayed,
                stats->services->len, stats->institutions->len, stats->days->len);
    }

  kac_test_stats_compute (&summary, samples, N_RUNS);
  printf ("local figures for one year of %d registrations: median %.1f ms, max %.1f ms "
          "(target 100 ms) over %d runs\n", N_RECORDS, summary.median, summary.max, N_RUNS);

  g_clear_object (&store);
  kac_test_remove_tree (dir);
  return 0;
}
