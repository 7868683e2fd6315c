/* bench-central-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The central figures at the scale of the issue: 500,000 registrations over 2025 among 100
 * centres in one kac-central store (written in one transaction straight through the store's
 * connection, as a test path: the batch API would spend the time on hashing and HTTP, not on
 * what is measured), then the figures of one centre for the whole year, as GET /api/v1/stats
 * computes and encodes them. Prints the median and the worst of several runs; the target is
 * 200 ms. Figures are printed, never asserted (`meson test --benchmark`).
 */
#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kac-calendar.h"
#include "kac-central-store.h"
#include "kac-central-store-private.h"
#include "kac-wire.h"

#define N_RECORDS  500000
#define N_CENTRES  100
#define N_SERVICES 40
#define N_RUNS     11

static const char * const kinds[] = {
  "application", "information", "consultation-eservices", "consultation-eaddress",
  "complaint", "question", "suggestion",
};
/* Out of 100: the mix of a service centre's day (applications and information most). */
static const int kind_weights[] = { 40, 35, 10, 5, 4, 4, 2 };
static const char * const channels[] = { "in-person", "phone", "electronic", "post" };
static const int channel_weights[] = { 60, 20, 15, 5 };

static guint
pick (GRand     *rand,
      const int *weights,
      guint      n)
{
  int roll = g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < n; i++)
    {
      if (roll < weights[i])
        return i;
      roll -= weights[i];
    }

  return n - 1;
}

static char *
day_text (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static void
fill (KacCentralStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250101);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) clerk = NULL;
  GTimeZone *riga = kac_calendar_get_time_zone ();
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = _kac_central_store_get_db (store);
  gint64 started = g_get_monotonic_time ();

  for (guint c = 0; c < N_CENTRES; c++)
    {
      g_autofree char *id = g_strdup_printf ("centre-%03u", c);
      g_autofree char *name = g_strdup_printf ("VPVKAC %u", c);

      kac_central_store_add_centre (store, id, name, KAC_CENTRE_KIND_COUNTY, &error);
      g_assert_no_error (error);
    }
  kac_central_store_add_user (store, "clerk", NULL, "unused", KAC_CENTRAL_ROLE_CLERK, "centre-000",
                              NULL, &error);
  g_assert_no_error (error);
  clerk = kac_central_store_lookup_user (store, "clerk", &error);
  g_assert_no_error (error);

  g_assert_true (_kac_central_store_exec (store, "BEGIN IMMEDIATE", &error));
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO records (uuid, body_hash, body, central_number, "
                                       "centre_id, kind, service_code, institution_code, channel, "
                                       "created_at, received_at, submitted_by, status, "
                                       "status_changed_at, due_date, change_seq, local_date, "
                                       "satisfaction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                       "?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *number = g_strdup_printf ("KAC-2025-%06u", i + 1);
      g_autofree char *centre = g_strdup_printf ("centre-%03d", g_rand_int_range (rand, 0, N_CENTRES));
      guint kind = pick (rand, kind_weights, G_N_ELEMENTS (kind_weights));
      guint channel = pick (rand, channel_weights, G_N_ELEMENTS (channel_weights));
      guint service = g_rand_int_range (rand, 0, N_SERVICES);
      gboolean has_service = kind != 3 && kind != 6;     /* eaddress, suggestion: none */
      g_autofree char *service_code = g_strdup_printf ("SVC-%02u", service);
      g_autofree char *institution = g_strdup_printf ("INST-%u", service % 7);
      int satisfaction = g_rand_int_range (rand, 0, 100) < 30 ? g_rand_int_range (rand, 1, 6) : 0;
      GDate day;
      g_autoptr(GDateTime) local = NULL;
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *created_at = NULL;
      g_autofree char *local_date = NULL;
      g_autofree char *due_date = NULL;
      g_autofree char *changed_at = NULL;
      g_autofree char *body = NULL;
      const char *status = "registered";

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, 1, 1, 2025);
      g_date_add_days (&day, g_rand_int_range (rand, 0, 365));
      local = g_date_time_new (riga, g_date_get_year (&day), g_date_get_month (&day),
                               g_date_get_day (&day), g_rand_int_range (rand, 8, 18),
                               g_rand_int_range (rand, 0, 60), 0);
      utc = g_date_time_to_utc (local);
      created_at = kac_wire_format_timestamp (utc);
      local_date = day_text (&day);
      changed_at = g_strdup (created_at);

      /* Applications: a fifth waits, a fifth is forwarded with a due date 20 days on, half
       * is completed 0–30 days after registration (some late). */
      if (kind == 0)
        {
          int roll = g_rand_int_range (rand, 0, 10);

          if (roll >= 3)
            {
              GDate due = day;

              g_date_add_days (&due, 20);
              due_date = day_text (&due);
              status = "forwarded";
            }
          if (roll >= 5)
            {
              g_autoptr(GDateTime) done = g_date_time_add_days (utc, g_rand_int_range (rand, 0, 31));

              g_free (changed_at);
              changed_at = kac_wire_format_timestamp (done);
              status = "completed";
            }
        }

      /* About the size of a real canonical body. */
      body = g_strdup_printf ("{\"uuid\":\"%s\",\"kind\":\"%s\",\"service_code\":%s%s%s,"
                              "\"institution_code\":null,\"channel\":\"%s\",\"client\":{\"name\":"
                              "\"Jānis Bērziņš\",\"personal_code\":\"161175-19997\"},\"notes\":"
                              "\"Klients jautāja par pieteikuma statusu un saņēma skaidrojumu.\","
                              "\"satisfaction\":%d,\"created_at\":\"%s\",\"clerk\":\"clerk\","
                              "\"centre_id\":\"%s\"}",
                              uuid, kinds[kind], has_service ? "\"" : "",
                              has_service ? service_code : "null", has_service ? "\"" : "",
                              channels[channel], satisfaction, created_at, centre);

      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, "0000000000000000000000000000000000000000000000000000000000000000", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, body, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, centre, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, kinds[kind], -1, SQLITE_STATIC);
      if (has_service)
        {
          sqlite3_bind_text (stmt, 7, service_code, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, institution, -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (stmt, 7);
          sqlite3_bind_null (stmt, 8);
        }
      sqlite3_bind_text (stmt, 9, channels[channel], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, created_at, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 11, clerk->id);
      sqlite3_bind_text (stmt, 12, status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 13, changed_at, -1, SQLITE_STATIC);
      if (due_date != NULL)
        sqlite3_bind_text (stmt, 14, due_date, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 14);
      sqlite3_bind_int64 (stmt, 15, i + 1);
      sqlite3_bind_text (stmt, 16, local_date, -1, SQLITE_STATIC);
      if (satisfaction > 0)
        sqlite3_bind_int (stmt, 17, satisfaction);
      else
        sqlite3_bind_null (stmt, 17);

      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }

  sqlite3_finalize (stmt);
  g_assert_true (_kac_central_store_exec (store, "COMMIT", &error));
  g_assert_no_error (error);

  printf ("# %d registrations among %d centres written in %.1f s\n", N_RECORDS, N_CENTRES,
          (g_get_monotonic_time () - started) / 1e6);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kac-bench-stats-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(KacCentralStore) store = NULL;
  double runs[N_RUNS];
  gint64 cases = 0;
  gsize bytes = 0;
  GDate from, to, as_of;

  g_assert_no_error (error);
  path = g_build_filename (dir, "central.db", NULL);
  store = kac_central_store_open (path, &error);
  g_assert_no_error (error);

  fill (store);

  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 1, 1, 2025);
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 31, 12, 2025);
  g_date_clear (&as_of, 1);
  g_date_set_dmy (&as_of, 15, 1, 2026);

  for (guint i = 0; i < N_RUNS; i++)
    {
      /* A different centre each run, so no run reads only what the one before cached. */
      g_autofree char *centre = g_strdup_printf ("centre-%03u", (i * 37) % N_CENTRES);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(KacWireStats) stats = kac_central_store_get_stats (store, centre, &from, &to, &as_of, &error);
      g_autoptr(GBytes) encoded = NULL;

      g_assert_no_error (error);
      encoded = kac_wire_encode_stats (stats);
      runs[i] = (g_get_monotonic_time () - start) / 1000.0;
      cases = stats->totals.cases;
      bytes = g_bytes_get_size (encoded);
      printf ("# run %u: %s, %" G_GINT64_FORMAT " cases, %" G_GINT64_FORMAT " delayed, %u services, "
              "%" G_GSIZE_FORMAT " bytes of JSON: %.1f ms\n",
              i + 1, centre, cases, stats->totals.delayed, stats->services->len, bytes, runs[i]);
    }

  qsort (runs, N_RUNS, sizeof runs[0], compare_doubles);
  printf ("central figures, one centre of %d, one year (%d registrations in all): median %.1f ms, "
          "max %.1f ms (target ≤ 200 ms)\n", N_CENTRES, N_RECORDS, runs[N_RUNS / 2], runs[N_RUNS - 1]);

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *lock = g_strconcat (path, ".lock", NULL);

    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_remove (lock);
    g_rmdir (dir);
  }

  return 0;
}
